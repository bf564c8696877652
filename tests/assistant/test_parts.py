"""A message with several questions answers each part, or names the part it cannot answer; a man
whose wife just died is told what he asked (the still-working RMD delay his plan allows and a
surviving spouse's choices for her IRA), after one sentence of condolence."""

from __future__ import annotations

import pytest

from assistant.decisions.parts import inherited_part, split_parts
from assistant.services.turn_service import TurnService

WIDOWER = (
    "my wife just died and i'm 74, still working part time. do i have to start taking money out of my 403b now? "
    "and what happens to her ira?"
)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (WIDOWER, ["do i have to start taking money out of my 403b now?", "what happens to her ira?"]),
        (
            "Can I take a loan? What about a hardship withdrawal?",
            ["Can I take a loan?", "What about a hardship withdrawal?"],
        ),
        (
            "How much can I borrow, and how long do I have to pay it back?",
            ["How much can I borrow?", "how long do I have to pay it back?"],
        ),
        (
            "I left my job. Can I roll over my 401k and do I pay taxes on it?",
            ["Can I roll over my 401k?", "do I pay taxes on it?"],
        ),
        # one question, or statements around one question: no parts
        ("What is the match?", []),
        ("I'm 62 and still working. When do my RMDs start?", []),
        ("Can I take a loan and pay it back early?", []),
        # "have" without a subject continues the clause (was a second question, "have no job?"); near-miss: with one
        ("can I still put money in a roth ira if I'm retired and have no job?", []),
        ("how much is the limit and has the plan got a roth?", ["how much is the limit?", "has the plan got a roth?"]),
        # a condition alone belongs to the question before it (got the 529-to-Roth rule as a second question);
        # near-misses: a condition followed by its own question is one
        ("Roth IRA - Vanguard or Fidelity? If a college student had to pick one?", []),
        (
            "how much can I borrow? if i leave do i have to pay it back?",
            ["how much can I borrow?", "if i leave do i have to pay it back?"],
        ),
        (
            "What is the loan fee? If I leave my job, what happens to my loan?",
            ["What is the loan fee?", "If I leave my job, what happens to my loan?"],
        ),
    ],
)
def test_split_parts(text: str, parts: list[str]) -> None:
    assert split_parts(text) == parts


@pytest.mark.parametrize(
    ("part", "message", "anchor"),
    [
        ("what happens to her ira?", WIDOWER, "general/inherited-accounts#4"),
        (
            "Can I roll his 401k into my IRA?",
            "My husband died in March. Can I roll his 401k into my IRA?",
            "general/inherited-accounts#5",
        ),
        ("what happens to her ira?", "my mom passed away. what happens to her ira?", "general/inherited-accounts#6"),
        # nobody died, or a hypothetical: not an inherited account
        ("what happens to her ira?", "my wife is retiring. what happens to her ira?", None),
        ("what happens to her ira?", "if my wife died, what happens to her ira?", None),
    ],
)
def test_inherited_part(part: str, message: str, anchor: str | None) -> None:
    found = inherited_part(part, message)
    assert (found.anchor if found else None) == anchor


def test_the_widower_gets_both_answers_after_the_condolence(service: TurnService) -> None:
    out = service.run(WIDOWER, participant="C-2006")  # Walter, 73 in 2026, still working at Cedar Valley
    assert out.action == "answer"
    assert out.answer.startswith("I'm very sorry for your loss.\n\n")
    # part 1: the still-working delay Cedar's plan allows, from his own figures and section 9.3
    rmd = out.answer.index("On required minimum distributions:")
    assert "the plan lets you wait until April 1 after the year you retire" in out.answer
    assert "cedar-403b/spd#9.3" in [c.id for c in out.citations]
    # part 2: a surviving spouse's choices for an inherited IRA, as a list
    ira = out.answer.index("On your late spouse's IRA:")
    assert rmd < ira
    for choice in ("\n- Treat as own:", "\n- Remain a beneficiary:", "\n- Cash out:"):
        assert choice in out.answer
    assert "general/inherited-accounts#4" in [c.id for c in out.citations]
    # never the late wife as his default beneficiary
    assert "automatically your beneficiary" not in out.answer and "default beneficiary" not in out.answer.lower()
    assert "spouse_is_default_beneficiary" not in {f.name for f in out.figures}
    assert {"rmd_age", "rmd_delayed_while_working"} <= {f.name for f in out.figures}


def test_a_part_the_documents_cannot_answer_is_named(service: TurnService) -> None:
    out = service.run("Can I take a loan? And does the plan offer bitcoin?", participant="A-1002")
    assert out.action == "answer"
    assert "On plan loans:" in out.answer and "$20,150" in out.answer
    assert "I can't answer “does the plan offer bitcoin?” from your documents" in out.answer


def test_a_part_an_anonymous_visitor_asked_is_not_sent_to_their_plan(service: TurnService) -> None:
    # asked with no plan known, it said "from your documents; a person at your plan can help with it"
    out = service.run("what is a SEP IRA and who can open one?")
    assert "Simplified Employee Pension" in out.answer, out.answer
    assert "I can't answer “who can open one?” from the documents I have" in out.answer
    assert "your documents" not in out.answer and "a person at your plan" not in out.answer


def test_a_part_only_a_general_document_mentions_is_named(service: TurnService) -> None:
    # a general page describes brokerage accounts; only the plan's own documents can say whether
    # the plan offers one (the same check as a one-question turn)
    out = service.run("Can I take a loan? And does the plan offer a brokerage window?", participant="A-1002")
    assert out.action == "answer" and "On plan loans:" in out.answer
    assert "I can't answer “does the plan offer a brokerage window?” from your documents" in out.answer


def test_one_question_in_two_clauses_is_still_one_answer(service: TurnService) -> None:
    out = service.run("How much can I borrow, and how long do I have to pay it back?", participant="A-1002")
    assert out.action == "answer" and out.intent == "loan" and "On plan loans:" not in out.answer


@pytest.mark.parametrize(
    ("notes", "closing"),
    [
        (["education_note_general", "education_note_general"], "education_note_general"),
        (["education_note_general", "education_note"], "education_note"),
    ],
)
def test_the_education_note_closes_a_several_part_reply_once(notes: list[str], closing: str) -> None:
    from assistant.decisions.drafts import Blocks, Draft
    from assistant.decisions.parts import compose_parts

    blocks = Blocks()
    answered = [
        (f"part {n}", Draft("answer", f"Fact {n}.\n\n{blocks.get(note)}", [f"general/doc#{n}"]))
        for n, note in enumerate(notes)
    ]
    text = compose_parts(blocks, answered, []).text
    every_note = (blocks.get("education_note"), blocks.get("education_note_general"))
    assert sum(text.count(note) for note in every_note) == 1
    assert text.endswith(blocks.get(closing))
    assert "Fact 0." in text and "Fact 1." in text


def test_a_short_question_about_the_one_before_is_not_a_part_of_its_own() -> None:
    # "what's a QDRO and do I need one?" asked "do I need one?" alone and got the hardship self-certification section
    from assistant.decisions.parts import split_parts

    assert split_parts("what's a QDRO and do I need one") == []
    assert split_parts("what is a Roth IRA and should I open one?") == []
    # near-miss: a short question with its own object stays a part
    assert split_parts("can I take a loan and how do I pay it back?") == ["can I take a loan?", "how do I pay it back?"]
    assert len(split_parts("what's a QDRO and do I need a lawyer?")) == 2
