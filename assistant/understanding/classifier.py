"""What a message means: a logistic-regression head over the MiniLM vectors Beacon already computes.

The regular expressions in guardrails/policy.yaml stay the high-precision first layer; this classifier
reads every turn by meaning. It never embeds anything itself: the caller embeds the texts of a
`Window` (the message, its sentences, the previous user messages, the recent messages joined) with
`assistant.embeddings.Embedder` and passes the vectors in.

    window = window_texts(previous_user_messages + [message])
    verdict = classifier.classify_window(window, embedder.encode(list(window.texts)))

Decision, in order (`Verdict.rule` names the rule that decided):
  1. crisis   - the crisis probability of ANY window text is at or over the crisis threshold
  2. fraud    - the same for fraud
  3. piece    - a sentence of the message is a refusal class (harmful, injection, forgery, third_party)
                with a probability at or over that class's threshold (a bad request hidden in a longer
                message)
  4. argmax   - the most probable class of the whole message

The weights (assistant/understanding/data/classifier.npz) are written by
`python -m assistant.understanding.train`; only numpy is used here. Every failure raises
`ClassifierError`; the caller fails closed.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant.errors import UnavailableError

CLASSES: tuple[str, ...] = (
    "plan_question",  # a plan or retirement-rules question, incl. plan operations (interfund transfers)
    "own_figures",  # the person's own numbers: balance, match, vesting, how much they can borrow
    "advice",  # individualized investment advice: what to buy or sell, how to allocate, market timing
    "education",  # general investment education (DOL Interpretive Bulletin 96-1)
    "out_of_scope",  # harmless but unrelated: weather, recipes, code, mortgages, car loans
    "harmful",  # harmful or illegal requests, incl. insider misconduct toward participants
    "crisis",  # self-harm, suicidal ideation, hopelessness, direct or indirect
    "fraud",  # scam, impostor, coercion or exploitation around the person's money
    "injection",  # prompt injection, jailbreak, role-play override, system-prompt extraction
    "third_party",  # another person's account data
    "forgery",  # forged or falsified documents, impersonating the plan, administrator or employer
    "greeting",  # hello, thanks
    "human",  # I want to talk to a person
)
WINDOW_CLASSES: tuple[str, ...] = ("crisis", "fraud")
"""checked over every text of the window, in this order, before anything else"""
PIECE_CLASSES: tuple[str, ...] = ("harmful", "injection", "forgery", "third_party")
"""checked over the sentences of the current message"""
Rule = Literal["crisis", "fraud", "piece", "argmax"]
Role = Literal["message", "piece", "previous", "joined"]

WEIGHTS = Path(__file__).with_name("data") / "classifier.npz"
DIMENSION = 384
MAX_PREVIOUS = 2
"""previous user messages in the window (the current one makes three)"""
MAX_PIECES = 8
MIN_PIECE_WORDS = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n+\s*|;\s+")


class ClassifierError(UnavailableError):
    """The classifier's weights are missing or corrupt, or it was given bad vectors.
    The caller fails closed (treats the turn as unclassifiable and blocks or escalates)."""


@dataclass(frozen=True)
class Window:
    """The texts to embed for one turn, in order, and what each one is."""

    texts: tuple[str, ...]
    roles: tuple[Role, ...]

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.roles) or not self.texts or self.roles[0] != "message":
            raise ClassifierError("A window starts with the message and has one role per text.")


@dataclass(frozen=True)
class Verdict:
    """What one message means."""

    label: str
    """one of CLASSES"""
    rule: Rule
    """the decision rule that chose `label`"""
    source: Role
    """which window text decided (the message itself for `argmax`)"""
    probabilities: dict[str, float] = field(repr=False)
    """class -> probability for the whole current message"""
    scores: dict[str, float] = field(repr=False)
    """crisis and fraud: the highest probability over the window's texts"""

    def __post_init__(self) -> None:
        if self.label not in CLASSES:
            raise ClassifierError(f"Unknown class '{self.label}'.")
        if set(self.probabilities) != set(CLASSES):
            raise ClassifierError("A verdict carries a probability for every class.")


def split_pieces(text: str) -> list[str]:
    """The sentences of `text` (very short ones joined to the next); empty when it is one sentence."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    pieces: list[str] = []
    carry = ""
    for part in parts:
        joined = f"{carry} {part}".strip()
        if len(joined.split()) < MIN_PIECE_WORDS:
            carry = joined
            continue
        pieces.append(joined)
        carry = ""
    if carry:
        if pieces:
            pieces[-1] = f"{pieces[-1]} {carry}"
        else:
            pieces.append(carry)
    return pieces[:MAX_PIECES] if len(pieces) > 1 else []


def window_texts(user_messages: Sequence[str], max_previous: int = MAX_PREVIOUS) -> Window:
    """The window for the LAST of `user_messages` (oldest first): the message, its sentences, up to
    `max_previous` earlier messages (newest first) and, when there are earlier ones, all of them joined."""
    messages = [m.strip() for m in user_messages]
    if not messages or not messages[-1]:
        raise ClassifierError("A window needs a non-empty current message.")
    current = messages[-1]
    previous = [m for m in messages[-1 - max_previous : -1] if m]
    texts: list[str] = [current]
    roles: list[Role] = ["message"]
    for piece in split_pieces(current):
        texts.append(piece)
        roles.append("piece")
    for message in reversed(previous):
        texts.append(message)
        roles.append("previous")
    if previous:
        texts.append(" ".join([*previous, current]))
        roles.append("joined")
    return Window(tuple(texts), tuple(roles))


class MessageClassifier:
    """A multinomial logistic-regression head with per-class decision thresholds."""

    def __init__(
        self,
        coef: np.ndarray,
        intercept: np.ndarray,
        classes: Sequence[str],
        thresholds: np.ndarray,
        meta: dict[str, Any] | None = None,
    ) -> None:
        classes = tuple(str(c) for c in classes)
        if sorted(classes) != sorted(CLASSES) or len(classes) != len(CLASSES):
            raise ClassifierError(f"The weights name the classes {list(classes)}, expected {list(CLASSES)}.")
        coef = np.asarray(coef, dtype=np.float32)
        intercept = np.asarray(intercept, dtype=np.float32)
        thresholds = np.asarray(thresholds, dtype=np.float32)
        if coef.shape != (len(classes), DIMENSION) or intercept.shape != (len(classes),):
            raise ClassifierError(
                f"The weights have shapes {coef.shape} and {intercept.shape}; expected "
                f"({len(classes)}, {DIMENSION}) and ({len(classes)},)."
            )
        if thresholds.shape != (len(classes),):
            raise ClassifierError(f"The thresholds have shape {thresholds.shape}; expected ({len(classes)},).")
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
            raise ClassifierError("The weights contain NaN or infinite numbers; retrain the classifier.")
        for name in (*WINDOW_CLASSES, *PIECE_CLASSES):
            t = float(thresholds[classes.index(name)])
            if not 0.0 < t <= 1.0:
                raise ClassifierError(f"The {name} threshold {t} is not in (0, 1].")
        self.classes = classes
        self._index = {c: i for i, c in enumerate(classes)}
        self._coef_t = np.ascontiguousarray(coef.T)
        self._intercept = intercept
        self.thresholds = {c: float(thresholds[i]) for i, c in enumerate(classes)}
        self.meta: dict[str, Any] = dict(meta or {})

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> MessageClassifier:
        """The shipped weights; `ClassifierError` when the file is missing or corrupt."""
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in ("coef", "intercept", "classes", "thresholds", "meta")}
        except FileNotFoundError as e:
            raise ClassifierError(
                f"The message classifier weights {path} are missing; run `python -m assistant.understanding.train`."
            ) from e
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            raise ClassifierError(
                f"The message classifier weights {path} cannot be read ({e}); "
                "run `python -m assistant.understanding.train`."
            ) from e
        try:
            meta = json.loads(str(arrays["meta"]))
        except ValueError as e:
            raise ClassifierError(f"The metadata in {path} is not JSON ({e}).") from e
        return cls(arrays["coef"], arrays["intercept"], [str(c) for c in arrays["classes"]], arrays["thresholds"], meta)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per vector (columns in `self.classes` order)."""
        v = np.asarray(vectors)
        if v.ndim != 2 or v.shape[1] != DIMENSION or v.shape[0] == 0:
            raise ClassifierError(f"Expected a (n, {DIMENSION}) array of vectors, got shape {v.shape}.")
        if not np.all(np.isfinite(v)):
            raise ClassifierError("The vectors contain NaN or infinite numbers.")
        logits = v.astype(np.float32, copy=False) @ self._coef_t + self._intercept
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def classify(self, vectors: np.ndarray) -> list[Verdict]:
        """One verdict per vector, each message on its own (a one-text window)."""
        p = self.probabilities(vectors)
        return [self._decide(p[i : i + 1], ("message",)) for i in range(p.shape[0])]

    def classify_window(self, window: Window, vectors: np.ndarray) -> Verdict:
        """The verdict for the window's message; `vectors` are the embeddings of `window.texts`."""
        p = self.probabilities(vectors)
        if p.shape[0] != len(window.texts):
            raise ClassifierError(f"{p.shape[0]} vectors for a window of {len(window.texts)} texts.")
        return self._decide(p, window.roles)

    def _decide(self, p: np.ndarray, roles: Sequence[Role]) -> Verdict:
        message = p[0]
        probabilities = {c: float(message[i]) for i, c in enumerate(self.classes)}
        scores = {c: float(p[:, self._index[c]].max()) for c in WINDOW_CLASSES}
        for name in WINDOW_CLASSES:
            column = p[:, self._index[name]]
            row = int(column.argmax())
            if column[row] >= self.thresholds[name]:
                return Verdict(name, name, roles[row], probabilities, scores)  # type: ignore[arg-type]
        for row, role in enumerate(roles):
            if role != "piece":
                continue
            best = self.classes[int(p[row].argmax())]
            if best in PIECE_CLASSES and p[row, self._index[best]] >= self.thresholds[best]:
                return Verdict(best, "piece", "piece", probabilities, scores)
        label = self.classes[int(message.argmax())]
        return Verdict(label, "argmax", "message", probabilities, scores)
