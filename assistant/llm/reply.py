"""What the model is shown and how its reply is read: the retrieved sentences nearest the
question, the calculator figures as people read them, and the structured reply (reply class,
answer, citations, figures) with its citations resolved to the passages that were retrieved.

Resolving a citation only maps what the model plainly meant ("[acme-401k/spd#7.4]", "section 7.4",
"spd#7.4") onto the one retrieved passage it names; anything else is kept as written, and the
guard blocks it (output.unsupported_citation).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.decisions.calculators import money

ReplyClass = Literal["answer", "clarify", "refuse", "escalate"]


class LlmReply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    action: ReplyClass = "answer"
    reason: str | None = None
    answer: str = Field(default="", max_length=4000)
    citations: list[str] = Field(default_factory=list)
    figures: list[str] = Field(default_factory=list)
    quotes: list[int] = Field(default_factory=list)
    """the numbers of the given sentences that answer (the quote format, prompt v5): shown word for word"""

    @field_validator("action", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("citations", "figures", mode="before")
    @classmethod
    def _listed(cls, v: Any) -> Any:
        if v is None:
            return []
        return [v] if isinstance(v, str) else [str(x) for x in v]

    @field_validator("quotes", mode="before")
    @classmethod
    def _numbers(cls, v: Any) -> Any:
        """[2, 5], ["2", "[5]"], "2, 5" or 2 as the numbers they name; anything else is not a quote."""
        items = v if isinstance(v, list) else [v] if v is not None else []
        return [int(n) for x in items for n in re.findall(r"\d+", str(x))][:8]


def parse_reply(text: str) -> LlmReply:
    """The JSON object of the reply; raises ValueError when there is none or it has no answer."""
    match = re.search(r"\{.*\}", text, flags=re.S)
    if not match:
        raise ValueError("the reply contains no JSON object")
    reply = LlmReply.model_validate(json.loads(match.group(0)))
    if reply.action == "answer" and not reply.answer.strip() and not reply.quotes:
        raise ValueError("the reply answers with no text")
    return reply


_INLINE = re.compile(r"\s*[\[(]((?:source:?\s*)?[\w./-]+#[\w.-]+)[\])]")


def inline_citations(answer: str) -> tuple[str, list[str]]:
    """Citation ids written into the answer text ("... a $75 fee [acme-401k/spd#7.4].") moved to the
    citation list: the reader sees sources beside the answer, and "#7" is no figure."""
    found = [m.group(1) for m in _INLINE.finditer(answer)]
    return _INLINE.sub("", answer).strip(), found


def resolve_citations(raw: list[str], known: list[str]) -> list[str]:
    """Each cited string as the retrieved passage id it plainly names; unresolvable ones unchanged."""
    out: list[str] = []
    for item in raw:
        cid = _resolve(item, known)
        if cid and cid not in out:
            out.append(cid)
    return out


def _resolve(item: str, known: list[str]) -> str:
    c = item.strip().strip("[]()\"'` ").strip()
    c = re.sub(r"^(?:source|passage|id)\s*:?\s*", "", c, flags=re.I)
    if c in known:
        return c
    ending = [k for k in known if c.endswith(k)]  # "the plan's spd acme-401k/spd#7.4"
    if len(ending) == 1:
        return ending[0]
    tail = [k for k in known if "#" in c and k.endswith("/" + c.split("/")[-1])]  # "spd#7.4"
    if len(tail) == 1:
        return tail[0]
    m = re.fullmatch(r"(?:section|§|sec\.?)?\s*(\d+(?:\.\d+)*)", c, flags=re.I)
    if m:
        same = [k for k in known if k.split("#", 1)[-1] == m.group(1)]
        if len(same) == 1:
            return same[0]
    return c


def figure_line(f: dict[str, Any]) -> str:
    v = f["value"]
    if f["unit"] == "USD":
        shown = money(v)
    elif f["unit"] == "percent" and not isinstance(v, str):
        shown = f"{v:g}%"
    else:
        shown = str(v)
    label = f.get("label")
    return f"{f['name']} ({label}) = {shown}" if label and label != f["name"] else f"{f['name']} = {shown}"


_SPLIT = re.compile(r"(?<=[.!?])\s+")


def nearest_sentences(text: str, question_vec: Any, embedder: Any, keep: int) -> str:
    """The passage's sentences nearest the question (at most `keep`), in their own order."""
    return " ".join(_nearest(text, question_vec, embedder, keep))


def _nearest(text: str, question_vec: Any, embedder: Any, keep: int) -> list[str]:
    sentences = [s for s in split_sentences(text) if len(s) > 15]
    if len(sentences) <= keep:
        return sentences
    sims = embedder.encode(sentences) @ question_vec
    return [sentences[i] for i in sorted(sorted(range(len(sentences)), key=lambda i: -float(sims[i]))[:keep])]


def numbered_sentences(
    passages: list[tuple[str, str]], question_vec: Any, embedder: Any, keep: int
) -> list[tuple[str, str]]:
    """(citation id, sentence) for the sentences of each passage nearest the question, passage by
    passage in their own order: what the quote format shows the model as [1], [2], ..."""
    out: list[tuple[str, str]] = []
    for cid, text in passages:
        out += [(cid, s) for s in _nearest(text, question_vec, embedder, keep)]
    return out


def split_sentences(text: str) -> list[str]:
    return [s for s in _SPLIT.split(" ".join(text.split())) if s]


def sentence_support(answer: str, sources: list[str], embedder: Any) -> list[tuple[str, float]]:
    """Each sentence of the answer with its best cosine similarity to a sentence of the sources the
    model was given (the retrieved sentences and the figure lines)."""
    sentences = [s for s in split_sentences(answer) if len(s) > 20]
    given = [s for t in sources for s in split_sentences(t) if len(s) > 10]
    if not sentences:
        return []
    if not given:
        return [(s, 0.0) for s in sentences]
    sims = embedder.encode(sentences) @ embedder.encode(given).T
    return [(s, float(row.max())) for s, row in zip(sentences, sims, strict=True)]


_NEGATION = re.compile(r"\b(?:not|no|never|cannot|none|neither|nor|without)\b|n't\b", re.IGNORECASE)
_QUALIFIER = re.compile(r"\b(?:only|unless|except|if|but)\b", re.IGNORECASE)
_FUNCTION_WORDS = set(
    "yes the and for you your are was were has had have its any all one who how why what get use own out per "
    "there this that these those their them they then than with from into onto about also will would could "
    "which when where been being is be a an of to in on at by or as it do does".split()
)
MIN_COVERED_WORDS = 3


def negated(sentence: str) -> bool:
    return bool(_NEGATION.search(sentence))


def _words(sentence: str) -> set[str]:
    """Content words cut to six letters (contribute / contributions), numbers and plan types
    ("401(k)" as "401k") included."""
    text = re.sub(r"\((k|b)\)", r"\1", sentence.lower())
    return {w[:6] for w in re.findall(r"[a-z0-9]+", text) if (len(w) > 2 or w.isdigit()) and w not in _FUNCTION_WORDS}


def covered(sentence: str, passages: list[str]) -> bool:
    """Whether one sentence of the passages the model was given holds every content word of the
    sentence (at least MIN_COVERED_WORDS of them), with the same negation, and the answer keeps any
    "only / unless / except / if / but" the source sentence has: a faithful short paraphrase that
    MiniLM scores low ("Yes, there is a year-end true-up of the match" for "After the end of each
    year, Acme makes a true-up contribution ..."). A word the sources do not use, a flipped negation
    or a dropped condition is not covered. Figure lines are not passages: a yes/no figure's meaning is
    its value."""
    words = _words(sentence)
    if len(words) < MIN_COVERED_WORDS:
        return False
    negated = bool(_NEGATION.search(sentence))
    qualifiers = {q.lower() for q in _QUALIFIER.findall(sentence)}
    for text in passages:
        for source in _SPLIT.split(" ".join(text.split())):
            if (
                words <= _words(source)
                and bool(_NEGATION.search(source)) == negated
                and {q.lower() for q in _QUALIFIER.findall(source)} <= qualifiers
            ):
                return True
    return False
