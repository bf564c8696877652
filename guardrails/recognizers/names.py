"""Name lists (US Census 1990 first names and surnames, first names of 50+ countries), the words
that are not names, and the English-word test of the spaCy pipeline's WordNet index."""

from __future__ import annotations

import functools
from typing import Any

import regex as re


@functools.cache
def census_first_names() -> frozenset[str]:
    """First names of the US Census 1990 lists shipped in the `names` package (5,163 names)."""
    from importlib.resources import files

    out: set[str] = set()
    for filename in ("dist.female.first", "dist.male.first"):
        for line in (files("names") / filename).read_text(encoding="ascii").splitlines():
            if line.strip():
                out.add(line.split()[0].title())
    return frozenset(out)


@functools.cache
def world_first_names() -> frozenset[str]:
    """First names from 50+ countries: Jörg Michael's name dictionary `nam_dict.txt` (GNU FDL 1.2),
    read as data from the `gender-guesser` package (no code of it is imported). Single words only
    ("Jean+Pierre" compounds are left out: each part is listed on its own line)."""
    from importlib.resources import files

    out: set[str] = set()
    text = (files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if line[:1] in ("#", "=") or len(parts) < 2:
            continue
        name = parts[1]  # the gender code, then the name
        if name[0].isupper() and re.fullmatch(r"[\p{L}\p{M}'’]+", name):
            out.add(name)
    return frozenset(out)


@functools.cache
def census_last_names() -> frozenset[str]:
    """Surnames of the US Census 1990 list shipped in the `names` package (88,799 names)."""
    from importlib.resources import files

    text = (files("names") / "dist.all.last").read_text(encoding="ascii")
    return frozenset(line.split()[0].title() for line in text.splitlines() if line.strip())


@functools.cache
def census_names() -> frozenset[str]:
    """Every census first name and surname (title case)."""
    return census_first_names() | census_last_names()


_DICTIONARY: dict[int, frozenset[str]] = {}


def dictionary_words(nlp_engine: Any) -> frozenset[str]:
    """English words (lower case) of the spaCy pipeline's own lemmatizer table (WordNet's index of
    nouns, verbs, adjectives and adverbs): what a capitalised word can be besides a name. Empty when
    the pipeline has no rule lemmatizer."""
    key = id(nlp_engine)
    if key not in _DICTIONARY:
        words: set[str] = set()
        for nlp in (getattr(nlp_engine, "nlp", None) or {}).values():
            if "lemmatizer" in nlp.pipe_names:
                lookups = nlp.get_pipe("lemmatizer").lookups
                if lookups.has_table("lemma_index"):
                    index = lookups.get_table("lemma_index")
                    for pos in index:
                        words.update(w for w in index[pos] if "_" not in w)
        _DICTIONARY[key] = frozenset(words)
    return _DICTIONARY[key]


def is_dictionary_word(word: str, words: frozenset[str]) -> bool:
    """The word or its singular ("Tales" -> "tale", "Pleasures" -> "pleasure") is an English word."""
    w = word.lower()
    return (
        w in words
        or (w.endswith("s") and w[:-1] in words)
        or (w.endswith("es") and w[:-2] in words)
        or (w.endswith("ies") and w[:-3] + "y" in words)
    )


NOT_FIRST_NAMES = frozenset(
    """Will May Mark Bill Grant Hope Joy Faith June April August Summer Autumn Winter Spring Rich Frank Art
    Chase Sterling Penny Dean Ray Jack Guy Gene Major King Prince Princess Royal Christian Iris Rose Ruby
    Crystal Amber Pearl Jewel Ivy Holly Daisy Lily Violet Hazel Olive Ginger Honey Candy Cherry Brandy Misty
    Dawn Eve Star Sunny Loan Sunday Easter Page Ok My An In So Ira Love Carry Golden Van Miss Sue Gay Young
    Sun Una Alpha Ivory Precious Soon Meta Mercy Li Glory Marry Numbers Harmony Min Else Song Desire Son
    Liberty Hang Tory Pa Drew Na Man Season Marine See Ping Moon Ta Many Don Al Brain Rob Cliff Ward Forest
    Chance Foster Sal Herb Manual Long Buck Max Pat Sandy Rusty Dusty Bud Sonny Junior Lane Wade Miles Earl
    Marshall Hunter Mason Porter Jordan Dallas Austin Houston Denver Aurora Georgia Virginia Carolina Florida
    Dakota Nevada Paris Sydney Chelsea Lincoln Morgan Stanley Merrill Ada Ha Le Del Mac Heath Noble Brook
    Brooks Dale Glen Sage Basil Clay Emery Ernest Earnest Fern Flora Gale Grace Queen Reed Sol Spencer Stormy
    Walker Warren Windy Tad Coy Argentina China Dominica France India Israel Kenya Asia America Maryland Rico
    Orlando Venice Milan Geneva January February March July September October November December Jan Feb Mar
    Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Angle Bell Berry
    Blossom Chuck Coral Dot Ebony Echo Fawn German Irish Lance Lean Marvel Merry Peg Raven Rocky Roman Scarlet
    Shin Sparkle Tiny Velvet Dimple Garland Hue Kit Lacy Tawny Cherish Angelic Blanch Dan Reg San Santa Sao""".split()
)
"""census first names that are also ordinary words, months, places, abbreviations ("Treas. Reg.", "San
Diego") or financial firms; and "Dan" (the "DAN" jailbreak persona: input rules read the redacted text, so it must stay readable)"""


NOT_SURNAMES = frozenset(
    "Inc Corp Corporation Company Co Ltd LLC Group Bank Trust Fund Plan Insurance Street Avenue Road".split()
)
"""capitalised words after a first name that are part of a firm's or a street's name, not a surname"""
