"""Write the fairness report: `fairness.json` (every count, rate, interval, uplift and flag),
`fairness.html` (tables and charts an examiner can read) and one PNG chart per attribute
(matplotlib, headless Agg backend)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from assistant.supervision.fairness import ATTRIBUTES, NUDGE_MEASURES, TURN_MEASURES, group_order

MEASURES = [*TURN_MEASURES, *NUDGE_MEASURES]


def _chart(report: dict[str, Any], attribute: str, path: Path) -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = [c for c in report["cells"] if c["attribute"] == attribute]
    measures = [m for m in MEASURES if any(c["measure"] == m and c["n"] for c in cells)]
    if not measures:
        return False
    flagged = {(f["group"], f["measure"]) for f in report["flags"] if f["attribute"] == attribute}
    fig, axes = plt.subplots(1, len(measures), figsize=(2.6 * len(measures), 3.2), squeeze=False)
    for ax, m in zip(axes[0], measures, strict=True):
        row = [c for c in cells if c["measure"] == m]
        row.sort(key=lambda c: group_order(c["group"]))
        groups = [c["group"] for c in row]
        rates = [c["rate"] * 100 for c in row]
        err = [[(c["rate"] - c["ci95"][0]) * 100 for c in row], [(c["ci95"][1] - c["rate"]) * 100 for c in row]]
        colors = ["#c0392b" if (g, m) in flagged else "#4a78a8" for g in groups]
        ax.bar(range(len(groups)), rates, yerr=err, color=colors, capsize=3)
        ax.set_xticks(range(len(groups)), groups, rotation=40, ha="right", fontsize=7)
        ax.set_title(m.replace("_", " "), fontsize=9)
        ax.set_ylim(0, 100)
        ax.tick_params(axis="y", labelsize=7)
    axes[0][0].set_ylabel("% (Wilson 95% interval)", fontsize=8)
    fig.suptitle(f"by {attribute.replace('_', ' ')} (red: flagged)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def write_fairness(report: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "fairness.json"]
    (out / "fairness.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    parts = [
        "<!doctype html><meta charset=utf-8><title>Beacon fairness report</title>",
        "<style>body{font:14px system-ui;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}.flag{background:#fbe3e0}"
        "td:first-child,th:first-child{text-align:left}</style>",
        f"<h1>Fairness report {report['period']['from']} to {report['period']['to']}</h1>",
        f"<p>From {report['records']['turns']} conversation turns and {report['records']['nudge_decisions']} nudge "
        f"decisions in the audit trail ({html.escape(str(report.get('source', '')))}). Groups come from the roster's "
        "own attributes and each turn's channel; nothing is inferred. Rates carry Wilson 95% intervals. A group is "
        f"flagged when its rate differs from the rest of its attribute by more than {_pct(report['threshold'])} and the "
        f"intervals do not overlap (at least {report['min_n']} records on each side).</p>",
        f"<h2>Flags ({len(report['flags'])})</h2>",
    ]
    if report["flags"]:
        parts.append("<table><tr><th>attribute</th><th>group</th><th>measure</th><th>group rate</th><th>rest</th>"
                     "<th>difference</th></tr>")  # fmt: skip
        for f in report["flags"]:
            parts.append(
                f"<tr class=flag><td>{html.escape(f['attribute'])}</td><td>{html.escape(f['group'])}</td>"
                f"<td>{f['measure']}</td><td>{_pct(f['rate'])} ({f['k']}/{f['n']})</td>"
                f"<td>{_pct(f['rest_rate'])} ({f['rest_k']}/{f['rest_n']})</td><td>{f['difference'] * 100:+.1f} pts</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No group differs beyond the threshold.</p>")
    flagged = {(f["attribute"], f["group"], f["measure"]) for f in report["flags"]}
    for attr in ATTRIBUTES:
        cells = [c for c in report["cells"] if c["attribute"] == attr]
        if not cells:
            continue
        parts.append(f"<h2>By {attr.replace('_', ' ')}</h2>")
        png = out / f"fairness-{attr}.png"
        if _chart(report, attr, png):
            written.append(png)
            parts.append(f"<img src='{png.name}' alt='rates by {attr}' style='max-width:100%'>")
        groups = sorted({c["group"] for c in cells}, key=group_order)
        measures = [m for m in MEASURES if any(c["measure"] == m for c in cells)]
        parts.append("<table><tr><th>group</th>" + "".join(f"<th>{m}</th>" for m in measures) + "</tr>")
        for g in groups:
            row = [f"<td>{html.escape(g)}</td>"]
            for m in measures:
                c = next((c for c in cells if c["group"] == g and c["measure"] == m), None)
                if c is None:
                    row.append("<td></td>")
                    continue
                cls = " class=flag" if (attr, g, m) in flagged else ""
                row.append(f"<td{cls}>{_pct(c['rate'])} ({c['k']}/{c['n']})<br><small>{_pct(c['ci95'][0])}–"
                           f"{_pct(c['ci95'][1])}</small></td>")  # fmt: skip
            parts.append("<tr>" + "".join(row) + "</tr>")
        parts.append("</table>")
    rows = [u for u in report["uplift"] if u["uplift"] is not None]
    parts.append("<h2>Nudge uplift by group</h2>")
    if rows:
        parts.append("<table><tr><th>attribute</th><th>group</th><th>sent (acted)</th><th>held out (acted)</th>"
                     "<th>uplift</th><th>95% interval</th></tr>")  # fmt: skip
        for u in rows:
            parts.append(
                f"<tr><td>{u['attribute']}</td><td>{html.escape(u['group'])}</td><td>{u['sent']} ({u['sent_acted']})</td>"
                f"<td>{u['held_out']} ({u['held_out_acted']})</td><td>{u['uplift'] * 100:+.1f} pts</td>"
                f"<td>{u['ci95'][0] * 100:+.1f} to {u['ci95'][1] * 100:+.1f}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No sent and held-out nudges with outcomes in this period.</p>")
    (out / "fairness.html").write_text("\n".join(parts), encoding="utf-8")
    written.insert(1, out / "fairness.html")
    return written
