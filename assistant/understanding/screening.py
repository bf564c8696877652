"""What kind of message this is, by meaning: the classifier over the recent conversation window.

`Understanding.understand` embeds the window's texts (the Embedder caches them, so the message's
vector is shared with routing) and asks the classifier for one class. The input screen combines it
with the guard's patterns (the precise first layer, `guardrails/policy.yaml`): `SAFETY_KINDS` stop
the turn with their own reply; the other classes tell routing what kind of question it is.
"""

from __future__ import annotations

import concurrent.futures as cf
import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.decisions.composer import RETIREMENT_WORDS
from assistant.decisions.life_events import told_event
from assistant.embeddings import Embedder
from assistant.understanding.classifier import MessageClassifier, window_texts
from assistant.understanding.contact import as_plan_contact, plan_contact

Action = Literal["allow", "refuse", "escalate", "inform"]
"""`inform`: a pre-approved answer of its own, not the plan documents (a question about how to tell a scam)"""

SAFETY_KINDS: dict[str, Action] = {
    "crisis": "escalate",
    "fraud": "escalate",
    "forgery": "refuse",
    "harmful": "refuse",
    "injection": "refuse",
    "third_party": "refuse",
}
"""kinds that stop a turn, most urgent first: a person in crisis is answered as one even when the
same message is also an injection attempt"""

PATTERN_KINDS: dict[str, str] = {
    "input.crisis": "crisis",
    "input.fraud_coercion": "fraud",
    "input.forgery": "forgery",
    "input.harmful": "harmful",
    "input.prompt_injection": "injection",
    "input.prompt_extraction": "injection",
    "input.third_party_data": "third_party",
    "guard.input_error": "injection",  # the pattern screen failed: refuse (fail closed)
}
"""the guard's input rules, as the kind of message they recognise"""
NAMED_SUBJECT = re.compile(
    r"^\s*(how|what|when|why|where|which)\s+(does|did|will|would|has|can)\s+\[(PERSON|ORGANIZATION|NRP)_\d+\](?!'s)",
    re.I,
)
"""a question about what a named person or company does ("How does [PERSON_1] plan on allocating its
funds?"): after redaction the name is a placeholder"""
FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|me|my|mine|we|our|us)\b", re.I)
NAMED_SUBJECT_MIN = 0.15
"""the third-party share a question about a named other needs to be read as third-party (set by hand)"""
CONTACT_READINGS = ("third_party", "out_of_scope")
"""readings a request for the plan's own contact facts is taken out of (assistant/understanding/contact.py)"""


@dataclass(frozen=True)
class Understood:
    """The classifier's reading of the current message in its window."""

    label: str
    rule: str
    """the classifier's decision rule: crisis | fraud | piece | argmax | stop; plan_contact when a
    request for the plan's contact facts was taken out of a third-party or out-of-scope reading"""
    source: str
    """which text of the window decided: message | piece | previous | joined"""
    probabilities: dict[str, float] = field(repr=False)
    """class -> probability for the message (rounded), recorded in the audit"""
    classify_ms: float = 0.0
    """the classifier's own time, after the embeddings"""
    embed_ms: float = 0.0
    check_in: bool = False
    """a crisis signal below the crisis threshold: the reply opens with 988 and a person, and answers"""
    fraud_signal: bool = False
    """a text of the window reads as fraud at the fraud threshold (a crisis reply then also warns)"""

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "rule": self.rule,
            "source": self.source,
            "probabilities": self.probabilities,
            "classify_ms": self.classify_ms,
            "embed_ms": self.embed_ms,
            "check_in": self.check_in,
            "fraud_signal": self.fraud_signal,
        }


_POOL = cf.ThreadPoolExecutor(max_workers=4, thread_name_prefix="understanding")


class Understanding:
    def __init__(self, embedder: Embedder, classifier: MessageClassifier, timeout_s: float = 5.0) -> None:
        self.embedder = embedder
        self.classifier = classifier
        self.timeout_s = timeout_s

    def understand(self, user_messages: list[str]) -> Understood:
        """The current (last) message read with the ones before it; raises on any failure, and
        `TimeoutError` when it takes longer than `timeout_s` (the caller fails closed)."""
        return _POOL.submit(self._understand, user_messages).result(timeout=self.timeout_s)

    def _understand(self, user_messages: list[str]) -> Understood:
        window = window_texts(user_messages)
        t0 = time.perf_counter()
        vectors = self.embedder.encode(list(window.texts))
        t1 = time.perf_counter()
        verdict = self.classifier.classify_window(window, vectors)
        t2 = time.perf_counter()
        label, rule, probabilities = verdict.label, str(verdict.rule), dict(verdict.probabilities)
        if label in CONTACT_READINGS and plan_contact(user_messages[-1]):
            probabilities = as_plan_contact(probabilities)
            label, rule = max(probabilities, key=lambda c: probabilities[c]), "plan_contact"
        elif about_someone_else(user_messages[-1], label, probabilities):
            label, rule = "third_party", "named_subject"
        return Understood(
            label,
            rule,
            verdict.source,
            {c: round(p, 4) for c, p in sorted(probabilities.items(), key=lambda kv: -kv[1])},
            round((t2 - t1) * 1000, 3),
            round((t1 - t0) * 1000, 2),
            verdict.check_in,
            verdict.scores["fraud"] >= self.classifier.thresholds["fraud"],
        )


def about_someone_else(text: str, label: str, probabilities: dict[str, float]) -> bool:
    """A question about what a named person or company does, with no word about the person asking,
    that the classifier gives some third-party reading but answers as a plan or education question
    (DNA: "How does Bosch plan on allocating its funds next year?" got an asset-allocation passage)."""
    return (
        label not in SAFETY_KINDS
        and bool(NAMED_SUBJECT.search(text))
        and not FIRST_PERSON.search(text)
        and probabilities.get("third_party", 0.0) >= NAMED_SUBJECT_MIN
    )


def pattern_kinds(rules: list[str]) -> set[str]:
    return {PATTERN_KINDS[r] for r in rules if r in PATTERN_KINDS}


def grief_question(text: str, understood: Understood, found: set[str]) -> bool:
    """Someone close has died and the person asks about an account ("My brother died and named me on
    his 401k. What do I do now?"): read as crisis by the classifier alone, from the whole message (no
    sentence of it, no earlier message), with no crisis pattern, and read as a plan question more
    than as a crisis. Grief, not a crisis: the turn is answered, and the reply opens with 988
    (`check_in` in the screen node, because the reading stays crisis). A widower who cashes out "so he
    won't be a burden" and kept his wife's pills scores 0.88 for crisis: the crisis reply."""
    p = understood.probabilities
    return (
        understood.label == "crisis"
        and "crisis" not in found
        and understood.source == "message"
        and p.get("plan_question", 0.0) > p.get("crisis", 1.0)
        and told_event(text) == "death"
        and bool(RETIREMENT_WORDS.search(text))
    )


SCAM_QUESTION = re.compile(
    r"\b(how (can|do|would|should) (i|we|you|people|someone|seniors|my \w+) (tell|know|spot|recogni[sz]e|avoid|"
    r"protect|identify|verify)|what are (the |some )?(common )?(signs|red flags|warning signs)|"
    r"is (it|this) (a scam|legit\w*|safe) (if|when)|what (will|would) you never ask|common (retirement )?scams?|"
    r"(should|must) (i|we) (even )?report (it|this|them|that|the \w+)|(how|where) (do|can|should) (i|we) report (it|this|that|a|an|the)\b|"
    r"report (it|this|that|them)\b.{0,20}\bwhom|confirm (to (her|him|them) )?(that )?(it'?s|it is) (legit\w*|real)|"
    r"lock (down )?(my|the|our) account)\b",
    re.I,
)
"""a question about how to tell a scam, asked in general ("How can I tell if a call claiming to be from
my 401k provider is a scam?", "Is it a scam if someone offers a free retirement review lunch?"), or
how to report one or make an account safe ("I got a voicemail that sounds like a scam. I didn't call
back. Should I report it, and to whom?", "How do I lock my account and report it?")"""
SCAM_UNDER_WAY = re.compile(
    r"\b(already (sent|paid|gave|moved|transferred|wired|bought|shared|told)|(sent|paid|gave|wired) (him|her|them)|"
    r"(wants?|asked|asking|told|telling) me to (send|move|wire|pay|buy|withdraw|cash|roll|give|share|read|confirm)|"
    r"(gift ?cards?|bitcoin|crypto\w*|wire transfer|western union)|today|tonight|right now|frozen|suspended|"
    r"arrest\w*|don'?t tell|secret|(i|we) (sent|paid|gave|wired|transferred|withdrew|cashed|read|installed)|"
    r"(gave|told|read) (him|her|them|it) (my|the)|(afraid|scared|frightened) of (him|her|them)|(i|we)('ve| have)? (been|got|was|were) scammed)\b",
    re.I,
)
"""... unless a scam is under way: money sent or asked for, a code or a login given, a deadline, a
threat, fear, secrecy (a neighbour who asks how to report an 88-year-old's 'friend' who takes money
out of her IRA and whom she fears is reporting exploitation under way: the fraud reply)"""


RECOGNISE_SCAM = re.compile(
    r"\bhow (can|do|would|should) (i|we|you|people|someone|seniors|my \w+) (tell|know|spot|recogni[sz]e|identify)\b"
    r".{0,80}\b(scam\w*|phish\w*|fraud\w*|fake|impostors?|imposters?|spoof\w*)\b",
    re.I,
)
"""... and the same question read as harmful, which must name the scam it is about ("How can I spot a
phishing email pretending to be the plan?" got the harmful refusal)"""


SCAM_WORD = re.compile(r"\b(scam\w*|phish\w*|fraud\w*|impostors?|imposters?|spoof\w*|con artists?)\b", re.I)
ANSWERED_KINDS = ("plan_question", "education", "out_of_scope")
"""... or read as a question to answer (the classifier learned the benign scam questions of the read
paraphrase sets as plan questions), which must name the scam too"""


def scam_question(text: str, understood: Understood, found: set[str]) -> bool:
    """A question about how to tell a scam, read as fraud by the classifier alone (or as harmful, when
    it names the scam: `RECOGNISE_SCAM`), with no scam under way in it: it gets the warning signs as an answer (`scam_question` in text_blocks.yaml), not "please
    stop and don't move any money" (blind sets 3-9 had eleven such questions, all benign; the one
    fraud item asked in this form had already sent money, and a pattern names it)."""
    asked = (
        (understood.label == "fraud" and bool(SCAM_QUESTION.search(text)))
        or (understood.label == "harmful" and bool(RECOGNISE_SCAM.search(text)))
        or (
            understood.label in ANSWERED_KINDS
            and (bool(RECOGNISE_SCAM.search(text)) or bool(SCAM_QUESTION.search(text) and SCAM_WORD.search(text)))
        )
    )
    return asked and not found & {"crisis", "fraud", "harmful"} and not SCAM_UNDER_WAY.search(text)


OWN_PURPOSE = re.compile(
    r"\b((can|could|should|may|do|would) i|i (want|would like|'d like|plan|am planning|'m planning|am thinking|"
    r"'m thinking) (to|of|about))\b.{0,60}\b(borrow|loan|withdraw|take (out|money|a loan)|cash out|use|pay|"
    r"gift|give|help)\w*\b.{0,80}\b(wedding|college|tuition|school|house|home|down ?payment|funeral|medical|surgery|"
    r"car|529|braces|rent)\b",
    re.I,
)
"""the person asks whether they may use their own money for a purpose of their own ("Can I take a 401k
loan to help pay for my daughter's wedding?", "I want to gift $5,000 to my granddaughter for college")"""
PRESSURE = re.compile(
    r"\b(wants? me|told me|tells me|making me|asking me|asked me|ask(s|ing)? for|pressur\w*|insist\w*|keeps?|"
    r"threat\w*|lend|send|wire|sent|gift ?cards?|crypto\w*|bitcoin|urgent\w*|today|tonight|right now|secret|"
    r"don'?t tell|caller|called|someone|stranger|online|met|dating|says|said|needs? (it|the money|money)|owe|debt|"
    r"bail|lawyer|attorney|fee|boyfriend|girlfriend|fianc\w*|new friend)\b",
    re.I,
)
"""... with nobody pressing: no one asking, a deadline, a payment channel, a debt or a fee"""


def own_purpose_question(text: str, understood: Understood, found: set[str]) -> bool:
    """A question whether the person may use their own money for a purpose of their own (a wedding,
    college, a house, a funeral), read as fraud by the classifier alone because a relative is named,
    with nobody pressing (`PRESSURE`): a plan question. Across the nine paraphrase sets the form
    matched ten items, none of them fraud (blind-9: "Can I take a 401k loan to help pay for my
    daughter's wedding?" got "Please stop and don't move any money")."""
    return (
        understood.label == "fraud"
        and not found & {"crisis", "fraud"}
        and bool(OWN_PURPOSE.search(text))
        and not PRESSURE.search(text)
    )


OWN_ESTATE = re.compile(
    r"\b(hospice|terminal\w*|cancer|diagnos\w*|(my|a) will\b|estate plan\w*|(a|the|my|living) trust|"
    r"when i'?m gone|when i am gone|after i'?m gone|once i'?m gone|(after|when|if) i (pass|die)|"
    r"(pass|die)s? (away )?before)",
    re.I,
)
"""a person planning for their own death in the ordinary way: a will, a trust, an illness, "when I'm gone" """
URGENT_ENDING = re.compile(
    r"\b(soon|this (week|weekend)|tonight|tomorrow|before (i go|saturday|friday|sunday|the)|burden|tired|done|"
    r"goodbye|bye|pills?|anymore|any more|not (be )?around|won'?t (need|be)|letters?|note|decided|ready|hurry|"
    r"fast|quick\w*|asap|today|right away|pain|alone|lost|point|hope\w*|sorry|forgive|end|over|peace|sleep|"
    r"gun|rope|bridge|pointless|can'?t|better off|insurance|mess|loose ends|deal with|not planning|worth|"
    r"on purpose|stopped|nobody|no one|without me)\b",
    re.I,
)
"""words that make such a message a crisis to answer as one (a time, a means, a burden, a goodbye)"""
ESTATE_CRISIS_MAX = 0.8
"""... and read as crisis under this ("What happens to my 401k when I die? I'm updating my will" read
0.56, "when I die, my wife get my 401k automatic or I must fill a form?" 0.74; "I want everything to go
to my kids when I'm gone. who do I call" 0.98 keeps the crisis reply). On the nine paraphrase sets, no
crisis item of this form is without a word of `URGENT_ENDING`."""


def own_estate_question(text: str, understood: Understood, found: set[str]) -> bool:
    """A person planning for their own death in the ordinary way ("I want my grandkids to get my IRA
    when I'm gone. Can I name a trust?", "I'm writing my will..."), read as crisis by the classifier
    but not strongly, with no crisis pattern and none of the words that make it urgent
    (`URGENT_ENDING`): answered, and the reply still opens with 988 (`check_in`, as `grief_question`).
    Blind set 9 (read after its one run) had two such questions given only the crisis reply."""
    p = understood.probabilities
    return (
        understood.label == "crisis"
        and "crisis" not in found
        and understood.source in ("message", "piece")  # not a crisis read in an earlier message
        and p.get("crisis", 1.0) < ESTATE_CRISIS_MAX
        and bool(OWN_ESTATE.search(text))
        and not URGENT_ENDING.search(text)
        and bool(RETIREMENT_WORDS.search(text))
    )


WHOLE_MESSAGE_CRISIS = 0.25
"""a fraud reading becomes the crisis reply (with the scam warning signs) only when the whole message,
not one sentence of it, reads as crisis at about the check-in level: in a scam, one sentence often
reads as crisis (a threat, fear); the person's own words of an ending read so as a whole (dev sets:
the two crisis items read as fraud had 0.31 and 0.32, the fraud items with a check-in under 0.1 but three)"""


def decide(
    pattern_action: Action, pattern_rules: list[str], understood: Understood | None, text: str = ""
) -> tuple[Action, str | None]:
    """The turn's action and the kind that decided it: the most urgent of what the patterns and the
    classifier found; `allow` with no kind when neither found a reason to stop. A pattern rule this
    table does not know still stops the turn (as `blocked`): a new rule never fails open. `text` is
    the current message."""
    found = pattern_kinds(pattern_rules)
    if understood is not None and (
        grief_question(text, understood, found)
        or own_estate_question(text, understood, found)
        or own_purpose_question(text, understood, found)
    ):
        return decide(pattern_action, pattern_rules, None)  # what the patterns alone decide
    if understood is not None and scam_question(text, understood, found) and pattern_action == "allow":
        return "inform", "scam_question"
    if understood is not None and understood.label in SAFETY_KINDS:
        if understood.label == "crisis" and "fraud" in found and "crisis" not in found:
            # a scam the patterns name, read as crisis by the classifier alone (a threat, "my account
            # is locked"): the fraud reply, which then opens with 988 (`check_in`, screen node)
            return SAFETY_KINDS["fraud"], "fraud"
        if (
            understood.label == "fraud"
            and understood.check_in
            and understood.probabilities.get("crisis", 0.0) >= WHOLE_MESSAGE_CRISIS
            and not found & {"fraud", "crisis"}
        ):
            # read as fraud by the classifier alone, with a crisis signal too ("bought a gun yesterday
            # and 'won't need retirement money'", "won't need it where she's going"): the crisis reply,
            # which also gives the scam warning signs (`also_fraud`, screen node); a scam the patterns
            # name keeps the fraud reply, opened with 988
            found.add("crisis")
        found.add(understood.label)
    for kind, action in SAFETY_KINDS.items():
        if kind in found:
            return action, kind
    if pattern_action != "allow":
        return pattern_action, "blocked"
    return "allow", None
