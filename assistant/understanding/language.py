"""Which language a message is written in, as far as Beacon's replies need to know."""

from __future__ import annotations

import re

SPANISH_WORDS = re.compile(
    r"\b(quiero|tengo|tiene|puedo|necesito|estoy|está|esta|mi|mis|de|del|que|para|por|con|una|el|la|los|las|"
    r"ya|no|más|mas|dinero|cuenta|vivir|hija|hijo|esposa|esposo|todo|nada|nadie|porque|cómo|como|qué|señor|"
    r"quien|quién|recibe|recibir|cuál|cual|cuánto|cuanto|dónde|donde|puede|hay|es|pero|yo|sin|hola|gracias|ayuda)\b",
    re.I,
)


def in_spanish(text: str) -> bool:
    """A quarter of the message's words, and at least three, are common Spanish ones. Read on the
    message before PII redaction (spaCy's English model reads some Spanish as names: "ya no quiero
    vivir. quien recibe mi 401k?" became "[PERSON_1]. [STREET_ADDRESS_1]?"): the crisis reply then also
    says how to reach the 988 Lifeline in Spanish."""
    words = re.findall(r"[^\W\d_]+", text)
    hits = len(SPANISH_WORDS.findall(text))
    return hits >= 3 and hits * 4 >= len(words)
