"""Contact facts printed in the plan's documents are answers, cited, not a hand-off to a person."""

from __future__ import annotations

import re

import pytest

from assistant.decisions.playbooks.contact import _about, asked
from assistant.services.turn_service import TurnService


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("What's the phone number?", ["phone"]),
        ("what is the mailing address for the plan?", ["address"]),
        ("what's the plan's email address", ["email"]),
        ("what are the service center hours?", ["hours"]),
        ("is there a fax for the benefits people", ["fax"]),
        ("what phone and fax numbers do you have", ["phone", "fax"]),
        ("how do I get in touch with them", ["phone", "fax", "address", "website", "email", "hours"]),
    ],
)
def test_what_is_asked(text: str, kinds: list[str]) -> None:
    assert asked(text) == kinds


def test_the_phone_number_is_the_sentence_that_prints_it(service: TurnService) -> None:
    out = service.run("What's the phone number?", participant="C-2006")
    assert out.action == "answer" and out.intent == "contact"
    assert "Call the retirement service line at 1-800-555-0187" in out.answer
    assert "cedar-403b/spd#12" in [c.id for c in out.citations]


def test_a_contact_fact_the_documents_do_not_print_is_named(service: TurnService) -> None:
    out = service.run("what is the mailing address for the plan?", participant="A-1002")
    assert out.action == "answer"
    assert out.answer.startswith("I couldn't find a mailing address in your plan documents.")
    assert "1-800-555-0142" in out.answer


def test_a_fax_is_asked_for_as_a_fax_not_a_phone_line(service: TurnService) -> None:
    # was the hand-off to a person; then, as a contact question, the IRS's free-tax-help line was quoted
    # beside Acme's phone and the guard blocked the turn ("988" read inside "800-906-9887")
    out = service.run("is there a fax for the benefits people", participant="A-1002")
    assert out.action == "answer" and out.intent == "contact"
    assert out.answer.startswith("I couldn't find a fax number in your plan documents.")
    assert "1-800-555-0142" in out.answer and "906" not in out.answer


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # "about my account" names no one: the IRS refund hotline (its page says "about" and "account")
        # was quoted beside the plan's phone when the IRS publications were indexed
        ("what number do I call about my account?", set()),
        ("what's the phone number of the Taxpayer Advocate Service?", {"taxpay", "advoca", "servic"}),
    ],
)
def test_a_general_document_is_quoted_only_for_whom_the_question_names(text: str, named: set[str]) -> None:
    assert _about(text) == named


def test_asking_for_a_person_still_hands_off(service: TurnService) -> None:
    out = service.run("I want to talk to a person", participant="A-1002")
    assert out.action == "escalate" and out.reason == "human_requested"


@pytest.mark.parametrize("text", ["What's the phone number?", "Can you provide me with your phone number?"])
def test_without_a_plan_no_general_document_gives_the_phone_number(service: TurnService, text: str) -> None:
    # the IRS publications print phone lines ("833-690-0598" for accessibility services): never "the" number
    out = service.run(text)
    assert out.action == "clarify" and out.reason == "missing_data" and "Which plan" in out.answer
    assert not re.search(r"\d{3}-\d{3}-\d{4}", out.answer)


@pytest.mark.parametrize("text", ["who do I call about my account?", "How can I reach someone at the plan?"])
def test_who_to_call_is_a_contact_question(service: TurnService, text: str) -> None:
    # "who do I call about my account?" got "I couldn't find this in your plan documents"
    out = service.run(text, participant="A-1002")
    assert out.action == "answer" and out.intent == "contact"
    assert "1-800-555-0142" in out.answer and "couldn't find" not in out.answer


def test_who_to_name_is_not_a_contact_question(service: TurnService) -> None:
    out = service.run("who should I name as my beneficiary?", participant="A-1002")
    assert out.intent != "contact"
