"""Questions asked in our own words as a participant (A-1002, Acme 401(k)) that got the wrong kind of
reply, each beside a near-miss that keeps its reply (6 December 2026 reading)."""

from __future__ import annotations

import re

import pytest

from assistant.services.turn_service import TurnService


def test_the_owners_death_is_a_beneficiary_question(service: TurnService) -> None:
    # got the leaving-the-job choices with the 20% withholding on a cash-out
    out = service.run("what happens to my 401k if I die?", participant="A-1002")
    assert out.intent == "beneficiary" and "beneficiary designation decides" in out.answer, out.answer
    assert "withholds 20%" not in out.answer
    # near-miss: a cash-out question keeps the leaving choices
    assert service.run("what happens to my 401k if I quit?", participant="A-1002").intent != "beneficiary"


def test_an_ira_beside_the_workplace_plan_is_not_the_plans_limit(service: TurnService) -> None:
    # got "the most you can contribute from your own pay to your 401(k) plan is $24,500" and "You turn 38"
    out = service.run("can I contribute to an IRA if I have a 401k at work?", participant="A-1002")
    assert "traditional IRA" in out.answer and "You turn 38" not in out.answer, out.answer


def test_rolling_an_old_plan_into_this_one_is_the_roll_in_rule(service: TurnService) -> None:
    # got the leaving choices of the old plan
    out = service.run(
        "I'm thinking of rolling my old employer's 401k into this one. Is that allowed?", participant="A-1002"
    )
    assert "acme-401k/spd#2.5" in [c.id for c in out.citations] and "roll money into this plan" in out.answer


def test_how_long_a_payment_takes_is_only_the_plans_to_say(service: TurnService) -> None:
    # got the terminal-illness exception ("can repay them within three years")
    out = service.run("how long does it take to get money after I request a withdrawal?", participant="A-1002")
    assert out.reason == "no_source" and "1-800-555-0142" in out.answer, out.answer
    assert "physician" not in out.answer
    # near-miss: a timing the plan's documents do state is answered
    pay = service.run("if i change my contribution today when does it show up on my paycheck", participant="A-1002")
    assert "5 business days" in pay.answer


# Seventh session (6 December 2026, evening): own words as Daniel (A-1002) and as Tom (C-2003, Cedar 403(b)).


def test_what_an_account_type_is_or_how_two_differ_is_answered_from_their_documents(service: TurnService) -> None:
    # got the out-of-scope redirect
    out = service.run("what's the difference between a 403b and a 457b?", participant="C-2003")
    assert out.intent == "account_types" and out.action == "answer", out.answer
    assert {"general/403b-plans", "general/457b-plans"} <= {c.id.split("#")[0] for c in out.citations}
    # got "I couldn't find this"
    simple = service.run("what's a SIMPLE IRA?", participant="C-2003")
    assert "Savings Incentive Match Plan" in simple.answer, simple.answer
    # near-miss: one rule of an account keeps that rule's topic (the plan's own limit)
    assert service.run("what is the 403b limit?", participant="C-2003").intent == "contribution_limit"
    assert service.run("what is my 403b worth?", participant="C-2003").intent != "account_types"


def test_being_laid_off_is_leaving_the_job(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("what happens to my 403b if the school lays me off?", participant="C-2003")
    assert out.intent == "rollover" and "Your choices, side by side" in out.answer, out.answer
    # near-miss: laying off as a word about someone else's plan choices is not matched by a lone "off"
    assert service.run("can I pay off my 403b loan early?", participant="C-2003").intent == "loan"


def test_paying_a_debt_from_the_account_gets_the_ways_to_get_money_now(service: TurnService) -> None:
    # got "I couldn't find this" (routed to the contribution limit)
    out = service.run("I have about 30k in credit card debt. can I use my 403b to pay it off?", participant="C-2003")
    assert out.intent == "hardship" and "- Loan: you could borrow up to about" in out.answer, out.answer
    assert "may not be one of the reasons your plan accepts" in out.answer
    # near-miss: weighing debt against saving stays the contribution decision
    assert service.run("should I pay off my credit cards or keep contributing?", participant="C-2003").intent == "match"


def test_a_nursing_home_bill_is_a_money_now_question(service: TurnService) -> None:
    # got "I couldn't find this" (routed to loans)
    out = service.run(
        "my mom is in a nursing home and I need to help pay for it, can I pull from my 401k?", participant="A-1002"
    )
    assert out.intent == "hardship" and "medical care expenses" in out.answer, out.answer


def test_an_age_the_record_contradicts_gets_no_59_and_a_half_date(service: TurnService) -> None:
    # got "You reach age 59½ on December 15, 2051" for a person who says they are 58
    q = "I'm 58 and thinking about retiring early next year. When can I get at my 403b without paying the extra tax?"
    out = service.run(q, participant="C-2003")
    assert "2051" not in out.answer and "does not match the date of birth" in out.answer, out.answer
    assert "the year you turn 55" in out.answer
    # near-miss: no age given, the record's date stands
    plain = service.run("When can I get at my 403b without paying the extra tax?", participant="C-2003")
    assert "December 15, 2051" in plain.answer, plain.answer


def test_a_roth_ira_contribution_taken_out_is_the_roth_ira_rule(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run(
        "if I take out a roth ira contribution I made 3 years ago do I owe anything?", participant="A-1002"
    )
    assert "can be withdrawn at any time and at any age without income tax" in out.answer, out.answer


def test_a_roth_ira_beside_a_401k_is_allowed(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("can I open a roth ira and a 401k?", participant="A-1002")
    assert "does not stop a person from opening and contributing to a Roth IRA" in out.answer, out.answer


def test_being_sued_is_the_creditors_section(service: TurnService) -> None:
    # got the section on a plan whose employer closes
    out = service.run("could I lose my 401k if I get sued?", participant="A-1002")
    assert "general/account-protection#6" in [c.id for c in out.citations], out.answer
    # near-miss: an IRA's creditors are its own section
    ira = service.run("can creditors take my IRA?", participant="A-1002")
    assert "general/account-protection#7" == ira.citations[0].id, ira.answer
    # and a company that closes keeps the section on that
    closing = service.run("My company is closing its doors. Is my 401k money safe?", participant="A-1002")
    assert "general/account-protection#6" not in [c.id for c in closing.citations[:1]]


def test_an_employer_taking_money_back_is_vesting(service: TurnService) -> None:
    # got "I couldn't find this" (routed to loans)
    out = service.run("can my employer take back money they already put in?", participant="A-1002")
    assert out.intent == "vesting" and "100% vested" in out.answer, out.answer


def test_whether_a_loan_is_taxed_is_answered_before_the_loan_figures(service: TurnService) -> None:
    # got the largest new loan first
    out = service.run("do I pay taxes on a 401k loan?", participant="A-1002")
    assert "A plan loan is not taxed if you repay on time." in out.answer, out.answer
    assert "largest new loan you could take" not in out.answer
    # near-miss: how much can be borrowed keeps the loan figures
    assert "largest new loan you could take" in service.run("how much can I borrow?", participant="A-1002").answer


def test_a_future_balance_gets_todays_balance_and_no_forecast(service: TurnService) -> None:
    # got the choices for leaving the job ("If you leave this year, your vested balance would be ...")
    out = service.run("how much will I have when I retire if I keep going like this?", participant="A-1002")
    assert out.intent == "account" and "I can't project your balance or how long it will last" in out.answer, out.answer
    assert "Your choices, side by side" not in out.answer
    # near-miss: the balance asked for today has no forecast sentence
    today = service.run("what's my balance?", participant="A-1002")
    assert "$40,300" in today.answer and "project" not in today.answer


def test_having_to_take_money_out_in_ones_seventies_is_the_rmd_question(service: TurnService) -> None:
    # got the choices for leaving the job; and for a person who says they still work there, never the
    # due date of a record that says they have left
    q = "I turn 73 next year, do I have to take money out even though I'm still working here?"
    out = service.run(q, participant="A-1008")
    assert out.intent == "rmd" and "RMD age is 73" in out.answer, out.answer
    assert "April 1, 2028" not in out.answer and "If you still work there" in out.answer
    # near-miss: without the claim, the record's due date stands; leaving the job stays the leaving question
    assert "April 1, 2028" in service.run("when is my first RMD due?", participant="A-1008").answer
    assert service.run("do I have to take money out when I leave my job?", participant="A-1002").intent == "rollover"


def test_a_lump_sum_or_installments_is_the_plans_forms_of_payment(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("I'm retiring in march, should I take a lump sum or monthly payments?", participant="A-1008")
    assert "take a lump sum, take installments" in out.answer, out.answer
    # near-miss: a pension's lump sum stays the pension question
    assert service.run("should i take my pension as a lump sum?", participant="A-1008").intent == "pensions"


# As Maya (A-1001), a new hire enrolled automatically.


def test_pay_taken_without_signing_up_is_automatic_enrollment(service: TurnService) -> None:
    # got the out-of-scope redirect
    out = service.run("why is 6% coming out of my check? I never signed up for anything", participant="A-1001")
    assert out.intent == "enrollment" and "You were enrolled automatically" in out.answer, out.answer


def test_a_student_loan_is_no_plan_loan(service: TurnService) -> None:
    # got the largest new plan loan
    out = service.run("is it better to put money in the 401k or pay off my student loans?", participant="A-1001")
    assert out.intent == "match" and "your decision" in out.answer and "borrow" not in out.answer, out.answer
    # near-miss: a plan loan to pay a student loan is a plan loan
    assert service.run("can I take a 401k loan to pay my student loans?", participant="A-1001").intent == "loan"


def test_when_the_match_starts_is_eligibility(service: TurnService) -> None:
    # got the match figures, not when it starts
    out = service.run("I just started here last month, when does the company start matching?", participant="A-1001")
    assert out.intent == "eligibility" and "no waiting period" in out.answer, out.answer
    # near-miss: how the match works stays the match
    assert service.run("how does the match work?", participant="A-1001").intent == "match"


def test_how_much_to_have_saved_is_the_contribution_decision(service: TurnService) -> None:
    # got the out-of-scope redirect
    out = service.run("I'm 24, how much should I have saved by 30?", participant="A-1001")
    assert out.intent == "match" and "your decision" in out.answer, out.answer


# Asked with no plan (a visitor who has not signed in).


def test_accounts_open_to_someone_without_a_workplace_plan(service: TurnService) -> None:
    # both said "I couldn't find this"
    self_employed = service.run("I'm self employed, what retirement account can I open?")
    assert self_employed.intent == "account_types", self_employed.answer
    assert {"general/sep-ira#1", "general/solo-401k#1"} <= {c.id for c in self_employed.citations}
    assert "[PERSON" not in self_employed.answer  # "SARSEP" was redacted as a name
    no_plan = service.run("my employer doesn't offer a 401k, what can I do?")
    assert {"general/traditional-ira#1", "general/roth-ira#1"} <= {c.id for c in no_plan.citations}, no_plan.answer
    # near-miss: an account named is answered from its own document by the sentences that answer
    named = service.run("what is a solo 401k?")
    assert named.citations[0].doc_id == "general/solo-401k"


def test_a_workplace_balance_into_a_roth_ira_is_a_conversion(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("can I roll my 401k into a roth ira?")
    # the conversion document's sentence, or (routed to rollovers) the rollover document's on its taxes
    assert "Roth conversion" in out.answer and re.search(r"taxed as income|taxable income", out.answer), out.answer


def test_a_spouse_without_pay_has_the_spousal_ira(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("can I contribute to an IRA if I don't have a job but my husband works?")
    assert "spousal IRA" in out.answer, out.answer


# As Walter (C-2006).


def test_naming_children_is_the_child_rule_not_the_marriage_rule(service: TurnService) -> None:
    # got "If you named someone else before, such as a parent or sibling, your spouse now has the legal right"
    out = service.run("how do I name my kids as beneficiaries?", participant="C-2006")
    assert "through a trust or a custodian" in out.answer and "parent or sibling" not in out.answer, out.answer
    # near-miss: who gets the account, with no child named, keeps the spouse's rule
    plain = service.run("who gets my money if I die?", participant="C-2006")
    assert "spouse is automatically your beneficiary" in plain.answer and "custodian" not in plain.answer


def test_remarrying_is_a_beneficiary_question(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("what happens to my 403b if I remarry?", participant="C-2006")
    assert out.intent == "beneficiary" and "spouse is automatically your beneficiary" in out.answer, out.answer


def test_repaying_a_loan_is_the_plans_repayment_rule_not_the_new_loan_figures(service: TurnService) -> None:
    # got the largest new loan first
    early = service.run("can I pay my loan back early?", participant="A-1003")
    assert "repay the whole loan early at any time" in early.answer, early.answer
    assert "largest new loan you could take" not in early.answer
    missed = service.run("what happens if I miss a loan payment?", participant="A-1003")
    assert "If you stop repaying" in missed.answer and "largest new loan" not in missed.answer, missed.answer
    # near-miss: how much can be borrowed keeps the figures
    both = service.run("how much can I borrow and how long do I have to repay it?", participant="A-1003")
    assert "largest new loan you could take" in both.answer


# Eighth session (6 December 2026, night): a plan term asked in plain words (general/plan-terms).


def test_a_plan_term_asked_as_a_definition_gets_the_sentence_that_defines_it(service: TurnService) -> None:
    # got the plan-termination sentence of account-protection ("every participant becomes 100% vested")
    out = service.run("what does vested mean in plain english?")
    assert "general/plan-terms#1" in [c.id for c in out.citations], out.answer
    assert "Being vested means the money in your account is yours to keep" in out.answer
    # "safe harbor" asked bare was read out of scope and the document's wording is guard-clean
    harbor = service.run("what does safe harbor mean?")
    assert harbor.action == "answer" and "100% of the first 3% of pay" in harbor.answer, harbor.answer
    blackout = service.run("what's a blackout period?")
    assert "more than 3 business days in a row" in blackout.answer, blackout.answer
    # near-miss: a participant asking about their own vesting keeps the plan's schedule, not the glossary
    mine = service.run("how vested am I in the match?", participant="C-2006")
    assert "cedar-403b/spd#5.2" in [c.id for c in mine.citations], mine.answer


def test_hours_cut_to_part_time_is_whether_one_can_keep_contributing(service: TurnService) -> None:
    # got the loan examples' topic and "I couldn't find this"
    out = service.run("my job just cut my hours to part time, can I still put money in my 401k?", participant="A-1003")
    assert out.intent == "eligibility" and "if your hours are cut you can keep contributing" in out.answer, out.answer
    cedar = service.run("they reduced my hours, can I keep contributing to my 403b?", participant="C-2003")
    assert "cedar-403b/spd#1.1" in [c.id for c in cedar.citations], cedar.answer
    # near-miss: a part-timer asking to borrow keeps the loan topic
    assert service.run("I'm part time now, how much can I borrow?", participant="A-1003").intent == "loan"


def test_the_60_day_rule_is_stated_and_keeping_the_account_is_a_leaving_question(service: TurnService) -> None:
    # got the fees topic and "I couldn't find this" ("rollovers" matched no rule), then the leaving table
    rule = service.run("what's the 60 day rule for rollovers?", participant="A-1002")
    assert rule.intent == "rollover" and "who then has 60 days to deposit it" in rule.answer, rule.answer
    # got the vesting figures ("You are 100% vested in employer contributions")
    keep = service.run("if I leave my job can I keep my 401k where it is?", participant="A-1002")
    assert keep.intent == "rollover" and "Leave it in the plan" in keep.answer, keep.answer
    # near-misses: losing the employer's money on leaving is vesting; leaving's choices keep their table
    assert service.run("if I quit do I lose the company money?", participant="A-1002").intent == "vesting"
    assert (
        "Your choices, side by side"
        in service.run("I'm leaving my job, what are my options?", participant="A-1002").answer
    )


def test_how_long_to_pay_a_loan_back_is_the_repayment_rule_first(service: TurnService) -> None:
    # got the largest new loan first, the repayment term last ("pay a loan back" matched no repayment wording)
    out = service.run("how long does my plan give me to pay a loan back?", participant="C-2003")
    assert "1 to 5 years" in out.answer and "largest new loan you could take" not in out.answer, out.answer


# 6 December 2026, late night: own words as Harold (A-1008, left Acme, 72) and Aisha (C-2002, Cedar).


def test_a_late_rmd_is_the_rmd_excise_tax_not_the_early_withdrawal_tax(service: TurnService) -> None:
    # got "You reached age 59½ on December 1, 2013, so the 10% additional tax no longer applies"
    out = service.run("if I take my rmd late what's the penalty", participant="A-1008")
    assert out.intent == "rmd" and "25%" in out.answer and "59½" not in out.answer, out.answer
    # near-miss: a penalty for taking money out early keeps the early-withdrawal topic
    assert service.run("is there a penalty for taking money out early?", participant="A-1002").intent == (
        "early_withdrawal"
    )


def test_the_amount_of_a_first_rmd_is_not_answered_with_the_emergency_withdrawal(service: TurnService) -> None:
    # the RMD dates, then the $1,000 emergency withdrawal (0.38) placed over the RMD rule (0.21)
    out = service.run("how much will my first required withdrawal be?", participant="A-1008")
    assert "life-expectancy factor" in out.answer and "$1,000" not in out.answer, out.answer
    # near-miss: a topic's answer from the documents alone still puts a better section first
    matched = service.run("Do catch-up contributions get matched?", participant="A-1002")
    assert matched.answer.startswith("Acme Widgets 401(k) Savings Plan — Summary Plan Description, section 4.2")


def test_whether_money_taken_out_is_taxed_as_income_is_answered(service: TurnService) -> None:
    # got "I couldn't find this"; the plans' sections on taxes did not say it
    out = service.run("is the money I take out taxed as regular income?", participant="A-1008")
    assert out.action == "answer" and "taxed as ordinary income" in out.answer, out.answer
    cedar = service.run("is the money I take out taxed as regular income?", participant="C-2002")
    assert "taxed as ordinary income" in cedar.answer, cedar.answer
    assert cedar.answer.count("The 10% additional tax does not apply to distributions") <= 1  # was shown twice
    # near-miss: putting in money already taxed is a contribution question, not the tax on withdrawals
    assert (
        service.run(
            "can I put in money I've already paid tax on so I don't pay tax when I take it out later?",
            participant="C-2002",
        ).intent
        != "early_withdrawal"
    )


def test_a_need_for_cash_is_the_money_now_comparison(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run(
        "my car broke down and I need $2000 for repairs, what are my options with my retirement account?",
        participant="C-2002",
    )
    assert out.intent == "hardship" and "side by side" in out.answer and "$10,300" in out.answer, out.answer
    # near-miss: a need that names borrowing is a loan question
    assert service.run("I need $2000, can I borrow it from my 403b?", participant="C-2002").intent == "loan"


def test_contributing_after_a_hardship_withdrawal_is_the_plans_sentence(service: TurnService) -> None:
    # got the side-by-side of loan and withdrawal, which never says
    out = service.run("does a hardship withdrawal stop my contributions for 6 months?", participant="C-2002")
    assert "not suspended from contributing" in out.answer and "side by side" not in out.answer, out.answer
    # near-miss: asking whether one can get the money keeps the side-by-side
    assert "side by side" in service.run("can I take a hardship withdrawal?", participant="C-2002").answer


# As Grace (C-2004, 62, 2025 FICA wages over $150,000, a plan without Roth).


def test_how_much_extra_at_62_is_her_catch_up_not_the_plans_sentence(service: TurnService) -> None:
    # got "if you are age 60, 61, 62 or 63 ... up to an extra $11,250", which she cannot make in this plan
    out = service.run("I'm 62, how much extra can I put in this year?", participant="C-2004")
    assert out.intent == "catch_up" and "cannot make catch-up contributions" in out.answer, out.answer
    assert "$11,250" not in out.answer
    # near-miss: more pay put in for the match stays the match
    assert service.run("how much more do I need to put in to get the full match?", participant="C-2004").intent == (
        "match"
    )


def test_is_moving_to_a_bond_fund_a_good_idea_is_advice(service: TurnService) -> None:
    # got her balance ("part of my balance" matched the balance rule)
    out = service.run("I want to move part of my balance to a bond fund, is that a good idea?", participant="C-2004")
    assert (out.action, out.reason) == ("refuse", "advice") and "$454,000" not in out.answer, out.answer
    # near-miss: whether a loan is a good idea is no investment question
    assert service.run("is it a good idea to take a loan?", participant="C-2004").reason != "advice"


def test_the_employers_name_is_no_evidence_for_the_plans_sentences(service: TurnService) -> None:
    # got "When you leave Cedar Valley you can leave your vested balance in the plan" first (0.46)
    out = service.run("is my money protected if Cedar Valley goes bankrupt?", participant="C-2004")
    assert out.answer.startswith("How retirement plan money is protected"), out.answer
    assert "When you leave Cedar Valley" not in out.answer
    # near-miss: what a plan term means keeps the sentence that says what it means
    harbor = service.run("What does it mean that Acme's 401k is a safe harbor plan?", plan="acme-401k")
    assert "same terms for everyone" in harbor.answer, harbor.answer


def test_a_plan_question_is_not_answered_with_a_rule_only_iras_have(service: TurnService) -> None:
    # got the traditional IRA contribution deadline first
    out = service.run("when is the deadline to change my contribution for next year?", participant="C-2004")
    assert "traditional IRA" not in out.answer and out.action == "answer", out.answer
    # near-miss: a question about an IRA keeps the IRA's deadline
    ira = service.run("when is the deadline for IRA contributions for this year?", participant="C-2004")
    assert "April 15, 2027" in ira.answer, ira.answer


def test_where_money_goes_without_a_choice_is_the_default_fund(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("how is my account invested if I never picked anything?", participant="C-2004")
    assert "default fund" in out.answer, out.answer


def test_a_spouse_named_is_not_a_new_marriage(service: TurnService) -> None:
    # got "Now that you are married" from someone married for years
    out = service.run("how do I make sure my husband gets my 403b if something happens to me?", participant="C-2004")
    assert "Now that you are married" not in out.answer and "spouse is automatically your beneficiary" in out.answer
    # near-miss: a marriage told of keeps it
    assert (
        "Now that you are married" in service.run("I just got married, who gets my 401k?", participant="A-1002").answer
    )


# As Sofia (A-1007, married in September, contributing Roth).


def test_a_down_payment_is_the_money_now_comparison_with_the_home_reason(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("if we buy a house can I use my 401k for the down payment?", participant="A-1007")
    assert "buying your main home" in out.answer and "side by side" in out.answer, out.answer


def test_how_much_one_has_put_in_is_the_balance_not_the_roth_comparison(service: TurnService) -> None:
    # got the pre-tax/Roth side-by-side
    out = service.run("how much have I put into roth so far?", participant="A-1007")
    assert out.intent == "account" and "$15,500 from your own contributions" in out.answer, out.answer


def test_changing_ones_name_is_where_to_reach_the_plan_not_the_divorce_rule(service: TurnService) -> None:
    # got "A divorce does not automatically change the beneficiary your plan has on file"
    out = service.run("can I change my name on the account after the wedding?", participant="A-1007")
    assert "divorce" not in out.answer and "1-800-555-0142" in out.answer, out.answer
    # near-miss: a beneficiary's name to change is a beneficiary question
    assert service.run("can I change my beneficiary's name?", participant="A-1007").intent == "beneficiary"


# Ninth session (7 December 2026): read from the dev half's bundled replies and in our own words.


def test_a_rate_change_is_the_plans_rate_change_section_not_the_escalation_rule(service: TurnService) -> None:
    # got the automatic-escalation rule (section 1.3)
    out = service.run("If I change my contribution % today, when does it actually kick in?", participant="A-1002")
    assert "5 business days" in out.answer and "Each January 1" not in out.answer, out.answer
    cedar = service.run("how do I change my contribution rate", participant="C-2002")
    assert "at least 10 days later" in cedar.answer, cedar.answer
    # near-miss: the yearly automatic increase keeps its own section
    auto = service.run("will my contribution go up every year", participant="A-1001")
    assert "January 1, 2027" in auto.answer and "cedar" not in auto.answer.lower(), auto.answer


def test_whose_rate_rises_by_itself_is_said_to_a_person_whose_rate_does_not(service: TurnService) -> None:
    # a person who chose their own rate was shown the escalation rule alone, or "I couldn't find this"
    out = service.run("does my rate increase automatically?", participant="A-1002")
    assert out.answer.startswith("Your rate does not go up by itself"), out.answer
    assert "acme-401k/spd#1.3" in [c.id for c in out.citations]
    cedar = service.run("will my contribution go up every year", participant="C-2002")
    assert cedar.answer.startswith("Your plan does not raise contribution rates automatically"), cedar.answer
    # near-miss: someone enrolled automatically gets their own schedule
    auto = service.run("does my rate increase automatically?", participant="A-1001")
    assert auto.answer.startswith("You were enrolled automatically and contribute 4% now"), auto.answer


def test_an_abbreviation_and_its_long_form_find_the_same_rule_and_no_worked_example(service: TurnService) -> None:
    # got the Pub 590-B installments sentence, then a worked example ("Justin figured his ...")
    rmd = service.run("what is an rmd")
    assert "at least a minimum amount each year" in rmd.answer, rmd.answer
    # got a worked example of the 2026 QCD worksheet ("[PERSON_1] figures his excludable ..."); the RMD document
    # now states the 2026 limit (Pub 590-B (2025) p. 15)
    qcd = service.run("what's the QCD limit for 2026?")
    assert "$111,000" in qcd.answer and "[PERSON" not in qcd.answer, qcd.answer
    # near-miss: a 2025 question keeps the 2025 figure beside it
    assert "$108,000" in service.run("what was the QCD limit for 2025?").answer


# Own words as Lena (A-1005, Acme, 6% contribution, a loan outstanding) and Aisha (C-2002, Cedar).


def test_a_childs_college_paid_from_the_plan_is_the_money_now_comparison(service: TurnService) -> None:
    # got "I couldn't find this"
    out = service.run("my daughter starts college next fall, can my 401k help pay for it?", participant="A-1005")
    assert out.intent == "hardship" and "tuition" in out.answer and "- Loan:" in out.answer, out.answer
    # near-miss: an IRA's education exception stays the early-withdrawal topic
    assert service.run("can I use my IRA for college without the penalty?").intent == "early_withdrawal"


def test_a_leave_of_absence_the_documents_do_not_cover_is_said_with_the_contact(service: TurnService) -> None:
    # got the match figures at her rate
    q = "I'm going on maternity leave in march, what happens to my 401k contributions and match?"
    out = service.run(q, participant="A-1005")
    assert out.reason == "no_source" and "1-800-555-0142" in out.answer, out.answer
    # near-miss: leaving the job is the leaving topic (it got the match figures too), with the vested employer money
    left = service.run("when I leave my job what happens to my match?", participant="C-2002")
    assert left.intent == "rollover" and "100% of the employer money" in left.answer, left.answer


def test_the_smallest_and_largest_rate_are_the_plans_range(service: TurnService) -> None:
    # got the out-of-scope redirect (read as an RMD question), and only the IRS dollar limit
    low = service.run("is there a minimum I have to put in?", participant="A-1005")
    assert low.answer.startswith("Your plan lets you contribute from 1% to 75%"), low.answer
    high = service.run("what's the max percent of my pay I can contribute?", participant="A-1005")
    assert "1% to 75%" in high.answer and "$24,500" in high.answer, high.answer
    # near-miss: an amount question keeps the IRS limit alone
    amount = service.run("how much can I put in this year?", participant="A-1005")
    assert "$24,500" in amount.answer and "75%" not in amount.answer, amount.answer


def test_whether_heirs_get_the_employer_money_is_the_plans_vesting_at_death(service: TurnService) -> None:
    # got the leaving choices with the cash-out withholding
    acme = service.run("if I die before I retire does my family get the employer money too?", participant="A-1005")
    assert acme.intent == "beneficiary" and "always vested" in acme.answer, acme.answer
    assert "withholds 20%" not in acme.answer
    # got the match figures; Cedar's match vests in full at a death while employed (SPD section 5.2)
    cedar = service.run("if I die does my husband get the hospital's match too?", participant="C-2002")
    assert "becomes vested" in cedar.answer and "cedar-403b/spd#5.2" in [c.id for c in cedar.citations], cedar.answer
    # near-miss: who receives the account, with no word of the employer's money, says nothing of vesting
    assert "vested" not in service.run("who gets my 403b if I die?", participant="C-2002").answer


def test_a_loans_interest_rate_is_the_plans_sentence_not_the_new_loan_figures(service: TurnService) -> None:
    # got the largest new loan first and the rate in the third paragraph
    out = service.run("what's the interest rate on a 401k loan?", participant="A-1005")
    assert "prime rate plus 1%" in out.answer and "largest new loan you could take" not in out.answer, out.answer
    # near-miss: how much one can borrow keeps the figures
    assert "largest new loan you could take" in service.run("how much can I borrow?", participant="A-1005").answer


def test_whether_a_rollover_is_taxed_is_the_rollover_documents_tax_rule(service: TurnService) -> None:
    # got "An IRA usually offers a wider range of investments than a plan", the rollover document's best section
    out = service.run("do I have to pay taxes when I roll over my 401k to an IRA")
    assert "is not taxed" in out.answer and "wider range of investments" not in out.answer, out.answer
    # got "I couldn't find this" (read as the early-withdrawal topic)
    roth = service.run("is there a penalty for rolling my 401k into a roth ira?")
    assert roth.intent == "rollover" and "Roth conversion" in roth.answer, roth.answer
    # near-miss: whether to roll over at all keeps the four choices
    choices = service.run("should I roll my old 401k into an IRA?")
    assert "leave the money in the old plan" in choices.answer and "is not taxed" not in choices.answer, choices.answer


def test_a_qcd_and_an_rmd_at_retirement_are_the_rmd_topic(service: TurnService) -> None:
    # got "I couldn't find this" (guessed as a rollover)
    qcd = service.run("can I do a QCD from my 403b?", participant="C-2006")
    assert qcd.intent == "rmd" and "cannot be made from a 401(k) or 403(b)" in qcd.answer, qcd.answer
    # got the leaving choices with a $83,800 cash-out withholding ("if I retire" read as leaving the job)
    first = service.run("if I retire in june, when is my first RMD due?", participant="C-2006")
    assert first.intent == "rmd" and "April 1 after the year you retire" in first.answer, first.answer
    # near-miss: retiring with no word of an RMD keeps the leaving choices
    assert service.run("what happens to my 403b if I retire in june?", participant="C-2006").intent == "rollover"
    # got "I couldn't find this" (read as an IRA contribution limit)
    gift = service.run("how much can I donate to charity straight from my IRA in 2026?")
    assert gift.intent == "rmd" and "$111,000" in gift.answer, gift.answer
    # near-miss: how much one can put into an IRA keeps the contribution limit
    assert service.run("how much can I put in my IRA in 2026?").intent == "contribution_limit"


def test_stopping_contributions_is_the_plans_rate_change_rule_and_what_a_pause_costs(service: TurnService) -> None:
    # "how do I stop my contributions" said it couldn't find this (the contributions section's two best chunks
    # by the query were its catch-up and limit rules); the pause weighed by its cost got the catch-up section
    how = service.run("how do I stop my contributions", participant="A-1002")
    assert "acme-401k/spd#2.4" in [c.id for c in how.citations], how.answer
    assert "change your rate on the Benefits portal at any time" in how.answer and "$8,000" not in how.answer
    cost = service.run(
        "I'm thinking about stopping my contributions for a few months, will I lose anything?", participant="A-1002"
    )
    assert cost.intent == "match" and "give up the match you get now" in cost.answer, cost.answer
    assert "catch-up" not in cost.answer.lower()
    # near-miss: the yearly automatic increase stays the escalation answer, not the rate-change rule
    auto = service.run("does my contribution go up automatically every year?", participant="A-1001")
    assert "acme-401k/spd#2.4" not in [c.id for c in auto.citations], auto.answer


def test_plural_plan_words_are_in_scope(service: TurnService) -> None:
    # "401ks" was no retirement word: the out-of-scope redirect
    out = service.run("my wife and I both work, can we each put 24,500 in our own 401ks?", participant="A-1002")
    assert out.reason != "out_of_scope", out.answer
    # near-miss: a message about something else keeps the redirect
    assert service.run("what's a good movie to watch tonight", participant="A-1002").reason == "out_of_scope"


def test_whether_the_plan_allows_something_is_judged_on_what_follows_the_verb(service: TurnService) -> None:
    # "how do I know if my plan allows roth contributions?" was handed off: no plan document says "know"
    out = service.run("how do I know if my plan allows roth contributions?", participant="A-1002")
    assert out.action == "answer" and "pre-tax, Roth or a mix" in out.answer, out.answer


def test_a_beneficiary_for_ones_own_ira_is_named_with_its_custodian(service: TurnService) -> None:
    # got the plan's beneficiary section (section 10) and its portal
    out = service.run("how do I name a beneficiary for my IRA?", participant="A-1002")
    assert "custodian" in out.answer and "acme-401k/spd#10" not in [c.id for c in out.citations], out.answer
    # near-miss: the plan's own beneficiary keeps the plan's section
    plan = service.run("how do I name a beneficiary for my 401k?", participant="A-1002")
    assert "acme-401k/spd#10" in [c.id for c in plan.citations], plan.answer


def test_what_an_rmd_is_comes_before_the_persons_dates(service: TurnService) -> None:
    # gave Daniel's RMD age and the plan's start rule, never what an RMD is
    out = service.run("What is a required minimum distribution?", participant="A-1002")
    assert out.answer.index("minimum amount each year") < out.answer.index("your RMD age is"), out.answer
    # near-miss: when they start is the dates alone
    when = service.run("when do my RMDs start?", participant="A-1002")
    assert "minimum amount each year" not in when.answer and "your RMD age is" in when.answer, when.answer


def test_contributing_while_repaying_a_loan_is_the_plans_sentence(service: TurnService) -> None:
    # got the largest new loan and the leaving rule, never whether one can keep contributing
    out = service.run("if I take a loan can I still contribute?", participant="A-1003")
    assert "keep contributing while you repay a loan" in out.answer and "largest new loan" not in out.answer
    # near-miss: the loan amount keeps the person's loan figures
    assert "largest new loan you could take" in service.run("how much can I borrow?", participant="A-1003").answer


def test_how_much_employer_money_one_keeps_on_leaving_is_the_vesting_answer(service: TurnService) -> None:
    # read by its nearest example only, under the playbook's bound: the leaving choices first, no vested share
    out = service.run("I'm leaving Cedar next month, how much of the employer money do I keep?", participant="C-2003")
    assert out.intent == "vesting" and "60% vested" in out.answer, out.answer
    # near-miss: keeping the account in the plan stays a leaving question
    stay = service.run("I'm leaving next month, can I keep my money in the plan?", participant="C-2003")
    assert stay.intent == "rollover", stay.answer


def test_how_a_workplace_withdrawal_is_taxed_is_answered_without_a_plan(service: TurnService) -> None:
    # asked anonymously, got "Which plan are you asking about?": the tax on a withdrawal is the law's, not a plan's
    out = service.run("I'm 66 and retired, do I have to pay tax on my 401k withdrawals?")
    assert out.action == "answer" and "taxed as ordinary income" in out.answer, out.answer
    # near-miss: whether one's own plan allows a withdrawal still asks which plan
    assert service.run("does my plan allow in-service withdrawals?").reason == "missing_data"


def test_a_misspelled_loan_rate_question_gets_the_plans_repayment_section(service: TurnService) -> None:
    # "intrest" was read as typed by the playbook's and the anchors' rules: the largest new loan, then the loan
    # section's two best chunks by the query (the amounts and the fee), never the rate
    out = service.run("intrest rate on 403b loans", participant="C-2005")
    assert "prime rate plus 2%" in out.answer and "largest new loan you could take" not in out.answer, out.answer
    # near-miss: leaving with a loan still gets the plan's rule for an unpaid loan at leaving
    leaving = service.run(
        "I'm moving to a different hospital and still owe about 8k on my retirement loan. how long do I have to pay it off?",
        participant="C-2005",
    )
    assert "due within 90 days" in leaving.answer, leaving.answer


# As Kenji (A-1009, 55, a high earner).


def test_an_in_service_withdrawal_at_59_and_a_half_is_the_plans_in_service_rule(service: TurnService) -> None:
    # got the hardship reasons and the loan side by side
    out = service.run("can I take money out at 59 and a half while still working here?", participant="A-1009")
    assert "acme-401k/spd#8.2" in [c.id for c in out.citations] and "hardship" not in out.answer.lower(), out.answer
    # near-miss: taking money out while working, with no age named, keeps the side by side
    side = service.run("can I take money out while I'm still working?", participant="A-1009")
    assert "side by side" in side.answer, side.answer


def test_the_true_up_and_when_it_comes_is_one_question_on_the_true_up(service: TurnService) -> None:
    # "and when does it come?" was a second question (answered with a Pub 590-B page on RMDs); the first got the
    # person's match figures, never the true-up
    out = service.run("how much is the true-up and when does it come?", participant="A-1009")
    assert "acme-401k/spd#4.3" in [c.id for c in out.citations] and "590-B" not in out.answer, out.answer
    # near-miss: two questions on two subjects stay two parts
    from assistant.decisions.parts import questions

    assert len(questions("how much is the true-up? and when can I take a loan?")) == 2


def test_the_most_the_employer_can_put_in_is_the_match_not_the_employee_limit(service: TurnService) -> None:
    # got the employee's own $24,500 limit, which "employer contributions don't count toward"
    out = service.run("what's the max the company can put in for me?", participant="A-1009")
    assert out.intent == "match" and "4% of your eligible pay" in out.answer, out.answer
    # near-miss: the most one can put in oneself keeps the limit
    assert "$24,500" in service.run("what's the max I can put in this year?", participant="A-1009").answer


# As an anonymous visitor, on IRAs.


def test_a_roth_iras_income_limit_and_rmds_are_the_roth_ira_rules(service: TurnService) -> None:
    # "if I make 200k" said it couldn't find this; then the section's tail led with last year's ranges
    income = service.run("can I contribute to a roth ira if I make 200k?")
    assert "$168,000" in income.answer and "For 2025" not in income.answer, income.answer
    # got only the sentence on Roth accounts in 401(k) and 403(b) plans
    rmd = service.run("do I need to take RMDs from a roth ira?")
    assert "original owner of a Roth IRA never has to take required minimum distributions" in rmd.answer, rmd.answer
    # near-miss: last year's figure is kept when last year is asked about
    last = service.run("what was the IRA limit for 2025?")
    assert "$7,000" in last.answer, last.answer


def test_a_couples_limits_and_accounts_are_each_spouses_own(service: TurnService) -> None:
    # "can we each put 24,500 in our own 401ks?" said it couldn't find this; "combine our 401ks" got the roll-in rule
    each = service.run("my wife and I both work, can we each put 24,500 in our own 401ks?", participant="A-1007")
    assert "Each spouse has their own limit" in each.answer, each.answer
    combine = service.run("can my husband and I combine our 401ks?", participant="A-1007")
    assert "cannot combine their accounts" in combine.answer and "roll money into this plan" not in combine.answer
    # near-miss: one's own limit keeps the person's own figures
    own = service.run("how much can I put in my 401k this year?", participant="A-1007")
    assert "the most you can contribute from your own pay" in own.answer, own.answer


def test_a_couples_catch_up_question_keeps_the_persons_own_catch_up(service: TurnService) -> None:
    # the couple section states only the base limit: it answered "can we each do the catch-up?" without any catch-up
    out = service.run("my husband and I both turn 50 this year, can we each do the catch-up?", participant="A-1003")
    assert out.intent == "catch_up" and "$8,000" in out.answer, out.answer


# Eleventh session (7 December 2026): the wrong replies left from the tenth session's reading, asked as Robert
# (A-1004, 61) and Lena (A-1005, repaying a loan).


def test_a_plan_loans_rate_is_the_loan_terms_however_sure_the_out_of_scope_reading(service: TurnService) -> None:
    # the classifier read it out of scope (0.85), as a bank's rates are, and it got the redirect
    out = service.run("what's the interest rate on a loan?", participant="A-1005")
    assert out.intent == "loan" and "prime rate plus 1%" in out.answer, out.answer
    # near-misses: another debt's rates are not the plan's loans (the mortgage one was nearest to a plan-loan
    # example and got the plan's loan terms)
    for other in ("what are mortgage interest rates right now?", "what's the interest rate on my car loan?"):
        reply = service.run(other, participant="A-1005")
        assert reply.reason == "out_of_scope" and "prime rate" not in reply.answer, (other, reply.answer)


def test_who_administers_the_plan_is_a_contact_fact(service: TurnService) -> None:
    # got the out-of-scope redirect; the SPD prints the administrator beside the service center's number
    for question in ("who is my plan administrator?", "who's the plan administrator?"):
        # ("who's the ..." was read as a question about another person and got the privacy refusal)
        out = service.run(question, participant="A-1004")
        assert out.intent == "contact" and "Acme Widgets Retirement Committee" in out.answer, (question, out.answer)
    # near-miss: how to reach the plan is its phone, portal and hours, not who administers it
    reach = service.run("how do I reach you?", participant="A-1004")
    assert "1-800-555-0142" in reach.answer and "Retirement Committee" not in reach.answer, reach.answer


def test_shorthand_reads_as_its_whole_word(service: TurnService) -> None:
    # "fed" and "dist" matched no document word: "I couldn't find this"
    out = service.run("how much fed tax withholding is there on a cash dist?", participant="A-1004")
    assert out.action == "answer" and "20% federal income tax withheld" in out.answer, out.answer
    assert "You reached age 59½" not in out.answer  # withholding, not the person's own 59½ date


def test_a_withdrawal_at_an_age_asked_about_is_the_rule_at_that_age(service: TurnService) -> None:
    # to a man of 61 it said "You reached age 59½ on September 2, 2024, so the 10% additional tax no longer applies"
    out = service.run("what's the penalty if I pull money out at 45?", participant="A-1004")
    assert out.action == "answer" and "before age 59½" in out.answer and "10% additional tax" in out.answer, out.answer
    assert "no longer applies" not in out.answer and "September 2, 2024" not in out.answer
    # near-misses: his own age, and the rule's own age, keep his own date
    for own in (
        "if I retire at 62 and take money out do I pay the 10 percent?",
        "is there a penalty before 59 and a half?",
    ):
        assert "September 2, 2024" in service.run(own, participant="A-1004").answer, own


def test_a_roth_iras_beneficiary_is_named_on_the_custodians_form(service: TurnService) -> None:
    # "roth" reads before "beneficiary" in the topics' rules, and it said it couldn't find this
    out = service.run("who should I put as beneficiary on my roth ira?", participant="A-1004")
    assert "beneficiary designation form" in out.answer and "general/inherited-accounts#2" in [
        c.id for c in out.citations
    ], out.answer
    # near-miss: the plan's own beneficiary is the plan's section
    plan = service.run("how do I change the beneficiary on my 401k?", participant="A-1004")
    assert "general/inherited-accounts#2" not in [c.id for c in plan.citations], plan.answer


# ... and as Walter (C-2006, 73, still working at Cedar Valley).


def test_whether_one_must_take_money_out_yet_is_the_rmd_rule(service: TurnService) -> None:
    # got the in-service withdrawal table (loan, hardship) and not a word on RMDs
    out = service.run(
        "do I have to take money out of my 403b this year even though I still work here?", participant="C-2006"
    )
    assert out.intent == "rmd" and "wait until April 1 after the year you retire" in out.answer, out.answer
    # near-miss: money needed for a bill is not a required distribution
    bill = service.run("do I have to take money out to pay for the hospital bill?", participant="C-2006")
    assert bill.intent != "rmd", bill.answer


def test_grandchildren_are_named_as_grandchildren(service: TurnService) -> None:
    # was told "You can name your children as beneficiaries"
    out = service.run("can I name my grandkids as beneficiaries?", participant="C-2006")
    assert "You can name your grandchildren as beneficiaries" in out.answer, out.answer
    assert "your children" not in out.answer
    kids = service.run("how do I name my kids as beneficiaries?", participant="C-2006")
    assert "You can name your children as beneficiaries" in kids.answer, kids.answer


def test_how_a_withdrawal_is_taxed_is_the_tax_rule_not_the_in_service_table(service: TurnService) -> None:
    # both got the in-service withdrawal table; the state question now gets the glossary's state sentence
    for question in (
        "how are my withdrawals taxed once I retire?",
        "are 403b withdrawals taxed at the state level too?",
    ):
        out = service.run(question, participant="C-2006")
        assert "taxed as ordinary income" in out.answer and "side by side" not in out.answer, (question, out.answer)
        assert "State income tax is set by each state" in out.answer, out.answer
        assert "general/plan-terms#11" in [c.id for c in out.citations]
    # near-miss: taking money out while working keeps the options side by side
    assert "side by side" in service.run("can I take money out while I'm still working?", participant="C-2006").answer


def test_rent_fallen_behind_on_is_a_hardship_reason(service: TurnService) -> None:
    # Aisha (C-2002): nearest a contribution-limit example, it said it couldn't find this
    out = service.run("I'm behind on rent, can I get money out of my 403b?", participant="C-2002")
    assert out.intent == "hardship" and "prevent eviction" in out.answer, out.answer
    # near-miss: a mortgage's rates are still not the plan's business
    assert service.run("what are mortgage interest rates right now?", participant="C-2002").reason == "out_of_scope"


def test_the_workplace_named_by_what_it_is_reads_as_the_employer(service: TurnService) -> None:
    # "the hospital" matched the 403(b) document's "employees of ... hospitals", which led the reply
    out = service.run("is my 403b protected if the hospital goes under?", participant="C-2006")
    protection = out.answer.find("If the employer goes bankrupt")
    definition = out.answer.find("employees of public schools")
    assert protection >= 0 and (definition == -1 or protection < definition), out.answer


def test_a_late_start_to_saving_is_the_limits_documents_section_on_it(service: TurnService) -> None:
    # got the plan's catch-up rule, which starts at 50; asked anonymously about an IRA, "I couldn't find this"
    for question, who in (
        ("I'm 45 with nothing saved, is it too late?", "A-1002"),
        ("I haven't saved anything for retirement, what can I do?", "A-1002"),
        ("is it too late to open an IRA at 60?", None),
    ):
        out = service.run(question, **({"participant": who} if who else {}))
        assert "Contributions can start at any age" in out.answer, (question, out.answer)
        assert "general/contribution-limits-2026#8" in [c.id for c in out.citations]
    # near-miss: a catch-up question keeps the person's own catch-up
    assert "general/contribution-limits-2026#8" not in [
        c.id for c in service.run("how much extra can I put in once I turn 50?", participant="A-1002").citations
    ]


def test_which_firm_to_open_an_account_with_is_the_advice_boundary(service: TurnService) -> None:
    # a product choice between named firms got an unrelated Roth IRA rule
    for question in ("Roth IRA - Vanguard or Fidelity?", "which brokerage should I use for my IRA?"):
        out = service.run(question)
        assert out.reason == "advice" and "personal investment advice" in out.answer, (question, out.answer)
    # near-miss: where an IRA can be opened at all is answered, not refused
    assert service.run("where can I open an IRA?").reason != "advice"


# Twelfth session: the replies left wrong in the eleventh session's note.


def test_falling_behind_on_saving_is_a_late_start(service: TurnService) -> None:
    # said it couldn't find this
    out = service.run("I'm way behind on saving for retirement at 48", participant="A-1002")
    assert "Contributions can start at any age" in out.answer, out.answer
    # near-miss: behind on loan payments is not saving late
    assert (
        "Contributions can start at any age"
        not in service.run("I'm behind on my loan payments, what happens?", participant="A-1005").answer
    )


def test_a_role_the_plans_documents_do_not_name_is_said_to_be_missing(service: TurnService) -> None:
    # "who is the recordkeeper?" quoted the plan administrator's line; "who is the trustee?" an IRS page on trusts
    for question, role in (
        ("who is the recordkeeper for this plan?", "recordkeeper"),
        ("who is the trustee?", "trustee"),
    ):
        out = service.run(question, participant="C-2006")
        assert f"I couldn't find the plan's {role}" in out.answer and "1-800-555-0187" in out.answer, out.answer
        assert "Plan administrator:" not in out.answer and "Publication" not in out.answer
    # near-miss: the administrator the SPD names is still quoted
    assert (
        "Cedar Valley Health Benefits Office"
        in service.run("who is the plan administrator?", participant="C-2006").answer
    )


def test_a_firm_named_alone_is_no_persons_name(service: TurnService) -> None:
    # "schwab" was redacted as a surname, so the advice boundary had nothing to read and the leaving table came
    out = service.run("schwab or vanguard for a rollover IRA?", participant="C-2005")
    assert out.reason == "advice" and "removed personal details" not in out.answer, out.answer


def test_delaying_rmds_after_a_roll_into_an_ira_is_the_rmd_rule(service: TurnService) -> None:
    # got the leaving table
    out = service.run("can I roll my 403b into an IRA after I retire and still delay RMDs?", participant="C-2006")
    assert out.intent == "rmd" and "does not apply to IRAs" in out.answer, out.answer
    # near-miss: rolling into an IRA is still the rollover topic
    assert service.run("can I roll my 403b into an IRA?", participant="C-2006").intent == "rollover"


def test_working_at_a_hospital_is_no_medical_need(service: TurnService) -> None:
    # Grace (C-2004, 62): led with the rule of 55 (a distant example: no playbook); then "your plan accepts
    # hardship withdrawals for medical care"
    out = service.run("I'm 62 and still working at the hospital, can I take some money out now?", participant="C-2004")
    assert out.intent == "distributions" and "while you still work (section 8.2)" in out.answer, out.answer
    assert "medical" not in out.answer and "turn 55" not in out.answer
    # near-miss: a surgery is a medical need
    surgery = service.run("I work at the hospital and need money for my surgery", participant="C-2004")
    assert "hardship withdrawals for medical care" in surgery.answer, surgery.answer


def test_a_couples_stated_ages_are_checked_against_the_record(service: TurnService) -> None:
    # Walter (73) said "we are both 55" and was given his own catch-up at 73
    out = service.run("my wife and I are both 55, how much can we each put in with catch-up?", participant="C-2006")
    assert "does not match the date of birth in your plan record" in out.answer, out.answer
    assert "You turn 73" not in out.answer


def test_retiring_soon_gets_the_leaving_choices_not_the_advice_refusal(service: TurnService) -> None:
    # Marcus (A-1006): "I can't tell you which investments to buy or sell" for a question about his choices
    out = service.run("I'm retiring next month, what should I do with my 401k?", participant="A-1006")
    assert out.intent == "rollover" and "Your choices, side by side" in out.answer, out.answer
    assert "None of these choices is right for everyone" in out.answer
    # near-miss: which fund to buy is still the advice boundary
    assert service.run("which fund should I buy before I retire?", participant="A-1006").reason == "advice"


def test_losing_the_match_on_a_job_switch_is_vesting(service: TurnService) -> None:
    # Elena (C-2005, 3 years of service): got the match formula at her rate
    out = service.run("if I switch jobs do I lose the company match money?", participant="C-2005")
    assert out.intent == "vesting" and "40% vested" in out.answer, out.answer


def test_whether_a_bonus_or_overtime_counts_is_the_eligible_pay_section(service: TurnService) -> None:
    # "do I get matched on my overtime?" said it couldn't find this; "how is the match calculated if I get a
    # bonus?" got the match formula, which does not say
    for question, who, sentence in (
        ("do I get matched on my overtime?", "C-2005", "Bonuses and severance pay are not eligible pay."),
        ("how is the match calculated if I get a bonus?", "C-2005", "Bonuses and severance pay are not eligible pay."),
        ("does my bonus count for the 401k match?", "A-1006", "overtime, commissions and bonuses"),
    ):
        out = service.run(question, participant=who)
        assert sentence in out.answer and out.citations[0].id.endswith("spd#3"), (question, out.answer)
    # near-miss: the match itself keeps the person's figures, not the eligible-pay section
    match = service.run("how much does my employer match?", participant="C-2005")
    assert "can reach 3% of your eligible pay" in match.answer and "Bonuses and severance" not in match.answer


def test_an_age_supposed_is_not_a_record_contradicted(service: TurnService) -> None:
    # Marcus (45) asked "if I'm 62": was told his age doesn't match his record
    out = service.run("can I contribute more than 24500 if I'm 62?", participant="A-1006")
    assert "does not match the date of birth" not in out.answer and "60, 61, 62 or 63" in out.answer, out.answer
    assert "You turn 45" not in out.answer
    # near-miss: an age given as his own still is
    said = service.run("I'm 62, can I contribute more than 24500?", participant="A-1006")
    assert "does not match the date of birth" in said.answer, said.answer


def test_whether_a_roll_into_a_roth_ira_is_taxed_is_the_rollover_tax_rule(service: TurnService) -> None:
    # got the leaving table, whose "a direct rollover is not taxed" is wrong for a Roth IRA
    out = service.run("do I pay taxes when I roll my 401k into a roth ira?", participant="A-1006")
    assert "Rolling pre-tax money into a Roth IRA is a Roth conversion" in out.answer, out.answer
    assert "Your choices, side by side" not in out.answer
    # near-miss: leaving the job keeps the choices side by side
    assert (
        "side by side"
        in service.run("I'm leaving my job, do I owe tax if I roll it over?", participant="A-1006").answer
    )


# ... and a third reading, asked anonymously.


def test_an_heir_asking_anonymously_gets_the_inherited_account_rules_only(service: TurnService) -> None:
    # guessed as a rollover: the 10-year rule, then the rollover document's "An IRA usually offers a wider range of
    # investments than a plan"
    out = service.run("I inherited an IRA from my aunt, do I have to empty it in 10 years?")
    assert "by December 31 of the tenth year" in out.answer, out.answer
    assert "wider range of investments" not in out.answer


def test_an_account_from_an_old_job_to_find_is_the_section_on_finding_one(service: TurnService) -> None:
    # got the four choices on leaving a job
    for question in (
        "how do I find an old 401k from a job I left years ago?",
        "I think I forgot about a 403b from my first job, how can I track it down?",
    ):
        out = service.run(question)
        assert "Retirement Savings Lost and Found" in out.answer, (question, out.answer)
        assert out.citations[0].id == "general/rollovers#7" and "Four common choices" not in out.answer
        assert "at least 15 years" not in out.answer  # an aside at 0.1 from another passage
    # near-miss: money lost in the market is not an account to find
    assert "Lost and Found" not in service.run("I lost money in my 401k this year", participant="A-1006").answer


def test_a_forms_own_lines_are_never_an_answer(service: TurnService) -> None:
    # after the RMD document's QCD rule: Pub 590-B's "Enter the total amounts of qualified charitable distributions
    # made during the current year" and a worksheet heading
    out = service.run("what is a qualified charitable distribution?")
    assert "qualified charitable distribution (QCD)" in out.answer, out.answer
    assert "Enter the total" not in out.answer and "Keep for Your Records" not in out.answer


def test_a_relatives_year_of_death_rmd_is_the_heirs_rule(service: TurnService) -> None:
    # the rule was the best candidate at 0.37, under the gate (no inherited-account anchor): "I couldn't find this"
    out = service.run("dad died in march at 80 before taking this year's RMD. who has to take it?")
    assert "the beneficiary is responsible for taking the rest of it" in out.answer, out.answer
    # near-miss: a funeral after a death is still the person's own hardship withdrawal
    funeral = service.run("my dad died, can I take a hardship withdrawal for the funeral?", participant="C-2002")
    assert "hardship withdrawals for funeral or burial expenses" in funeral.answer, funeral.answer


def test_a_roth_conversion_question_reads_the_conversions_document(service: TurnService) -> None:
    # said it couldn't find this (the sentence was among the hits at 0.30, under the gate)
    out = service.run("can I convert my traditional IRA to roth in pieces over several years?")
    assert "convert all of a traditional IRA or only part of it" in out.answer, out.answer
    # near-miss: a backdoor Roth keeps the Roth IRA document's definition, without the in-plan conversion section
    backdoor = service.run("how does a backdoor roth work?")
    assert "backdoor Roth IRA is the informal name" in backdoor.answer and "in-plan" not in backdoor.answer


# ... and a fourth reading: IRAs in my own words, asked anonymously.


@pytest.mark.parametrize(
    "question,section,sentence",
    [
        # said it couldn't find this
        ("my husband doesn't work, can he still have an IRA?", "general/traditional-ira#7", "A spousal IRA lets"),
        # led with the IRA contribution limit, which a rollover does not count toward
        (
            "is there a limit on how much I can roll over from my 401k to an IRA?",
            "general/rollovers-transfers#5",
            "has no dollar limit",
        ),
        # said it couldn't find this
        ("can I take a loan from my IRA?", "general/traditional-ira#10", "cannot make loans to its owner"),
        # got two exceptions and never 59½
        (
            "what's the age when I can take from my IRA without the 10% penalty?",
            "general/additional-tax#1",
            "before age 59½ is generally subject to a 10% additional tax",
        ),
        # was out of scope
        ("can I use my IRA to fund my HSA?", "general/traditional-ira#11", "qualified HSA funding distribution"),
        # knew "stays at home", not "stays home": said it couldn't find this
        ("my wife stays home with the kids, can I open an IRA for her?", "general/traditional-ira#7", "A spousal IRA"),
        # never said a contribution needs pay for work
        (
            "can I still put money in a roth ira if I'm retired and have no job?",
            "general/roth-ira#12",
            "pensions, Social Security benefits, interest and other investment income are not compensation",
        ),
        ("I lost my job, can I still contribute to my IRA?", "general/traditional-ira#2", "Anyone with taxable"),
    ],
)
def test_an_ira_question_one_general_section_answers(
    service: TurnService, question: str, section: str, sentence: str
) -> None:
    out = service.run(question)
    assert sentence in out.answer and section in [c.id for c in out.citations], out.answer


def test_near_misses_of_the_ira_sections(service: TurnService) -> None:
    # an HSA alone is still out of scope; how many rollovers a year is the once-a-year rule
    assert service.run("how much can I put in my HSA this year?").reason == "out_of_scope"
    assert "only one 60-day rollover" in service.run("how many times a year can I roll over an IRA?").answer
    # a plan loan keeps the plan's loan terms
    assert "traditional-ira" not in " ".join(
        c.id for c in service.run("can I take a loan from my 401k?", participant="A-1006").citations
    )


@pytest.mark.parametrize(
    "question",
    [
        "where can I find my 401k balance?",
        "where do I find the forms for a 401k loan",
        "find the best 401k provider",
        "I lost money in my 401k this year",
        "how much should I roll over into a roth each year?",
        "how much of my rollover is taxable?",
        "can I contribute to a roth ira?",
        "I have a roth ira and I'm retired, how do I take money out?",
        "my wife stays home, should we roll her 401k?",
        "I inherited a roth ira and I'm retired, can I add to it?",
    ],
)
def test_words_that_only_look_like_a_general_sections_question(question: str) -> None:
    # the first patterns for an account to find and an amount to roll over read "find ... 401k" and "how much ... roll"
    # anywhere: "where can I find my 401k balance?" would have got the section on finding an old job's account
    from assistant.decisions.definitions import general_section

    assert general_section(question) is None


def test_a_balance_to_find_is_the_persons_own_balance(service: TurnService) -> None:
    out = service.run("where can I find my 401k balance?", participant="A-1006")
    assert "Lost and Found" not in out.answer and "general/rollovers#7" not in [c.id for c in out.citations], out.answer


def test_a_lost_account_read_as_a_beneficiary_question_still_gets_the_section_on_finding_one(
    service: TurnService,
) -> None:
    # read as a beneficiary question (a loss is a death), which no general section answered: "Which plan?"
    out = service.run("How can I find a lost 401K from a past employer?")
    assert "Retirement Savings Lost and Found" in out.answer, out.answer
    # near-miss: "too late" in a beneficiary question is no late start to saving
    late = service.run("my wife died, is it too late to change my beneficiary?", participant="A-1009")
    assert "Contributions can start at any age" not in late.answer, late.answer


# Thirteenth session (7 December 2026): the replies the twelfth session's note left wrong.


def test_going_part_time_is_the_plans_sentences_on_hours(service: TurnService) -> None:
    # got the person's match figures at her rate, never what fewer hours change
    out = service.run("what happens to my 403b match if I go part time?", participant="C-2005")
    assert "Part-time employees can contribute too" in out.answer, out.answer
    assert "paid for at least 1,000 hours" in out.answer and "You earn a year of vesting service" in out.answer
    vesting = service.run("if I go part time do I keep earning vesting years?", participant="C-2005")
    assert "You earn a year of vesting service for each calendar year" in vesting.answer, vesting.answer
    # near-miss: the match itself keeps the person's figures
    plain = service.run("how much is my match?", participant="C-2005")
    assert "Part-time" not in plain.answer and "$" in plain.answer, plain.answer


# Read as Harold (A-1008, 72, retired from Acme in 2022).


def test_an_obligation_is_no_availability_question(service: TurnService) -> None:
    # "is ... acme 401k. do I have" read across the sentence as "does the plan have X?" with X = "move": handed off
    out = service.run(
        "I retired a few years ago and my money is still in the acme 401k. do I have to move it?", participant="A-1008"
    )
    assert out.action == "answer" and "leave your money in the plan" in out.answer, out.answer
    # near-miss: a real availability question about a word no plan document uses is still handed off
    assert service.run("does the plan offer a brokerage window?", participant="A-1008").reason == "no_source"


def test_giving_an_rmd_to_charity_is_the_qcd_rule_and_its_ira_only_limit(service: TurnService) -> None:
    # got the RMD dates and the penalty for a missed RMD
    out = service.run("can I give my RMD to my church instead of paying tax on it?", participant="A-1008")
    assert "qualified charitable distribution" in out.answer and "cannot be made from a 401(k)" in out.answer, (
        out.answer
    )
    # near-miss: a gift at death is a beneficiary question
    will = service.run("I want to leave my 401k to my church when I die", participant="A-1008")
    assert "qualified charitable distribution" not in will.answer, will.answer


def test_a_spouses_choices_after_the_askers_death_are_the_inherited_account_rules(service: TurnService) -> None:
    # got the asker's own leaving choices side by side
    out = service.run("my wife is 65, can she roll it into her own IRA after I'm gone?", participant="A-1008")
    assert "general/inherited-accounts#5" in [c.id for c in out.citations], out.answer
    assert "Your choices, side by side" not in out.answer


def test_an_annuity_bought_with_plan_money_is_the_annuity_section(service: TurnService) -> None:
    # read as a loan question: "I couldn't find this"
    out = service.run("I want to buy an annuity with part of my 401k, can I?", participant="A-1008")
    assert "general/pensions-annuities#9" in [c.id for c in out.citations], out.answer
    # near-miss: a pension's own annuity is the pension's lump-sum section, not this one
    from assistant.decisions.definitions import general_section

    assert general_section("should I take my pension as an annuity or lump sum?") is None


def test_changing_ones_own_address_is_how_to_reach_the_service_center(service: TurnService) -> None:
    # said the plan's documents print no mailing address
    out = service.run("how do I change my address with the plan?", participant="A-1008")
    assert "1-800-555-0142" in out.answer and "couldn't find" not in out.answer, out.answer
    assert "5 business days" not in out.answer
    # near-miss: the plan's own mailing address, which its documents do not print, is still said to be missing
    assert (
        "couldn't find a mailing address"
        in service.run("what's the plan's mailing address?", participant="A-1008").answer
    )


# Read as Sofia (A-1007, 29, Acme, newly married).


def test_a_raise_to_ones_401k_is_the_contribution_decision(service: TurnService) -> None:
    # read as a loan question: "I couldn't find this"
    out = service.run("I just got a raise, should I bump up my 401k?", participant="A-1007")
    assert out.intent == "match" and "How much to contribute is your decision" in out.answer, out.answer
    # saving while paying off student loans is the same decision (it was read as a rollover and handed off)
    loans = service.run(
        "I'm paying off student loans, is it dumb to save for retirement right now?", participant="A-1007"
    )
    assert loans.intent == "match" and loans.action == "answer", loans.answer
    # near-miss: keeping one's 401k after leaving is no contribution decision
    assert service.run("should I keep my 401k at acme after I leave?", participant="A-1007").intent != "match"


def test_the_match_money_on_leaving_is_the_vested_share(service: TurnService) -> None:
    # got the match formula and her match at 5%
    out = service.run("if I leave acme next year what happens to the match money?", participant="A-1007")
    assert out.intent == "vesting" and "vested in employer contributions" in out.answer, out.answer


def test_a_rate_that_is_not_the_one_chosen_is_the_rate_change_section(service: TurnService) -> None:
    # was a distant example and said it couldn't find this
    out = service.run("my paycheck says 4% but I wanted 6%, how do I fix it?", participant="A-1007")
    assert "You can change your rate on the Benefits portal at any time" in out.answer, out.answer


def test_a_roth_ira_beside_a_401k_keeps_the_sentence_that_says_so(service: TurnService) -> None:
    # the compensation rule, once added to the Roth IRA's first section, pushed this sentence out of the reply
    out = service.run("can I have a roth ira and a 401k at the same time?", participant="A-1007")
    assert "does not stop a person from opening and contributing to a Roth IRA" in out.answer, out.answer


# Read as Tom (C-2003, Cedar 403(b)) again: the replies the thirteenth session left wrong.


def test_shifts_cut_is_going_part_time(service: TurnService) -> None:
    # got the person's match figures, never what fewer hours change
    out = service.run("my boss cut my shifts to 3 days a week, will I still get the match?", participant="C-2003")
    assert "if your hours are cut you can keep contributing" in out.answer and "1,000 hours" in out.answer, out.answer


def test_a_spouse_moving_the_account_after_the_askers_death_is_the_inherited_account_rule(
    service: TurnService,
) -> None:
    # "move" was not among the death pattern's verbs: got the asker's own leaving choices
    out = service.run("once I die can my husband move my 403b into an IRA of his own?", participant="C-2003")
    assert "general/inherited-accounts#5" in [c.id for c in out.citations], out.answer
    assert "roll an inherited plan account into their own IRA" in out.answer


@pytest.mark.parametrize(
    "question",
    [
        "my 403b contribution shows 3% but I picked 5% last month, what do I do?",
        "I wanted 8% but they took 4%, can I change it?",
    ],
)
def test_a_rate_taken_that_is_not_the_one_chosen_is_no_what_if(service: TurnService, question: str) -> None:
    # was a what-if: "If you changed your contribution from 6% to 5% ..."
    out = service.run(question, participant="C-2003")
    assert "You can change your rate on the MyBenefits site at any time" in out.answer, out.answer
    assert "If you changed your contribution" not in out.answer
    # near-miss: a what-if keeps its figures
    what_if = service.run("what if I raised my contribution to 8%?", participant="C-2003")
    assert "If you changed your contribution from 6% to 8%" in what_if.answer, what_if.answer


# Read as Aisha (C-2002, 41, Cedar 403(b), facing a hardship).


@pytest.mark.parametrize(
    "question",
    [
        "is a car repair a hardship?",
        "is it smart to use my retirement money to pay off credit cards?",
        "my roommate's car got totaled, can I take a hardship withdrawal to help?",
    ],
)
def test_a_need_no_hardship_reason_covers_is_said_to_be_none(service: TurnService, question: str) -> None:
    # got the plan's reasons as if the need might be one ("credit cards" and a car were not read as needs)
    out = service.run(question, participant="C-2002")
    assert "the need may not be one of the reasons your plan accepts" in out.answer, out.answer
    # near-miss: a need the plan accepts is said to be accepted
    bill = service.run("I need money for a hospital bill, can I use my 403b?", participant="C-2002")
    assert "Your plan accepts hardship withdrawals for medical care expenses" in bill.answer, bill.answer


def test_proof_of_a_hardship_is_the_self_certification_rule(service: TurnService) -> None:
    # got the plan's list of reasons and the loan side by side
    out = service.run("do I need to show proof for a hardship?", participant="C-2002")
    assert "general/loans-vs-hardship#5" in [c.id for c in out.citations], out.answer
    assert "certify in writing" in out.answer
    # near-miss: which needs count keeps the plan's own list
    reasons = service.run("what counts as a hardship in my plan?", participant="C-2002")
    assert "funeral or burial expenses" in reasons.answer and "certify" not in reasons.answer, reasons.answer


def test_a_relatives_medical_bill_is_whose_need_counts(service: TurnService) -> None:
    # was told the plan accepts medical care expenses, which count only for a spouse, dependents and the beneficiary
    out = service.run("my mom is sick and I need to pay her hospital bill, can I use my 403b?", participant="C-2002")
    assert "a parent's medical bills count only if the parent is your dependent" in out.answer, out.answer
    # near-miss: a child's tuition is a reason the plan's list covers, with the loan beside it
    son = service.run("can I use a hardship withdrawal for my son's college tuition?", participant="C-2002")
    assert "tuition and education expenses" in son.answer and "Loan:" in son.answer, son.answer


def test_a_parents_funeral_paid_from_the_plan_is_a_hardship_question(service: TurnService) -> None:
    # read as a death only: "name a new beneficiary"
    out = service.run("my dad passed away, can I use my 403b for his funeral?", participant="C-2002")
    assert out.intent == "hardship" and "funeral or burial expenses" in out.answer, out.answer
    assert out.answer.startswith("I'm very sorry for your loss.")
    # near-miss: a spouse's death and the account it leaves stays the beneficiary topic
    assert service.run("my husband died, what happens to his 403b?", participant="C-2002").intent == "beneficiary"


# Read as Walter (C-2006, 73, Cedar 403(b), past the RMD age and still working).


def test_contributing_at_an_older_age_is_the_section_on_saving_at_any_age(service: TurnService) -> None:
    # got the leaving choices side by side
    out = service.run("can I still contribute to my 403b at my age?", participant="C-2006")
    assert "Retirement plan contribution limits for 2026, section 8: Contributions can start at any age" in out.answer
    assert "Your choices, side by side" not in out.answer, out.answer
    # near-miss: saving after leaving the job keeps the leaving choices
    after = service.run("can I keep saving in my 403b after I leave?", participant="C-2006")
    assert "Your choices, side by side" in after.answer, after.answer


def test_an_iras_rmds_while_still_working_are_the_rmd_comparison(service: TurnService) -> None:
    # read as a rollover: "I couldn't find this"; then led with nondeductible IRA contributions
    out = service.run(
        "I have an IRA from my old job too, does the still-working rule apply to it?", participant="C-2006"
    )
    assert out.intent == "rmd" and out.answer.startswith("Required minimum distributions (RMDs), section 6:"), (
        out.answer
    )
    assert "does not apply to IRAs" in out.answer and "nondeductible" not in out.answer
    # near-miss: the plan's own RMDs while working keep the person's figures and the plan's delay
    own = service.run("I'm 73 and still working, do I have to take RMDs from my 403b?", participant="C-2006")
    assert "Because you still work for Cedar Valley Health System" in own.answer, own.answer


def test_two_rmds_in_one_year_is_the_section_that_says_so(service: TurnService) -> None:
    # got the first RMD's date only
    out = service.run("if I retire in March, do I have to take two RMDs next year?", participant="C-2006")
    assert "Delaying the first one to April 1 means two RMDs in the same year" in out.answer, out.answer


# Read as Grace (C-2004, 62, Cedar 403(b), a high earner in a plan without Roth).


def test_roth_conversions_before_retiring_are_the_conversion_rules(service: TurnService) -> None:
    # "before I retire" read it as leaving the job: the leaving choices side by side
    out = service.run("should I do Roth conversions before I retire?", participant="C-2004")
    assert out.intent == "roth" and "Roth conversions, section" in out.answer, out.answer
    assert "Your choices, side by side" not in out.answer
    # near-miss: the account on retiring keeps the leaving choices
    assert service.run("what should I do with my 403b when I retire?", participant="C-2004").intent == "rollover"


def test_how_long_savings_last_is_no_forecast(service: TurnService) -> None:
    # got the in-service withdrawal options side by side
    out = service.run("how long will my money last if I withdraw 4% a year?", participant="C-2004")
    assert out.intent == "account" and "I can't project your balance or how long it will last" in out.answer, out.answer
    # near-miss: the balance today is no forecast
    today = service.run("what's my balance?", participant="C-2004")
    assert "$454,000" in today.answer and "project" not in today.answer, today.answer


@pytest.mark.parametrize(
    "question", ["I make 182k, can I still deduct a traditional IRA contribution?", "can I deduct my IRA contribution?"]
)
def test_deducting_an_ira_contribution_is_the_phase_out_section(service: TurnService, question: str) -> None:
    # got "depending on your income" and the nondeductible rule; without an income, "I couldn't find this"
    out = service.run(question, participant="C-2004")
    assert "between $81,000 and $91,000 of MAGI" in out.answer, out.answer
    # near-miss: a spouse covered at work is the next section's rule, not this pattern's
    from assistant.decisions.definitions import general_section

    assert general_section("my wife has a 401k and I make 60k, can I deduct my IRA?") is None


# Fifteenth session (7 December 2026): the replies the fourteenth session left wrong, read as Lena (A-1005, a loan).


def test_what_is_still_owed_on_a_loan_is_the_balance_in_the_record(service: TurnService) -> None:
    # "how much do I still owe on my 401k loan?" got the largest new loan
    for question in (
        "how much do I still owe on my 401k loan?",
        "what's my loan balance?",
        "whats the payoff amount on my 401k loan",
    ):
        out = service.run(question, participant="A-1005")
        assert "about $5,000 still owed on your plan loan (1 outstanding)" in out.answer, out.answer
        assert "largest new loan" not in out.answer and "loan_balance_owed" in [f.name for f in out.figures]
    # near-miss: how much can be borrowed keeps the new-loan figures
    more = service.run("how much more can I borrow?", participant="A-1005")
    assert "largest new loan you could take now is about $16,000" in more.answer, more.answer


def test_a_mistake_on_ones_own_statement_is_the_plans_service_line_only(service: TurnService) -> None:
    # also got two Pub. 590-A lines, whose page names mistakes
    out = service.run("who do I contact about a mistake on my statement?", participant="A-1005")
    assert "1-800-555-0142" in out.answer and "Publication" not in out.answer, out.answer
    # near-miss: a body outside the plan named keeps its own lines (reaching the IRS was read as a beneficiary question)
    from assistant.decisions.playbooks.contact import OUTSIDE_BODY, OWN_ACCOUNT

    irs = "how do I contact the IRS about my 401k?"
    assert service.run(irs, participant="A-1005").intent == "contact"
    assert OWN_ACCOUNT.search(irs) and OUTSIDE_BODY.search(irs)


# Sixteenth session (7 December 2026): the replies the fifteenth session's review left wrong, read as Lena (A-1005).


def test_a_wrecked_truck_is_a_need_no_hardship_reason_covers_with_the_ways_to_get_money(service: TurnService) -> None:
    # was read as a loan question and answered "I couldn't find this in your plan documents"
    out = service.run("my truck got wrecked, can i pull money from the 401k", participant="A-1005")
    assert out.intent == "hardship" and "may not be one of the reasons your plan accepts" in out.answer, out.answer
    assert "- Loan: you could borrow up to about $16,000" in out.answer
    # near-miss: asking to borrow for it stays a loan question
    assert service.run("can I borrow from my 401k, my car broke down", participant="A-1005").intent == "loan"


def test_whether_the_match_is_taxed_is_the_tax_rule_not_the_match_figures(service: TurnService) -> None:
    # got the match formula and the person's match figures
    out = service.run("is my company match taxed when it goes in", participant="A-1005")
    assert "The employer match is not taxed when it goes into your account" in out.answer, out.answer
    assert "$2,640" not in out.answer
    # near-miss: pre-tax named in a match question keeps the figures
    figures = service.run("if I put in 6% pre-tax how much match do I get?", participant="A-1005")
    assert "annual_match" in " ".join(f.name for f in figures.figures), figures.answer


def test_tax_withheld_from_a_hardship_withdrawal_is_the_withholding_rule(service: TurnService) -> None:
    # got the side-by-side of loan and withdrawal, which never says what is withheld
    for question in (
        "if I take a hardship withdrawal how much tax gets withheld",
        "how much will they take out for taxes if I do a hardship withdrawal",
    ):
        out = service.run(question, participant="A-1005")
        assert "withholds 10% for federal income tax" in out.answer and "Form W-4R" in out.answer, out.answer
        assert "side by side" not in out.answer
    # near-miss: a hardship question without withholding keeps the side-by-side
    assert "side by side" in service.run("can I take a hardship withdrawal?", participant="A-1005").answer


@pytest.mark.parametrize(
    ("question", "line", "not_shown"),
    [
        ("how do I get in touch with the PBGC", "1-800-400-7242", "insures most private-sector"),
        ("how do i contact the IRS about my IRA", "800-829-1040", "FormComments"),
        ("how do I contact the IRS about my 401k?", "800-829-1040", "FormComments"),
        ("what's the phone number for social security?", "1-800-772-1213", "1-800-555-0142"),
        (
            "can I report my employer to the labor department for not depositing my 401k money",
            "1-866-444-3272",
            "1-800-555-0142",
        ),
    ],
)
def test_a_body_outside_the_plan_is_reached_on_its_own_line(
    service: TurnService, question: str, line: str, not_shown: str
) -> None:
    # the PBGC question got what the PBGC is and no way to reach it; the IRS question led with the plan's service line,
    # then Pub. 590-A's address for comments on the form, with the street address redacted
    out = service.run(question, participant="A-1005")
    assert out.intent == "contact" and line in out.answer, out.answer
    assert not_shown not in out.answer and "[STREET_ADDRESS" not in out.answer
    assert out.answer.index(line) < out.answer.find("1-800-555-0142") or "1-800-555-0142" not in out.answer


def test_stock_options_are_out_of_scope_not_the_plans_investment_options(service: TurnService) -> None:
    # got the advice boundary's offer to explain "how your plan's options work"
    out = service.run("I have stock options vesting next year, what should I do with them", participant="A-1005")
    assert out.reason == "out_of_scope" and "plan's options" not in out.answer, out.answer
    # near-miss: advice about the plan's own funds keeps the advice boundary
    assert service.run("should I move my 401k into the bond fund?", participant="A-1005").reason == "advice"


def test_a_loan_for_a_need_the_person_chooses_says_the_choice_is_theirs(service: TurnService) -> None:
    # the loan figures for a wedding ended with no line that the decision is the person's
    out = service.run("can I borrow from my 401k to pay for my wedding", participant="A-1005")
    assert "Whether to borrow is your choice" in out.answer, out.answer


def test_an_age_asked_about_for_catch_up_says_which_amount_applies(service: TurnService) -> None:
    # Grace (62, high earner, plan without Roth) got the plan's sentence for 50 and for 60 to 63, never which applies
    # at 64, nor that her own plan takes no catch-up from her
    out = service.run("how much extra can I put in when I turn 64", participant="C-2004")
    assert out.intent == "catch_up" and "the higher amount is only for ages 60 to 63" in out.answer, out.answer
    assert "you cannot make catch-up contributions in this plan" in out.answer
    at_61 = service.run("how much more can I contribute at 61", participant="A-1002")
    assert "the higher catch-up for ages 60 to 63 applies" in at_61.answer, at_61.answer
    # near-miss: her own catch-up this year keeps her own figures
    own = service.run("how much catch-up can I make this year", participant="C-2004")
    assert "your_catch_up_limit" in [f.name for f in own.figures] and "At that age" not in own.answer


def test_state_tax_on_withdrawals_is_the_glossarys_tax_section(service: TurnService) -> None:
    # "couldn't find this in your plan documents": the glossary that says so is not searched for a participant
    out = service.run("do I have to pay state tax on my 401k if I move to Florida", participant="C-2004")
    assert "states without an income tax do not tax them" in out.answer, out.answer
    # near-miss: the state a plan is governed by is no tax question
    from assistant.decisions.definitions import STATE_TAX

    assert not STATE_TAX.search("which state's law governs my plan?")


# ... and as Harold (A-1008, 72, retired, widowed).


def test_a_widower_asking_who_gets_his_account_is_never_told_his_spouse_is_his_beneficiary(
    service: TurnService,
) -> None:
    # got "your spouse generally has a legal right to your account" and "your spouse is automatically your
    # beneficiary" (the route was a distant example, so the gated sentences answered)
    out = service.run("my wife passed last year, who gets my 401k now", participant="A-1008")
    assert out.intent == "beneficiary" and "name a new one" in out.answer, out.answer
    assert "your spouse is automatically your beneficiary" not in out.answer.lower()
    assert "legal right to your account" not in out.answer
    # near-miss: a married person asking who gets the account keeps the spouse's right
    married = service.run("who gets my 401k if I die?", participant="A-1003")
    assert "spouse" in married.answer.lower(), married.answer


def test_the_spouses_right_is_dropped_from_gated_sentences_when_the_spouse_died() -> None:
    from assistant.decisions.extractive import SPOUSE_DEFAULT

    assert SPOUSE_DEFAULT.search("If you are married, your spouse is automatically your beneficiary for 100%.")
    assert SPOUSE_DEFAULT.search("In a 401(k) plan, your spouse generally has a legal right to your account.")
    # near-miss: a sentence on naming beneficiaries stays
    assert not SPOUSE_DEFAULT.search("You name beneficiaries on the Benefits portal.")


@pytest.mark.parametrize(
    "question",
    [
        "I'm 72 and retired, how much do I have to take out this year",
        "can I just leave everything in the 401k and not take anything",
    ],
)
def test_having_to_take_money_out_when_retired_is_the_rmd_question(service: TurnService, question: str) -> None:
    # the first got his account balance ("how much do I have" read as the balance), the second the loan rules
    out = service.run(question, participant="A-1008")
    assert out.intent == "rmd" and "your RMD age is 73, which you reach in 2027" in out.answer, out.answer
    # near-miss: how much is in the account keeps the balance
    assert service.run("how much do I have in my 401k", participant="A-1008").intent == "account"


# ... and as Marcus (A-1006, changing jobs).


def test_how_long_money_may_stay_in_the_old_plan_is_the_plans_sentence(service: TurnService) -> None:
    # got the leaving table, which never says how long the choice may wait
    out = service.run("how long do I have to decide what to do with my 401k after I leave", participant="A-1006")
    assert "you can leave your money in the plan (if your vested balance is more than $7,000)" in out.answer, out.answer
    assert "side by side" not in out.answer
    # near-miss: what happens to the account when leaving keeps the table
    assert (
        "side by side" in service.run("I'm leaving for a new job, what happens to my 401k", participant="A-1006").answer
    )
