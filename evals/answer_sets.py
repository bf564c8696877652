"""Answer labels: what a good reply to a question must contain, written before any tuning.

Three files in `evals/answers/` (data only):

- `fiqa.yaml` labels the 176 real questions of `../shared/data/questions/fiqa-retirement-dev.json`
  by `qid` (the question texts stay in the shared folder);
- `irs.yaml` holds hand-written IRA questions answered by IRS Pub 590-A / 590-B (2025), with the
  pages that state each answer;
- `bundled-facts.yaml` adds answer facts to the questions of `evals/retrieval/bundled.yaml`.

Each question (or each part of a multi-part question) expects one behaviour: `answer` (the
knowledge answers it), `advice` (an individual investment or product choice: give the advice
boundary), `out_of_scope`, `ask_plan` (only the asker's own plan can answer) or `no_answer` (in
scope, but the knowledge does not hold the answer: say so and give a contact). An `answer` lists
facts; a fact is a list of alternative phrasings, and a sentence states the fact when it contains
any one of them after `normalise` (case, typographic quotes and dashes, whitespace).

The dev/test split is fixed by the question id alone (`split_for`), so nobody chooses it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from evals.errors import SuiteError

ANSWERS_DIR = Path(__file__).with_name("answers")
FIQA_FILE = ANSWERS_DIR / "fiqa.yaml"
IRS_FILE = ANSWERS_DIR / "irs.yaml"
BUNDLED_FACTS_FILE = ANSWERS_DIR / "bundled-facts.yaml"
PUBLICATION_PAGES = {"p590a": 62, "p590b": 71}
"""page count of each IRS publication (2025 editions) a label may cite"""

Expect = Literal["answer", "advice", "out_of_scope", "ask_plan", "no_answer"]
Split = Literal["dev", "test"]
Alternative = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]
Fact = Annotated[list[Alternative], Field(min_length=1)]
Page = Annotated[str, StringConstraints(pattern=r"^p590[ab]#p[1-9]\d*$")]

_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def split_for(key: str) -> Split:
    """The fixed split of a question id: sha256(id) even -> dev, odd -> test."""
    return "dev" if int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def normalise(text: str) -> str:
    """Lower case, typographic quotes and dashes as ASCII, runs of whitespace as one space."""
    return " ".join(text.translate(_TYPOGRAPHY).casefold().split())


def fact_found(fact: list[str], text: str) -> bool:
    """Whether `text` (a sentence or a passage) contains any alternative of the fact."""
    haystack = normalise(text)
    return any(normalise(alternative) in haystack for alternative in fact)


def _check_expectation(expect: Expect, facts: list[list[str]]) -> None:
    if expect == "answer" and not facts:
        raise ValueError("an 'answer' needs at least one fact")
    if expect != "answer" and facts:
        raise ValueError(f"'{expect}' takes no facts; only an 'answer' lists facts")


class Part(BaseModel):
    """One question of a multi-part question (or the whole of a single one)."""

    model_config = ConfigDict(extra="forbid")
    expect: Expect
    facts: list[Fact] = []
    topic: str | None = None
    """a few words of our own naming the part"""

    @model_validator(mode="after")
    def _facts_match_expect(self) -> Part:
        _check_expectation(self.expect, self.facts)
        return self


class _Labelled(BaseModel):
    model_config = ConfigDict(extra="forbid")
    split: Split
    note: str | None = None
    """why a hard call went the way it did"""

    def _check_split(self, key: str) -> None:
        if self.split != split_for(key):
            raise ValueError(f"split is '{self.split}' but the fixed rule gives '{split_for(key)}' for '{key}'")


class FiqaQuestion(_Labelled):
    """A FiQA question, referenced by its qid: one expectation, or two or more parts."""

    qid: str = Field(pattern=r"^\d+$")
    topic: str = Field(min_length=3, max_length=80)
    expect: Expect | None = None
    facts: list[Fact] = []
    parts: list[Part] | None = Field(default=None, min_length=2)

    @model_validator(mode="after")
    def _one_shape(self) -> FiqaQuestion:
        self._check_split(self.qid)
        if len(self.topic.split()) > 8:
            raise ValueError("topic is longer than 8 words")
        if (self.expect is None) == (self.parts is None):
            raise ValueError("give either 'expect' (one question) or 'parts' (several), not both or neither")
        if self.parts is not None and self.facts:
            raise ValueError("facts of a multi-part question belong to its parts")
        if self.expect is not None:
            _check_expectation(self.expect, self.facts)
        return self

    @property
    def units(self) -> list[Part]:
        """The parts to score: the question itself when it has no parts."""
        if self.parts is not None:
            return self.parts
        return [Part.model_validate({"expect": self.expect, "facts": self.facts, "topic": self.topic})]


class IrsQuestion(_Labelled):
    """A question answered (or deliberately not) by IRS Pub 590-A / 590-B."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    q: str = Field(min_length=3)
    expect: Expect
    facts: list[Fact] = []
    pages: list[Page] = []
    """the page(s) stating the answer, "p590a#p12" = Pub 590-A, physical page 12"""

    @model_validator(mode="after")
    def _facts_and_pages(self) -> IrsQuestion:
        self._check_split(self.id)
        _check_expectation(self.expect, self.facts)
        if (self.expect == "answer") != bool(self.pages):
            raise ValueError("an 'answer' cites the page(s) stating it; other expectations cite none")
        for page in self.pages:
            pub, number = page.split("#p")
            if int(number) > PUBLICATION_PAGES[pub]:
                raise ValueError(f"page '{page}' is past the end of {pub} ({PUBLICATION_PAGES[pub]} pages)")
        return self


class BundledFacts(BaseModel):
    """Facts for a question of evals/retrieval/bundled.yaml, taken from its answering sections."""

    model_config = ConfigDict(extra="forbid")
    id: str
    facts: list[Fact] = Field(min_length=1)


class FiqaSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    set: str
    source: str
    """the questions file, relative to the project root"""
    questions: list[FiqaQuestion] = Field(min_length=1)


class IrsSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    set: str
    questions: list[IrsQuestion] = Field(min_length=1)


class BundledFactSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    set: str
    questions: list[BundledFacts] = Field(min_length=1)


S = TypeVar("S", FiqaSet, IrsSet, BundledFactSet)


def _load(path: Path, model: type[S], key: str) -> S:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        loaded = model.model_validate(raw)
    except (OSError, yaml.YAMLError) as e:
        raise SuiteError(f"{path}: cannot be read as YAML ({e}).") from e
    except ValidationError as e:
        err = e.errors()[0]
        loc = err["loc"]
        where = ".".join(str(x) for x in loc)
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int) and isinstance(raw, dict):
            item = (raw.get("questions") or [{}])[loc[1]]
            name = item.get(key, f"#{loc[1] + 1}") if isinstance(item, dict) else f"#{loc[1] + 1}"
            field = ".".join(str(x) for x in loc[2:]) or "(the question)"
            where = f"question '{name}', field '{field}'"
        msg = re.sub(r"^Value error, ", "", err["msg"])
        raise SuiteError(f"{path}: {where}: {msg}.") from e
    seen: set[str] = set()
    for question in loaded.questions:
        name = getattr(question, key)
        if name in seen:
            raise SuiteError(f"{path}: question '{name}' is labelled twice; label each question once.")
        seen.add(name)
    return loaded


def load_fiqa(path: Path = FIQA_FILE) -> FiqaSet:
    return _load(path, FiqaSet, "qid")


def load_irs(path: Path = IRS_FILE) -> IrsSet:
    return _load(path, IrsSet, "id")


def load_bundled_facts(path: Path = BUNDLED_FACTS_FILE) -> BundledFactSet:
    return _load(path, BundledFactSet, "id")
