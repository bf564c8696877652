"""Eval reports: the console table, report.html (self-contained, with an SVG chart),
results.json (one object per case), junit.xml, and the baseline comparison."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from evals.errors import SuiteError
from evals.models import Suite
from evals.runner import CaseOutcome


@dataclass
class PolicyRow:
    policy: str
    cases: int
    passed: int
    threshold: float

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    @property
    def ok(self) -> bool:
        return self.rate + 1e-9 >= self.threshold


def policy_table(outcomes: list[CaseOutcome], suites: list[Suite]) -> list[PolicyRow]:
    by_suite = {s.suite: s for s in suites}
    rows: dict[str, PolicyRow] = {}
    for o in outcomes:
        row = rows.setdefault(o.policy, PolicyRow(o.policy, 0, 0, 0.0))
        row.cases += 1
        row.passed += int(o.passed)
        row.threshold = max(row.threshold, by_suite[o.suite].threshold(o.policy))
    return [rows[k] for k in sorted(rows)]


def apply_baseline(outcomes: list[CaseOutcome], baseline: Path) -> None:
    try:
        previous = json.loads(baseline.read_text(encoding="utf-8"))
        was = {c["key"]: bool(c["passed"]) for c in previous}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SuiteError(f"{baseline}: not a results.json written by `beacon eval run` ({e}).") from e
    for o in outcomes:
        if o.key not in was:
            o.status = "new"
        elif was[o.key] == o.passed:
            o.status = "unchanged"
        else:
            o.status = "fixed" if o.passed else "regressed"


def console(outcomes: list[CaseOutcome], rows: list[PolicyRow]) -> str:
    lines = [f"{'policy':<24}{'cases':>7}{'passed':>8}{'rate':>8}{'threshold':>11}  verdict"]
    for r in rows:
        lines.append(
            f"{r.policy:<24}{r.cases:>7}{r.passed:>8}{r.rate:>8.0%}{r.threshold:>11.0%}  "
            f"{'ok' if r.ok else 'BELOW THRESHOLD'}"
        )
    total = len(outcomes)
    passed = sum(o.passed for o in outcomes)
    lines.append(f"{'all':<24}{total:>7}{passed:>8}{(passed / total if total else 0):>8.0%}")
    changed = [o for o in outcomes if o.status in ("fixed", "regressed", "new")]
    if changed:
        lines.append(
            "against the baseline: "
            + ", ".join(
                f"{s} {sum(o.status == s for o in outcomes)}" for s in ("regressed", "fixed", "new", "unchanged")
            )
        )
        lines += [f"  {o.status.upper():<9} {o.key}" for o in changed if o.status == "regressed"]
    for o in outcomes:
        if o.passed:
            continue
        lines.append(f"FAIL {o.key} [{o.policy}]")
        lines += [f"  - {f}" for f in o.failures]
        last = next((t for t in reversed(o.turns) if t.result), None)
        if last:
            lines.append("  answer: " + last.result["answer"].replace("\n", " ")[:400])  # type: ignore[index]
    return "\n".join(lines)


def write_json(outcomes: list[CaseOutcome], path: Path) -> None:
    path.write_text(json.dumps([o.to_dict() for o in outcomes], indent=2, default=str), encoding="utf-8")


def write_junit(outcomes: list[CaseOutcome], path: Path) -> None:
    root = ET.Element(
        "testsuites", name="beacon-eval", tests=str(len(outcomes)), failures=str(sum(not o.passed for o in outcomes))
    )
    for suite in sorted({o.suite for o in outcomes}):
        cases = [o for o in outcomes if o.suite == suite]
        el = ET.SubElement(
            root, "testsuite", name=suite, tests=str(len(cases)), failures=str(sum(not o.passed for o in cases))
        )
        for o in cases:
            tc = ET.SubElement(
                el, "testcase", classname=f"{suite}.{o.policy}", name=o.case_id, time=f"{o.latency_ms / 1000:.3f}"
            )
            if not o.passed:
                failure = ET.SubElement(tc, "failure", message=o.failures[0][:300])
                failure.text = "\n".join(o.failures)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _chart(rows: list[PolicyRow]) -> str:
    bar_h, gap, label_w, width = 22, 8, 190, 420
    height = len(rows) * (bar_h + gap) + 30
    parts = [
        f'<svg id="policy-chart" role="img" aria-label="Pass rate per policy" width="{label_w + width + 70}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="13">'
    ]
    for i, r in enumerate(rows):
        y = i * (bar_h + gap) + 10
        color = "#2e7d32" if r.ok else "#c62828"
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{html.escape(r.policy)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{width}" height="{bar_h}" fill="#eee"/>')
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y}" width="{width * r.rate:.1f}" height="{bar_h}" fill="{color}">'
            f"<title>{html.escape(r.policy)}: {r.passed}/{r.cases}</title></rect>"
        )
        tx = label_w + width * r.threshold
        parts.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y - 2}" y2="{y + bar_h + 2}" stroke="#000" stroke-dasharray="3,2"/>'
        )
        parts.append(f'<text x="{label_w + width + 8}" y="{y + 16}">{r.rate:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _case_html(o: CaseOutcome) -> str:
    e = html.escape
    status = f' <span class="status {e(o.status)}">{e(o.status)}</span>' if o.status else ""
    out = [
        f'<details class="case {"pass" if o.passed else "fail"}" id="case-{e(o.key)}"{"" if o.passed else " open"}>',
        f"<summary><b>{'PASS' if o.passed else 'FAIL'}</b> {e(o.key)} <i>[{e(o.policy)}]</i>{status} "
        f"<small>{o.latency_ms:.0f} ms</small></summary>",
    ]
    if o.failures:
        out.append("<ul class='failures'>" + "".join(f"<li>{e(f)}</li>" for f in o.failures) + "</ul>")
    for n, t in enumerate(o.turns, start=1):
        out.append(f"<div class='turn'><p class='user'><b>Turn {n} — user:</b> {e(t.user)}</p>")
        if t.result is None:
            out.append(f"<p class='error'>{e(t.error or '')}</p></div>")
            continue
        r: dict[str, Any] = t.result
        out.append(
            f"<p><b>{e(r['action'])}</b>{' (' + e(str(r.get('reason'))) + ')' if r.get('reason') else ''}, "
            f"guard {e(r['guardrail']['decision'])}, {r['latency_ms']:.0f} ms</p>"
        )
        out.append(f"<pre class='answer'>{e(r['answer'])}</pre>")
        d = r.get("draft") or {}
        if d.get("rejected_by_guard") or d.get("fallback_reason"):
            out.append(
                f"<p class='fallback'><b>Draft:</b> written by {e(str(d.get('source')))}; the {e(d.get('backend', ''))} "
                f"draft was not used: {e(d.get('fallback_reason') or '')}</p>"
            )
        if r["citations"]:
            out.append(
                "<p><b>Citations:</b> "
                + ", ".join(
                    f"{e(c['id'])} — {e(c['title'])}{' p. ' + str(c['page']) if c.get('page') else ''}"
                    for c in r["citations"]
                )
                + "</p>"
            )
        flagged = [f for f in r["guardrail"]["findings"] if f["outcome"] != "pass"]
        out.append(
            "<p><b>Guard findings:</b> "
            + (
                "; ".join(f"{e(f['rule_id'])} {e(f['outcome'])}: {e(f['rationale'])}" for f in flagged)
                or f"all {len(r['guardrail']['findings'])} rules passed"
            )
            + "</p>"
        )
        if t.failures and len(o.turns) > 1:
            out.append("<ul class='failures'>" + "".join(f"<li>{e(f)}</li>" for f in t.failures) + "</ul>")
        out.append("</div>")
    out.append("</details>")
    return "".join(out)


def write_html(outcomes: list[CaseOutcome], rows: list[PolicyRow], path: Path, title: str) -> None:
    e = html.escape
    backend = outcomes[0].backend if outcomes else ""
    passed = sum(o.passed for o in outcomes)
    table = "".join(
        f"<tr class='{'ok' if r.ok else 'below'}'><td>{e(r.policy)}</td><td>{r.cases}</td><td>{r.passed}</td>"
        f"<td>{r.rate:.0%}</td><td>{r.threshold:.0%}</td><td>{'ok' if r.ok else 'below threshold'}</td></tr>"
        for r in rows
    )
    doc = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px}}tr.below td{{background:#fdecea}}details{{margin:.5em 0;border:1px solid #ddd;padding:.4em}}
details.fail{{border-color:#c62828}}pre{{white-space:pre-wrap;background:#f7f7f7;padding:.5em}}.failures{{color:#c62828}}
.status{{border-radius:3px;padding:0 4px;background:#eee}}.status.regressed{{background:#c62828;color:#fff}}
.status.fixed{{background:#2e7d32;color:#fff}}</style></head><body>
<h1>{e(title)}</h1>
<p>Backend <b>{e(backend)}</b>; {passed} of {len(outcomes)} cases passed; generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.</p>
<h2>Pass rate per policy</h2>{_chart(rows)}
<table><tr><th>policy</th><th>cases</th><th>passed</th><th>rate</th><th>threshold</th><th>verdict</th></tr>{table}</table>
<h2>Cases</h2>{"".join(_case_html(o) for o in sorted(outcomes, key=lambda o: (o.passed, o.key)))}
</body></html>"""
    path.write_text(doc, encoding="utf-8")


def write_reports(outcomes: list[CaseOutcome], rows: list[PolicyRow], directory: Path, title: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    write_json(outcomes, directory / "results.json")
    write_junit(outcomes, directory / "junit.xml")
    write_html(outcomes, rows, directory / "report.html", title)


def draft_stats(outcomes: list[CaseOutcome]) -> dict[str, int]:
    """How often the LLM's own draft was shown, rejected by the guard, or replaced after an error, and
    how many shown answers carried a figure no source or calculator supports (must be 0)."""
    stats = {"turns": 0, "llm_shown": 0, "rejected_by_guard": 0, "fallback_error": 0, "ungrounded_shown": 0}
    for o in outcomes:
        for t in o.turns:
            if not t.result:
                continue
            d = t.result.get("draft") or {}
            stats["turns"] += 1
            stats["llm_shown"] += d.get("source") == "llm"
            stats["rejected_by_guard"] += bool(d.get("rejected_by_guard"))
            stats["fallback_error"] += bool(d.get("fallback_reason")) and not d.get("rejected_by_guard")
            guard = t.result.get("guardrail") or {}
            # a final answer shown to the user with a figure the grounding rule did not pass
            stats["ungrounded_shown"] += guard.get("decision") in ("allow", "transform") and any(
                f["rule_id"] == "output.ungrounded_figure" and f["outcome"] != "pass" for f in guard.get("findings", [])
            )
    return stats


def compare_table(a: list[PolicyRow], b: list[PolicyRow], name_a: str, name_b: str) -> str:
    rb = {r.policy: r for r in b}
    lines = [f"{'policy':<24}{name_a[:18]:>20}{name_b[:18]:>20}{'delta':>8}"]
    for r in a:
        other = rb.get(r.policy)
        rate_b = other.rate if other else 0.0
        lines.append(
            f"{r.policy:<24}{f'{r.passed}/{r.cases} {r.rate:.0%}':>20}"
            f"{(f'{other.passed}/{other.cases} {rate_b:.0%}' if other else '-'):>20}{(rate_b - r.rate) * 100:>+7.0f}%"
        )
    return "\n".join(lines)
