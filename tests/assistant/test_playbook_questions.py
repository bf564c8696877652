"""Which question a playbook is really asked: whether one kind of money is matched (match.py), money
coming into the plan in other words, or money in another plan (leaving.py), an age the person gives
(limits.py). Each reading beside a near-miss that keeps its old route."""

from __future__ import annotations

import pytest

from assistant.decisions.definitions import PAYMENT_TIMING
from assistant.decisions.playbooks.leaving import OTHER_PLAN, ROLL_IN
from assistant.decisions.playbooks.limits import stated_age
from assistant.decisions.playbooks.loan import LOAN_ON_LEAVING
from assistant.decisions.playbooks.match import KIND_MATCHED
from assistant.services.turn_service import TurnService


@pytest.mark.parametrize(
    ("text", "kind_asked"),
    [
        ("do my catch up dollars get a company match too?", True),
        ("Does my Roth money get matched?", True),
        ("Is overtime counted for the match?", True),
        ("how much does my employer match?", False),  # the person's figures answer this
        ("Does the match on my Roth money come to how much a year?", False),
        ("What would the company put in if I raised my catch-up?", False),  # no yes/no question
    ],
)
def test_a_kind_of_money_matched(text: str, kind_asked: bool) -> None:
    assert bool(KIND_MATCHED.search(text)) is kind_asked


@pytest.mark.parametrize(
    ("text", "roll_in"),
    [
        ("Can I fold my old employer's 401(k) into the Acme one?", True),
        ("can I merge my old 403b with this plan", True),
        ("can I roll my old 403b into this plan?", True),
        ("Can I roll my 401k into the one at my new employer?", False),  # money going out
        ("move my money into the new one", False),
    ],
)
def test_money_coming_into_the_plan(text: str, roll_in: bool) -> None:
    assert bool(ROLL_IN.search(text)) is roll_in


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Can I roll my old 403b into my IRA?", True),
        ("what do I do with my previous employer's 401k", True),
        ("When I leave Acme, can I roll my 401k into an IRA?", False),  # this plan's money: the options
        ("What happens to my plan when I leave?", False),
        ("how long do I have to redeposit money I took out of my IRA so it counts as a rollover?", True),
        ("can I move money from my Roth IRA to another Roth IRA?", True),
    ],
)
def test_money_in_another_plan(text: str, other: bool) -> None:
    assert bool(OTHER_PLAN.search(text)) is other


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 61, how much can I contribute this year?", 61),
        ("I am 55 years old, what's my catch-up?", 55),
        ("how much catch-up can I make at 60?", None),  # a hypothetical age, not the person's own
        ("What is the catch-up limit at age 60?", None),
        ("Can I put 10% in?", None),
    ],
)
def test_an_age_the_person_gives(text: str, age: int | None) -> None:
    assert stated_age(text) == age


def test_a_contradicted_age_never_shows_the_record_s_figure(service: TurnService) -> None:
    # A-1002's record makes them 38 at the end of 2026; they say 61: no "You turn 38 ... don't apply"
    out = service.run("I'm 61, how much can I contribute this year?", participant="A-1002")
    assert "The age you gave does not match" in out.answer and "don't apply to you yet" not in out.answer
    assert "$11,250" in out.answer and "$8,000" in out.answer  # the rules for every age
    same = service.run("I'm 38, what's my catch-up limit?", participant="A-1002")
    assert "don't apply to you yet" in same.answer and "does not match" not in same.answer


def test_a_contradicted_age_never_shows_the_record_s_rmd_age(service: TurnService) -> None:
    # a widower of 74 on a record born in 1988 was told "your RMD age is 75, which you reach in 2063"
    out = service.run("I'm 74, when do I have to start my RMDs?", participant="A-1002")
    assert out.action != "refuse", out.answer  # the age is not echoed: nothing ungrounded for the guard
    assert "does not match the date of birth" in out.answer and "1-800-555-0142" in out.answer
    assert "2063" not in out.answer and "born in 1988" not in out.answer
    same = service.run("I'm 38, when do I have to start my RMDs?", participant="A-1002")
    assert "born in 1988" in same.answer and "does not match" not in same.answer


def test_an_heir_gets_the_inherited_account_rules_not_the_owner_s(service: TurnService) -> None:
    # "My brother died and named me on his 401k" got "if a beneficiary you named has died, name a new one"
    out = service.run("My brother died and named me on his 401k. What do I do now?", participant="A-1002")
    assert out.action != "escalate" or out.reason != "crisis", out.answer  # grief, not a crisis reply
    assert "name a new one" not in out.answer and "your spouse is automatically" not in out.answer
    # routed to the person's own leaving options before ("If you leave in 2036, your vested balance ...")
    left = service.run(
        "my mom left me her 403b when she passed, do i have to cash it out in 10 years?", participant="A-1002"
    )
    assert "If you leave" not in left.answer and "$40,300" not in left.answer, left.answer
    # ... and is answered from the inherited-account rules ("I don't know" before: 0.25 under the threshold)
    assert "tenth year" in left.answer, left.answer
    claim = service.run(
        "My mother died and I am the beneficiary on her IRA. How do I get the money?", participant="A-1002"
    )
    assert "death certificate" in claim.answer and "section 11" in claim.answer, claim.answer
    # "claim his 403b" after a death (got "if a beneficiary you named has died, name a new one")
    dad = service.run("My dad died last month. How do I claim his 403b?", participant="A-1002")
    assert "name a new one" not in dad.answer and "Beneficiaries and inherited accounts" in dad.answer, dad.answer
    # "I'm his beneficiary" (own words, 6 December): got "if a beneficiary you named has died, name a new one"
    his = service.run(
        "My dad died in May and I'm his beneficiary. Do I need to empty his IRA this year?", participant="A-1002"
    )
    assert "name a new one" not in his.answer and "Beneficiaries and inherited accounts" in his.answer, his.answer
    # near-miss: no death told, the person's own account: not an heir's question
    own = service.run("How do I claim my 401k when I retire?", participant="A-1002")
    assert "Beneficiaries and inherited accounts" not in own.answer, own.answer
    # a widow who names her husband's account is an heir, not a widowed owner: a surviving spouse's
    # choices ("I'm the beneficiary of his 401k" got how to name a new beneficiary of her own account)
    widow = service.run(
        "My husband passed away last month. I'm the beneficiary of his 401k. What are my options?",
        participant="A-1002",
    )
    assert "name a new one" not in widow.answer and "surviving spouse" in widow.answer, widow.answer
    inherited = service.run("I'm a widow and inherited my husband's IRA, what can I do with it?", participant="A-1002")
    assert "Treat as own" in inherited.answer, inherited.answer  # routed to rollovers at a low similarity before
    # near-miss: a widower asking about his own beneficiary keeps the owner's rule
    owner = service.run("My wife died last month. She was my beneficiary. Who should I name now?", participant="A-1002")
    assert "name a new one" in owner.answer, owner.answer


def test_another_plan_s_rollover_gets_no_figures_of_this_plan(service: TurnService) -> None:
    out = service.run("Can I roll my old 403b into my IRA?", participant="A-1002")
    assert "$40,300" not in out.answer and "If you leave this year" not in out.answer


@pytest.mark.parametrize(
    ("text", "cited", "not_shown"),
    [
        # a term asked as a definition: the sentences that define it, not the topic's calculator
        ("what is a true-up?", "acme-401k/spd#4.3", "per paycheck"),
        # read 0.7+ out of scope by the classifier: the redirect before
        ("what's a QDRO?", "qualified domestic relations order", "I can only help"),
        # near-miss: the person's own figure stays the playbook's
        ("what is my vested balance?", "$18,900", "I can only help"),
    ],
)
def test_a_term_asked_as_a_definition_is_defined(service: TurnService, text: str, cited: str, not_shown: str) -> None:
    out = service.run(text, participant="A-1002")
    shown = out.answer + " ".join(c.id for c in out.citations)
    assert cited in shown, out.answer
    assert not_shown not in out.answer, out.answer


@pytest.mark.parametrize(
    ("text", "timing"),
    [
        ("how long does it take to get my money after i request a withdrawal", True),
        ("How long does a hardship withdrawal take to process?", True),
        ("how soon will I receive the check?", True),
        ("how many days until the loan money hits my bank?", True),
        ("How long can I take a loan for?", False),  # the loan's term: the playbook's
        ("how soon can I get my money out without the penalty?", False),  # the age: the playbook's
        ("how long do I have to pay back a 401k loan", False),
        ("how long does it take to get fully vested?", False),
    ],
)
def test_how_long_a_payment_takes(text: str, timing: bool) -> None:
    assert bool(PAYMENT_TIMING.search(text)) is timing


def test_how_long_a_payment_takes_is_not_answered_with_the_hardship_reasons(service: TurnService) -> None:
    out = service.run("how long does it take to get my money after i request a withdrawal", participant="A-1002")
    assert "hardship withdrawals for" not in out.answer, out.answer
    assert "1-800-555-0142" in out.answer, out.answer  # the plan's documents don't say: the contact
    # near-miss: what the withdrawal costs is the playbook's
    rules = service.run("can I take a hardship withdrawal for medical bills?", participant="A-1002")
    assert "medical care expenses" in rules.answer, rules.answer


def test_a_sentence_the_routed_topic_falls_well_short_of_comes_first(service: TurnService) -> None:
    # routed to automatic escalation, whose section passed the anchored threshold at 0.17; the answer,
    # in section 2.4, scored 0.34 and was never shown
    out = service.run("if i change my contribution today when does it show up on my paycheck", participant="A-1002")
    assert out.answer.startswith("Acme Widgets 401(k) Savings Plan — Summary Plan Description, section 2.4"), out.answer
    assert "5 business days" in out.answer, out.answer
    # near-miss: the routed topic's own rule still answers its own question
    rule = service.run("how do I turn off the automatic increase every january", participant="A-1002")
    assert "opt out of escalation" in rule.answer, rule.answer


@pytest.mark.parametrize(
    ("text", "leaving"),
    [
        ("what happens to my loan if i get laid off", True),
        ("If I quit, do I have to pay back my 401k loan right away?", True),
        ("I was let go on Friday. What happens to my 401k loan?", True),
        ("What happens if I leave my job with a loan outstanding?", True),
        ("can I leave my job if I have a loan?", True),
        ("can I take a loan if I'm leaving next year?", False),  # a new loan: the figures answer it
        ("can i get a loan when i leave", False),
        ("how much can I borrow?", False),
    ],
)
def test_a_loan_the_person_has_when_they_leave(text: str, leaving: bool) -> None:
    assert bool(LOAN_ON_LEAVING.search(text)) is leaving


def test_a_loan_at_leaving_gets_the_plan_s_rule_not_the_new_loan_figures(service: TurnService) -> None:
    out = service.run("what happens to my loan if i get laid off", participant="A-1002")
    assert "largest new loan" not in out.answer, out.answer
    assert "section 7.5" in out.answer and "keep repaying" in out.answer, out.answer
    near = service.run("can I take a loan if I'm leaving next year?", participant="A-1002")
    assert "largest new loan" in near.answer, near.answer
    # "a loan outstanding" (own words, issue 16) got the largest new loan first
    held = service.run("What happens if I leave my job with a loan outstanding?", participant="A-1002")
    assert "largest new loan" not in held.answer, held.answer
    assert held.answer.startswith("Acme Widgets 401(k) Savings Plan — Summary Plan Description, section 7.5")
    assert "general/loans-vs-hardship#4" in [c.id for c in held.citations] and "loan offset" in held.answer


def test_an_ira_limit_question_gets_the_ira_limit_not_the_plan_s(service: TurnService) -> None:
    # got "the most you can contribute from your own pay to your 401(k) plan is $24,500"
    out = service.run("whats the most i can put in my roth ira this year, im 52", participant="A-1002")
    assert "$7,500" in out.answer and "$8,600" in out.answer, out.answer
    assert "$24,500" not in out.answer, out.answer
    # near-miss: the plan's limit question keeps the plan's limit
    plan = service.run("how much can i contribute to my 401k this year", participant="A-1002")
    assert "$24,500" in plan.answer, plan.answer


def test_an_ira_question_is_not_a_question_about_what_the_plan_offers(deps, service: TurnService) -> None:  # type: ignore[no-untyped-def]
    # "can I put money in ..." reads as "does the plan offer X?": the plan's documents never say
    # "already", so this was handed off before the relevance gate could look; an IRA is not the plan's
    ira = "can i put money in a roth ira if i already have a 401k at work?"
    assert deps.retriever.unknown_terms(ira, "acme-401k") == []
    # near-miss: something only the plan could offer, which its documents never name, stays a hand-off
    assert "bitcoin" in deps.retriever.unknown_terms("can i put money in bitcoin in my 401k?", "acme-401k")
    # the thing asked about follows the verb: "know" is no feature the plan could lack
    assert deps.retriever.unknown_terms("how do I know if my plan allows roth contributions?", "acme-401k") == []
    assert "crypto" in deps.retriever.unknown_terms("how do I know if my plan allows crypto?", "acme-401k")
    # the difference between the two IRAs is answered from the IRA documents, not the plan's Roth section
    diff = service.run("whats the difference between a traditional and roth ira", participant="A-1002")
    assert "general/roth-ira#11" in [c.id for c in diff.citations], diff.answer


@pytest.fixture(scope="module")
def with_publications(models, tmp_path_factory) -> TurnService:  # type: ignore[no-untyped-def]
    """What `make run` indexes: the bundled knowledge and the IRS publications as general documents."""
    from assistant.retrieval.indexing.ingest import ingest
    from tests.conftest import ROOT, make_deps

    deps = make_deps(tmp_path_factory.mktemp("with-pubs") / "data", models)
    ingest([ROOT / "knowledge/irs/publications"], deps.index, deps.embedder, plan="general", progress=False)
    return TurnService(deps)


@pytest.mark.slow
def test_money_coming_into_the_plan_gets_its_roll_in_rule_beside_the_irs_publications(
    with_publications: TurnService,
) -> None:
    """With the IRS rollover pages indexed, "can i roll my old 403b into this plan" found no plan chunk
    and said "I couldn't find this": the plan's whole SPD is now an anchor for money coming in."""
    out = with_publications.run("can i roll my old 403b into this plan", participant="A-1002")
    assert out.action == "answer" and "roll money into this plan" in out.answer
    assert "acme-401k/spd#2.5" in {c.id for c in out.citations}
    # near-miss: money going out keeps the leaving options
    leaving = with_publications.run("what are my options for my 401k when I leave?", participant="A-1002")
    assert "roll money into this plan" not in leaving.answer and "Your choices" in leaving.answer


@pytest.mark.slow
def test_a_move_is_the_plans_service_line_only(with_publications: TurnService) -> None:
    # was out of scope; once a contact question, it also showed two IRS publication lines (one a web address that
    # the output guard had redacted as a name)
    out = with_publications.run("I just moved to Ohio, who do I tell?", participant="C-2003")
    assert out.intent == "contact" and "1-800-555-0187" in out.answer, out.answer
    assert "Publication" not in out.answer
    # near-miss: whom a general document names keeps that document's line
    tas = with_publications.run("who do I call about the Taxpayer Advocate?", participant="C-2003")
    assert "877-777-4778" in tas.answer, tas.answer


def test_an_ira_limit_question_is_answered_from_the_ira_rules_not_the_plan_s(service: TurnService) -> None:
    # "how much can i put in an IRA this year if i'm 52?" had only the plan's 401(k) limit sections
    # anchored and said it didn't know
    out = service.run("how much can i put in an IRA this year if i'm 52?", participant="A-1002")
    assert out.action == "answer" and "$8,600" in out.answer and "Traditional IRAs" in out.answer, out.answer
    # near-miss: the plan's own limit question keeps the plan's figures
    plan = service.run("What's the most I can contribute this year?", participant="A-1002")
    assert "$24,500" in plan.answer and "Traditional IRAs" not in plan.answer, plan.answer


def test_a_question_about_someone_else_s_account_never_gets_the_asker_s_figures(service: TurnService) -> None:
    # "I have power of attorney for my mom. When does she have to take her RMD?" got the asker's own RMD
    # age ("Because you were born in 1988, your RMD age is 75, which you reach in 2063")
    mom = service.run("I have power of attorney for my mom. When does she have to take her RMD?", participant="A-1002")
    assert "1988" not in mom.answer and "2063" not in mom.answer, mom.answer
    assert "73 if you were born 1951" in mom.answer, mom.answer  # the rule for every birth year
    dad = service.run("When does my dad have to start his RMDs?", participant="A-1002")
    assert "2063" not in dad.answer, dad.answer
    # near-miss: the person's own RMD keeps the personal figures
    own = service.run("When do I have to take my RMD?", participant="A-1002")
    assert "born in 1988" in own.answer and "2063" in own.answer, own.answer


def test_saving_in_the_plan_and_an_ira_is_not_answered_with_the_plan_limit_alone(service: TurnService) -> None:
    # "Can I contribute to both a 401k and an IRA?" was routed to rollovers and got "couldn't find this"
    out = service.run("Can I contribute to both a 401k and an IRA?", participant="A-1002")
    assert (out.action, out.reason) != ("escalate", "no_source"), out.answer
    assert "Traditional IRAs" in out.answer and "You turn 38" not in out.answer, out.answer
    # near-miss: the plan's own limit keeps the limits playbook
    limit = service.run("What's the most I can contribute to my 401k this year?", participant="A-1002")
    assert "$24,500" in limit.answer, limit.answer


@pytest.mark.parametrize(
    ("text", "stopping"),
    [
        ("how much should I be contributing?", False),
        ("should I raise my contribution?", False),
        ("what percent should I save?", False),
        ("Should I stop contributing to pay off my credit cards?", True),
        ("is it better to pay off debt or keep contributing?", True),
    ],
)
def test_a_contribution_rate_decision_gets_the_boundary_and_the_person_s_match_figures(
    service: TurnService, text: str, stopping: bool
) -> None:
    # all got "I couldn't find this in your plan documents" (or the Saver's Credit); the debt question also
    # opened with the 988 check-in (a weak crisis reading with no word of crisis or distress)
    out = service.run(text, participant="A-1002")
    assert out.action == "answer" and out.intent == "match", out.answer
    assert "988" not in out.answer
    assert "I can't tell you what is right for you" in out.answer
    assert "At 5%, it would be about $2,880 a year" in out.answer  # Daniel: 2% of $72,000, full match at 5%
    assert ("give up the match you get now, about $1,440 a year" in out.answer) is stopping


def test_a_match_question_is_not_answered_as_a_decision(service: TurnService) -> None:
    # the near miss: a question of fact gets the figures without the boundary sentence
    out = service.run("how much does my employer match?", participant="A-1002")
    assert out.intent == "match" and "At 5%, it would be about $2,880 a year" in out.answer
    assert "what is right for you" not in out.answer and "give up the match" not in out.answer


def test_converting_a_workplace_account_gets_the_conversion_rules(service: TurnService) -> None:
    # got "I couldn't find this in your plan documents"
    out = service.run("can I convert my 401k to roth?", participant="A-1002")
    assert out.action == "answer" and out.intent == "roth"
    assert any(c.id.startswith("general/roth-conversions#") for c in out.citations)
    assert "couldn't find" not in out.answer


def test_the_roth_split_question_still_gets_the_person_s_split(service: TurnService) -> None:
    # the near miss: no conversion asked, the plan's pre-tax / Roth playbook answers
    out = service.run("should I do roth or pre-tax in my 401k?", participant="A-1002")
    assert "Today you contribute 2% of your pay" in out.answer
    assert not any(c.id.startswith("general/roth-conversions#") for c in out.citations)


def test_money_while_working_past_59_and_a_half_offers_the_in_service_withdrawal_first(service: TurnService) -> None:
    # "how do I get a check sent to me?" got the out-of-scope redirect; a 73-year-old still working can
    # take an in-service withdrawal without a hardship
    out = service.run("how do I get a check sent to me?", participant="C-2006")
    assert out.action == "answer" and out.intent == "distributions"
    assert out.answer.startswith("You are past age 59½, so your plan lets you withdraw your vested balance")
    assert "cedar-403b/spd#8.2" in [c.id for c in out.citations]
    assert "Your plan accepts hardship withdrawals for" not in out.answer  # no hardship needed


def test_money_while_working_before_59_and_a_half_has_no_in_service_withdrawal(service: TurnService) -> None:
    out = service.run("how do I get a check sent to me?", participant="A-1002")  # Daniel is 38
    assert out.intent == "distributions" and "withdraw your vested balance while you still work" not in out.answer
    assert "Your plan accepts hardship withdrawals for" in out.answer


def test_contributing_at_an_age_is_a_limit_question_not_leaving(service: TurnService) -> None:
    # "can I still contribute to my 403b at 73?" was guessed as leaving the job (the rollover choices)
    out = service.run("can I still contribute to my 403b at 73?", participant="C-2006")
    assert out.intent == "contribution_limit" and "$24,500" in out.answer and "Roll it to an IRA" not in out.answer


def test_a_rate_cut_weighed_by_what_it_costs_gets_the_decision_answer(service: TurnService) -> None:
    # "If I cut my 401k to 1%, what do I lose?" got the choices when leaving the job (section 9.1)
    out = service.run("If I cut my 401k to 1%, what do I lose?", participant="A-1002")
    assert out.action == "answer" and out.intent == "match", out.answer
    assert out.answer.startswith("How much to contribute is your decision, and I can't tell you what is right")
    assert "The employer match would fall by about $27.69 per paycheck ($720 a year)" in out.answer
    assert "At 1%, the match would be about $720 a year, against about $1,440 at your current 2%." in out.answer
    # near-miss: a what-if that weighs nothing keeps the plain figures, without the boundary
    near = service.run("What if I lowered my contribution to 1%?", participant="A-1002")
    assert "The employer match would fall by about $27.69" in near.answer, near.answer
    assert "what is right for you" not in near.answer and "At 1%, the match would be" not in near.answer


def test_a_contradicted_age_never_shows_the_record_s_59_and_a_half_date(service: TurnService) -> None:
    # Daniel's record makes him 38; "I'm 62" got "Because you reach age 59½ on January 22, 2048"
    out = service.run("I'm 62 and still working, can I take money out?", participant="A-1002")
    assert out.action == "answer" and "does not match the date of birth" in out.answer, out.answer
    assert "2048" not in out.answer and "1-800-555-0142" in out.answer
    assert "If you are 59½ or older, your plan lets you withdraw your vested balance while you still work" in out.answer
    assert "acme-401k/spd#8.2" in [c.id for c in out.citations]
    # near-miss: the age on the record keeps the record's date
    same = service.run("I'm 38 and still working, can I take money out?", participant="A-1002")
    assert "January 22, 2048" in same.answer and "does not match" not in same.answer, same.answer


def test_an_ira_deadline_question_gets_the_rule_for_any_year(service: TurnService) -> None:
    # "for last year" got only the 2026 deadline, routed to leaving the job
    out = service.run("What's the IRA contribution deadline for last year?", participant="A-1002")
    assert out.action == "answer" and out.intent == "contribution_limit", out.answer
    assert "general/traditional-ira#8" in [c.id for c in out.citations]
    assert "not including extensions" in out.answer and "April 15 of the following year" in out.answer
    assert "2025 contributions was April 15, 2026" in out.answer and "required minimum" not in out.answer
    # near-miss: the IRA limit question keeps the limit
    limit = service.run("What's the most I can put in my IRA this year?", participant="A-1002")
    assert "$7,500" in limit.answer and "April 15" not in limit.answer, limit.answer
