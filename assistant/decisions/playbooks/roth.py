"""Roth vs pre-tax: today's split, the shared limit, the trade-off side by side."""

from __future__ import annotations

import re

from assistant.decisions.calculators import money, pct
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, join, next_step, section_label
from assistant.decisions.extractive import EMPLOYER_PLAN
from assistant.decisions.playbooks.limits import from_documents, from_ira_documents

ROTH_IRA = re.compile(
    r"\b(roth|traditional|trad|regular)\s+iras?\b|\biras?\b.{0,40}\broth\b|\broth\b.{0,40}\biras?\b", re.I
)

CONVERSION = re.compile(r"\bconver(t|ts|ted|ting|sions?)\b|\bbackdoor\b|\bin-plan\b|\brecharacteri[sz]\w*", re.I)
"""a conversion is a question of its own, which the conversion documents answer (not the contribution split)"""

CONVERSIONS = "general/roth-conversions"
"""the general document on conversions; its in-plan section answers a conversion inside a workplace plan"""

INTO_ROTH_IRA = re.compile(
    r"\b(roll\w*|mov\w*|transfer\w*|put)\b.{0,40}\b(in|into|to)\b (a |an |my )?roth iras?\b", re.I
)
"""a workplace balance rolled into a Roth IRA ("can I roll my 401k into a roth ira?" said it didn't know): the
rollover documents, which say which money can move there and that pre-tax money moving there is a conversion"""
ROLLOVER_DOCS = ("general/rollovers-transfers", "general/roth-conversions")

COMPARED = re.compile(r"\b(difference|differ|different|compared?|comparison|vs\.?|versus)\b", re.I)


def roth(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if ROTH_IRA.search(ctx.text) and COMPARED.search(ctx.text):
        # "the difference between a Roth and a traditional IRA": the IRA documents' comparison, not
        # the plan's pre-tax / Roth section (anchoring them for every Roth IRA question let weak
        # sentences through on the dev half: 1 more relevant answer, 4 more irrelevant ones)
        return from_ira_documents(kit, ctx)
    if INTO_ROTH_IRA.search(ctx.text) and EMPLOYER_PLAN.search(ctx.text):
        return from_documents(kit, ctx, ROLLOVER_DOCS)
    in_plan = EMPLOYER_PLAN.search(ctx.text) or "in-plan" in ctx.text.lower()
    if CONVERSION.search(ctx.text) and in_plan and not ROTH_IRA.search(ctx.text):
        # "can I convert my 401k to roth?": the conversion document's rules are the topic's rules (anchored);
        # unanchored, its in-plan conversion section fell under the gate and the reply was "I couldn't find this"
        return from_documents(kit, ctx, (CONVERSIONS,))
    if plan is None or "roth_available" not in f or ROTH_IRA.search(ctx.text) or CONVERSION.search(ctx.text):
        # a Roth IRA or a traditional IRA is not the plan's Roth: the documents answer (an IRA is not
        # the plan's pre-tax / Roth choice)
        return kit.extractive(ctx)
    rule = f["roth_available"]["rule"]
    edu = "general/roth-vs-traditional"
    if not fig(ctx, "roth_available"):
        lines = [
            f"The {plan.plan_name} does not offer Roth contributions, even though the law allows them: all your "
            f"contributions are pre-tax (section {section_label(rule)}). Pre-tax contributions lower your taxable "
            "pay now and are taxed as income when you withdraw them.",
            next_step(ctx, "You can ask about the plan's contribution options"),
            kit.blocks.get("education_note"),
        ]
        return Draft("answer", join(lines), [rule, f"{edu}#1"], ["roth_available"])
    limit = fig(ctx, "elective_deferral_limit")
    year = f["elective_deferral_limit"]["inputs"]["year"]
    lines = [f"Your plan lets you contribute pre-tax, Roth or a mix of both (section {section_label(rule)})."]
    figs = ["roth_available", "elective_deferral_limit"]
    if "contribution_per_paycheck" in f:
        lines.append(
            f"Today you contribute {pct(fig(ctx, 'deferral_pct'))} of your pay: {pct(fig(ctx, 'pretax_pct'))} pre-tax "
            f"and {pct(fig(ctx, 'roth_pct'))} Roth, about {money(fig(ctx, 'pretax_per_paycheck'))} pre-tax and "
            f"{money(fig(ctx, 'roth_per_paycheck'))} Roth from each paycheck before taxes."
        )
        figs += ["deferral_pct", "pretax_pct", "roth_pct", "pretax_per_paycheck", "roth_per_paycheck"]
    lines += [
        "Side by side:",
        "- Pre-tax: lowers your taxable pay now, so more take-home pay for the same contribution; the "
        "contributions and their earnings are taxed as income when you withdraw them.",
        "- Roth: no tax saving now, so less take-home pay for the same contribution; a qualified withdrawal "
        "(five years after your first Roth contribution and after age 59½, disability or death) is tax-free, "
        "including the earnings.",
        f"- Both: one limit of {money(limit)} for {year} counts pre-tax and Roth together, and the employer "
        "match is figured on both the same way.",
        "Which costs less in tax depends on your tax rate now compared with when you withdraw, which no one "
        "knows for certain; many people use a mix. A tax professional can help with your own situation.",
        next_step(ctx, "You can change the split between pre-tax and Roth at any time"),
        kit.blocks.get("education_note"),
    ]
    return Draft("answer", join(lines), [rule, f"{edu}#1", f"{edu}#2", f"{edu}#3", f"{edu}#4"], figs)
