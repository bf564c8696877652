"""Where the answer to an intent must come from: the section of the plan's SPD that states its rules
(the intent's `plan_section`), then a general education document (`general_anchor`). The query picks
the best chunks inside each scope, so "how many loans" lands on the number-of-loans section."""

from __future__ import annotations

import re

from assistant.decisions.definitions import (
    ACCOUNT_TYPES,
    BOTH_ACCOUNTS,
    COUPLE_ACCOUNTS,
    COUPLE_TOPICS,
    INHERITED_RULES,
    OWN_IRA_BENEFICIARY,
    PART_TIME,
    PART_TIME_TOPICS,
    PAY_COMPONENT,
    PLAN_TERM,
    RATE_CHANGE,
    ROLLOVER_RULE,
    ROLLOVER_TAX,
    SELF_EMPLOYED,
    TAXES_EXPLAINED,
    WITHDRAWAL_TAX,
    general_section,
)
from assistant.decisions.intents import Intent
from assistant.decisions.life_events import DIVORCE_WORDS, heir_of_another
from assistant.decisions.playbooks.leaving import ROLL_IN
from assistant.decisions.playbooks.loan import LOAN_TAX, LOAN_TERMS
from assistant.records.provisions import PlanProvisions
from assistant.retrieval.retriever import GENERAL, Anchor

# Life events named in the question pick the education section about them.
LIFE_EVENTS = [
    (re.compile(r"\b(re)?(marri|marry|wedding|fianc)", re.I), "1"),
    (DIVORCE_WORDS, "2"),
    # naming children (a minor cannot manage an inheritance: a trust or custodian) is in the section on a new
    # child ("how do I name my kids as beneficiaries?" got the marriage section's spouse rule)
    (re.compile(r"\b(baby|child|children|kids?|sons?|daughters?|minors?|birth|born|adopt)", re.I), "3"),
    (re.compile(r"\b(died|death|passed away|widow)", re.I), "4"),
]


# An individual account the question names: its own general document states its rules (the account types
# without the workplace plans, whose limit is the plan's own).
ACCOUNT_DOCS = [
    (rx, doc_id) for rx, doc_id in ACCOUNT_TYPES if doc_id not in ("general/403b-plans", "general/457b-plans")
]


def account_type_anchors(text: str) -> list[Anchor]:
    """The documents of the accounts named; none named, a self-employed person's accounts (SEP IRA, solo 401(k)),
    or else the IRAs anyone with pay can open (a job with no workplace plan)."""
    named = [Anchor(doc_id, None, 2) for rx, doc_id in ACCOUNT_TYPES if rx.search(text)]
    if named:
        return named
    if SELF_EMPLOYED.search(text):
        return [Anchor("general/sep-ira", "1"), Anchor("general/solo-401k", "1")]
    return [Anchor("general/traditional-ira", "1"), Anchor("general/roth-ira", "1")]


ACCOUNT_TOPICS = frozenset({"contribution_limit", "catch_up"})
"""topics whose rule is the account's own limit (with Roth, early-withdrawal and RMD topics the anchor's
lower threshold answered generic questions with an unrelated section of the Roth IRA document: dev
IRS irrelevant 22.0 -> 28.0%)"""
NOT_GENERAL_SECTION = frozenset({"investment_advice", "human", "greeting", "out_of_scope", "contact"})
"""topics whose rule a question one general section answers (`GENERAL_SECTIONS`: a late start to saving, an account from
an old job to be found) never is; it is read as whatever topic is nearest ("is it too late?" was nearest a catch-up
example, "I haven't saved anything for retirement" a withdrawal one; "How can I find a lost 401K from a past employer?"
was read as a beneficiary question, whose loss is a death)"""
WORKPLACE = re.compile(r"\b(401\s?\(?k\)?|403\s?\(?b\)?|457|(my|our|the|this|your) plan|employer|company|job)\b", re.I)


def account_anchor(text: str) -> Anchor | None:
    """The general document of the individual account a question names ("how much can i put in an IRA
    this year if i'm 52?" had only the plan's 401(k) limit sections anchored and said it didn't know)."""
    doc_id = next((d for rx, d in ACCOUNT_DOCS if rx.search(text)), None)
    return Anchor(doc_id, None, 2) if doc_id else None


EARLY_WITHDRAWAL_RULES = [
    (re.compile(r"\broth iras?\b", re.I), Anchor("general/roth-ira", "5")),
    (re.compile(r"\biras?\b", re.I), Anchor("general/early-withdrawal-exceptions", None, 2)),
]
"""an early withdrawal from an IRA the question names, not from a workplace plan: the section that decides
it (a Roth IRA's contributions come out first, free of tax and of the 10%; "what's the penalty for
withdrawing from a roth ira early?" found no Roth IRA passage among its hits and said it didn't know)"""


ROTH_IRA_NAMED = re.compile(r"\broth iras?\b", re.I)
CONVERSION = re.compile(r"\b(convert\w*|conversions?)\b", re.I)
INCOME = re.compile(
    r"\b(income|magi|agi|salary|earn\w*|make|makes|making|made)\b.{0,30}(\$?\d[\d,.]*\s?(k|K|thousand)?\b|too much)"
    r"|\bincome (limit|cap|phase[- ]?out)s?\b|\btoo much (money|income)\b",
    re.I,
)
"""an income named or asked about ("can I contribute to a roth ira if I make 200k?")"""
ROTH_IRA_WITHDRAWAL = re.compile(
    r"\broth iras?\b.{0,60}\b(withdraw\w*|tak(e|ing) (\w+ )?out|took (\w+ )?out|pull\w* (\w+ )?out|cash\w* out|get (it|them|\w+ \w+) back)\b"
    r"|\b(withdraw\w*|tak(e|ing) (\w+ )?out|took (\w+ )?out|pull\w* (\w+ )?out|cash\w* out)\b.{0,60}\broth iras?\b",
    re.I,
)
"""money taken out of a Roth IRA, asked as a Roth question ("if I take out a roth ira contribution I made 3
years ago do I owe anything?" was routed to the Roth topic and said it didn't know): the early-withdrawal rule
of the Roth IRA decides it"""

CREDITORS = re.compile(
    r"\b(sued|sue me|lawsuits?|judgments?|creditors?|debt collectors?|collections? agenc\w*|garnish\w*|seiz\w*)\b", re.I
)
"""a question about the person's own creditors picks the section about them ("could I lose my 401k if I get
sued?" got the section on a plan whose employer closes); an IRA's protection is its own section"""


def protection_section(text: str) -> str | None:
    if not CREDITORS.search(text):
        return None
    return "7" if re.search(r"\biras?\b", text, re.I) and not WORKPLACE.search(text) else "6"


def early_withdrawal_anchor(text: str) -> Anchor | None:
    """None for a workplace plan, or for an heir, whose withdrawal has rules of its own (an IRA inherited and
    treated as one's own read the first-home exception on the dev half)."""
    if WORKPLACE.search(text) or heir_of_another(text):
        return None
    return next((anchor for rx, anchor in EARLY_WITHDRAWAL_RULES if rx.search(text)), None)


def anchors_for(
    intent: Intent | None, plan: PlanProvisions | None, text: str = "", plan_id: str | None = None
) -> list[Anchor]:
    anchors: list[Anchor] = []
    if plan is None and plan_id and plan_id != GENERAL:
        # a document set without structured provisions (e.g. `beacon ingest --plan NEW`): its own
        # three best passages answer; general education stays in the ordinary hits
        return [Anchor(None, None, 3, plan_id)]
    if intent is None:
        return anchors
    if intent.name == "account_types":
        return account_type_anchors(text)
    if intent.name == "contact" and plan is not None:
        # the service center's number and hours are printed at the head of the SPD: a plan sentence sharing a
        # word with the question ("if your hours are cut") must not push it out of the hits
        return [Anchor(plan.spd_doc_id, "intro")]
    found = general_section(text) if intent.name not in NOT_GENERAL_SECTION else None
    if found is not None:
        # a late start to saving, an old job's account to find: the general section on it (the plan's catch-up starts
        # only at 50; the leaving choices say nothing of finding an account)
        return [Anchor(*found)]
    if intent.name in COUPLE_TOPICS and COUPLE_ACCOUNTS.search(text):
        # a couple's limits and accounts: each spouse's own, as the limits document states
        return [Anchor("general/contribution-limits-2026", "7")]
    if intent.name in ("beneficiary", "roth") and OWN_IRA_BENEFICIARY.search(text):
        # (a Roth IRA's beneficiary: "roth" reads before "beneficiary" in the topics' rules)
        # one's own IRA: its beneficiary form is the custodian's; the general rules on naming beneficiaries
        return [Anchor(INHERITED_RULES, "2"), Anchor(INHERITED_RULES, "1")]
    section = intent.plan_section_of(plan) if plan is not None else None
    account = account_anchor(text)
    if account is not None and (intent.name in ACCOUNT_TOPICS or BOTH_ACCOUNTS.search(text)):
        anchors.append(account)
        if not WORKPLACE.search(text):
            section = None  # an IRA question: the plan's own section for the topic does not state its rule
    if plan is not None and intent.name == "enrollment" and "rate_change" in plan.sections and RATE_CHANGE.search(text):
        # the rate-change sub-section itself: the contributions section's two best chunks by the query were its
        # catch-up and limit rules ("how do I stop my contributions" said it couldn't find this)
        section = plan.sections["rate_change"]
        return [*anchors, Anchor(plan.spd_doc_id, None, 1, section=section)]
    if plan is not None and intent.name == "match" and "eligible_pay" in plan.sections and PAY_COMPONENT.search(text):
        # whether a bonus or overtime counts: the plan's section on eligible pay, then the match section
        eligible = Anchor(plan.spd_doc_id, None, 1, section=plan.sections["eligible_pay"])
        return [*anchors, eligible, *([Anchor(plan.spd_doc_id, section.split(".")[0], 1)] if section else [])]
    if plan is not None and intent.name in PART_TIME_TOPICS and PART_TIME.search(text):
        # going part time: the plan's eligibility section's two best chunks (who may contribute; the hours the match
        # needs) and the vesting rule (the hours a year of vesting service needs)
        eligibility = Anchor(plan.spd_doc_id, plan.eligibility.section.split(".")[0], 2)
        return [*anchors, eligibility, Anchor(plan.spd_doc_id, None, 1, section=plan.vesting.section)]
    if intent.name == "distributions" and WITHDRAWAL_TAX.search(text) and account_anchor(text) is None:
        # how a workplace-plan withdrawal is taxed: the plan's taxes section and the general rule, not the in-service
        # section (an IRA's is the IRA document's: "why is the money withdrawn from traditional IRA taxed at the
        # ordinary income tax rate?")
        taxes = (
            [Anchor(plan.spd_doc_id, None, 1, section=plan.sections["taxes"])]
            if plan and "taxes" in plan.sections
            else []
        )
        return [*taxes, Anchor(*TAXES_EXPLAINED)]
    if plan is not None and intent.name == "loan" and "loan_terms" in plan.sections and LOAN_TERMS.search(text):
        # a loan's interest rate or term: the plan's repayment section too (the loan section's two best chunks for
        # "intrest rate on 403b loans" were the loan amounts and the fee)
        terms = plan.sections["loan_terms"]
        anchors.append(Anchor(plan.spd_doc_id, None, 1, section=terms))
    if plan is not None and section:
        # the two best sections of the plan's topic: dense ranking alone is not reliable enough
        # to pick the one sub-section that answers ("how many loans" -> 7.2, not 7.1)
        anchors.append(Anchor(plan.spd_doc_id, section.split(".")[0], 2))
        if intent.name == "rollover" and ROLL_IN.search(text):
            # money coming INTO the plan: its roll-in rule sits outside the leaving section, and with the
            # IRS publications indexed the general rollover pages outrank it ("can i roll my old 403b
            # into this plan" found no plan chunk among its hits)
            anchors.append(Anchor(plan.spd_doc_id, None, 2))
    if intent.name == "rollover" and ROLLOVER_RULE.search(text):
        # the 60-day rule is stated where a direct rollover is compared with a 60-day one
        anchors.append(Anchor("general/rollovers-transfers", "1"))
    if intent.name == "rmd" and ROTH_IRA_NAMED.search(text):
        # a Roth IRA's own RMD rule (none for its owner): "do I need to take RMDs from a roth ira?" got the RMD
        # document's sentence on Roth accounts in 401(k) and 403(b) plans
        anchors.insert(0, Anchor("general/roth-ira", "8"))
    if intent.name == "roth" and CONVERSION.search(text):
        # a Roth conversion: the conversions document ("can I convert my traditional IRA to roth in pieces over several
        # years?" found its sentence among the hits at 0.30, under the gate, and said it didn't know)
        anchors.append(Anchor("general/roth-conversions", None, 2))
    if intent.name == "roth" and ROTH_IRA_NAMED.search(text) and INCOME.search(text):
        # whether one's income allows Roth IRA contributions: its income-limit section
        anchors.append(Anchor("general/roth-ira", "3", 2))
    withdrawal = intent.name == "early_withdrawal" or (intent.name == "roth" and ROTH_IRA_WITHDRAWAL.search(text))
    early = early_withdrawal_anchor(text) if withdrawal else None
    if early is not None:
        return [early]  # an IRA's own rule, not the plan's section nor the employer-plan exceptions
    if intent.general_anchor:
        doc_id, _, topic_or_none = intent.general_anchor.partition("#")
        topic: str | None = topic_or_none or None
        if intent.anchor_by_life_event:
            topic = next((section for rx, section in LIFE_EVENTS if rx.search(text)), None)
        if intent.name == "account_protection":
            topic = protection_section(text) or topic
        if intent.name == "rollover" and topic is None and ROLLOVER_TAX.search(text):
            topic = "6"
        anchors.append(Anchor(doc_id, topic))
        if intent.name == "rmd" and topic is None and PLAN_TERM.search(text):
            anchors.append(Anchor(doc_id, "1"))  # "what is an RMD?": the section that says what one is
        if intent.name == "loan" and LOAN_TAX.search(text) and topic is None:
            # whether a loan is taxed: the section on how a loan works says so, the best one by the query
            # (what happens to an unpaid loan when you leave) only says when it becomes taxable
            anchors.append(Anchor(doc_id, "1"))
    return anchors
