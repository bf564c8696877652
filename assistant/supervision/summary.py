"""The supervision summary for a period, for an examiner's file: volumes, the review samples and
how they were drawn, reviewers' findings by category, open items, the policy / index / backend /
prompt versions in force, and the audit chain's state. Everything is read from the audit trail.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.supervision.reviews import ReviewDesk, day_of


def summarise(desk: ReviewDesk, start: dt.date, end: dt.date) -> dict[str, Any]:
    lo, hi = start.isoformat(), end.isoformat()
    turns: list[dict[str, Any]] = []
    nudges: list[dict[str, Any]] = []
    samples: list[dict[str, Any]] = []
    reviews: dict[str, list[dict[str, Any]]] = {}
    for r in desk.audit.iter_records(with_hashes=True):
        kind = r.get("kind", "turn")
        if kind == "review_sample" and lo <= str(r.get("day")) <= hi:
            samples.append(r)
        elif kind == "review":
            reviews.setdefault(str(r["reviewed_turn"]), []).append(r)
        elif kind in ("turn", "nudge") and lo <= day_of(r) <= hi:
            (turns if kind == "turn" else nudges).append(r)
    sampled = {i["turn_id"]: i for s in samples for i in s.get("items", [])}
    latest = {t: rs[-1] for t, rs in reviews.items() if t in sampled}
    issues = [
        {
            "turn_id": t,
            "day": next(s["day"] for s in samples if any(i["turn_id"] == t for i in s["items"])),
            **{k: v.get(k) for k in ("verdict", "category", "note", "reviewer", "at")},
        }
        for t, v in latest.items()
        if v["verdict"] != "ok"
    ]
    versions: dict[str, Counter[str]] = {k: Counter() for k in ("policy", "index", "backend", "prompt")}
    for r in turns:
        versions["policy"][str(r.get("policy_version"))[:16]] += 1
        versions["index"][str(r.get("index_version"))] += 1
        versions["backend"][str(r.get("backend"))] += 1
        prompt = r.get("prompt") or {}
        versions["prompt"][f"{prompt.get('name')} {str(prompt.get('sha256'))[:12]}" if prompt else "none"] += 1
    chain = desk.audit.verify()
    return {
        "period": {"from": lo, "to": hi},
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "volumes": {
            "turns": len(turns),
            "turns_by_channel": dict(Counter(str(r.get("channel")) for r in turns)),
            "turns_by_action": dict(Counter(str(r.get("final_action")) for r in turns)),
            "nudge_decisions": len(nudges),
            "nudges_by_decision": dict(Counter(str(r.get("decision")) for r in nudges)),
        },
        "samples": [
            {
                k: s.get(k)
                for k in (
                    "day",
                    "turn_id",
                    "seed",
                    "policy_version",
                    "sampling",
                    "population",
                    "always",
                    "sampled",
                    "drawn_by",
                )
            }
            for s in samples
        ],
        "days_without_sample": _missing_days(start, end, {str(s["day"]) for s in samples}),
        "sample_size": len(sampled),
        "sample_by_reason": dict(Counter(i["why"].split(":")[0] for i in sampled.values())),
        "reviewed": len(latest),
        "findings_by_verdict": dict(Counter(v["verdict"] for v in latest.values())),
        "findings_by_category": dict(Counter(v["category"] for v in latest.values() if v["verdict"] == "issue")),
        "issues": issues,
        "open_items": sorted(
            (
                {"turn_id": t, "why": i["why"], "channel": i["channel"], "intent": i.get("intent")}
                for t, i in sampled.items()
                if t not in latest
            ),
            key=lambda x: x["turn_id"],
        ),
        "versions_in_force": {k: dict(c) for k, c in versions.items()},
        "audit_chain": {
            "ok": chain.ok,
            "records": chain.records,
            "broken_at": chain.broken_turn_id,
            "store": desk.audit.describe(),
        },
    }


def _missing_days(start: dt.date, end: dt.date, have: set[str]) -> list[str]:
    out, day = [], start
    while day <= end:
        if day.isoformat() not in have:
            out.append(day.isoformat())
        day += dt.timedelta(days=1)
    return out


def _table(rows: dict[str, Any], head: tuple[str, str]) -> str:
    body = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in rows.items())
    return f"<table><tr><th>{head[0]}</th><th>{head[1]}</th></tr>{body or '<tr><td colspan=2>none</td></tr>'}</table>"


def write_summary(s: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "supervision.json").write_text(json.dumps(s, indent=2, ensure_ascii=False, default=str))
    v, e = s["volumes"], html.escape
    parts = [
        "<!doctype html><meta charset=utf-8><title>Beacon supervision summary</title>",
        "<style>body{font:14px system-ui;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#eee}</style>",
        f"<h1>Supervision summary {s['period']['from']} to {s['period']['to']}</h1>",
        f"<p>Generated {e(s['generated_at'][:19])} UTC from the audit trail ({e(s['audit_chain']['store'])}); "
        f"the hash chain {'verifies' if s['audit_chain']['ok'] else 'is BROKEN at ' + str(s['audit_chain']['broken_at'])} "
        f"({s['audit_chain']['records']} records).</p>",
        "<h2>Volumes</h2>",
        f"<p>{v['turns']} conversation turns, {v['nudge_decisions']} nudge decisions.</p>",
        _table(v["turns_by_channel"], ("channel", "turns")),
        _table(v["turns_by_action"], ("final action", "turns")),
        _table(v["nudges_by_decision"], ("nudge decision", "count")),
        "<h2>Review sample and how it was drawn</h2>",
        f"<p>{s['sample_size']} turns sampled for review. Every blocked, escalated or flagged turn is always "
        "sampled; of the rest a share (the rate) is drawn at random, weighted by topic and channel, with a minimum "
        "per channel. Each day's seed is recorded, so `beacon review sample --day D --check` redraws it.</p>",
        _table(s["sample_by_reason"], ("why sampled", "turns")),
        "<table><tr><th>day</th><th>seed</th><th>rate</th><th>min per channel</th><th>weights</th><th>population</th>"
        "<th>always</th><th>drawn</th><th>policy</th><th>drawn by</th></tr>",
        *[
            f"<tr><td>{x['day']}</td><td>{x['seed']}</td><td>{x['sampling']['rate']}</td>"
            f"<td>{x['sampling']['min_per_channel']}</td><td>{e(json.dumps(x['sampling']['topic_weights']))} "
            f"{e(json.dumps(x['sampling']['channel_weights']))}</td><td>{e(json.dumps(x['population']))}</td>"
            f"<td>{x['always']}</td><td>{x['sampled']}</td><td>{str(x['policy_version'])[:12]}</td><td>{e(str(x['drawn_by']))}</td></tr>"
            for x in s["samples"]
        ],
        "</table>",
        f"<p>Days without a sample: {', '.join(s['days_without_sample']) or 'none'}.</p>",
        "<h2>Findings</h2>",
        f"<p>{s['reviewed']} of {s['sample_size']} sampled turns reviewed.</p>",
        _table(s["findings_by_verdict"], ("verdict", "turns")),
        _table(s["findings_by_category"], ("issue category", "turns")),
        "<table><tr><th>day</th><th>turn</th><th>verdict</th><th>category</th><th>note</th><th>reviewer</th></tr>",
        *[
            f"<tr><td>{i['day']}</td><td>{i['turn_id'][:12]}</td><td>{i['verdict']}</td><td>{e(str(i['category'] or ''))}</td>"
            f"<td>{e(str(i['note'] or ''))}</td><td>{e(str(i['reviewer']))}</td></tr>"
            for i in s["issues"]
        ],
        "</table>",
        f"<h2>Open items ({len(s['open_items'])})</h2>",
        "<table><tr><th>turn</th><th>why sampled</th><th>channel</th><th>intent</th></tr>",
        *[
            f"<tr><td>{o['turn_id']}</td><td>{e(o['why'])}</td><td>{e(str(o['channel']))}</td><td>{e(str(o['intent']))}</td></tr>"
            for o in s["open_items"]
        ],
        "</table>",
        "<h2>Versions in force (turns per version)</h2>",
        *[f"<h3>{k}</h3>{_table(c, (k, 'turns'))}" for k, c in s["versions_in_force"].items()],
    ]
    (out / "supervision.html").write_text("\n".join(parts), encoding="utf-8")
    return [out / "supervision.html", out / "supervision.json"]
