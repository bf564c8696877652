"""The grounded composer: the default, offline draft backend.

It writes answers only from retrieved passages, calculator results and the pre-approved text
blocks in `text_blocks.yaml`. The intent's playbook (`assistant/decisions/playbooks/`, named by
the intent registry) drafts the answer; an intent without one gets the extractive answer from the
best passages (`extractive.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.decisions.definitions import (
    BOTH_ACCOUNTS,
    COUPLE_ACCOUNTS,
    COUPLE_TOPICS,
    INHERITED_RULES,
    LEAVE_DEADLINE,
    LEAVE_OF_ABSENCE,
    PAYMENT_FORM,
    PAYMENT_TIMING,
    PLAN_FEATURE,
    QCD,
    ROLL_TAXED,
    ROLLOVER_RULE,
    UNEXPLAINED_BY_PLAYBOOK,
    general_section,
)
from assistant.decisions.drafts import (  # noqa: F401 - re-exported: the composer's public types
    Action,
    Blocks,
    ComposeContext,
    Draft,
    Kit,
)
from assistant.decisions.extractive import extractive
from assistant.decisions.intents import IntentRegistry, load_intents
from assistant.decisions.life_events import acknowledgement, for_another, heir_of_another
from assistant.decisions.playbooks import PLAYBOOKS
from assistant.decisions.relevance import RelevanceGate
from assistant.embeddings import Embedder
from assistant.records.provisions import PlanProvisions


def crisis_check_in(drafted: Draft, blocks: Blocks, plan: PlanProvisions | None, spanish: bool = False) -> Draft:
    """A message with a crisis signal under the crisis threshold: the reply opens with 988 and how to
    reach a person, then still gives the answer (an escalation, so a person sees it). A scam warning
    or the Spanish hand-off keeps its text, which already ends with the contact: it only opens with the
    988 sentence (and, for a message in Spanish, how to ask 988 for Spanish)."""
    opening = blocks.get("crisis_check_in") + (f" {blocks.get('crisis_spanish')}" if spanish else "")
    if drafted.reason == "fraud":
        drafted.text = f"{opening}\n\n{drafted.text}"
        return drafted
    contact = "" if drafted.reason == "language" else f" {blocks.contact(plan)}"
    drafted.text = f"{opening}{contact}\n\n{drafted.text}"
    drafted.action, drafted.reason = "escalate", "crisis_check_in"
    return drafted


OFF_TOPIC = 0.25
"""a no-source reply becomes the out-of-scope redirect when the classifier gives the message at least
this much probability of being out of scope, harmful or an injection (set by hand and checked on the
dev split of the attack and over-refusal sets; see docs/understanding.md)"""
OFF_TOPIC_KINDS = ("out_of_scope", "harmful", "injection", "forgery", "third_party")


RETIREMENT_WORDS = re.compile(
    r"\b(401\s?\(?k\)?s?|403\s?\(?b\)?s?|457\s?\(?b\)?s?|iras?|roth|sep|simple|pensions?|annuit\w*|retir\w*|plans?|"
    r"contribut\w*|defer\w*|match\w*|vest\w*|loans?|hardship|withdr[ae]w\w*|distribution\w*|roll\s?overs?|"
    r"rolling over|rmds?|beneficiar\w*|balances?|accounts?|employer|payroll|paychecks?|catch[- ]up|funds?|invest\w*|"
    r"portfolio|sav(e|ed|es|ing|ings)|saver\w*|(pay)?checks?|sign(ed|ing)? up|tax\w*|irs|inherit\w*|social security|fees?|bankrupt\w*|creditors?|"
    r"enroll\w*|escalat\w*|penalt\w*|eligib\w*|qdro|qcds?|sepps?|magi|pbgc|true[- ]?up|waiting period|new hires?|transfers?|interfund|"
    r"phone|call|contact|address|mail|mailing|fax|forms?|website|email|hours|service cent(er|re))\b",
    re.I,
)
"""words without which a message is not about retirement savings or reaching the plan (one is enough
to stay in scope)"""
EQUITY_PAY = re.compile(
    r"\b(rsus?|restricted stock( units?| awards?)?|espps?|employee stock purchase( plans?)?|stock options?|"
    r"options? grants?|(isos?|nsos?|nqsos?)|stock grants?|equity (comp\w*|grants?|awards?))\b",
    re.I,
)
"""stock pay from an employer: restricted stock units, stock options, an employee stock purchase plan"""
PLAN_ACCOUNT = re.compile(
    r"\b(401\s?\(?k\)?s?|403\s?\(?b\)?s?|457\s?\(?b\)?s?|iras?|roth|sep|simple ira|pensions?|esops?|"
    r"employee stock ownership|retirement (plans?|accounts?|savings))\b",
    re.I,
)
"""a retirement account named (an ESOP, an employee stock ownership plan, is one)"""
SPANISH_TOPIC = re.compile(
    r"\b(retiro|jubil\w*|pensi(ó|o)n|beneficiari\w*|pr(é|e)stamo|aportaci\w*|contribuci\w*|cuenta|ahorr\w*|"
    r"retirar|dinero|impuestos?|herencia|plan)\b",
    re.I,
)
"""words of a Spanish message about retirement savings (beside the English ones: 401k, IRA, Roth)"""


def off_topic(
    drafted: Draft, blocks: Blocks, text: str, probabilities: dict[str, float], keyword_routed: bool = False
) -> Draft:
    """ "I couldn't find this in your plan documents" is the reply only to an in-scope question: a
    message with no word about retirement savings, or one the classifier does not clearly read as in
    scope, gets the out-of-scope redirect instead, never a statement that the plan documents are
    silent on it. An answer to a message read as harmful by a majority is the redirect too."""
    harmful_reading = sum(probabilities.get(k, 0.0) for k in HARM_KINDS) >= HARM_MAJORITY
    # the warning signs of a scam (screening.scam_question) are a pre-approved block, not a passage:
    # "How can I spot a phishing email pretending to be the plan?" reads as harmful and keeps them
    if drafted.action == "answer" and drafted.reason != "scam_question" and harmful_reading:
        # read as harmful, an injection or a forgery by a majority, though under the stop threshold
        # ("Is it true that [a famous athlete] is considering retirement?" got a 590-B table row):
        # never a passage, the redirect
        return Draft("refuse", blocks.get("out_of_scope"), reason="out_of_scope")
    if (
        (drafted.action in ("answer", "escalate") or drafted.reason == "advice")
        and EQUITY_PAY.search(text)
        and not PLAN_ACCOUNT.search(text)
    ):
        # stock pay from an employer (RSUs, options, an ESPP) is no retirement plan: not the plan's vesting rules
        # ("RSU vested recently" got the 401(k) vesting schedule), nor "couldn't find this in your plan documents",
        # nor the advice boundary's offer to explain "your plan's options" ("I have stock options vesting next year,
        # what should I do with them")
        return Draft("refuse", blocks.get("out_of_scope"), reason="out_of_scope")
    if drafted.reason != "no_source":
        return drafted
    # in scope: a retirement word, no real reading of harm, and a plan topic's precise keyword rule
    # or an in-scope reading (a keyword rule outweighs an out-of-scope reading, never a harmful one)
    harm = sum(probabilities.get(k, 0.0) for k in OFF_TOPIC_KINDS if k != "out_of_scope")
    read_in_scope = harm + probabilities.get("out_of_scope", 0.0) < OFF_TOPIC
    if RETIREMENT_WORDS.search(text) and harm < OFF_TOPIC and (keyword_routed or read_in_scope):
        return drafted
    return Draft("refuse", blocks.get("out_of_scope"), reason="out_of_scope")


HARM_KINDS = ("harmful", "injection", "forgery")
HARM_MAJORITY = 0.5
"""an answer to a message with at least this much probability of harm (harmful, injection, forgery)
becomes the out-of-scope redirect: a majority, below the stop thresholds (0.55-0.75). Set by hand."""

PLAYBOOK_ROUTE_MIN = 0.7
"""a playbook answers a question routed to its topic by the nearest example only when that example is
at least this similar; below it the relevance gate decides what (if anything) answers ("How secure
is my 403(b)?" was nearest to "what's the max I can save in my 403b" and got the 2026 limits). Fit
on the dev half of the labelled answer sets (docs/measurements.md#answers)."""
ALWAYS_PLAYBOOK = frozenset({"advice", "human", "greeting", "out_of_scope"})
"""boundary replies, whatever the route"""


def weak_route(ctx: ComposeContext, playbook: str | None) -> bool:
    return ctx.guessed(PLAYBOOK_ROUTE_MIN) and playbook not in ALWAYS_PLAYBOOK


def acknowledged(drafted: Draft, blocks: Blocks, text: str) -> Draft:
    """A message that tells of a death, a divorce or a lost job: one pre-approved sentence that
    acknowledges it, before the facts (not before a refusal, a crisis or a fraud reply)."""
    block = acknowledgement(text)
    if block and (drafted.action in ("answer", "clarify") or drafted.reason in ("no_source", "human_requested")):
        drafted.text = f"{blocks.get(block)}\n\n{drafted.text}"
    return drafted


def in_spanish_referral(drafted: Draft, blocks: Blocks, text: str, spanish: bool, plan: PlanProvisions | None) -> Draft:
    """A question about retirement savings written in Spanish: Beacon reads and answers English only
    (its models, documents and pre-approved texts are English; redaction reads Spanish words as names),
    so it says so in Spanish and gives the way to a person, instead of an English answer read off a
    garbled text or the out-of-scope redirect ("Estoy por jubilarme. ¿Cómo empiezo a recibir pagos
    mensuales de mi 401k?" got "I can only help with questions about your retirement plan"). Never in
    place of a crisis, fraud or refusal reply; a message about something else keeps the redirect."""
    if not spanish or not (drafted.action in ("answer", "clarify") or drafted.reason in ("no_source", "out_of_scope")):
        return drafted
    if not (RETIREMENT_WORDS.search(text) or SPANISH_TOPIC.search(text)):
        return drafted
    return Draft("escalate", f"{blocks.get('spanish_referral')} {blocks.contact(plan)}", reason="language")


class GroundedComposer:
    backend_id = "offline:grounded-composer"

    @property
    def provenance(self) -> dict[str, str]:
        return self.blocks.provenance

    def __init__(self, embedder: Embedder, blocks: Blocks | None = None, intents: IntentRegistry | None = None) -> None:
        self.embedder = embedder
        self.blocks = blocks or Blocks()
        self.intents = intents or load_intents()
        self.gate = RelevanceGate(embedder)
        self.kit = Kit(self.blocks, self._extractive)

    def draft(self, ctx: ComposeContext) -> Draft:
        screened = self._screened(ctx)
        if screened is not None:
            return screened
        if ctx.missing:
            return Draft("clarify", str(ctx.missing["question"]), reason="missing_data")
        spec = self.intents.get(ctx.intent)
        if ctx.plan is None and PLAN_FEATURE.search(ctx.text) and (spec is None or spec.from_documents):
            return Draft("clarify", self.blocks.get("ask_plan"), reason="missing_data")
        if ctx.unknown_terms and (spec is None or spec.from_documents):
            # "does the plan offer X?" where no document mentions X: the nearest section is not an answer
            return Draft(
                "escalate", f"{self.blocks.get('no_source')} {self.blocks.contact(ctx.plan)}", reason="no_source"
            )
        playbook = PLAYBOOKS.get(spec.playbook) if spec is not None and spec.playbook else None
        if playbook is not None and spec is not None and weak_route(ctx, spec.playbook):
            playbook = None  # a topic reached only by a distant example: the gated answer, not its playbook
        if (
            playbook is not None
            and spec is not None
            and spec.name in COUPLE_TOPICS
            and COUPLE_ACCOUNTS.search(ctx.text)
        ):
            playbook = None  # a couple's limits and accounts: the sentences on each spouse's own, not the asker's
        section = general_section(ctx.text)
        if section is not None and any(p.get("anchor") and p["citation_id"] == "#".join(section) for p in ctx.passages):
            # a late start to saving, an old job's account to find: the general section on it, not the topic's figures,
            # and its own rule whatever topic the nearest example guessed ("is it too late to open an IRA at 60?" was a
            # distant rollover)
            playbook = None
            ctx = replace(ctx, route_method="rule")
        if playbook is not None and BOTH_ACCOUNTS.search(ctx.text):
            playbook = None  # a plan and an IRA at once: the sentences on both, not the plan's own limit
        if (
            playbook is not None
            and spec is not None
            and spec.name == "rollover"
            and (
                PAYMENT_FORM.search(ctx.text)
                or ROLLOVER_RULE.search(ctx.text)
                or ROLL_TAXED.search(ctx.text)
                or LEAVE_DEADLINE.search(ctx.text)
            )
        ):
            # a lump sum or installments (the plan's forms of payment), the 60-day rule, whether a roll is taxed: the
            # sentences that state them, not the leaving table
            playbook = None
        if playbook is not None and QCD.search(ctx.text):
            playbook = None  # a QCD: the RMD document's sentences on it, not the person's RMD dates
        if playbook is not None and UNEXPLAINED_BY_PLAYBOOK.search(ctx.text):
            playbook = None  # "what's a QDRO?": the sentences that define it, not the topic's playbook
        if LEAVE_OF_ABSENCE.search(ctx.text) and (spec is None or spec.playbook not in ALWAYS_PLAYBOOK):
            playbook = None  # a leave of absence: only a sentence about one (extractive), never the topic's figures
        if PAYMENT_TIMING.search(ctx.text):
            # "how long until I get the money?": not the topic's rules (its playbook gave the hardship
            # reasons, its anchored section the emergency withdrawal), only a sentence that says how long
            # ... and how long a payment takes is the plan's own processing: with a plan known, only its own
            # documents can say ("how long does it take to get money after I request a withdrawal?" got the
            # terminal-illness exception's "within three years")
            playbook = None
            own = [p for p in ctx.passages if ctx.plan is None or p["metadata"].get("plan_id") == ctx.plan.plan_id]
            ctx = replace(ctx, passages=[{**p, "anchor": False} for p in own])
        if heir_of_another(ctx.text, ctx.part) and (spec is None or spec.playbook not in ALWAYS_PLAYBOOK):
            # an heir ("my mom left me her 403b"): no playbook of the person's own account answers (it gave
            # their own leaving options), nor, for a participant, the topic's anchored sections (the plan's
            # beneficiary section: how to name one's own); the inherited-account rules may. Without a plan
            # the anchors are a document set's own best passages (an IRS publication): kept; with no plan and
            # no anchor at all ("how is an inherited ira taxed if my dad left it to me?" asked anonymously said
            # it didn't know), the inherited-account rules are the heir's rules too
            playbook = None
            # (a general topic's anchor is no document set's own: "I inherited an IRA from my aunt, do I have to empty
            # it in 10 years?", guessed as a rollover, showed the rollover document's IRA section after the answer)
            general = ctx.plan is None and not any(
                p.get("anchor") and p["metadata"].get("plan_id") not in (None, "general") for p in ctx.passages
            )
            if (ctx.plan is not None or general) and not any(
                p.get("anchor") and p["metadata"].get("doc_id") == INHERITED_RULES for p in ctx.passages
            ):
                # ... and the inherited-account rules are the topic's rules for an heir (anchored), whatever
                # topic the nearest example guessed ("I'm a widow and inherited my husband's IRA, what can I
                # do with it?" was routed to rollovers at a low similarity, which unanchors the topic's rules);
                # a part about a late spouse's account comes anchored on its inherited-account section already
                ctx = replace(
                    ctx,
                    route_method="rule",
                    passages=[
                        {**p, "anchor": p["metadata"].get("doc_id") == INHERITED_RULES}
                        for p in ctx.passages
                        if not p.get("anchor")
                    ],
                )
        elif for_another(ctx.part or ctx.text) and (spec is None or spec.playbook not in ALWAYS_PLAYBOOK):
            playbook = None  # someone else's account: the rules, never the asker's own figures
        drafted = playbook(self.kit, ctx) if playbook is not None else self._extractive(ctx)
        if ctx.pii_types:
            drafted.text = f"{self.blocks.get('pii_removed')}\n\n{drafted.text}"
        return drafted

    def _screened(self, ctx: ComposeContext) -> Draft | None:
        """The one pre-approved reply for a message the input screen stopped, by its kind."""
        if ctx.screen_action == "allow":
            return None
        b, plan = self.blocks, ctx.plan
        if ctx.screen_kind == "scam_question":  # how to tell a scam, asked in general: the signs, answered
            return Draft("answer", f"{b.get('scam_question')} {b.contact(plan)}", reason="scam_question")
        kind = ctx.screen_kind or "blocked"
        if kind == "crisis":  # 988 and a person, also when the same message asks a plan question
            # ... and the warning signs when the same message tells of a scam or of pressure
            warn = f" {b.get('fraud')}" if ctx.screen_also_fraud else ""
            spanish = f" {b.get('crisis_spanish')}" if ctx.in_spanish else ""
            return Draft("escalate", f"{b.get('crisis')}{spanish}{warn} {b.contact(plan)}", reason="crisis")
        if kind == "fraud":  # the warning signs, slow down, a person; no money-movement steps
            return Draft("escalate", f"{b.get('fraud')} {b.contact(plan)}", reason="fraud")
        if kind == "third_party":
            return Draft("refuse", b.get("third_party"), reason="privacy")
        if kind in ("harmful", "forgery"):
            return Draft("refuse", b.get(kind), reason=kind)
        # an injection attempt, or a stop by a pattern rule the screen has no reply of its own for
        return Draft("refuse", b.get("injection"), reason="injection" if kind == "injection" else "blocked")

    def _extractive(self, ctx: ComposeContext) -> Draft:
        spec = self.intents.get(ctx.intent)
        return extractive(self.gate, self.blocks, ctx, plan_specific=spec is not None and spec.plan_section is not None)
