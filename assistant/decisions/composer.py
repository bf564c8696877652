"""The grounded composer: the default, offline draft backend.

It writes answers only from retrieved passages, calculator results and the pre-approved text
blocks in `text_blocks.yaml`. `PLAYBOOKS` maps an intent to the function that drafts it; intents
without a playbook get an extractive answer from the best passages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np

from assistant.decisions import playbooks
from assistant.decisions.calculators import money, pct
from assistant.decisions.drafts import (  # noqa: F401 - re-exported: the composer's public types
    Action,
    Blocks,
    ComposeContext,
    Draft,
)
from assistant.decisions.drafts import by_citation as _by_citation
from assistant.decisions.drafts import fig as _fig
from assistant.decisions.drafts import join as _join
from assistant.decisions.drafts import section_label as _section_label
from assistant.decisions.drafts import unique as _unique
from assistant.embeddings import Embedder

ANSWERED_WITHOUT_DOCUMENTS = {"human", "greeting", "out_of_scope", "investment_advice", "account"}


class GroundedComposer:
    backend_id = "offline:grounded-composer"

    @property
    def provenance(self) -> dict[str, str]:
        return self.blocks.provenance

    def __init__(self, embedder: Embedder, blocks: Blocks | None = None) -> None:
        self.embedder = embedder
        self.blocks = blocks or Blocks()
        self.playbooks: dict[str, Callable[[ComposeContext], Draft]] = {
            "match": self._match,
            "contribution_limit": self._contribution_limit,
            "catch_up": self._catch_up,
            "investment_advice": self._advice,
            "human": lambda ctx: playbooks.human(self, ctx),
            "roth": lambda ctx: playbooks.roth(self, ctx),
            "hardship": lambda ctx: playbooks.money_now(self, ctx),
            "rollover": lambda ctx: playbooks.leaving(self, ctx),
            "distributions": lambda ctx: playbooks.distributions(self, ctx),
            "beneficiary": lambda ctx: playbooks.beneficiaries(self, ctx),
            "greeting": self._greeting,
            "vesting": self._vesting,
            "loan": self._loan,
            "rmd": self._rmd,
            "early_withdrawal": self._early_withdrawal,
            "enrollment": self._enrollment,
            "account": self._account,
            "out_of_scope": self._out_of_scope,
        }

    # entry point -------------------------------------------------------------
    def draft(self, ctx: ComposeContext) -> Draft:
        screened = self._screened(ctx)
        if screened is not None:
            return screened
        if ctx.missing:
            return Draft("clarify", str(ctx.missing["question"]), reason="missing_data")
        if ctx.unknown_terms and ctx.intent not in ANSWERED_WITHOUT_DOCUMENTS:
            # "does the plan offer X?" where no document mentions X: the nearest section is not an answer
            return Draft(
                "escalate", f"{self.blocks.get('no_source')} {self.blocks.contact(ctx.plan)}", reason="no_source"
            )
        playbook = self.playbooks.get(ctx.intent, self._extractive)
        drafted = playbook(ctx)
        if ctx.pii_types:
            drafted.text = f"{self.blocks.get('pii_removed')}\n\n{drafted.text}"
        return drafted

    def _screened(self, ctx: ComposeContext) -> Draft | None:
        b, plan = self.blocks, ctx.plan
        if ctx.screen_action == "allow":
            return None
        if "input.crisis" in ctx.screen_rules:
            return Draft("escalate", f"{b.get('crisis')} {b.contact(plan)}", reason="crisis")
        if "input.third_party_data" in ctx.screen_rules:
            return Draft("refuse", b.get("third_party"), reason="privacy")
        if "input.fraud_coercion" in ctx.screen_rules:
            return Draft("escalate", f"{b.get('fraud')} {b.contact(plan)}", reason="fraud")
        return Draft("refuse", b.get("injection"), reason="injection")

    # playbooks -------------------------------------------------------------------
    def _match(self, ctx: ComposeContext) -> Draft:
        plan = ctx.plan
        if plan is not None and "new_deferral_pct" in ctx.figures:
            return playbooks.contribution_what_if(self, ctx)
        if plan is None or "annual_match_missed" not in ctx.figures:
            return self._extractive(ctx)
        f = ctx.figures
        rule = f["annual_match_missed"]["rule"]
        cites = [rule]
        current = _fig(ctx, "deferral_pct")
        full_pct = _fig(ctx, "full_match_deferral_pct")
        lines = [
            f"Under the {plan.plan_name}, the employer match can reach {pct(_fig(ctx, 'max_match_pct_of_pay'))} of "
            f"your eligible pay when you contribute {pct(full_pct)} or more (section {_section_label(rule)})."
        ]
        if "match_eligibility_date" in f:
            day = dt.date.fromisoformat(str(_fig(ctx, "match_eligibility_date")))
            lines.append(
                f"You become eligible for the match on {day:%B} {day.day}, {day.year} "
                f"(section {_section_label(f['match_eligibility_date']['rule'])})."
            )
            cites.append(f["match_eligibility_date"]["rule"])
        missed = _fig(ctx, "annual_match_missed")
        if missed <= 0:
            lines.append(
                f"At your current {pct(current)} contribution you already receive the full match: about "
                f"{money(_fig(ctx, 'annual_match_full'))} a year on pay of {money(_fig(ctx, 'annual_pay'))}."
            )
            figs = [
                "deferral_pct",
                "annual_match_full",
                "annual_match_missed",
                "annual_pay",
                "max_match_pct_of_pay",
                "full_match_deferral_pct",
            ]
        else:
            lines += [
                f"- At your current {pct(current)} contribution, the match is about "
                f"{money(_fig(ctx, 'annual_match_current'))} a year on pay of {money(_fig(ctx, 'annual_pay'))}.",
                f"- At {pct(full_pct)}, it would be about {money(_fig(ctx, 'annual_match_full'))} a year: "
                f"{money(missed)} more a year, about {money(_fig(ctx, 'per_paycheck_match_missed'))} per paycheck.",
                f"- Contributing {pct(full_pct)} instead of {pct(current)} would take about "
                f"{money(_fig(ctx, 'extra_deferral_per_paycheck'))} more from each paycheck before taxes.",
            ]
            figs = [
                "deferral_pct",
                "annual_match_current",
                "annual_pay",
                "annual_match_full",
                "annual_match_missed",
                "per_paycheck_match_missed",
                "extra_deferral_per_paycheck",
                "max_match_pct_of_pay",
                "full_match_deferral_pct",
            ]
        if not plan.match.true_up:
            lines.append(
                f"The match is figured each pay period with no year-end true-up (section {plan.match.true_up_section})."
            )
            cites.append(f"{plan.spd_doc_id}#{plan.match.true_up_section}")
        lines.append(self.blocks.get("taxes_approximate"))
        lines.append(
            f"Whether to change your rate is your choice; you can change it on {plan.contact.portal} "
            f"or by calling {plan.contact.phone}."
        )
        return Draft("answer", _join(lines), cites, figs)

    def _contribution_limit(self, ctx: ComposeContext) -> Draft:
        f = ctx.figures
        if "elective_deferral_limit" not in f:
            return self._extractive(ctx)
        limit_rule = f["elective_deferral_limit"]["rule"]
        year = f["elective_deferral_limit"]["inputs"]["year"]
        cites = [limit_rule]
        plan_label = f"your {ctx.plan.type_label} plan" if ctx.plan else "a 401(k), 403(b) or governmental 457(b) plan"
        lines = [
            f"For {year}, the most you can contribute from your own pay to {plan_label} is "
            f"{money(_fig(ctx, 'elective_deferral_limit'))} (IRS Notice 2025-67). This limit counts pre-tax and Roth "
            "contributions together across all your plans; employer contributions don't count toward it."
        ]
        figs = ["elective_deferral_limit"]
        if "your_catch_up_limit" in f:
            lines.append(self._personal_catch_up(ctx))
            figs += ["your_catch_up_limit", "your_total_deferral_limit", "catch_up_must_be_roth"]
            cites.append(f["your_catch_up_limit"]["rule"])
        else:
            lines.append(
                f"If you are 50 or older by December 31, {year}, catch-up contributions can add up to "
                f"{money(_fig(ctx, 'catch_up_limit_50_plus'))}, or {money(_fig(ctx, 'catch_up_limit_60_to_63'))} "
                "if you are 60 to 63, when your plan allows them."
            )
            figs += ["catch_up_limit_50_plus", "catch_up_limit_60_to_63"]
            cites += [f["catch_up_limit_50_plus"]["rule"], f["catch_up_limit_60_to_63"]["rule"]]
        if ctx.plan:
            cites.append(f"{ctx.plan.spd_doc_id}#2.2")
        return Draft("answer", _join(lines), _unique(cites), figs)

    def _personal_catch_up(self, ctx: ComposeContext) -> str:
        f = ctx.figures
        amount = _fig(ctx, "your_catch_up_limit")
        reason = f["your_catch_up_limit"]["inputs"]["reason"]
        age = int(_fig(ctx, "age_at_year_end"))
        year = f["your_catch_up_limit"]["inputs"]["year"]
        total = money(_fig(ctx, "your_total_deferral_limit"))
        if reason == "under_50":
            return f"You turn {age} in {year}, so catch-up contributions (from age 50) don't apply to you yet."
        if reason == "roth_required_but_plan_has_no_roth":
            wages = f["your_catch_up_limit"]["inputs"]["roth_wage_threshold"]
            return (
                f"Because your {year - 1} FICA wages from your employer were above {money(wages)}, the law requires "
                "catch-up contributions to be Roth, and your plan has no Roth option, so you cannot make "
                f"catch-up contributions in this plan in {year}. Your limit stays {total}."
            )
        window = "because you are 60 to 63" if reason == "age_60_to_63" else "because you are 50 or older"
        text = (
            f"You turn {age} in {year}, so {window} at the end of the year you can add up to {money(amount)} "
            f"in catch-up contributions, for {total} in total."
        )
        if _fig(ctx, "catch_up_must_be_roth"):
            text += (
                f" Because your {year - 1} FICA wages were above "
                f"{money(f['your_catch_up_limit']['inputs']['roth_wage_threshold'])}, those catch-up "
                "contributions must be Roth contributions."
            )
        return text

    def _catch_up(self, ctx: ComposeContext) -> Draft:
        f = ctx.figures
        if "catch_up_limit_50_plus" not in f:
            return self._extractive(ctx)
        year = f["catch_up_limit_50_plus"]["inputs"]["year"]
        if "your_catch_up_limit" in f:
            cites = [f["your_catch_up_limit"]["rule"], f["catch_up_limit_50_plus"]["rule"]]
            figs = ["your_catch_up_limit", "your_total_deferral_limit", "age_at_year_end", "catch_up_must_be_roth"]
            lines = [self._personal_catch_up(ctx)]
            if ctx.plan:
                lines.append(
                    f"Your plan's catch-up rules are in section {ctx.plan.catch_up.section} of the "
                    f"{ctx.plan.plan_name} summary; to change your contributions use {ctx.plan.contact.portal}."
                )
            return Draft("answer", _join(lines), _unique(cites), figs)
        lines = [
            f"In {year}, people who are 50 or older by December 31 can make catch-up contributions of up to "
            f"{money(_fig(ctx, 'catch_up_limit_50_plus'))} on top of the regular limit; people who are 60, 61, 62 or 63 "
            f"at the end of the year can contribute up to {money(_fig(ctx, 'catch_up_limit_60_to_63'))} instead, "
            "if their plan allows it."
        ]
        cites = [f["catch_up_limit_50_plus"]["rule"], f["catch_up_limit_60_to_63"]["rule"]]
        return Draft("answer", _join(lines), cites, ["catch_up_limit_50_plus", "catch_up_limit_60_to_63"])

    def _advice(self, ctx: ComposeContext) -> Draft:
        b, plan = self.blocks, ctx.plan
        parts = [b.get("advice_redirect")]
        if plan and plan.advice_service:
            parts.append(b.get("advice_service", plan))
        parts.append(b.contact(plan))
        return Draft("refuse", " ".join(parts), reason="advice")

    def _greeting(self, ctx: ComposeContext) -> Draft:
        return Draft("answer", self.blocks.get("greeting"))

    def _out_of_scope(self, ctx: ComposeContext) -> Draft:
        return Draft("refuse", self.blocks.get("out_of_scope"), reason="out_of_scope")

    def _vesting(self, ctx: ComposeContext) -> Draft:
        f, plan = ctx.figures, ctx.plan
        if plan is None or "vested_pct" not in f:
            return self._extractive(ctx)
        rule = f["vested_pct"]["rule"]
        years = int(_fig(ctx, "years_of_vesting_service"))
        own = plan.vesting.own_contributions_section
        lines = [f"You are always 100% vested in your own contributions (section {own})."]
        ahead = int(f["vested_pct"]["inputs"].get("years_ahead", 0))
        if "years_to_full_vesting" in f:
            when = "if you left today" if not ahead else "if you left then (on today's balance)"
            lead = (
                f"For the employer match, you have {years} year{'s' if years != 1 else ''} of vesting service, so you are "
                if not ahead
                else f"{'Next year' if ahead == 1 else f'In {ahead} years'}, with {years} years of vesting service, you "
                "would be "
            )
            lines.append(
                f"{lead}{pct(_fig(ctx, 'vested_pct'))} vested: {money(_fig(ctx, 'vested_employer_balance'))} of your "
                f"{money(_fig(ctx, 'employer_balance'))} in employer contributions would be yours {when}. "
                f"At {int(_fig(ctx, 'next_vesting_years'))} years you reach {pct(_fig(ctx, 'next_vested_pct'))}, and you are "
                f"fully vested after {int(f['years_to_full_vesting']['inputs']['full_vesting_years'])} years (section {_section_label(rule)})."
            )
            figs = [
                "years_of_vesting_service",
                "vested_pct",
                "vested_employer_balance",
                "employer_balance",
                "next_vesting_years",
                "next_vested_pct",
                "years_to_full_vesting",
            ]
        else:
            lines.append(
                f"You are {pct(_fig(ctx, 'vested_pct'))} vested in employer contributions "
                f"({money(_fig(ctx, 'employer_balance'))} in your account) (section {_section_label(rule)})."
            )
            figs = ["vested_pct", "employer_balance"]
        return Draft("answer", _join(lines), [f"{plan.spd_doc_id}#{own}", rule], figs)

    def _with_education(self, ctx: ComposeContext, lines: list[str], cites: list[str], figs: list[str]) -> Draft:
        """A personal paragraph followed by the extractive answer from the anchored passages."""
        general = self._extractive(ctx)
        if general.action == "answer":
            body = general.text.rsplit("\n\n", 1)[0]  # without the education note; added once below
            lines = [*lines, body]
            cites = [*cites, *general.citations]
        lines.append(self.blocks.get("education_note"))
        return Draft("answer", _join(lines), _unique(cites), figs)

    def _loan(self, ctx: ComposeContext) -> Draft:
        f, plan = ctx.figures, ctx.plan
        if plan is None or "loan_maximum" not in f:
            return self._extractive(ctx)
        rule = f["loan_maximum"]["rule"]
        inputs = f["loan_maximum"]["inputs"]
        reason = inputs["reason"]
        figs = ["loan_maximum", "loan_minimum", "loan_fee", "loans_outstanding", "loan_max_outstanding"]
        if reason == "ok":
            owed = inputs["outstanding_loan_balance"]
            highest = inputs["highest_balance_12m"]
            by_cap = (
                f"{money(_fig(ctx, 'loan_limit_by_50000'))} ($50,000 minus your highest loan balance in the last "
                f"12 months, {money(highest)})"
                if highest
                else "$50,000"
            )
            lines = [
                f"The largest new loan you could take now is about {money(_fig(ctx, 'loan_maximum'))} "
                f"(section {_section_label(rule)}): the lesser of {by_cap} "
                f"and {money(_fig(ctx, 'loan_limit_by_half_vested'))} (half of your {money(_fig(ctx, 'vested_balance'))} "
                f"vested balance{', minus the ' + money(owed) + ' you owe now' if owed else ''}).",
                f"The smallest loan is {money(_fig(ctx, 'loan_minimum'))}, each new loan costs "
                f"{money(_fig(ctx, 'loan_fee'))}, and you can have {int(_fig(ctx, 'loan_max_outstanding'))} "
                f"at a time (you have {int(_fig(ctx, 'loans_outstanding'))}).",
            ]
            figs += ["loan_limit_by_50000", "loan_limit_by_half_vested", "vested_balance"]
        elif reason == "too_many_loans":
            lines = [
                f"You already have {int(_fig(ctx, 'loans_outstanding'))} loan(s) and the plan allows "
                f"{int(_fig(ctx, 'loan_max_outstanding'))} at a time, so another loan is not possible until one "
                f"is repaid (section {_section_label(f['loan_max_outstanding']['rule'])})."
            ]
        elif reason == "below_plan_minimum":
            lines = [
                f"The most the law would let you borrow is below the plan's {money(_fig(ctx, 'loan_minimum'))} "
                f"minimum, so a loan is not available now (section {_section_label(rule)})."
            ]
        else:
            lines = [f"Loans are available only while you work for {plan.sponsor} (section {_section_label(rule)})."]
        lines.append(f"To request a loan, use {plan.contact.portal} or call {plan.contact.phone}.")
        return self._with_education(ctx, lines, [rule, f["loan_max_outstanding"]["rule"], f["loan_fee"]["rule"]], figs)

    def _rmd(self, ctx: ComposeContext) -> Draft:
        f, plan = ctx.figures, ctx.plan
        if plan is None or "rmd_age" not in f or not _fig(ctx, "rmd_age"):
            return self._extractive(ctx)
        rule = f["rmd_age"]["rule"]
        birth = f["rmd_age"]["inputs"]["birth_year"]
        lines = [
            f"Because you were born in {birth}, your RMD age is {int(_fig(ctx, 'rmd_age'))}, which you reach in "
            f"{int(_fig(ctx, 'rmd_age_year'))} (section {_section_label(rule)})."
        ]
        figs = ["rmd_age", "rmd_age_year"]
        if "first_rmd_due" in f:
            due = dt.date.fromisoformat(str(_fig(ctx, "first_rmd_due")))
            lines.append(
                f"Your first required minimum distribution is due by {due:%B} {due.day}, {due.year}; later ones "
                "are due by the end of each year."
            )
            figs.append("first_rmd_due")
        else:
            lines.append(
                f"Because you still work for {plan.sponsor}, the plan lets you wait until April 1 after the "
                "year you retire, unless you own more than five percent of the business."
            )
            figs.append("rmd_delayed_while_working")
        lines.append(playbooks.next_step(ctx, "You can set up your required distributions, or ask about them,"))
        return self._with_education(ctx, lines, [rule], figs)

    def _early_withdrawal(self, ctx: ComposeContext) -> Draft:
        f, plan = ctx.figures, ctx.plan
        if plan is None or "additional_tax_applies" not in f:
            return self._extractive(ctx)
        rule = f["additional_tax_applies"]["rule"]
        reason = f["additional_tax_applies"]["inputs"]["reason"]
        day = dt.date.fromisoformat(str(_fig(ctx, "age_59_and_a_half_on")))
        when = f"{day:%B} {day.day}, {day.year}"
        if reason == "age_59_and_a_half":
            text = f"You reached age 59½ on {when}, so the 10% additional tax no longer applies to your withdrawals."
        elif reason == "separated_in_or_after_year_of_55":
            text = (
                "You left your employer in or after the year you turned 55, so withdrawals from this plan are not "
                "subject to the 10% additional tax (this exception does not follow money rolled into an IRA)."
            )
        else:
            text = (
                f"You reach age 59½ on {when}. Before then, money you take out is generally subject to the 10% "
                "additional tax on top of income tax, unless an exception applies."
            )
        return self._with_education(
            ctx,
            [
                f"{text} (section {_section_label(rule)})",
                playbooks.next_step(ctx, "Before taking money out, you can review your options"),
            ],
            [rule],
            ["additional_tax_applies", "additional_tax_rate", "age_59_and_a_half_on"],
        )

    def _enrollment(self, ctx: ComposeContext) -> Draft:
        f, plan = ctx.figures, ctx.plan
        if plan is not None and "new_deferral_pct" in f:
            return playbooks.contribution_what_if(self, ctx)
        if plan is None or "next_escalation_date" not in f:
            return self._extractive(ctx)
        rule = f["next_escalation_date"]["rule"]
        nxt = dt.date.fromisoformat(str(_fig(ctx, "next_escalation_date")))
        cap = dt.date.fromisoformat(str(_fig(ctx, "escalation_cap_reached_on")))
        current = f["next_escalation_date"]["inputs"]["current_pct"]
        lines = [
            f"You were enrolled automatically and contribute {pct(current)} now. Each January 1 your rate rises by "
            f"{pct(_fig(ctx, 'escalation_step_pct'))} until it reaches {pct(_fig(ctx, 'escalation_cap_pct'))}: "
            f"to {pct(_fig(ctx, 'next_escalation_pct'))} on {nxt:%B} {nxt.day}, {nxt.year}, reaching "
            f"{pct(_fig(ctx, 'escalation_cap_pct'))} on {cap:%B} {cap.day}, {cap.year} (section {_section_label(rule)}). "
            f"You can stop the increases or choose your own rate at any time on {plan.contact.portal}."
        ]
        return self._with_education(
            ctx,
            lines,
            [rule],
            [
                "next_escalation_date",
                "next_escalation_pct",
                "escalation_cap_pct",
                "escalation_step_pct",
                "escalation_cap_reached_on",
            ],
        )

    def _account(self, ctx: ComposeContext) -> Draft:
        f, plan = ctx.figures, ctx.plan
        if plan is None or "balance_total" not in f:
            return Draft(
                "clarify",
                "Which plan are you asking about? Sign in as a participant so I can use your account details.",
                reason="missing_data",
            )
        text = (
            f"Your account balance on file is {money(_fig(ctx, 'balance_total'))}: "
            f"{money(_fig(ctx, 'balance_employee'))} from your own contributions and "
            f"{money(_fig(ctx, 'balance_employer'))} from employer contributions."
        )
        figs = ["balance_total", "balance_employee", "balance_employer"]
        if "deferral_pct" in f:
            text += f" You are contributing {pct(_fig(ctx, 'deferral_pct'))} of your pay."
            figs.append("deferral_pct")
        text += f" For up-to-date balances and transactions, see {plan.contact.portal}."
        return Draft("answer", text, [], figs)

    # extractive answer from passages ----------------------------------------------
    def _extractive(self, ctx: ComposeContext) -> Draft:
        anchors = _by_citation([p for p in ctx.passages if p.get("anchor")])
        relevant = [
            p
            for p in ctx.passages
            if p.get("score", 0) >= ctx.min_relevance and not p.get("rule_only") and not p.get("anchor")
        ]
        if anchors:
            chosen = anchors[:3]
        elif relevant:
            chosen = [relevant[0]]
            # add a second passage from a different document if it is nearly as relevant
            for p in relevant[1:]:
                if (
                    p["metadata"]["doc_id"] != chosen[0]["metadata"]["doc_id"]
                    and p["score"] >= relevant[0]["score"] - 0.08
                ):
                    chosen.append(p)
                    break
        else:
            return Draft(
                "escalate", f"{self.blocks.get('no_source')} {self.blocks.contact(ctx.plan)}", reason="no_source"
            )
        q = self.embedder.encode([ctx.query])[0]
        lines: list[str] = []
        for p in chosen:
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", p["text"].replace("\n", " ")) if len(s) > 20]
            if not sentences:
                continue
            keep = list(range(len(sentences)))
            if len(sentences) > 4:
                sims = self.embedder.encode(sentences) @ q
                keep = sorted(np.argsort(-sims)[:4].tolist())
            md = p["metadata"]
            where = f"section {md['section']}" if not md.get("page") else f"page {md['page']}"
            lines.append(f"{md['title']}, {where}: {' '.join(sentences[i] for i in keep)}")
        lines.append(self.blocks.get("education_note"))
        return Draft("answer", "\n\n".join(lines), _unique([p["citation_id"] for p in chosen]))


