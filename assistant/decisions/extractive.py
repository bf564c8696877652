"""The extractive answer: the sentences of the retrieved passages that answer the question, each cited
to its section or page, or "I don't know" when none does (the relevance gate, `relevance.py`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from assistant.decisions.definitions import LEAVE_OF_ABSENCE, PAYMENT_TIMING, general_section
from assistant.decisions.drafts import Blocks, ComposeContext, Draft, unique
from assistant.decisions.life_events import spouse_died
from assistant.decisions.relevance import Candidate, RelevanceGate, sentence_lists
from assistant.decisions.sentences import is_item, render, with_antecedents, with_explanations, with_lists

MAX_WORDS = 120
"""about this many words of quoted sentences (a list the answer is part of is kept whole)"""
MAX_SENTENCES = 4
PER_PASSAGE = 2
ASIDE_MIN = 0.2
"""a further sentence of another passage that is not anchored (an aside) must reach this, not only `keep` ("how can I
track down a 403b from my first job?" ended with the 403(b) document's "employees who have worked there for at least
15 years" at 0.1). On the dev half of the labelled answer sets it drops asides from 22 replies and no expected fact
from any (0.3: 25 replies, none either); the answered-and-relevant and irrelevant figures are unchanged."""
SHORT_RULE = 90
"""an anchored plan section (the plan's own rule for the routed topic) this short is quoted whole once
one of its sentences answers: its few sentences qualify each other"""
"""at most this many sentences of one passage, so the plan's rule and the general rule both speak"""
EMPLOYER_PLAN = re.compile(
    r"\b(401\s?\(?k\)?|403\s?\(?b\)?|457|(my|our|the|this|your) (plan|employer)|employer|company|job)\b", re.I
)
"""a question about a workplace plan (its own rules decide it), not about IRAs or the law in general"""
ANCHOR_ROUTE_MIN = 0.6
"""a topic reached by a nearest example less similar than this is only a guess: its anchored sections
get no lower threshold than any other passage (set on the dev half of the labelled answer sets)"""
OUTRANK_MIN = 0.3
OUTRANK_MARGIN = 0.1
"""a sentence outside the routed topic's sections is shown first when it reaches OUTRANK_MIN and beats the
best of them by OUTRANK_MARGIN (set on the dev half of the labelled answer sets: bundled answered-and-
relevant 65.3 -> 66.1%, irrelevant 10.2 -> 9.3%; FiQA and IRS unchanged)"""
DOMINANT_MIN = 0.2
DOMINANT_MARGIN = 0.25
"""when no sentence reaches the gate's threshold, the best one is still the answer if it reaches
DOMINANT_MIN and stands DOMINANT_MARGIN above every other candidate (a different sentence): one
sentence that plainly says it ("You don't report Roth IRA contributions on your return.", 0.36, the
next 0.09). Set on the dev half of the labelled answer sets from the gate's logged candidates: of the
replies that said "I don't know", 7 become answers that state an expected fact and none one that does
not (margin 0.2: 9 and 2; 0.1: 14 and 25)."""
ASKED_MIN = 0.8
"""when no sentence passes the gate, a section one of whose own questions (front matter `asks`) is at least this near
the question answers with its best sentence. Set on the dev half from the nearest listed question of each labelled
question: at 0.8, 29 of 33 nearest sections hold an expected fact (0.75: 43 of 55; 0.7: 64 of 91)."""
DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|ten|a few)[- ](business |calendar |working )?(days?|weeks?|months?)\b"
    r"|\bwithin (a|one|\d+)\b|\bsame day\b",
    re.I,
)
"""a stated length of time ("5 business days", "within 60 days")"""
INDIVIDUAL_ACCOUNT = re.compile(r"\b(ira|iras|roth ira|sep|simple)\b", re.I)
WORKPLACE = re.compile(r"\b(401\s?\(?k\)?|403\s?\(?b\)?|457\s?\(?b\)?|plans?|employers?|workplace)\b", re.I)
"""a sentence about workplace plans too, not an IRA alone"""
DISCLAIMER = re.compile(r"^(this|these|the) \w+( \w+){0,6} (is|are) (general education|illustrative)\b", re.I)
"""an education section's closing sentence ("This explanation of duration is general education, not
advice."): never an answer sentence; every such reply ends with the education note anyway"""


def topic_anchor(ctx: ComposeContext, passage: dict[str, Any]) -> bool:
    """Was this passage anchored for the routed topic (the plan's section for it, or its general
    document)? A document set without provisions anchors its own best passages whatever the topic."""
    return ctx.plan is not None or passage.get("metadata", {}).get("plan_id") in (None, "general")


def silent(blocks: Blocks, ctx: ComposeContext, plan_specific: bool) -> Draft:
    """No retrieved sentence answers: say so, with the contact; without a plan, ask which plan when
    the answer is the plan's own rule."""
    about_plan = EMPLOYER_PLAN.search(ctx.text) and not INDIVIDUAL_ACCOUNT.search(ctx.text)
    if ctx.plan is None and plan_specific and about_plan:
        return Draft("clarify", blocks.get("ask_plan"), reason="missing_data")
    if ctx.plan is None:
        return Draft("escalate", blocks.get("no_source_general"), reason="no_source")
    return Draft("escalate", f"{blocks.get('no_source')} {blocks.contact(ctx.plan)}", reason="no_source")


def _plain(text: str) -> str:
    """a sentence compared as words: the same sentence printed in two publications (curly or straight
    apostrophes) is not a rival"""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


def dominant(ranked: list[Candidate]) -> Candidate | None:
    """The best sentence when it stands well above every other one (`DOMINANT_MARGIN`)."""
    if not ranked or ranked[0].probability < DOMINANT_MIN:
        return None
    top = ranked[0]
    runner_up = next((c.probability for c in ranked[1:] if _plain(c.text) != _plain(top.text)), 0.0)
    return top if top.probability - runner_up >= DOMINANT_MARGIN else None


_SPONSOR_SUFFIXES = {
    "inc",
    "llc",
    "corp",
    "corporation",
    "company",
    "co",
    "system",
    "systems",
    "health",
    "group",
    "the",
}


def employer_words(ctx: ComposeContext) -> frozenset[str]:
    if ctx.plan is None:
        return frozenset()
    return frozenset(w for w in re.findall(r"[A-Za-z]+", ctx.plan.sponsor) if w.lower() not in _SPONSOR_SUFFIXES)


WORKPLACE_NOUN = re.compile(
    r"\b(the|my|our) (hospital|company|firm|school|university|college|store|plant|factory|clinic|business)\b", re.I
)


def employer_neutral(query: str, words: frozenset[str]) -> str:
    """The question with the employer's name (`employer_words`) read as "the employer": every sentence of the
    plan's own documents names the employer, so the name only matches the plan's sentences at random ("is my
    money protected if Cedar Valley goes bankrupt?" passed "When you leave Cedar Valley you can leave your vested
    balance in the plan" at 0.46, over "If the employer goes bankrupt ..." at 0.22)."""
    # ... and so is the workplace named by what it is ("is my 403b protected if the hospital goes under?" led with the
    # 403(b) document's "employees of ... hospitals" at 0.41 over "If the employer goes bankrupt ..." at 0.20)
    query = WORKPLACE_NOUN.sub("the employer", query)
    if not words:
        return query
    alt = "|".join(re.escape(w) for w in sorted(words))
    return re.sub(rf"\b(?:{alt})(?:\s+(?:{alt}))*\b", "the employer", query, flags=re.I)


NAMED_EXAMPLE = re.compile(
    r"^(?!(It|This|That|These|Those|There|Each|Every|Your|You|The|A|An|If|When|Any|No|One|Money|Tax|Nobody|Everyone)\b)"
    r"[A-Z][a-z]*[a-rt-z] (makes|made|figures|figured|decides|decided|completes|completed|receives|received|contributes|"
    r"contributed|withdraws|withdrew|turns|turned|owns|owned|rolls|rolled|converts|converted|reaches|reached|"
    r"inherits|inherited|elects|elected|files|filed|is age|was age|was born|is \d+|was \d+)\b"
)
"""a worked example's named person ("Jim makes no qualified charitable distributions for 2024 ..."); a first word
ending in s is a plural noun ("Contributions made to the 529 account ..."), not a name"""


_EITHER_SEX = re.compile(r"\b(he or she|she or he|his or her|her or his|him or her|her or him)\b", re.I)
_PRONOUN = re.compile(r"\b(he|his|him|she|her|hers)\b", re.I)


@lru_cache(maxsize=2)
def _last_year_rx(last_year: str) -> re.Pattern[str]:
    return re.compile(rf"\b(for|in) {last_year}\b.{{0,80}}\b(was|were)\b|\b{last_year}\b.{{0,40}}\b(was|were)\b")


def _last_years_figure(sentence: str, last_year: str) -> bool:
    """A sentence that states last year's figure as last year's ("The IRA limit for 2025 was $7,000"), not a rule."""
    return "$" in sentence and bool(_last_year_rx(last_year).search(sentence))


FORM_LINE = re.compile(r"^(enter|subtract|add lines?|complete lines?) |\bkeep for your records\b|^line \d+\b", re.I)
"""a form's or worksheet's own line in a PDF ("Enter the total amounts of qualified charitable distributions made during
the current year ...", "... Adjustment Worksheet Keep for Your Records 1."): an instruction for filling it in, never an
answer ("what is a qualified charitable distribution?" showed both after the RMD document's QCD rule)"""


_BARE_NUMBER = re.compile(r"(?<![$\d,.])\b\d{1,3}(-\d{1,3})?(?=\s+[A-Z]|\s*$|,(?!\d))")
"""a page number in an index: before the next entry's capital, a comma or the end ("16 From", not "2 years")"""


def index_line(sentence: str) -> bool:
    """A run of a publication's index or contents page ("22 Figuring nontaxable and taxable amounts 16 From individual
    retirement accounts 7 ..."): topics with bare page numbers, never an answer ("is there an early withdrawal exception
    for domestic abuse victims?" showed Pub. 590-B's index page). Six or more bare numbers, one for every eight words,
    among words (a table's row of ages and factors, with no words, is no index)."""
    numbers = len(_BARE_NUMBER.findall(sentence))
    words = len(re.findall(r"\b[A-Za-z]{3,}\b", sentence))
    return numbers >= 6 and numbers * 8 >= len(sentence.split()) and 2 * words >= numbers


def _narrates(sentence: str) -> bool:
    """A sentence of a worked example about one made-up person ("Justin figured his required minimum distribution
    of $1,313 for 2026"): it illustrates a rule and answers no one's question (none of the 343 sentences stating
    an expected fact among the dev half's candidates narrates a person; 32 that state none do). "His or her" is a
    rule's own wording."""
    return bool(NAMED_EXAMPLE.match(sentence) or _PRONOUN.search(_EITHER_SEX.sub("", sentence)))


def choose(ranked: list[Candidate], keep: float, anchored: frozenset[int] = frozenset()) -> list[Candidate]:
    """The first sentence, then the next best ones that reach `keep` (`ASIDE_MIN` for a sentence of another passage
    that is not anchored), within the word budget."""
    chosen = ranked[:1]
    words = len(ranked[0].text.split())
    for c in ranked[1:]:
        if len(chosen) >= MAX_SENTENCES or c.probability < keep:
            break
        if c.passage != ranked[0].passage and c.passage not in anchored and c.probability < ASIDE_MIN:
            continue
        if words + len(c.text.split()) > MAX_WORDS or sum(x.passage == c.passage for x in chosen) >= PER_PASSAGE:
            continue
        chosen.append(c)
        words += len(c.text.split())
    return chosen


SPOUSE_DEFAULT = re.compile(
    r"\byour spouse\b.{0,60}\b(automatically|legal right|by default|must (agree|consent)|consents?)\b"
    r"|\bspouse is (automatically |the )?(default )?beneficiary\b",
    re.I,
)
"""a sentence that a living spouse is the beneficiary by right: never shown to someone who has just said their spouse
died ("my wife passed last year, who gets my 401k now" got "your spouse is automatically your beneficiary")"""


def extractive(gate: RelevanceGate, blocks: Blocks, ctx: ComposeContext, plan_specific: bool = False) -> Draft:
    """The answer from the sentences that state it: grouped by passage (the best passage first), in
    the passage's own order, lists kept whole; each passage named with its section or page."""
    if ctx.guessed(ANCHOR_ROUTE_MIN):
        # the routed topic is only a guess: its sections are candidates like any other, not its rules
        ctx = replace(
            ctx, passages=[{**p, "anchor": p.get("anchor") and not topic_anchor(ctx, p)} for p in ctx.passages]
        )
    employer = employer_words(ctx)
    ranked, split = gate.score(employer_neutral(ctx.query, employer), ctx.passages, employer)
    ranked = [
        c
        for c in ranked
        if not DISCLAIMER.match(c.text)
        and not _narrates(c.text)
        and not FORM_LINE.search(c.text)
        and not index_line(c.text)
    ]
    widowed = spouse_died(ctx.text)
    if widowed:
        ranked = [c for c in ranked if not SPOUSE_DEFAULT.search(c.text)]
    last_year = str(dt.date.today().year - 1)
    if last_year not in ctx.query:
        # last year's figure beside this year's ("For 2025 the Roth IRA ranges were ...") answers no question that
        # does not ask about last year: it led the reply to "can I contribute to a roth ira if I make 200k?"
        ranked = [c for c in ranked if not _last_years_figure(c.text, last_year)]
    picked = "#".join(general_section(ctx.text) or ("", ""))  # the general section the question's own words picked
    if ctx.plan is not None and not INDIVIDUAL_ACCOUNT.search(ctx.query):
        # a participant asking of their plan, not of an IRA: a rule only an IRA has does not answer it ("when is
        # the deadline to change my contribution for next year?" got the IRA contribution deadline at 0.48) - unless
        # the question's own words picked that general section ("can I give my RMD to my church?": a QCD is made
        # from an IRA only, which is the answer)
        ranked = [
            c
            for c in ranked
            if ctx.passages[c.passage].get("citation_id") == picked
            or not (INDIVIDUAL_ACCOUNT.search(c.text) and not WORKPLACE.search(c.text))
        ]
    if PAYMENT_TIMING.search(ctx.query):  # how long a payment takes: only a sentence that says how long
        ranked = [c for c in ranked if DURATION.search(c.text)]
    if LEAVE_OF_ABSENCE.search(ctx.query):  # a leave of absence: only a sentence that speaks of one
        ranked = [c for c in ranked if LEAVE_OF_ABSENCE.search(c.text)]
    first = next((c for c in ranked if gate.weights.passes(c, ctx.passages)), None) or dominant(ranked)
    # the section the question's own words picked answers when no sentence passes the gate ("can I still contribute
    # to my 403b at 73?" said it couldn't find this); it does not displace a better sentence that passes (on the dev
    # half, leading with it pushed the Pub. 590 sentences that answer two IRS questions out of the word budget)
    first = first or next((c for c in ranked if ctx.passages[c.passage].get("citation_id") == picked), None)
    # ... and so does a section that lists the question itself among those it answers, in other words (front matter
    # `asks`): its best sentences
    if first is None and (asked := next((c for c in ranked if c.asked >= ASKED_MIN), None)):
        # (only that section speaks: the other passages' sentences did not pass either)
        first, ranked = asked, [c for c in ranked if c.passage == asked.passage]
    if first is None:
        return silent(blocks, ctx, plan_specific)
    if ctx.passages[first.passage].get("anchor") and ranked[0] is not first and not ctx.after_playbook:
        # a sentence of another section the routed topic's own rules fall well short of ("if i change my
        # contribution today when does it show up on my paycheck": 0.34 for "the change takes effect with
        # the first payroll ... 5 business days after", 0.17 for the automatic-escalation section it was
        # routed to): that sentence first
        # - unless a playbook has answered and this adds its rules ("how much will my first required withdrawal
        #   be?" got the RMD dates, then the $1,000 emergency withdrawal at 0.38 over the RMD rule at 0.21)
        top = ranked[0]
        if top.probability >= OUTRANK_MIN and top.probability >= first.probability + OUTRANK_MARGIN:
            first = top
    # after the first, the routed topic's own (anchored) rules before other near passages
    rest = sorted((c for c in ranked if c is not first), key=lambda c: not ctx.passages[c.passage].get("anchor"))
    anchored = frozenset(i for i, p in enumerate(ctx.passages) if p.get("anchor"))
    chosen = choose([first, *rest], gate.weights.keep, anchored)
    by_passage: dict[int, list[int]] = {}
    for c in chosen:
        by_passage.setdefault(c.passage, []).append(c.index)
    lines: list[str] = []
    cites: list[str] = []
    general_only = True
    for i, indexes in by_passage.items():
        p, sentences = ctx.passages[i], split[i]
        keep = sorted(set(indexes))
        size = len(p["text"].split())
        if p.get("anchor") and (size <= SHORT_RULE or (p.get("citation_id") == picked and size <= MAX_WORDS)):
            # a short rule, or the section the question's own words picked, whole ("can I give my RMD to my church?"
            # needs the QCD section's "QCDs cannot be made from a 401(k) or 403(b)", which the gate gave 0.07)
            keep = list(range(len(sentences)))
        elif any(is_item(sentences[n]) or sentences[n].rstrip().endswith(":") for n in keep):
            keep = with_lists(sentences, keep)
        keep = with_explanations(sentences, with_antecedents(sentences, keep))
        if widowed:
            keep = [n for n in keep if not SPOUSE_DEFAULT.search(sentences[n])]
            if not keep:
                continue
        lines.append(_cited(p, sentences, keep))
        md = p["metadata"]
        cites.append(p["citation_id"])
        general_only = general_only and md.get("plan_id") in (None, "general")
    if not lines:
        return silent(blocks, ctx, plan_specific)
    lines.append(
        blocks.get("education_note" if ctx.plan is not None and not general_only else "education_note_general")
    )
    return Draft("answer", "\n\n".join(lines), unique(cites))


def quoted(ctx: ComposeContext, citation_id: str) -> str | None:
    """One short anchored section, whole, named with its title and section: None when it is not among the
    passages or is too long to quote whole."""
    found = [p for p in ctx.passages if p.get("anchor") and p["citation_id"] == citation_id]
    if not found or len(found[0]["text"].split()) > SHORT_RULE:
        return None
    sentences = sentence_lists(found[:1])[0]
    return _cited(found[0], sentences, list(range(len(sentences))))


def _cited(passage: dict[str, Any], sentences: list[str], keep: list[int]) -> str:
    """The kept sentences of a passage, named with its title and its section or page."""
    md = passage["metadata"]
    where = f"section {md['section']}" if not md.get("page") else f"page {md['page']}"
    return f"{md['title']}, {where}: {render(sentences, keep)}"


def whole_section(blocks: Blocks, ctx: ComposeContext, citation_id: str) -> Draft | None:
    """One short section the question's own words picked (the plan's rate-change rule for "how do I stop my
    contributions"), quoted whole with its citation: its rule is the answer however few words it shares with
    the question (the gate gave "You can change your rate on the Benefits portal at any time." 0.02)."""
    text = quoted(ctx, citation_id)
    if text is None:
        return None
    return Draft("answer", "\n\n".join([text, blocks.get("education_note")]), [citation_id])


def sentences_about(blocks: Blocks, ctx: ComposeContext, about: re.Pattern[str]) -> Draft | None:
    """The sentences of the anchored sections that speak of `about`, each section's cited in anchor order: what going
    part time changes is every sentence on hours ("Part-time employees can contribute too, and if your hours are cut
    you can keep contributing." scored 0.08 at the gate, under the section's first sentence). None when no anchored
    sentence does."""
    parts, cites = [], []
    for passage in (p for p in ctx.passages if p.get("anchor")):
        sentences = sentence_lists([passage])[0]
        keep = [i for i, s in enumerate(sentences) if about.search(s)]
        if keep and passage["citation_id"] not in cites:
            parts.append(_cited(passage, sentences, keep))
            cites.append(passage["citation_id"])
    if not parts:
        return None
    return Draft("answer", "\n\n".join([*parts, blocks.get("education_note")]), cites)
