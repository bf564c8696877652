"""Census surnames in a list of names or after a first name (PERSON)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, ClassVar

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from guardrails.recognizers.names import (
    NOT_FIRST_NAMES,
    NOT_SURNAMES,
    census_first_names,
    census_last_names,
    dictionary_words,
    is_dictionary_word,
)

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.tokens import Token


EMPLOYER_BEFORE = re.compile(
    r"\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|(?:a|one|two|three|\d+)[ \t]+(?:year|month)s?"
    r"[ \t]+at|employer[ \t]+is|company[ \t]+is)[ \t]+$",
    re.IGNORECASE,
)
"""what introduces an employer ("I work for Ellis-Ingram", "spent a year at Weeks-Rivas"): a firm, even
one named after people; Beacon keeps employers (plan questions name them)"""


class SurnameRecognizer(LocalRecognizer):
    """PERSON from the census surname list (`names` package) where the context makes a name likely:

    * a list of capitalised words ("our founders: Kónya, Becker and Vasquez") with at least two census
      names (first or last) that spaCy does not call a place or date, at least one word that is not an
      English word, and at most one word spaCy calls a place (it often takes a foreign surname for
      one): all its members;
    * a capitalised word before a census surname that is not an English word ("Magnus Poulsen"):
      both words, unless spaCy calls them a place, a date or a facility.

    Surnames that are also English words ("Brown", "Price", "Roth", "Cash") never count on their own
    (the spaCy pipeline's WordNet index says which), so "Cash, Stocks and Bonds" is not a list of
    names. Uses the tokens spaCy already produced."""

    NOT_IN: ClassVar[frozenset[str]] = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "LAW", "EVENT"})
    LIST_SCORE = 0.65
    PAIR_SCORE = 0.65

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="SurnameRecognizer")

    def load(self) -> None:
        self.last_names = census_last_names()
        self.first_names = census_first_names() - NOT_FIRST_NAMES

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or not nlp_artifacts.tokens or "PERSON" not in entities:
            return []
        doc = nlp_artifacts.tokens
        words = dictionary_words(nlp_artifacts.nlp_engine)
        if not words:
            return []
        results: list[RecognizerResult] = []

        def capitalised(tok: Token) -> bool:
            return bool(
                _NAME_TOKEN.fullmatch(tok.text)
                and not tok.is_stop
                and tok.text not in NOT_FIRST_NAMES
                and tok.text not in NOT_SURNAMES
            )

        def census(tok: Token) -> bool:
            return tok.text in self.last_names or tok.text in self.first_names

        def distinct(tok: Token) -> bool:
            """not an English word, and not used in lower case in the same text"""
            return not is_dictionary_word(tok.text, words) and not _used_in_lower_case(text, tok.text)

        # lists: A, B and C / A, B, C / A, B & C
        i = 0
        while i < len(doc):
            members = [i] if capitalised(doc[i]) else []
            j = i + 1
            while members and j + 1 < len(doc) and doc[j].text in {",", "and", "&"} and capitalised(doc[j + 1]):
                members.append(j + 1)
                if doc[j].text in {"and", "&"}:
                    break
                j += 2
            last = doc[members[-1]] if members else None
            if (
                last is not None
                and len(members) >= 3 - (doc[members[-1] - 1].text in {"and", "&"})
                and doc[members[-1] - 1].text in {"and", "&"}
                and not (last.i + 1 < len(doc) and _NAME_TOKEN.fullmatch(doc[last.i + 1].text))
                and sum(census(doc[m]) and doc[m].ent_type_ not in self.NOT_IN for m in members) >= 2
                and any(distinct(doc[m]) for m in members)
                and sum(doc[m].ent_type_ in self.NOT_IN for m in members) <= 1
                and not EMPLOYER_BEFORE.search(text[max(0, doc[members[0]].idx - 40) : doc[members[0]].idx])
            ):
                results += [self._result(doc[m].idx, doc[m].idx + len(doc[m].text), self.LIST_SCORE) for m in members]
                i = members[-1] + 1
                continue
            i += 1
        # pairs: Name Surname
        for a, b in itertools.pairwise(doc):
            if (
                capitalised(a)
                and capitalised(b)
                and a.whitespace_ == " "
                and b.text in self.last_names
                and distinct(b)
                and (a.text in self.first_names or distinct(a))
                and a.tag_ in {"NNP", "NNPS"}
                and b.tag_ in {"NNP", "NNPS"}
                and not {a.ent_type_, b.ent_type_} & self.NOT_IN
            ):
                results.append(self._result(a.idx, b.idx + len(b.text), self.PAIR_SCORE))
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation("SurnameRecognizer", score, textual_explanation="census surname"),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "SurnameRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


_NAME_TOKEN = re.compile(r"\p{Lu}[\p{Ll}\p{M}'’-]+")
"""a capitalised word with no capitals after its first letter ("Kónya", "O'Neil" is not one)"""


def _used_in_lower_case(text: str, word: str) -> bool:
    """The text also writes the word in lower case ("Cash ... cash"): an ordinary word there."""
    return bool(re.search(rf"(?<![\w'’-]){re.escape(word.lower())}(?![\w'’-])", text))
