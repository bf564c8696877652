"""How the LLM backend reads a model's reply: its reply class, citations written in other ways
resolved only onto the passages that were retrieved, ids written into the text moved out of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.llm.reply import covered, inline_citations, parse_reply, resolve_citations
from assistant.services.turn_service import TurnService
from assistant.settings import LLMSettings
from tests.conftest import make_deps

KNOWN = ["acme-401k/spd#7.4", "acme-401k/spd#4.2", "general/rollovers#4", "p590b#p12"]


def scripted_llm(models, tmp_path: Path, *replies: dict) -> tuple[Any, Any]:  # type: ignore[no-untyped-def]
    """Deps on the LLM backend whose model answers with `replies` in turn (and fails loudly after), and
    the fake model itself."""
    from assistant.llm.fakes import ScriptedChatModel

    fake = ScriptedChatModel(script=[json.dumps(r) for r in replies])
    # the free-writing prompt (draft_answer): these scripts reply with an answer and citations, no quotes
    llm = LLMSettings(prompt="draft_answer")
    return make_deps(tmp_path / "data", models, chat_model=fake, backend="llm", guard_timeout_s=60, llm=llm), fake


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("acme-401k/spd#7.4", "acme-401k/spd#7.4"),
        ("[acme-401k/spd#7.4]", "acme-401k/spd#7.4"),
        ("source: general/rollovers#4", "general/rollovers#4"),
        ("spd#4.2", "acme-401k/spd#4.2"),
        ("Section 7.4", "acme-401k/spd#7.4"),
        # near-misses stay as written, so the guard blocks them
        ("section 12.7", "section 12.7"),
        ("acme-401k/spd#12.7", "acme-401k/spd#12.7"),
        ("rollovers", "rollovers"),
    ],
)
def test_a_citation_resolves_only_to_the_retrieved_passage_it_names(raw: str, expected: str) -> None:
    assert resolve_citations([raw], KNOWN) == [expected]


def test_a_section_number_two_passages_share_is_not_guessed() -> None:
    assert resolve_citations(["section 4"], ["a/spd#4", "b/spd#4"]) == ["section 4"]


def test_ids_in_the_text_move_to_the_citations() -> None:
    text, ids = inline_citations("Each loan costs $75 [acme-401k/spd#7.4]. Repay by payroll (spd#7.4).")
    assert text == "Each loan costs $75. Repay by payroll." and ids == ["acme-401k/spd#7.4", "spd#7.4"]


@pytest.mark.parametrize(
    "text,error",
    [
        ("no json here", "no JSON object"),
        ('{"action": "answer", "answer": ""}', "no text"),
        ('{"action": "dance"}', "Input should be 'answer'"),
    ],
)
def test_unusable_replies_raise(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_reply(text)


def test_a_reply_class_without_text_is_read() -> None:
    reply = parse_reply('Sure! {"action": "Escalate", "reason": "no_source", "citations": null}')
    assert (reply.action, reply.reason, reply.citations) == ("escalate", "no_source", [])


def test_a_reply_class_other_than_answer_is_recorded_and_the_composer_drafts(models, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deps, fake = scripted_llm(
        models,
        tmp_path,
        {"action": "escalate", "reason": "no_source", "answer": "I made this up: $999."},
        {"action": "refuse", "reason": "out_of_scope", "answer": "Nope."},
        {"answer": "Each new loan costs a $75 origination fee.", "citations": ["[acme-401k/spd#7.4]"]},
    )
    svc = TurnService(deps)
    declined = svc.run("What's the loan fee?", plan="acme-401k")
    assert declined.draft.source == "composer" and "$75" in declined.answer and "$999" not in declined.answer
    assert declined.draft.fallback_reason == "the model replied escalate/no_source"
    other = svc.run("What's the loan fee?", plan="acme-401k")
    assert other.draft.fallback_reason == "the model replied refuse/out_of_scope" and "Nope" not in other.answer
    answered = svc.run("What's the loan fee?", plan="acme-401k")
    assert answered.draft.source == "llm" and [c.id for c in answered.citations] == ["acme-401k/spd#7.4"]
    prompt = "\n".join(str(m.content) for m in fake.calls[0])
    assert '"no_source"' in prompt and "[acme-401k/spd#7.4]" in prompt


def test_a_sentence_the_sources_do_not_support_sends_the_turn_to_the_composer(models, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Read in `make bench-llm`: a draft that invents a claim in words (no figure, real citations)
    passes every guard rule; the drafter's sentence check catches it, a faithful one passes."""
    from assistant.llm.reply import sentence_support

    invented = "Loan fees are typically waived by the employer and paid directly to your bank account."
    faithful = "You can have up to two loans outstanding at the same time."
    deps, _ = scripted_llm(
        models,
        tmp_path,
        {"answer": invented, "citations": ["acme-401k/spd#7.2"]},
        {"answer": faithful, "citations": ["acme-401k/spd#7.2"]},
    )
    svc = TurnService(deps)
    caught = svc.run("How many loans can I have?", plan="acme-401k")
    assert caught.draft.source == "composer" and "waived" not in caught.answer
    assert (caught.draft.fallback_reason or "").startswith("unsupported sentence (")
    shown = svc.run("How many loans can I have?", plan="acme-401k")
    assert shown.draft.source == "llm" and shown.answer.startswith(faithful)
    scores = dict(
        sentence_support(f"{invented} {faithful}", ["You may have two loans outstanding at a time."], deps.embedder)
    )
    assert scores[faithful] >= deps.drafter.min_support > scores[invented]


TRUE_UP = (
    "Because the match is calculated each pay period, someone who reaches the annual limit early in the year could "
    "miss match for later pay periods. After the end of each year, Acme makes a true-up contribution so that your "
    "total match equals the full annual formula applied to your eligible pay for the whole year."
)
HARDSHIP = (
    "While you work at Acme you can withdraw money for an immediate and heavy financial need if you have no other "
    "reasonably available resources."
)
ROTH_ONLY = "An employee whose FICA wages were high can make catch-up contributions only as Roth contributions."


@pytest.mark.parametrize(
    "sentence,source,expected",
    [
        # read in make bench-llm (36-question sample): faithful, MiniLM 0.49, sent to the composer before
        ("Yes, there is a year-end true-up of the match.", TRUE_UP, True),
        ("No, there is no year-end true-up of the match.", TRUE_UP, False),  # negation flipped
        ("Yes, there is a monthly true-up of the match.", TRUE_UP, False),  # a word no source uses
        ("Acme makes a true-up contribution each pay period.", TRUE_UP, False),  # two sentences mixed
        ("Yes, there is a match.", TRUE_UP, False),  # too few words to tell
        ("While you work at Acme you can withdraw money for an immediate and heavy financial need.", HARDSHIP, False),
        ("An employee can make catch-up contributions only as Roth contributions.", ROTH_ONLY, True),
        ("An employee can make catch-up contributions as Roth contributions.", ROTH_ONLY, False),  # "only" dropped
    ],
)
def test_a_sentence_is_covered_only_by_one_source_sentence_with_all_its_words(
    sentence: str, source: str, expected: bool
) -> None:
    assert covered(sentence, [source]) is expected


def test_a_covered_paraphrase_is_shown_and_its_negation_goes_to_the_composer(models, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    faithful = "Yes, there is a year-end true-up of the match."
    deps, _ = scripted_llm(
        models,
        tmp_path,
        {"answer": faithful, "citations": ["acme-401k/spd#4.3"]},
        {"answer": "No, there is no year-end true-up of the match.", "citations": ["acme-401k/spd#4.3"]},
    )
    svc = TurnService(deps)
    shown = svc.run("Is there a year-end true-up of the match?", plan="acme-401k")
    assert shown.draft.source == "llm" and shown.answer.startswith(faithful)
    negated = svc.run("Is there a year-end true-up of the match?", plan="acme-401k")
    assert negated.draft.source == "composer" and "no year-end" not in negated.answer
    assert (negated.draft.fallback_reason or "").startswith("unsupported sentence (")


def test_a_reason_no_source_sentence_gives_goes_to_the_composer(models, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Read in `make bench-llm` (third sample): real calculator figures joined by an invented "because"
    passed the nearness check and were shown. A reason a source sentence states is still shown."""
    invented = (
        "You can have up to two loans outstanding at the same time. Your current loan limit is $43,800 because "
        "you have one loan and your maximum loan is $16,000."
    )
    stated = TRUE_UP.split(". ")[0] + "."
    deps, _ = scripted_llm(
        models,
        tmp_path,
        {"answer": invented, "citations": ["acme-401k/spd#7.2", "acme-401k/spd#7.1"]},
        {"answer": stated, "citations": ["acme-401k/spd#4.3"]},
    )
    # in the bench the invented sentence was 0.75 near a given sentence; here it is 0.74, so the nearness
    # bar is lowered for this test: only the reasoning rule can catch it
    deps.drafter.min_support = 0.5
    svc = TurnService(deps)
    caught = svc.run("how many loans can I have?", plan="acme-401k")
    assert caught.draft.source == "composer" and "because you have one loan" not in caught.answer
    assert (caught.draft.fallback_reason or "").startswith("unsupported reasoning: Your current loan limit")
    shown = svc.run("Is there a year-end true-up of the match?", plan="acme-401k")
    assert shown.draft.source == "llm" and shown.answer.startswith(stated)
