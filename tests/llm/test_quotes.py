"""The quote format (prompt v5): the model picks numbered source sentences and writes a one-line lead.
The picked sentences are shown word for word; the lead only when they support it. Each case is read
beside its near-miss: a faithful lead is shown, a lead that flips, invents or argues is dropped and
the quotes stand alone, and a quote of a sentence that was never given is no answer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.llm.reply import parse_reply
from assistant.services.turn_service import TurnService
from assistant.settings import LLMSettings
from tests.conftest import make_deps

QUESTION = "How many loans can I have at once?"
TWO_LOANS = "two loans"


def pick(words: str, lead: str, **extra: Any) -> Callable[[list[Any]], str]:
    """A scripted step: the reply quotes the given sentence that contains `words` (read off the prompt,
    as the model would) under `lead`."""

    def step(messages: list[Any]) -> str:
        prompt = "\n".join(str(m.content) for m in messages)
        numbers = [int(n) for n, s in re.findall(r"^\[(\d+)\] (.*)$", prompt, flags=re.M) if words in s]
        assert numbers, f"no given sentence holds {words!r}:\n{prompt}"
        return json.dumps({"action": "answer", "quotes": numbers[:1], "answer": lead, **extra})

    return step


@pytest.fixture
def quoting(models, tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(*steps: Any) -> tuple[Any, Any]:
        from assistant.llm.fakes import ScriptedChatModel

        fake = ScriptedChatModel(script=list(steps))
        deps = make_deps(tmp_path / "data", models, chat_model=fake, backend="llm", guard_timeout_s=60)
        assert deps.drafter.prompt.name == "draft_quotes"  # the shipped prompt (the setting's default)
        return TurnService(deps), fake

    return build


def test_the_quote_format_is_read() -> None:
    reply = parse_reply('{"action": "answer", "quotes": ["2", "[5]"], "answer": ""}')
    assert reply.quotes == [2, 5] and reply.answer == ""
    assert parse_reply('{"quotes": "3, 4", "answer": "x"}').quotes == [3, 4]
    with pytest.raises(ValueError, match="answers with no text"):
        parse_reply('{"action": "answer", "quotes": [], "answer": " "}')


def test_a_supported_lead_is_shown_above_the_quoted_sentence(quoting) -> None:  # type: ignore[no-untyped-def]
    svc, fake = quoting(pick(TWO_LOANS, "Yes, you can have up to two loans at the same time."))
    out = svc.run(QUESTION, plan="acme-401k")
    assert out.draft.source == "llm" and out.draft.trimmed is None, out.draft
    lead, quoted = out.answer.split(". ", 1)
    assert lead == "Yes, you can have up to two loans at the same time"
    assert TWO_LOANS in quoted and [c.id for c in out.citations] == ["acme-401k/spd#7.2"]
    prompt = "\n".join(str(m.content) for m in fake.calls[0])
    assert "[1] " in prompt and "acme-401k/spd" not in prompt  # sentences by number, no ids to copy wrong


@pytest.mark.parametrize(
    "lead,why",
    [
        ("No, you cannot have two loans outstanding at the same time.", "lead negates its sentence"),  # flipped
        ("No. You can have up to two loans outstanding at the same time.", "lead negates its sentence"),
        ("Loan fees are typically waived by the employer and paid to your bank account.", "unsupported lead"),
        ("Yes.", "bare verdict"),
        ("You can have two loans because the plan wants you to borrow more.", "unsupported reasoning"),
        ("You can have two loans, which makes borrowing simpler.", "unsupported reasoning"),
        # near its sentence in words of its own: faithful here, but the wrong leads of the full run were as near
        # ("A typical vesting timeline for a plan ends when the employer goes out of business", 0.89)
        ("Yes, you can have two loans at once.", "lead not in the words of its sentence"),
    ],
)
def test_an_unsupported_lead_is_dropped_and_the_quotes_stand(quoting, lead: str, why: str) -> None:  # type: ignore[no-untyped-def]
    svc, _ = quoting(pick(TWO_LOANS, lead))
    out = svc.run(QUESTION, plan="acme-401k")
    assert out.draft.source == "llm" and (out.draft.trimmed or "").startswith(why), out.draft
    assert TWO_LOANS in out.answer and lead not in out.answer
    assert not out.answer.startswith(("No", "Yes", "Loan fees"))


def test_a_lead_resting_on_a_sentence_the_model_did_not_pick_is_shown_with_it(quoting) -> None:  # type: ignore[no-untyped-def]
    """Read in `make bench-llm`: "The interest goes back into your own account." was in the given
    sentences but not among the picked ones, and was dropped."""
    svc, _ = quoting(pick("employed on December 31", "Yes, there is a year-end true-up of the match."))
    out = svc.run("Is there a year-end true-up of the match?", plan="acme-401k")
    assert out.draft.source == "llm" and out.draft.trimmed is None, out.draft
    assert out.answer.startswith("Yes, there is a year-end true-up of the match.")
    assert "employed on December 31" in out.answer and "Acme makes a true-up contribution" in out.answer


def test_a_quote_of_no_given_sentence_goes_to_the_composer(quoting) -> None:  # type: ignore[no-untyped-def]
    svc, _ = quoting(json.dumps({"action": "answer", "quotes": [99], "answer": "You can have two loans."}))
    out = svc.run(QUESTION, plan="acme-401k")
    assert out.draft.source == "composer" and (out.draft.fallback_reason or "").startswith("no given sentence quoted")
    assert TWO_LOANS in out.answer  # the composer's answer


@pytest.mark.parametrize("lead", ["You can have up to two loans outstanding at the same time.", "...", ""])
def test_a_lead_that_repeats_its_quote_or_says_nothing_is_not_shown(quoting, lead: str) -> None:  # type: ignore[no-untyped-def]
    svc, _ = quoting(pick(TWO_LOANS, lead))
    out = svc.run(QUESTION, plan="acme-401k")
    assert out.draft.source == "llm" and out.draft.trimmed is None, out.draft
    assert out.answer.count("two loans outstanding") == 1 and not out.answer.startswith("."), out.answer


def test_the_model_is_asked_only_where_the_gate_answers_and_no_personal_figure_is_stated(quoting) -> None:  # type: ignore[no-untyped-def]
    """Whether to answer is the relevance gate's decision, and the person's own figures are the
    playbooks': the model is not asked for either (an empty script fails loudly if it is)."""
    svc, fake = quoting()
    declined = svc.run("can I transfer my UK SIPP into a US IRA?", plan="acme-401k")
    assert declined.action != "answer" and declined.draft.source == "composer"
    personal = svc.run("How much does my employer match?", participant="A-1002")
    assert personal.action == "answer" and "$" in personal.answer and personal.draft.source == "composer"
    assert fake.calls == []


def test_the_prompt_is_a_setting_and_a_missing_template_is_named(models, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from assistant.errors import SettingsError

    monkeypatch.setenv("BEACON_LLM_PROMPT", "draft_answer")
    assert LLMSettings().prompt == "draft_answer"
    monkeypatch.setenv("BEACON_LLM_PROMPT", "no_such_prompt")
    with pytest.raises(SettingsError, match=r"no_such_prompt\.md cannot be read"):
        make_deps(tmp_path / "data", models, ingest=False, roster=False, backend="llm")
    monkeypatch.setenv("BEACON_LLM_PROMPT", "../secrets")
    with pytest.raises(ValueError, match="prompt"):
        LLMSettings()
