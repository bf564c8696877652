"""First names from the census and world name lists that spaCy tags as proper nouns (PERSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from guardrails.recognizers.names import (
    NOT_FIRST_NAMES,
    NOT_SURNAMES,
    census_first_names,
    dictionary_words,
    is_dictionary_word,
    world_first_names,
)

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.tokens import Token


class CensusNameRecognizer(LocalRecognizer):
    """PERSON: a census first name that spaCy tags as a proper noun, with a middle initial and a
    capitalised surname when they follow ("Rebecca", "Sofia Lima", "Shane M Culp"). First names of
    other countries ("Halldór", "Virpi", "Miklós Hajdu") count too when they are not English words
    (`world_first_names`; the spaCy pipeline's WordNet index says which: "Karma", "Red" are not).

    The small spaCy model often labels such names ORG or GPE or nothing; its part-of-speech tag
    still says proper noun, and "Will" (modal) or "Mark" (verb) are not. Census first names that are
    also ordinary words, months, places or firms ("Hope", "June", "Chase", "Lincoln") are left out,
    and so are the words on the policy's allow list (`PiiEngine.detect`). Uses the tokens spaCy
    already produced for the message: no extra model run.
    """

    NOT_NAMES: ClassVar[frozenset[str]] = NOT_FIRST_NAMES
    """census first names that are also ordinary words, months, places or firms (`names.NOT_FIRST_NAMES`)"""
    NOT_INSIDE: ClassVar[frozenset[str]] = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "EVENT", "LAW", "MONEY"})
    """a token inside (not at the start of) such a spaCy entity is not a first name ("Puerto Rico", "Jan 5")"""
    PROPER_NOUN_TAGS: ClassVar[frozenset[str]] = frozenset({"NNP", "NNPS"})
    FIRST_NAME_SCORE = 0.65
    FULL_NAME_SCORE = 0.75

    def __init__(self) -> None:
        self.first_names = census_first_names() - self.NOT_NAMES
        self._with_world: dict[int, frozenset[str]] = {}
        super().__init__(supported_entities=["PERSON"], name="CensusNameRecognizer")

    def names_for(self, nlp_engine: Any) -> frozenset[str]:
        """Census first names plus the world's first names that are not English words."""
        key = id(nlp_engine)
        if key not in self._with_world:
            words = dictionary_words(nlp_engine)
            world = {n for n in world_first_names() - self.NOT_NAMES if not is_dictionary_word(n, words)}
            self._with_world[key] = self.first_names | world
        return self._with_world[key]

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or not nlp_artifacts.tokens or "PERSON" not in entities:
            return []
        doc = nlp_artifacts.tokens
        lower_text = not any(c.isupper() for c in text)  # "follow up with patricia desrosiers"
        names = self.names_for(nlp_artifacts.nlp_engine)
        words = dictionary_words(nlp_artifacts.nlp_engine)
        results = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if lower_text and not self._lower_first_name(tok) and self._lower_world_name(doc, i, names, words):
                results.append(self._result(tok.idx, doc[i + 1].idx + len(doc[i + 1].text), self.FULL_NAME_SCORE))
                i += 2
                continue
            if not (self._lower_first_name(tok) if lower_text else self._first_name(tok, names)):
                i += 1
                continue
            end = i + 1
            if not lower_text and end < len(doc) and re.fullmatch(r"[A-Z]\.?", doc[end].text) and doc[end].whitespace_:
                end += 1  # a middle initial
            surname = end
            while surname < len(doc) and doc[surname].is_space and "\n" not in doc[surname].text:
                surname += 1  # "Lara  Fiorentino"
            if surname < len(doc) and (
                _is_lower_surname(tok, doc[surname]) if lower_text else _is_surname(doc[surname])
            ):
                surname += 1
            else:
                surname = end
            if surname == end and end > i + 1:
                end = i + 1  # an initial with no surname after it is not part of the name
            if lower_text and surname == end and tok.tag_ != "NNP":
                i += 1  # a lower-case first name alone counts only when spaCy calls it a proper noun
                continue
            score = self.FULL_NAME_SCORE if surname > end else self.FIRST_NAME_SCORE
            last = doc[max(surname, end) - 1]
            results.append(self._result(tok.idx, last.idx + len(last.text), score))
            i = max(surname, end)
        return results

    def _first_name(self, tok: Token, names: frozenset[str]) -> bool:
        return bool(
            tok.is_title
            and tok.text in names
            and (tok.tag_ in self.PROPER_NOUN_TAGS or (tok.tag_ == "NN" and _starts_sentence(tok)))
            and not (tok.ent_type_ in self.NOT_INSIDE and (tok.ent_iob_ == "I" or tok.ent_type_ in {"DATE", "TIME"}))
        )

    @staticmethod
    def _lower_world_name(doc: Any, i: int, names: frozenset[str], words: frozenset[str]) -> bool:
        """In lower-case text: a first name of another country followed by a surname-like word, neither
        an English word ("aksel kristensen", "leone mazzi"; not "karma police")."""
        if i + 1 >= len(doc):
            return False
        first, last = doc[i], doc[i + 1]
        return (
            all(
                t.is_lower
                and t.is_alpha
                and len(t.text) > 2
                and not t.is_stop
                and not is_dictionary_word(t.text, words)
                for t in (first, last)
            )
            and first.text.title() in names
            and first.whitespace_ == " "
        )

    def _lower_first_name(self, tok: Token) -> bool:
        """In a text typed all in lower case: a census first name spaCy tags as a noun."""
        return bool(
            tok.is_lower and tok.is_alpha and tok.text.title() in self.first_names and tok.tag_ in {"NNP", "NN"}
        )

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation(
                "CensusNameRecognizer", score, textual_explanation="census first name"
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "CensusNameRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _starts_sentence(tok: Token) -> bool:
    """First word of the text or of a sentence (spaCy often tags a name there as a common noun)."""
    return tok.i == 0 or tok.nbor(-1).text in {".", "!", "?", "\n", ":"} or "\n" in tok.nbor(-1).text


def _is_lower_surname(first: Token, tok: Token) -> bool:
    """A lower-case word after a lower-case first name: a proper noun, or any noun or modifier when
    spaCy called the first name a proper noun ("patricia desrosiers"); never a stop word."""
    return bool(
        tok.is_lower
        and tok.is_alpha
        and len(tok.text) > 1
        and not tok.is_stop
        and (tok.tag_ in {"NNP", "NNPS"} or (first.tag_ == "NNP" and tok.tag_ in {"NN", "NNS", "JJ", "RB"}))
    )


def _is_surname(tok: Token) -> bool:
    """A capitalised word after a first name, on the same line ("Sofia Lima", "Szöllösy", "O'Neil")."""
    return bool(
        re.fullmatch(r"\p{Lu}[\p{L}\p{M}'’-]+", tok.text)
        and "\n" not in tok.doc.text[tok.idx - 1 : tok.idx]
        and tok.tag_ in {"NNP", "NNPS", "NN"}
        and tok.text not in NOT_SURNAMES
    )
