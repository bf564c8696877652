"""The LLM draft backend: any OpenAI-compatible endpoint through langchain-openai's ChatOpenAI.

It returns the same structured Draft as the grounded composer and is checked by the same guard.
Safety-critical turns (screened input, advice requests, hand-offs, missing data) stay with the
composer; any timeout, error or unparsable reply falls back to the composer with the reason
recorded, and so does a reply class other than "answer" (the model says the sources do not answer,
or names a boundary) and an answer with a sentence no given sentence supports (MiniLM similarity
below MIN_SENTENCE_SUPPORT, unless one given sentence holds all its content words: reply.covered; a
claim invented in words passes every figure and citation rule). A draft the guard blocks is redrafted
by the composer (see the graph).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from assistant.decisions.composer import ComposeContext, Draft, GroundedComposer
from assistant.llm.prompts import PromptTemplate
from assistant.llm.reply import (
    LlmReply,
    covered,
    figure_line,
    inline_citations,
    negated,
    numbered_sentences,
    parse_reply,
    resolve_citations,
    sentence_support,
    split_sentences,
)
from assistant.settings import LLMSettings

MAX_PASSAGES = 3
MAX_QUOTES = 3
SENTENCES_PER_PASSAGE = 4  # the sentences nearest the question: a short prompt a small local model reads in time
MIN_SENTENCE_SUPPORT = 0.75
BARE_VERDICT = re.compile(r"\W*(yes|no|correct|right|true|false|it depends)\W*", re.I)
REASON = re.compile(
    r"\b(because|since(?! \d)|due to|as a result|therefore|which (means|makes|lets|helps)|that is why|this (means|makes))\b",
    re.I,
)
"""a sentence that gives a reason joins facts ("Your current loan limit is $43,800 because you have one loan
and your maximum loan is $16,000", read in `make bench-llm` with real figures and 0.75 nearness): only a
source sentence holding all its words supports it (`covered`), never its nearness to one"""
"""each sentence of an LLM answer must be this close (MiniLM cosine) to a sentence the model was given, or the
composer answers: in the drafts read in `make bench-llm` faithful sentences scored 0.90-1.00, and invented or
vacuous ones ("Tax refunds are typically withheld by the employer...") 0.20-0.70 (docs/llm.md)"""


def _same(a: str, b: str) -> bool:
    return re.sub(r"\W+", " ", a).strip().lower() == re.sub(r"\W+", " ", b).strip().lower()


def build_chat_model(settings: LLMSettings) -> Any:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.base_url,
        api_key=settings.api_key,
        model=settings.model,
        temperature=0,
        timeout=settings.timeout_s,
        max_retries=settings.max_retries,
        max_tokens=settings.max_tokens,  # type: ignore[call-arg]  # sent as max_completion_tokens
        # ...which llama.cpp's server (and other OpenAI-compatible servers) ignore: without the classic
        # field too a small model runs on to the end of its context window (~4,000 tokens, a minute)
        extra_body={"max_tokens": settings.max_tokens},
        model_kwargs={"response_format": {"type": "json_object"}},
    )


class LlmDrafter:
    def __init__(self, chat_model: Any, composer: GroundedComposer, model_id: str, prompt: PromptTemplate) -> None:
        """`prompt`: the template the settings name (`LLMSettings.prompt`, loaded by `build_drafter`)."""
        self.chat = chat_model
        self.composer = composer
        self.blocks = composer.blocks
        self.prompt = prompt
        self.backend_id = f"llm:{model_id}"
        self.min_support = MIN_SENTENCE_SUPPORT
        self.last_reply: LlmReply | None = None
        """the model's parsed reply of the last draft, also when it fell back (make bench-llm reads it)"""

    @property
    def provenance(self) -> dict[str, str]:
        return self.prompt.provenance

    def draft(self, ctx: ComposeContext) -> Draft:
        self.last_reply = None
        spec = self.composer.intents.get(ctx.intent)
        composed = self.composer.draft(ctx)
        if ctx.screen_action != "allow" or ctx.missing or (spec is not None and not spec.from_documents):
            # boundaries, hand-offs, greetings and the account summary are pre-approved text
            return composed
        if composed.action != "answer" or ctx.figures:
            # whether to answer is the relevance gate's decision, never the model's (asked where the gate
            # said "I don't know", the model quoted the nearest unrelated sentence: 16 of 27 labelled
            # replies irrelevant in `make bench-llm`, docs/llm.md); and the person's own figures are the
            # playbooks' (the model attached real figures to the wrong subject, or dropped them)
            return composed
        passages: dict[str, str] = {}
        for p in ctx.passages:
            if p["citation_id"] in composed.citations:  # the passages the gate let the composer answer from
                passages.setdefault(p["citation_id"], p["text"])
        if not passages:
            return composed
        chosen = list(passages.items())[:MAX_PASSAGES]
        q = self.composer.embedder.encode([ctx.query])[0]
        numbered = numbered_sentences(chosen, q, self.composer.embedder, SENTENCES_PER_PASSAGE)
        shown = [" ".join(s for c, s in numbered if c == cid) for cid, _ in chosen]
        figure_lines = [figure_line(f) for f in ctx.figures.values()]
        messages = self.prompt.render(
            question=ctx.text,
            passages="\n".join(f"[{cid}] {text}" for (cid, _), text in zip(chosen, shown, strict=True)),
            sentences="\n".join(f"[{n}] {s}" for n, (_, s) in enumerate(numbered, start=1)),
            figures="\n".join(figure_lines) or "none",
        )
        try:
            reply = self.chat.invoke(messages)
            parsed = parse_reply(str(reply.content))
            self.last_reply = parsed
        except (ValueError, ValidationError) as e:
            return self._fallback(composed, f"unusable reply: {str(e)[:160]}")
        except Exception as e:  # noqa: BLE001 - timeouts, connection errors, server errors
            return self._fallback(composed, f"{type(e).__name__}: {str(e)[:160]}")
        if parsed.action != "answer":
            return self._declined(composed, parsed)
        if parsed.quotes:
            return self._quoted(ctx, composed, parsed, numbered)
        text, inline = inline_citations(parsed.answer)
        support = sentence_support(text, shown + figure_lines, self.composer.embedder)
        weak = [(t, v) for t, v in support if v < self.min_support and not covered(t, shown)]
        if weak:
            return self._fallback(composed, f"unsupported sentence ({weak[0][1]:.2f}): {weak[0][0][:120]}")
        reasoned = [t for t, _ in support if REASON.search(t) and not covered(t, shown)]
        if reasoned:
            return self._fallback(composed, f"unsupported reasoning: {reasoned[0][:120]}")
        known = [*dict.fromkeys(p["citation_id"] for p in ctx.passages)]
        citations = resolve_citations([*parsed.citations, *inline], known)
        figures = [name for name in parsed.figures if name in ctx.figures]
        return Draft("answer", text, citations, figures, source="llm")

    def _quoted(self, ctx: ComposeContext, composed: Draft, parsed: LlmReply, numbered: list[tuple[str, str]]) -> Draft:
        """The quote format (prompt v5): the sentences the model picked, word for word, under its one-line
        lead. The lead is shown only when one picked sentence holds its words with the same negation and
        conditions (`covered`), so "Yes, there is a year-end true-up of the match." is shown above the
        plan's true-up sentence; a bare "Yes." or "No." says nothing a sentence can support. Any other
        lead is dropped and the quotes are shown (`Draft.trimmed` records why)."""
        picked = [numbered[n - 1] for n in dict.fromkeys(parsed.quotes) if 1 <= n <= len(numbered)][:MAX_QUOTES]
        if not picked:
            return self._fallback(composed, f"no given sentence quoted: {parsed.quotes}")
        quoted = [s for _, s in picked]
        lead, _ = inline_citations(parsed.answer)
        lead = lead if re.search(r"\w", lead) else ""  # "..." copied from an example says nothing
        trimmed = self._unsupported_lead(lead, quoted) if lead else None
        if trimmed:
            # the lead may rest on a given sentence the model did not pick ("The interest goes back into your
            # own account."): shown with that sentence, the support is in the reply
            backing = [(c, s) for c, s in numbered if (c, s) not in picked and not self._unsupported_lead(lead, [s])]
            if backing:
                picked, trimmed = [*picked, backing[0]], None
                quoted = [s for _, s in picked]
        if lead and not trimmed and any(_same(lead, s) for s in quoted):
            lead = ""  # the lead repeats a quoted sentence: shown once
        shown_lead = [lead] if lead and not trimmed else []
        draft = Draft(
            "answer",
            " ".join([*shown_lead, *quoted]),
            [*dict.fromkeys(cid for cid, _ in picked)],
            source="llm",  # no figures: a turn with the person's figures never reaches the model
        )
        draft.trimmed = trimmed
        if ctx.pii_types:
            draft.text = f"{self.blocks.get('pii_removed')}\n\n{draft.text}"
        return draft

    def _unsupported_lead(self, lead: str, quoted: list[str]) -> str | None:
        """Why the lead may not be shown (None: it may)."""
        sentences: list[str] = []
        verdict = ""
        for part in split_sentences(lead):
            if BARE_VERDICT.fullmatch(part):  # "No. You can roll it over." is read as one sentence
                verdict += part.strip(" .!") + ", "
            else:
                sentences.append(verdict + part)
                verdict = ""
        if not sentences:
            return f"bare verdict: {lead[:40]}"
        sims = self.composer.embedder.encode(sentences) @ self.composer.embedder.encode(quoted).T
        for sentence, row in zip(sentences, sims, strict=True):
            if covered(sentence, quoted):
                continue
            best = int(row.argmax())
            if REASON.search(sentence):
                return f"unsupported reasoning: {sentence[:120]}"
            if float(row[best]) < self.min_support:
                return f"unsupported lead ({float(row[best]):.2f}): {sentence[:120]}"
            if negated(sentence) != negated(quoted[best]):
                return f"lead negates its sentence ({float(row[best]):.2f}): {sentence[:120]}"
            # near a quoted sentence but in words of its own: in the full `make bench-llm` run of the quote
            # format the shown leads that were wrong scored 0.79-0.95 against their sentence ("A typical
            # vesting timeline for a plan ends when the employer goes out of business", 0.89; "... which
            # makes them simpler to invest in", 0.95) and faithful ones 0.76-0.97, so nearness cannot
            # tell them apart; the quotes under the lead already answer, so only a lead in the words of
            # one sentence is shown (docs/llm.md)
            return f"lead not in the words of its sentence ({float(row[best]):.2f}): {sentence[:120]}"
        return None

    def _declined(self, composed: Draft, parsed: LlmReply) -> Draft:
        """The model's reply class when it does not answer (no_source, advice, out_of_scope): its words
        are never shown; the composer, whose relevance gate and boundaries decide those replies, drafts
        the turn, and the model's class is recorded as the reason."""
        return self._fallback(composed, f"the model replied {parsed.action}/{parsed.reason or '-'}")

    @staticmethod
    def _fallback(composed: Draft, reason: str) -> Draft:
        """The composer's draft of the turn (drafted once, before the model was asked), with why the
        model's draft was not used."""
        composed.fallback_reason = reason
        return composed
