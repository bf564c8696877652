"""Enrollment and automatic escalation; the account balance on file."""

from __future__ import annotations

import datetime as dt
import re

from assistant.decisions.calculators import money, pct
from assistant.decisions.definitions import RATE_CHANGE
from assistant.decisions.drafts import ComposeContext, Draft, Kit, fig, section_label
from assistant.decisions.extractive import whole_section
from assistant.decisions.playbooks.match import contribution_what_if

ESCALATION = re.compile(
    r"\b(escalat\w*|(go|goes|going|rise|rises|rising|increase|increases|increasing)( up)? (by itself|on its own|automatically|"
    r"(every|each) (year|january))|automatic(ally)? (increase|raise|rise|escalat)\w*|auto[- ]?(increase|escalat)\w*)",
    re.I,
)
"""a question about the yearly automatic increase of the person's own rate"""


def enrollment(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is not None and "new_deferral_pct" in f:
        return contribution_what_if(kit, ctx)
    if plan is not None and "auto_escalation" in f and "next_escalation_date" not in f and ESCALATION.search(ctx.text):
        return no_escalation(kit, ctx)
    if plan is not None and "rate_change" in plan.sections and RATE_CHANGE.search(ctx.text):
        # how to change or stop one's rate, when a change takes effect: the plan's rate-change section
        section = whole_section(kit.blocks, ctx, f"{plan.spd_doc_id}#{plan.sections['rate_change']}")
        if section is not None:
            return section
    if plan is None or "next_escalation_date" not in f:
        return kit.extractive(ctx)
    rule = f["next_escalation_date"]["rule"]
    nxt = dt.date.fromisoformat(str(fig(ctx, "next_escalation_date")))
    cap = dt.date.fromisoformat(str(fig(ctx, "escalation_cap_reached_on")))
    current = f["next_escalation_date"]["inputs"]["current_pct"]
    lines = [
        f"You were enrolled automatically and contribute {pct(current)} now. Each January 1 your rate rises by "
        f"{pct(fig(ctx, 'escalation_step_pct'))} until it reaches {pct(fig(ctx, 'escalation_cap_pct'))}: "
        f"to {pct(fig(ctx, 'next_escalation_pct'))} on {nxt:%B} {nxt.day}, {nxt.year}, reaching "
        f"{pct(fig(ctx, 'escalation_cap_pct'))} on {cap:%B} {cap.day}, {cap.year} (section {section_label(rule)}). "
        f"You can stop the increases or choose your own rate at any time on {plan.contact.portal}."
    ]
    return kit.with_education(
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


def no_escalation(kit: Kit, ctx: ComposeContext) -> Draft:
    """Whose rate rises by itself, said to a person whose rate does not ("will my contribution go up every
    year" asked by someone who chose their own rate got "I couldn't find this": the escalation sentence scored
    under the gate's threshold)."""
    plan = ctx.plan
    assert plan is not None
    flag = ctx.figures["auto_escalation"]
    rule = flag["rule"]
    if flag["inputs"].get("plan_has_escalation") is False:
        text = "Your plan does not raise contribution rates automatically"
    elif flag["inputs"].get("current_pct") is not None:
        return kit.extractive(ctx)  # enrolled automatically and already at the cap: the plan's words say it
    else:
        text = (
            "Your rate does not go up by itself: the plan's yearly increase applies only to people it enrolled "
            "automatically, and you chose your own rate"
        )
    text += f" (section {section_label(rule)}). You can change your rate at any time on {plan.contact.portal}."
    return kit.with_education(ctx, [text], [rule], ["auto_escalation"])


PROJECTION = re.compile(
    r"\bhow much (will|would|could|might|am i going to|do i expect to)\b|\b(will|would) i have enough\b|\bon track\b"
    r"|\b(be worth|grow to|end up with)\b|\bhow long\b.{0,40}\blast\b",
    re.I,
)
"""a question about a future balance ("how long will my money last if I withdraw 4% a year?" too): the balance today,
with the reason Beacon gives no forecast"""


def account(kit: Kit, ctx: ComposeContext) -> Draft:
    f, plan = ctx.figures, ctx.plan
    if plan is None or "balance_total" not in f:
        return Draft(
            "clarify",
            "Which plan are you asking about? Sign in as a participant so I can use your account details.",
            reason="missing_data",
        )
    text = (
        f"Your account balance on file is {money(fig(ctx, 'balance_total'))}: "
        f"{money(fig(ctx, 'balance_employee'))} from your own contributions and "
        f"{money(fig(ctx, 'balance_employer'))} from employer contributions."
    )
    figs = ["balance_total", "balance_employee", "balance_employer"]
    if "deferral_pct" in f:
        text += f" You are contributing {pct(fig(ctx, 'deferral_pct'))} of your pay."
        figs.append("deferral_pct")
    text += f" For up-to-date balances and transactions, see {plan.contact.portal}."
    if PROJECTION.search(ctx.text):
        text = (
            "I can't project your balance or how long it will last: it depends on your future contributions, "
            f"withdrawals, investment returns and fees, which no one knows in advance. {text}"
        )
    return Draft("answer", text, [], figs)
