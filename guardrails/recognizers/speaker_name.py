"""Names a text's shape reveals: speaker labels, an addressee, reported speech (PERSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from guardrails.recognizers.names import NOT_FIRST_NAMES, census_names, dictionary_words, is_dictionary_word

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts


_LABEL_WORDS = frozenset(
    """Bot User Agent Customer Caller Client Participant Member Employee Employer Advisor Adviser Rep Support
    Operator Assistant System Admin Moderator Host Guest Speaker Interviewer Interviewee Narrator Q A Re Fwd
    Subject Phone Mobile Cell Fax Desk Email Website Address Note Tip Example Answer Question Chat""".split()
)
"""speaker labels and field labels that are roles, not names ("Agent:", "Caller:", "Mobile:")"""
_SPEAKER = re.compile(r"^[ \t]*(\p{Lu}[\p{Ll}\p{M}'’-]+)[ \t]*:[ \t]+\S", re.MULTILINE)
_VOCATIVE = re.compile(
    r"(?:^|(?<=[.!?\n][ \t]{0,3}))(?:(?:Hi|Hello|Hey|Dear|Thanks|Thank you|Sorry|Excuse me|Oh|Well|Yes|No),?[ \t]+)?"
    r"(\p{Lu}[\p{Ll}\p{M}'’-]+),[ \t]+(?=(?:can|could|would|will|please|do|did|are|is|have|has|I|you|we|"
    r"thanks|thank|how|what|when|where|why|let|listen|look|remember|tell|wait|stop|hurry|come|meet)\b)"
)
_REPORTED = re.compile(
    r"\b(?:said|asked|told|replied|answered|shouted|whispered|wrote|says|asks)[ \t]+(\p{Lu}[\p{Ll}\p{M}'’-]+)"
    r"(?:[ \t]+(?:to|at)[ \t]+(\p{Lu}[\p{Ll}\p{M}'’-]+))?(?![\w'’-])"
)


class SpeakerNameRecognizer(LocalRecognizer):
    """PERSON where the text's shape says a word is someone's name, even one no list knows:

    * speaker labels of a transcript ("Leverett: What a wife.⏎Danielle: …"; two or more labelled
      lines, as an agent pastes from a call or chat);
    * a person addressed at the start of a sentence ("Warrane, can I please speak to your boss?");
    * reported speech ("said Maslin to Antonio").

    Never a role or field label ("Agent:", "Mobile:") or an English word ("Note:", "Example:",
    "Well, ..."; the spaCy pipeline's WordNet index says which)."""

    SCORE = 0.65

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="SpeakerNameRecognizer")

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or "PERSON" not in entities:
            return []
        words = dictionary_words(nlp_artifacts.nlp_engine)
        if not words:
            return []
        names = census_names()

        def is_name(word: str) -> bool:
            return (
                len(word) > 2
                and word.lower() not in STOP_WORDS
                and word not in _LABEL_WORDS
                and word not in NOT_FIRST_NAMES
                and (word in names or not is_dictionary_word(word, words))
            )

        spans: list[tuple[int, int]] = []
        labels = list(_SPEAKER.finditer(text))
        if len(labels) >= 2 and len({m.group(1) for m in labels}) >= 2:
            spans += [m.span(1) for m in labels if is_name(m.group(1))]
        for m in _VOCATIVE.finditer(text):
            if is_name(m.group(1)):
                spans.append(m.span(1))
        for m in _REPORTED.finditer(text):
            spans += [m.span(g) for g in (1, 2) if m.group(g) and is_name(m.group(g))]
        return [
            RecognizerResult(
                "PERSON",
                start,
                end,
                self.SCORE,
                analysis_explanation=AnalysisExplanation(
                    "SpeakerNameRecognizer", self.SCORE, textual_explanation="speaker, addressee or reported speaker"
                ),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: "SpeakerNameRecognizer",
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end in spans
        ]
