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


DISTRESS_ABROAD = re.compile(
    "|".join(
        (
            # Spanish: death or an ending of one's own, the means at hand, a burden, leaving for good
            r"\b(quiero|quisiera|prefiero|voy a|deseo) (morir|morirme|desaparecer)\b",
            r"\b(matarme|suicidarme|quitarme la vida|hacerme daño)\b",
            r"\bya no (puedo|aguanto|quiero|tengo fuerzas)\b|\bno (aguanto|puedo) (más|mas)\b",
            r"\b(no tengo|sin|me faltan las) fuerzas (para|de) (seguir|vivir|continuar)\b",
            r"\b(soy|ser|me siento|sería) una carga\b",
            r"\b(irme|me voy|desaparezco|desaparecer|descansar) (para siempre|for good)\b",
            r"\bdesaparezc[oa]\b|\bnadie (me )?(va a|iba a) (notar|extrañar|echar de menos)\b",
            r"\bno quiero (seguir )?viv\w*|\b(sin|no tengo|ya no tengo|no hay|no encuentro) (ninguna )?(razón|razon|motivo|ganas) (para|de) vivir\b|\bmejor muert[oa]s?\b",
            r"\bno le (veo|encuentro) sentido\b|\bregal\w+ (todas )?mis cosas\b",
            r"\b(me despido|me despedí|me despedi|despedirme|despedida|cartas? (para|a) mi familia|escrib\w+ (las|unas|mis) cartas)\b",
            r"\bya (viví|vivi|he vivido) (suficiente|bastante|lo suficiente)\b",
            r"\b(lo )?termino (con )?todo\b|\b(terminar|acabar) con (todo|mi vida|esto)\b",
            r"\bno va a ser mi problema\b|\bya no (estaré|estare|voy a estar)\b|\bcuando (yo )?ya no (esté|este)\b",
            r"\b(dormir|dormirme) y no despertar\b|\bno (quiero )?despertar(me)? (más|mas|nunca)\b",
            r"\b(mis |las |unas )?(pastillas|soga|pistola)\b.{0,40}\b(aquí|aqui|listas?|guardadas?|conmigo|esta noche)\b",
            r"\b(vida|nada) (ya )?no tiene sentido\b",
            # French and Portuguese: the same warning signs, said plainly
            r"\b(je ne serai plus là|je serai plus là|en finir|me suicider|me tuer|mourir|disparaître|je n'en peux plus)\b",
            r"\b(não aguento mais|quero morrer|me matar|não estarei mais aqui|acabar com tudo)\b",
        )
    ),
    re.I,
)


def distress_abroad(text: str) -> bool:
    """Words of the 988 Lifeline's warning signs said in Spanish (or French or Portuguese), read on the
    message before PII redaction. The classifier reads English (MiniLM) and redaction takes Spanish words
    for names, so a message that says them gets the 988 check-in (in Spanish too): recall first, and the
    check-in still answers or hands over to a person. The precise Spanish crisis patterns (the full
    crisis reply) are in guardrails/policy.yaml."""
    return bool(DISTRESS_ABROAD.search(text))
