"""The relevance gate and the extractive answer built from the sentences that answer.

Real MiniLM, the shipped weights (assistant/decisions/relevance.json); passages written here so each
case shows what the gate must and must not do."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.decisions.drafts import Blocks, ComposeContext
from assistant.decisions.extractive import MAX_WORDS, _narrates, extractive, index_line
from assistant.decisions.relevance import FEATURES, RelevanceGate, Weights, key_terms, with_acronyms
from assistant.tooling.gate_training import fit, outcome


def passage(text: str, doc: str = "acme-401k/spd", section: str = "7", title: str = "Acme 401(k) SPD", **extra):  # type: ignore[no-untyped-def]
    plan = doc.split("/")[0] if not doc.startswith("general/") else "general"
    return {
        "chunk_id": f"{doc}#{section}#0",
        "citation_id": f"{doc}#{section}",
        "text": text,
        "score": extra.pop("score", 0.5),
        "metadata": {
            "doc_id": doc,
            "section": section,
            "title": title,
            "section_title": extra.pop("heading", ""),
            "plan_id": plan,
        },
        **extra,
    }


LOANS = passage(
    "Loans are available to active employees. The maximum loan is the lesser of $50,000 or 50% of your vested "
    "balance. The minimum loan is $1,000. Loans are repaid through payroll deduction over up to five years.",
    section="7",
    heading="Loans",
)
MEASLES = passage(
    "Participant statements are mailed each quarter. You may change your investment elections online at any "
    "time. The plan's fiscal year ends December 31.",
    section="12",
    heading="Statements",
)


def ctx(question: str, passages: list[dict], plan=None, intent: str = "general") -> ComposeContext:  # type: ignore[no-untyped-def]
    return ComposeContext(intent=intent, text=question, query=question, plan=plan, figures={}, passages=passages)


@pytest.fixture(scope="module")
def gate(models) -> RelevanceGate:  # type: ignore[no-untyped-def]
    return RelevanceGate(models.embedder)


def test_key_terms_are_stemmed_content_words() -> None:
    assert key_terms("What are the withdrawals I can take?") == key_terms("withdrawal take")
    assert "the" not in key_terms("what is the limit") and "limit" in key_terms("what is the limit")


@pytest.mark.parametrize(
    ("question", "weighed"),
    [
        ("What is a required minimum distribution?", "What is a required minimum distribution (RMD)?"),
        ("rmds at 73?", "rmds at 73?"),  # the documents' own word
        ("qualified charitable distribution max?", "qualified charitable distribution (QCD) max?"),
        ("what is a required minimum distribution (RMD)?", "what is a required minimum distribution (RMD)?"),
        ("what is a rmdx?", "what is a rmdx?"),  # a word that merely starts like one
        ("substantially equal periodic payments", "substantially equal periodic payments (SEPP)"),
    ],
)
def test_a_long_form_is_weighed_with_its_abbreviation(question: str, weighed: str) -> None:
    assert with_acronyms(question) == weighed


def test_the_long_form_finds_the_sentence_that_uses_the_abbreviation(
    gate: RelevanceGate, monkeypatch: pytest.MonkeyPatch
) -> None:
    rmd = passage(
        "Tax-deferred retirement accounts cannot be kept untaxed forever. Once you reach your RMD age you must "
        "withdraw at least a minimum amount each year from 401(k), 403(b), 457(b) and traditional IRA accounts.",
        doc="general/rmd",
        section="1",
        heading="What an RMD is",
    )
    installments = passage(
        "The yearly required minimum distribution can be taken in a series of installments (monthly, quarterly, "
        "etc.) as long as the total distributions for the year are at least as much as the minimum required amount.",
        doc="general/p590b_2025",
        section="p12",
        heading="Distributions",
    )
    question = "What is a required minimum distribution?"

    def defining(ranked: list) -> float:  # type: ignore[type-arg]
        return next(c.probability for c in ranked if "at least a minimum amount" in c.text)

    paired = defining(gate.score(question, [installments, rmd])[0])
    monkeypatch.setattr("assistant.decisions.relevance.with_acronyms", lambda q: q)
    unpaired = defining(gate.score(question, [installments, rmd])[0])
    # the defining sentence reaches the anchored threshold only when "RMD" is read as the long form's abbreviation
    assert paired >= gate.weights.anchor_threshold > unpaired, (paired, unpaired)


@pytest.mark.parametrize(
    ("sentence", "narrates"),
    [
        ("Justin figured his required minimum distribution of $1,313 for 2026.", True),
        ("Jim makes no qualified charitable distributions for 2024.", True),
        ("On December 23, 2025, Amy, age 75, directed the trustee of her IRA to pay $25,000.", True),
        ("If the participant dies, his or her spouse may roll the account over.", False),
        ("Contributions made to the 529 account in the last five years cannot be moved.", False),
        ("You must take your first RMD by April 1 of the year after you reach your RMD age.", False),
        ("Rollovers completed after the 60-day period are taxable.", False),
    ],
)
def test_a_worked_examples_sentence_is_never_an_answer(sentence: str, narrates: bool) -> None:
    assert _narrates(sentence) is narrates


def test_the_sentence_that_answers_is_ranked_first(gate: RelevanceGate) -> None:
    ranked, _ = gate.score("What is the maximum loan I can take?", [LOANS, MEASLES])
    assert "lesser of $50,000" in ranked[0].text
    assert ranked[0].probability > max(c.probability for c in ranked if c.passage == 1)


def test_an_answer_quotes_the_answering_sentence_with_its_section(deps, gate: RelevanceGate) -> None:  # type: ignore[no-untyped-def]
    plan = deps.plans.get("acme-401k")
    drafted = extractive(gate, Blocks(), ctx("What is the maximum loan I can take?", [LOANS, MEASLES], plan))
    assert drafted.action == "answer"
    assert "section 7: " in drafted.text and "lesser of $50,000 or 50% of your vested balance" in drafted.text
    assert "fiscal year" not in drafted.text  # the unrelated passage is not shown
    assert drafted.citations == ["acme-401k/spd#7"]
    assert drafted.text.endswith(Blocks().get("education_note"))


def test_no_sentence_answers_gives_i_dont_know_with_the_contact(deps, gate: RelevanceGate) -> None:  # type: ignore[no-untyped-def]
    plan = deps.plans.get("acme-401k")
    drafted = extractive(gate, Blocks(), ctx("Can my 401(k) buy shares of a racehorse syndicate?", [MEASLES], plan))
    assert (drafted.action, drafted.reason) == ("escalate", "no_source")
    assert "couldn't find this in your plan documents" in drafted.text and plan.contact.phone in drafted.text


def test_without_a_plan_a_workplace_plan_question_asks_which_plan(gate: RelevanceGate) -> None:
    drafted = extractive(
        gate, Blocks(), ctx("Does my 401(k) let me invest in a racehorse?", [MEASLES]), plan_specific=True
    )
    assert (drafted.action, drafted.reason) == ("clarify", "missing_data")
    assert "Which plan" in drafted.text


def test_without_a_plan_an_ira_question_never_says_your_plan(gate: RelevanceGate) -> None:
    # near miss of the case above: an IRA is not a workplace plan, so there is no plan to ask about
    drafted = extractive(gate, Blocks(), ctx("Can my IRA invest in a racehorse?", [MEASLES]), plan_specific=True)
    assert drafted.reason == "no_source"
    assert "your plan" not in drafted.text and "documents I have" in drafted.text


def test_an_anonymous_answer_from_general_documents_is_general_information(gate: RelevanceGate) -> None:
    roth = passage(
        "Roth IRA contributions can be withdrawn at any time, tax free and without the 10% additional tax, "
        "because contributions come out first. Earnings follow different rules.",
        doc="general/roth-ira",
        section="4",
        title="Roth IRAs",
    )
    drafted = extractive(gate, Blocks(), ctx("Can I take my Roth IRA contributions back out without tax?", [roth]))
    assert drafted.action == "answer"
    assert "contributions come out first" in drafted.text
    assert "your plan" not in drafted.text


def test_a_list_the_answer_is_part_of_is_kept_whole(deps, gate: RelevanceGate) -> None:  # type: ignore[no-untyped-def]
    hardship = passage(
        "A hardship withdrawal is allowed only for these reasons:\n- medical expenses\n- buying your main home\n"
        "- college tuition\n- preventing eviction or foreclosure\n- funeral expenses\nYou must first take any loan.",
        section="8",
        heading="Hardship withdrawals",
    )
    drafted = extractive(gate, Blocks(), ctx("What are the hardship reasons?", [hardship], deps.plans.get("acme-401k")))
    assert drafted.action == "answer"
    for item in ("medical expenses", "buying your main home", "college tuition", "preventing eviction", "funeral"):
        assert f"- {item}" in drafted.text


def test_a_reply_quotes_about_max_words(deps, gate: RelevanceGate) -> None:  # type: ignore[no-untyped-def]
    long = passage(
        " ".join(f"Loan rule {n}: the maximum loan term is five years for loan type {n}." for n in range(40))
    )
    drafted = extractive(gate, Blocks(), ctx("What is the maximum loan term?", [long], deps.plans.get("acme-401k")))
    quoted = drafted.text.split("\n\n")[0]
    assert len(quoted.split()) <= MAX_WORDS + 10


def test_weights_fit_for_other_features_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "relevance.json"
    raw = json.loads(Path("assistant/decisions/relevance.json").read_text())
    raw["features"] = raw["features"][:-1]
    bad.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="rerun gate_training"):
        Weights.load(bad)
    assert Weights.load().threshold > 0  # the shipped weights load and gate something


def test_fit_learns_which_evidence_marks_an_answer() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES)))
    y = (x[:, 0] + 0.2 * rng.normal(size=400) > 0).astype(float)
    coef, _, _, _ = fit(x, y)
    assert coef[0] > 1.0 and abs(coef[1]) < coef[0] / 4


@pytest.mark.parametrize(
    ("probs", "labels", "expected"),
    [
        ([0.9, 0.2, 0.1], [1, 0, 0], "relevant"),
        ([0.9, 0.2, 0.1], [0, 0, 1], "relevant"),  # shown third, still counts
        ([0.9, 0.2, 0.1, 0.05, 0.01], [0, 0, 0, 0, 1], "irrelevant"),  # the fifth is never shown
        ([0.3, 0.2], [1, 0], "silent"),  # under the threshold: nothing shown
    ],
)
def test_outcome_of_one_question(probs: list[float], labels: list[int], expected: str) -> None:
    assert outcome(np.asarray(probs), np.asarray(labels, dtype=float), threshold=0.4, keep=0.0) == expected


@pytest.mark.parametrize(
    ("sentence", "disclaimer"),
    [
        ("This explanation of bonds and duration is general education, not advice.", True),
        ("This description of REITs is general education, not a recommendation.", True),
        ("These figures are illustrative arithmetic, not a forecast and not advice.", True),
        # near-misses: sentences that state something are answer sentences
        ("Duration, measured in years, estimates how sensitive a bond fund is to interest rates.", False),
        ("This plan is a safe-harbor plan, so the match is always 100% vested.", False),
        ("General education about fees is available from the plan's fee disclosure.", False),
    ],
)
def test_an_education_sections_closing_disclaimer_is_never_an_answer_sentence(sentence: str, disclaimer: bool) -> None:
    from assistant.decisions.extractive import DISCLAIMER

    assert bool(DISCLAIMER.match(sentence)) is disclaimer


@pytest.mark.parametrize(
    ("sentence", "index"),
    [
        (
            "22 Figuring nontaxable and taxable amounts 16 From individual retirement accounts 7 From individual "
            "retirement annuities 7 Fully or partly taxable 15 Insufficient 30 Qualified charitable 13",
            True,
        ),
        ("Distributions, 14, 20, 32 Early distributions, 24, 29 Excess contributions, 8, 12 Form 5329, 25, 30", True),
        # near misses: a vesting schedule, a table row of ages and factors, a list of ages
        (
            "Your vested share grows with your years of service: fewer than 2 years, 0%; 2 years, 20%; 3 years, "
            "40%; 4 years, 60%; 5 years, 80%; 6 or more years, 100%.",
            False,
        ),
        ("72 27.4 73 26.5 74 25.5 75 24.6 76 23.7 77 22.9 78 22.0", False),
        ("Ages 60, 61, 62 and 63: the catch-up is $11,250 in 2026 for 401(k), 403(b) and 457(b) plans.", False),
    ],
)
def test_a_publications_index_line_is_never_an_answer(sentence: str, index: bool) -> None:
    # "is there an early withdrawal exception for domestic abuse victims?" showed Pub. 590-B's index page
    assert index_line(sentence) is index


def test_a_sections_own_questions_are_evidence(gate: RelevanceGate) -> None:
    # the same sentences, once with the questions their section answers (front matter `asks`) and once without
    from assistant.decisions.relevance import evidence, sentence_lists

    question = "can my ex get half of my 401k in the divorce?"
    text = "A court order can assign part of a participant's account to a former spouse or a child. The plan checks it."
    bare = passage(text, doc="general/plan-terms", section="3", heading="Qualified domestic relations orders")
    asked = {
        **bare,
        "metadata": {
            **bare["metadata"],
            "asks": "what is a QDRO?\nI'm getting divorced, can my ex get part of my 401k?",
        },
    }
    near, title = FEATURES.index("asked_similarity"), FEATURES.index("title_similarity")
    _, plain = evidence(gate.embedder, question, [bare, MEASLES], sentence_lists([bare, MEASLES]))
    _, helped = evidence(gate.embedder, question, [asked, MEASLES], sentence_lists([asked, MEASLES]))
    assert np.allclose(plain[:, near], plain[:, title])  # with no questions listed, a section is weighed by its title
    # the nearest of its questions is nearer than its title, and far nearer than the statements section's title
    assert helped[0, near] > plain[0, near] + 0.2 and helped[0, near] > helped[-1, near] + 0.3
    gap = FEATURES.index("asked_similarity_gap")
    assert helped[0, gap] == 0.0 and helped[-1, gap] < -0.3


SIMPLE_TWO_YEARS = (
    "During the first two years after an employee first takes part in an employer's SIMPLE IRA plan, a withdrawal "
    "before age 59½ owes a 25% additional tax instead of 10%, unless another exception applies (IRC 72(t)(6)). The two "
    "years start on the date the employer first deposits money into the employee's SIMPLE IRA. During those two years, "
    "SIMPLE IRA money can be moved tax-free only to another SIMPLE IRA. After the two years, a SIMPLE IRA can be "
    "rolled to a traditional IRA or a workplace plan, or converted to a Roth IRA."
)


def test_a_section_that_lists_the_question_answers_when_no_sentence_passes(gate: RelevanceGate) -> None:
    # "can I roll my SIMPLE IRA into a regular IRA right away?" said it couldn't find this; the SIMPLE IRA document's
    # section 6 lists "... joined my job's SIMPLE IRA 18 months ago. Can I roll it into my traditional IRA now?"
    question = "can I roll my SIMPLE IRA into a regular IRA right away?"
    bare = passage(
        SIMPLE_TWO_YEARS, doc="general/simple-ira", section="6", title="SIMPLE IRA plans", heading="The two-year rule"
    )
    asks = "can i cash out my simple ira after a year?\nI joined my job's SIMPLE IRA 18 months ago. Can I roll it into my traditional IRA now?"
    asked = {**bare, "metadata": {**bare["metadata"], "asks": asks}}
    silent = extractive(gate, Blocks(), ctx(question, [bare, MEASLES]))
    assert silent.reason == "no_source"  # the gate passes no sentence of it on its own
    drafted = extractive(gate, Blocks(), ctx(question, [asked, MEASLES]))
    assert drafted.action == "answer" and drafted.citations == ["general/simple-ira#6"]
    assert "two years" in drafted.text and "fiscal year" not in drafted.text  # that section only
    # a section whose questions are about something else stays silent
    other = {**bare, "metadata": {**bare["metadata"], "asks": "what is the 25% penalty?\nwhen do the two years start?"}}
    assert extractive(gate, Blocks(), ctx(question, [other, MEASLES])).reason == "no_source"
