"""Compliance supervision of what Beacon actually said, read from the audit trail.

* `policy`: the `supervision:` section of the guard policy file (sampling rate, weights, verdict
  categories, the fairness threshold), validated with the file and field named.
* `sampling`: the day's review sample: every blocked, escalated or review-flagged turn plus a
  risk-weighted, seeded random draw of the rest (reproducible from the seed in the audit).
* `reviews`: the review queue and verdicts (audit records of kind `review_sample` and `review`).
* `regression`: a turn marked as an issue becomes a case in an eval suite file.
* `why`: "Why am I seeing this?" for an answer or a nudge, in plain words, from its audit record.
* `fairness`, `summary`: the fairness report and the supervision summary for a period.

Everything here reads the audit through its public API (`iter_records`, `get`, `append`) and adds
record kinds; it never changes the store.
"""
