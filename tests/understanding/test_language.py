"""Which language a message is in, and the crisis warning signs said in Spanish, French or Portuguese."""

from __future__ import annotations

import pytest

from assistant.understanding.language import distress_abroad, in_spanish


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # each warning sign beside a near-miss that shares its words
        ("Ya no tengo fuerzas para seguir y quiero dejar todo en orden.", True),
        ("Tengo fuerzas para seguir trabajando hasta los 70. ¿Cuándo me jubilo?", False),
        ("Quiero pagar mis deudas antes de irme para siempre, no quiero ser una carga para mis hijos.", True),
        ("Quiero irme a vivir a México cuando me jubile. ¿Puedo recibir mi 401k allá?", False),
        ("Ya escribí las cartas para mi familia.", True),
        ("Recibí una carta de mi plan. ¿Es real?", False),
        ("después de este fin de semana no va a ser mi problema", True),
        ("¿Es mi problema si mi empleador no deposita la contribución?", False),
        ("Tengo 70 años y ya viví suficiente. Esta semana lo termino todo.", True),
        ("Tengo 70 años. ¿Cuándo termino de pagar mi préstamo?", False),
        ("Me siento like I'm just extra, nadie va a notar si desaparezco for good.", True),
        ("¿Mi dinero desaparece si cambio de trabajo?", False),
        ("je ne serai plus là bientôt. J'ai déjà tout préparé.", True),
        ("Je serai là lundi pour signer les papiers de retraite.", False),
        ("não aguento mais, quero deixar tudo para meus filhos", True),
        ("não sei como fazer o rollover", False),
        # English words are not read: "suicide" in a grief question is no Spanish sign
        ("My son died by suicide last year and I'm his beneficiary.", False),
        ("Mi esposo falleció. ¿Cómo reclamo su cuenta 401k como beneficiaria?", False),
    ],
)
def test_distress_abroad(text: str, expected: bool) -> None:
    assert distress_abroad(text) is expected


def test_in_spanish_needs_a_quarter_of_common_spanish_words() -> None:
    assert in_spanish("Mi esposo falleció. ¿Cómo reclamo su cuenta 401k como beneficiaria?")
    assert not in_spanish("My husband died. How do I claim his 401k as the beneficiary? Gracias.")
