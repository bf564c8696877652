"""Beacon's guardrails: verdict types, policy as data, PII recognizers, compliance rules,
the guard engine and the audit log."""
