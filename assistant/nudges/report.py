"""Uplift against the hold-out group, per nudge, with 95% confidence intervals.

For each nudge with a success measure: the acted rate of the participants it was sent to
(treated) minus the acted rate of the participants it would have been sent to but who are in the
hold-out group (control). The interval is the Wald interval for a difference of two proportions,
p1 - p2 ± 1.96·sqrt(p1(1-p1)/n1 + p2(1-p2)/n2); rows with fewer than 5 acted or not-acted in
either group are flagged as too small to read. Written as HTML (inline SVG chart), PNG and JSON.
"""

from __future__ import annotations

import html
import io
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.nudges.catalog import Catalog
from assistant.nudges.store import NudgeStore

Z95 = 1.959963984540054


@dataclass
class UpliftRow:
    nudge_id: str
    title: str
    treated: int
    treated_acted: int
    control: int
    control_acted: int
    shown: int = 0
    opened: int = 0

    @property
    def treated_rate(self) -> float:
        return self.treated_acted / self.treated if self.treated else 0.0

    @property
    def control_rate(self) -> float:
        return self.control_acted / self.control if self.control else 0.0

    @property
    def uplift(self) -> float:
        return self.treated_rate - self.control_rate

    @property
    def ci95(self) -> tuple[float, float] | None:
        if not self.treated or not self.control:
            return None
        p1, p2 = self.treated_rate, self.control_rate
        se = math.sqrt(p1 * (1 - p1) / self.treated + p2 * (1 - p2) / self.control)
        return self.uplift - Z95 * se, self.uplift + Z95 * se

    @property
    def small_sample(self) -> bool:
        cells = [
            self.treated_acted,
            self.treated - self.treated_acted,
            self.control_acted,
            self.control - self.control_acted,
        ]
        return min(cells) < 5

    def to_dict(self) -> dict[str, object]:
        ci = self.ci95
        return asdict(self) | {
            "treated_rate": round(self.treated_rate, 6),
            "control_rate": round(self.control_rate, 6),
            "uplift": round(self.uplift, 6),
            "ci95": [round(ci[0], 6), round(ci[1], 6)] if ci else None,
            "small_sample": self.small_sample,
        }


def uplift_rows(store: NudgeStore, catalog: Catalog) -> list[UpliftRow]:
    outcomes = store.outcomes()
    rows: dict[str, UpliftRow] = {}
    for d in store.decisions(status=("sent", "held_out")):
        spec = catalog.by_id.get(d.nudge_id)
        if spec is None or spec.success is None:
            continue
        row = rows.setdefault(d.nudge_id, UpliftRow(d.nudge_id, spec.title, 0, 0, 0, 0))
        got = outcomes.get(d.decision_id, {})
        acted = int("acted" in got)
        if d.status == "sent":
            row.treated += 1
            row.treated_acted += acted
            row.shown += int("shown" in got)
            row.opened += int("opened" in got)
        else:
            row.control += 1
            row.control_acted += acted
    return sorted(rows.values(), key=lambda r: r.nudge_id)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def console(rows: list[UpliftRow]) -> str:
    head = f"{'nudge':<26}{'treated':>9}{'acted':>8}{'hold-out':>10}{'acted':>8}{'uplift':>9}  95% CI"
    lines = [head]
    for r in rows:
        ci = r.ci95
        span = f"[{_pct(ci[0])}, {_pct(ci[1])}]" if ci else "n/a"
        lines.append(
            f"{r.nudge_id:<26}{r.treated:>9}{_pct(r.treated_rate):>8}{r.control:>10}{_pct(r.control_rate):>8}"
            f"{_pct(r.uplift):>9}  {span}{'  (small sample)' if r.small_sample else ''}"
        )
    return "\n".join(lines)


def _figure(rows: list[UpliftRow]):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 0.7 * max(len(rows), 1) + 1.4), dpi=100)
    names = [r.nudge_id for r in rows]
    ups = [r.uplift * 100 for r in rows]
    lows = [(r.uplift - r.ci95[0]) * 100 if r.ci95 else 0 for r in rows]
    highs = [(r.ci95[1] - r.uplift) * 100 if r.ci95 else 0 for r in rows]
    ys = list(range(len(rows)))
    ax.barh(ys, ups, color=["#2f6f9f" if not r.small_sample else "#9bb7cc" for r in rows], height=0.55)
    ax.errorbar(ups, ys, xerr=[lows, highs], fmt="none", ecolor="#222", capsize=4, linewidth=1.2)
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.set_yticks(ys, names)
    ax.invert_yaxis()
    ax.set_xlabel("uplift in acted rate vs hold-out (percentage points, 95% CI)")
    ax.set_title("Nudge uplift against the hold-out group")
    fig.tight_layout()
    return fig, plt


def chart_svg_and_png(rows: list[UpliftRow], png_path: Path) -> str:
    fig, plt = _figure(rows)
    fig.savefig(png_path, format="png")
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def render_html(rows: list[UpliftRow], title: str, svg: str) -> str:
    body = []
    for r in rows:
        ci = r.ci95
        body.append(
            "<tr>"
            f"<td><code>{html.escape(r.nudge_id)}</code><br><small>{html.escape(r.title)}</small></td>"
            f"<td>{r.treated}</td><td>{r.treated_acted}</td><td>{_pct(r.treated_rate)}</td>"
            f"<td>{r.control}</td><td>{r.control_acted}</td><td>{_pct(r.control_rate)}</td>"
            f"<td><b>{_pct(r.uplift)}</b></td>"
            f"<td>{'[' + _pct(ci[0]) + ', ' + _pct(ci[1]) + ']' if ci else 'n/a'}</td>"
            f"<td>{r.shown}</td><td>{r.opened}</td>"
            f"<td>{'too small to read' if r.small_sample else ''}</td></tr>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1c1c1c; }}
table {{ border-collapse: collapse; margin-top: 1rem; }}
th, td {{ border: 1px solid #ccc; padding: .35rem .6rem; text-align: right; vertical-align: top; }}
td:first-child, th:first-child {{ text-align: left; }}
th {{ background: #eef3f7; }}
.note {{ color: #444; max-width: 60rem; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="note">Treated: participants a nudge was sent to. Hold-out: participants it would have been sent to,
left out by a deterministic hash of their id. Acted: the nudge's success change (for example a higher
contribution rate) within its window. Uplift = treated acted rate − hold-out acted rate; the interval is
the 95% Wald interval for a difference of proportions.</p>
<figure id="chart">{svg}</figure>
<table id="uplift">
<thead><tr><th>nudge</th><th>treated</th><th>acted</th><th>rate</th><th>hold-out</th><th>acted</th><th>rate</th>
<th>uplift</th><th>95% CI</th><th>shown</th><th>opened</th><th></th></tr></thead>
<tbody>
{"".join(body) or '<tr><td colspan="12">No delivered nudges with a success measure yet.</td></tr>'}
</tbody></table>
</body></html>
"""


def write_report(rows: list[UpliftRow], out_dir: Path, title: str) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "uplift.png"
    svg = chart_svg_and_png(rows, png)
    page = out_dir / "report.html"
    page.write_text(render_html(rows, title, svg), encoding="utf-8")
    data = out_dir / "uplift.json"
    data.write_text(json.dumps({"title": title, "rows": [r.to_dict() for r in rows]}, indent=2), encoding="utf-8")
    return [str(page), str(png), str(data)]
