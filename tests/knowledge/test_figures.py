"""Every dollar figure and every "age NN" in the bundled Markdown knowledge is a listed IRS figure.

The figures are knowledge/irs/limits-2026.yaml (the file Beacon loads) and
knowledge/irs/figures-2026.yaml (the other figures the documents state). In every Markdown file
under knowledge/ (education documents and plan SPDs, front-matter comments included):

- a dollar amount must be a listed 2026 value; when its clause names 2025 (the year, not a notice
  number such as 2025-67) and not 2026, the listed 2025 value (previous_year) is accepted too. A
  clause is a sentence split at semicolons, with each parenthetical a clause of its own, so
  "$24,500 (it was $23,500 in 2025)" reads $24,500 as a 2026 figure; a clause naming both years
  ("from 2026, if 2025 wages were over $150,000") states 2026 figures;
- an age ("age 59½", "ages 60 to 63", "age 60, 61, 62 or 63") must be a listed age;
- a value that is one figure's 2026 amount and another figure's 2025 amount (the 2025 IRA limit
  $7,000 is also the 2026 cash-out threshold) passes only when its sentence names 2025 or uses a
  term of the figure it stands for (AMBIGUOUS_TERMS), so "$7,000 IRA limit for 2026" still fails;
- anything else must be a row of ALLOWED: a plan-specific or illustrative amount of one file,
  with the reason. Rows that no longer match anything fail, so the list stays short.

A stale figure ("$23,500 for 2026") therefore fails, as the near-miss rows below show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from assistant.records.provisions import load_limits

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
LIMITS_FILE = KNOWLEDGE / "irs/limits-2026.yaml"
FIGURES_FILE = KNOWLEDGE / "irs/figures-2026.yaml"
YEAR, PREVIOUS_YEAR = "2026", "2025"

AMBIGUOUS_TERMS: dict[float, tuple[str, ...]] = {
    # value: words, one of which a sentence stating the 2026 figure uses (case-insensitive)
    1000: ("emergency", "cash", "rolled over automatically", "credit", "match"),  # 2025 IRA catch-up
    7000: ("cash", "rolled over automatically", "vested balance", "SECURE 2.0 section 304"),  # 2025 IRA limit
    7500: ("IRA",),  # 2025 plan catch-up; the 2026 IRA limit
    8000: ("catch-up", "extra"),  # 2025 IRA limit at 50 or older; the 2026 plan catch-up
    150000: ("FICA", "wages"),  # 2025 Roth IRA phase-out start; the 2026 Roth catch-up wage threshold
}

ALLOWED: dict[tuple[str, float], str] = {
    # plan-specific amounts: fees and loan minimums set by each plan, not by law
    ("plans/acme-401k/spd.md", 1000): "Acme's smallest loan",
    ("plans/acme-401k/spd.md", 75): "Acme's loan origination fee",
    ("plans/acme-401k/spd.md", 18): "Acme's quarterly recordkeeping fee",
    ("plans/cedar-403b/spd.md", 100): "Cedar Valley's loan processing fee",
    ("plans/cedar-403b/spd.md", 10): "Cedar Valley's quarterly administrative fee",
    ("plans/cedar-403b/spd.md", 50): "Cedar Valley's fee per cash distribution",
    # illustrative amounts in worked examples, labelled hypothetical in the text
    ("general/investment-basics.md", 1000): "first-year cost of a 1% fee on the hypothetical balance",
    ("general/investment-basics.md", 100): "first-year cost of a 0.1% fee on the hypothetical balance",
    ("general/investment-basics.md", 265000): "hypothetical balance after 20 years at a 5% net return",
    ("general/investment-basics.md", 315000): "hypothetical balance after 20 years at a 5.9% net return",
    ("general/required-minimum-distributions.md", 4065): "RMD on the hypothetical balance (Pub. 590-B p. 8)",
    ("general/roth-conversions.md", 45000): "hypothetical pre-tax IRA balance in the pro-rata example",
    ("general/roth-conversions.md", 52500): "hypothetical total IRA balance in the pro-rata example",
    ("general/roth-conversions.md", 6429): "taxable part of the pro-rata example",
}

# --- reading the figures -----------------------------------------------------------------------


@dataclass
class Figures:
    current: set[float] = field(default_factory=set)
    previous: set[float] = field(default_factory=set)
    ages: set[float] = field(default_factory=set)
    stated: dict[str, float] = field(default_factory=dict)
    """figures-2026.yaml keys ("group.key") with a 2026 value, which some document must state"""
    years: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    """every dollar figure of both files: key -> (2026 value, 2025 value)"""

    @property
    def ambiguous(self) -> set[float]:
        """2026 values of one figure that are the 2025 value of a figure that has since changed."""
        return {
            now
            for now, _ in self.years.values()
            for other_now, before in self.years.values()
            if now is not None and before == now and other_now != now
        }


def _entries(data: dict[str, object]) -> dict[str, dict[str, object]]:
    """Every "group.key" of figures-2026.yaml with its figure mapping."""
    out: dict[str, dict[str, object]] = {}
    for group, items in data.items():
        if isinstance(items, dict):
            out.update({f"{group}.{k}": v for k, v in items.items() if isinstance(v, dict)})
    return out


def load_figures() -> Figures:
    limits = load_limits(KNOWLEDGE)[int(YEAR)]  # the app's own loader: the file must still load
    figs = Figures()
    for key, lim in limits.limits.items():
        figs.current.add(lim.value)
        figs.previous.add(lim.previous_year)
        figs.years[f"limits.{key}"] = (lim.value, lim.previous_year)
    a = limits.ages
    figs.ages |= {a.catch_up_min_age, a.additional_tax_free_age, a.separation_from_service_age}
    figs.ages |= set(a.super_catch_up_ages) | {r.age for r in a.rmd_age_by_birth_year}
    for key, entry in _entries(yaml.safe_load(FIGURES_FILE.read_text(encoding="utf-8"))).items():
        if key.startswith("ages."):
            figs.ages.add(float(entry["value"]))  # type: ignore[arg-type]
            figs.stated[key] = float(entry["value"])  # type: ignore[arg-type]
            continue
        if entry.get("value") is not None:
            figs.current.add(float(entry["value"]))  # type: ignore[arg-type]
            figs.stated[key] = float(entry["value"])  # type: ignore[arg-type]
        if entry.get("previous_year") is not None:
            figs.previous.add(float(entry["previous_year"]))  # type: ignore[arg-type]
        now, before = entry.get("value"), entry.get("previous_year")
        figs.years[key] = (None if now is None else float(now), None if before is None else float(before))  # type: ignore[arg-type]
    return figs


FIGURES = load_figures()

# --- reading the documents ---------------------------------------------------------------------

_HEADING = re.compile(r"^#{1,6}\s")
_ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s")
_ABBREVIATION = re.compile(r"\b(?:Pub|pp?|secs?|Reg|Treas|Rev|Proc|Rul|No|ch|v|U\.S|e\.g|i\.e)\.$")
_DOLLARS = re.compile(r"\$\s?(\d[\d,]*\d|\d)(?:\.(\d+))?(\s*(?:million|billion)\b)?")
_AGES = re.compile(r"\b(?:ages?|aged)[\s-]+(\d{2}½?)((?:\s*(?:,|-|–|to|through|or|and)\s*\d{2}½?(?![\d%]))*)", re.I)
_YEAR_NAMED = re.compile(rf"(?<![\d-]){PREVIOUS_YEAR}(?![\d-])")
_CURRENT_YEAR_NAMED = re.compile(rf"(?<![\d-]){YEAR}(?![\d-])")


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a Markdown file: front-matter comments (without '#'), headings and list items
    each on their own, and body text joined across wrapped lines."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append(" ".join(buf))
            buf.clear()

    lines = text.splitlines()
    in_front = bool(lines) and lines[0].strip() == "---"
    in_asks = False
    for n, raw in enumerate(lines):
        line = raw.strip()
        if in_front:
            # `asks`: questions in people's own words ("I make $170,000 ..."), which the relevance gate compares a
            # question with; never stated to anyone, so no figure of theirs is a fact to check
            in_asks = raw.startswith("asks:") or (in_asks and (raw[:1] in (" ", "") or line == ""))
            if n > 0 and line == "---":
                flush()
                in_front = False
            elif in_asks:
                continue
            elif line.startswith("#"):
                buf.append(line.lstrip("#").strip())
            elif line and n > 0:
                flush()
                out.append(line)
            continue
        if not line:
            flush()
        elif _HEADING.match(line):
            flush()
            out.append(line.lstrip("#").strip())
        elif _ITEM.match(line):
            flush()
            buf.append(line)
        else:
            buf.append(line)
    flush()
    return out


def sentences(paragraph: str) -> list[str]:
    pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z\"(\d$])", paragraph)
    out: list[str] = []
    for piece in pieces:
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def clauses(sentence: str) -> list[str]:
    """The sentence without its parentheticals, then each parenthetical (without the ones nested in
    it), each split at semicolons. A "(" that does not follow a space belongs to the word, as in
    "401(k)" or "IRC 457(d)(1)(A)"."""
    found: list[str] = []
    stack: list[list[str]] = [[]]
    word_parens = [0]
    for i, ch in enumerate(sentence):
        if ch == "(" and (i == 0 or sentence[i - 1].isspace() or sentence[i - 1] in "(\"'"):
            stack.append([])
            word_parens.append(0)
        elif ch == "(":
            word_parens[-1] += 1
            stack[-1].append(ch)
        elif ch == ")" and word_parens[-1]:
            word_parens[-1] -= 1
            stack[-1].append(ch)
        elif ch == ")" and len(stack) > 1:
            found.append("".join(stack.pop()))
            word_parens.pop()
            stack[-1].append(" ")
        else:
            stack[-1].append(ch)
    found += ["".join(part) for part in reversed(stack)]
    return [c for text in found for c in text.split(";") if c.strip()]


def _amount(m: re.Match[str]) -> float:
    value = float(f"{m.group(1).replace(',', '')}.{m.group(2) or '0'}")
    scale = {"million": 1e6, "billion": 1e9}.get((m.group(3) or "").strip().lower(), 1)
    return value * scale


def _age(token: str) -> float:
    return float(token.replace("½", "")) + (0.5 if "½" in token else 0)


def flagged(text: str, rel: str, figs: Figures = FIGURES, used: set[tuple[str, float]] | None = None) -> list[str]:
    """The dollar amounts and ages of `text` (a file at knowledge/`rel`) that are not listed."""
    out: list[str] = []
    for sentence in (s for para in paragraphs(text) for s in sentences(para)):
        for clause in clauses(sentence):
            names_previous = bool(_YEAR_NAMED.search(clause)) and not _CURRENT_YEAR_NAMED.search(clause)
            allowed = figs.current | (figs.previous if names_previous else set())
            for m in _DOLLARS.finditer(clause):
                value = _amount(m)
                terms = AMBIGUOUS_TERMS.get(value, ())
                in_context = names_previous or any(t.lower() in sentence.lower() for t in terms)
                if value in allowed and (value not in figs.ambiguous or in_context):
                    continue
                if (rel, value) in ALLOWED:
                    if used is not None:
                        used.add((rel, value))
                    continue
                out.append(m.group(0).strip())
            for m in _AGES.finditer(clause):
                tokens = [m.group(1), *re.findall(r"\d{2}½?", m.group(2))]
                out += [f"age {t}" for t in tokens if _age(t) not in figs.ages]
    return out


MARKDOWN = sorted(KNOWLEDGE.rglob("*.md"))


def _rel(path: Path) -> str:
    return path.relative_to(KNOWLEDGE).as_posix()


# --- the figures files -------------------------------------------------------------------------


def test_figures_file_entries_are_cited_and_derived_sums_add_up() -> None:
    data = yaml.safe_load(FIGURES_FILE.read_text(encoding="utf-8"))
    assert data["year"] == int(YEAR)
    entries = _entries(data)
    assert len(entries) >= 50, "the figures file lists the documents' figures"
    limits = yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8"))["limits"]

    def lookup(ref: str) -> dict[str, object]:
        group, key = ref.split(".", 1)
        return limits[key] if group == "limits" else entries[ref]

    for key, entry in entries.items():
        assert str(entry.get("citation", "")).strip(), f"{key} has no citation"
        assert entry.get("value") is not None or entry.get("previous_year") is not None, key
        if "sum_of" in entry:
            parts = [lookup(ref) for ref in entry["sum_of"]]  # type: ignore[union-attr]
            assert entry["value"] == sum(p["value"] for p in parts), key  # type: ignore[misc]
            assert entry["previous_year"] == sum(p["previous_year"] for p in parts), key  # type: ignore[misc]


def test_every_ambiguous_value_has_terms_and_no_other_value_does() -> None:
    assert set(AMBIGUOUS_TERMS) == FIGURES.ambiguous


def test_every_2026_figure_in_the_figures_file_is_stated_in_some_document() -> None:
    """The figures file lists what the documents state, nothing they do not."""
    texts = [p.read_text(encoding="utf-8") for p in MARKDOWN]
    stated_dollars: set[float] = set()
    stated_ages: set[float] = set()
    for text in texts:
        for para in paragraphs(text):
            stated_dollars |= {_amount(m) for m in _DOLLARS.finditer(para)}
            for m in _AGES.finditer(para):
                stated_ages |= {_age(t) for t in [m.group(1), *re.findall(r"\d{2}½?", m.group(2))]}
    missing = [
        k
        for k, v in FIGURES.stated.items()
        if (v not in stated_ages if k.startswith("ages.") else v not in stated_dollars)
    ]
    assert missing == []


# --- the documents -----------------------------------------------------------------------------


def test_the_knowledge_has_general_documents_and_plan_spds() -> None:
    rels = {_rel(p) for p in MARKDOWN}
    assert {"general/traditional-ira.md", "plans/acme-401k/spd.md", "plans/cedar-403b/spd.md"} <= rels
    assert len([r for r in rels if r.startswith("general/")]) >= 20


@pytest.mark.parametrize("path", MARKDOWN, ids=_rel)
def test_every_dollar_figure_and_age_is_a_listed_figure(path: Path) -> None:
    assert flagged(path.read_text(encoding="utf-8"), _rel(path)) == []


def test_every_allowlist_row_is_still_needed() -> None:
    used: set[tuple[str, float]] = set()
    for path in MARKDOWN:
        flagged(path.read_text(encoding="utf-8"), _rel(path), used=used)
    assert set(ALLOWED) - used == set()


# --- the checker, with near-misses -------------------------------------------------------------

GENERAL = "general/example.md"
ACME = "plans/acme-401k/spd.md"


@pytest.mark.parametrize(
    ("text", "rel", "expected"),
    [
        ("For 2026 the 401(k) limit is $24,500.", GENERAL, []),
        ("The 401(k) limit is $23,500 in 2026.", GENERAL, ["$23,500"]),  # stale figure
        ("The 401(k) limit was $23,500 in 2025.", GENERAL, []),  # named as the 2025 figure
        ("IRS Notice 2025-67 sets the limit at $23,500.", GENERAL, ["$23,500"]),  # a notice number is not a year
        ("The limit was $23,500 in 2025. It is $23,500 now.", GENERAL, ["$23,500"]),  # the year is per sentence
        ("The limit is $24,500 (it was $23,500 in 2025).", GENERAL, []),
        ("The limit is $23,500 (it was $23,500 in 2025).", GENERAL, ["$23,500"]),  # the year is per clause
        ("The 2026 limit is $24,500; the 2025 limit was $23,500.", GENERAL, []),
        ("The 2026 limit is $23,500; the 2025 limit was $23,500.", GENERAL, ["$23,500"]),
        ("The 2026 limit is $24,500, up from $23,500 for 2025.", GENERAL, ["$23,500"]),  # both years: 2026
        ("From 2026, if 2025 FICA wages were over $145,000, catch-ups are Roth.", GENERAL, ["$145,000"]),
        ("The 401(k) limit (IRC 402(g)(1)) is $24,500 in 2026.", GENERAL, []),  # "401(k)" is a word
        ("The 401(k) limit (IRC 402(g)(1) for 2025) is $23,500 in 2026.", GENERAL, ["$23,500"]),
        ("See Pub. 590-A for 2025. The limit is $7,000.", GENERAL, ["$7,000"]),  # "Pub." does not end it
        ("The 2026 IRA limit is $7,000.", GENERAL, ["$7,000"]),  # also the cash-out threshold, but not here
        ("A vested balance of $7,000 or less is paid in cash.", GENERAL, []),
        ("The 2026 IRA catch-up is $1,000.", GENERAL, ["$1,000"]),
        ("The emergency withdrawal is up to $1,000 in 2026.", GENERAL, []),
        ("The 2026 Roth IRA phase-out starts at $150,000.", GENERAL, ["$150,000"]),
        ("Catch-ups are Roth if 2025 FICA wages exceeded $150,000.", GENERAL, []),
        ("The 2026 IRA limit is $7,500, or $8,600 at age 50.", GENERAL, []),
        ("The 2026 SIMPLE limit is $16,500.", GENERAL, ["$16,500"]),
        ("The 2026 Roth IRA phase-out starts at $242,000.", GENERAL, []),
        ("The Roth IRA phase-out ends at $252,0000.", GENERAL, ["$252,0000"]),  # a typo
        ("The QCD limit is $108,000 for 2026.", GENERAL, ["$108,000"]),  # the 2025 figure stated as 2026's
        ("The QCD limit was $108,000 for 2025.", GENERAL, []),
        ("A $75 loan fee applies.", ACME, []),  # on the allowlist for this plan
        ("A $75 loan fee applies.", GENERAL, ["$75"]),  # ... and only there
        ("A $1.5 million balance.", GENERAL, ["$1.5 million"]),
        ("RMDs start at age 73 or 75.", GENERAL, []),
        ("RMDs start at age 72.", GENERAL, ["age 72"]),  # the RMD age before 2023
        ("Withdrawals before age 59½ owe 10% more.", GENERAL, []),
        ("Withdrawals before age 59 owe 10% more.", GENERAL, ["age 59"]),
        ("Withdrawals before age 59½ and 10% later.", GENERAL, []),  # "10%" is not an age
        ("The catch-up for ages 60 to 63 is higher.", GENERAL, []),
        ("The catch-up for ages 60 to 64 is higher.", GENERAL, ["age 64"]),
        ("Employees age 60, 61, 62 or 64 qualify.", GENERAL, ["age 64"]),
        ("QCDs are allowed from age 70½.", GENERAL, []),
        ("QCDs are allowed from age 70.", GENERAL, ["age 70"]),
        ("The age-55 rule applies to plans.", GENERAL, []),
        ("The age-57 rule applies to plans.", GENERAL, ["age 57"]),
        ("---\n# Deferral $24,500 for\n# 2026 (Notice 2025-67).\nplan_id: general\n---\nText.", GENERAL, []),
        ("---\n# The limit was $23,500 in\n# 2025, see Notice 2024-80.\n---\nText.", GENERAL, []),
        ("---\n# The limit is $23,500\n# (Notice 2025-67).\n---\nText.", GENERAL, ["$23,500"]),
        ("- First bullet for 2025.\n- Second bullet: $16,500.", GENERAL, ["$16,500"]),  # items are separate
    ],
)
def test_checker_flags_unlisted_figures(text: str, rel: str, expected: list[str]) -> None:
    assert flagged(text, rel) == expected
