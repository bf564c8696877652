"""BM25 (bm25s, English stemming and stop words) over every chunk, with typo-tolerant queries.

A query word that is neither a corpus word nor an English word ("borow", "vestng", "lons") is
replaced by the most frequent corpus word within one edit (two for long words), one the typo only
left a letter out of first ("lons" -> "loans", not "loss"), so lexical search survives the typos
people make. An English word the corpus does not use ("March", "kids", "mess") is left as it is
(the English words: symspellpy's frequency dictionary, 82,765 words from Google Books n-grams).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

WORD = re.compile(r"(?u)\b\w\w+\b")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English words (symspellpy's bundled frequency dictionary)."""
    import symspellpy

    path = Path(symspellpy.__file__).with_name("frequency_dictionary_en_82_765.txt")
    return frozenset(line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line)


CONTRACTIONS = frozenset(
    """dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt havent hasnt hadnt
    aint im ive id youre youve youd theyre theyve weve thats whats whos wheres hows heres theres
    doesn didn isn aren wasn weren couldn wouldn shouldn haven hasn hadn""".split()
)
"""contractions written without their apostrophe: words, not typos; and the part of one before its "'t", which the
word pattern reads alone ("my husband doesn't work" was corrected to "does't" where no indexed document says
"doesn't")"""


def _left_out(typo: str, word: str) -> bool:
    """`typo` is `word` with one letter left out ("lons" / "loans")."""
    return len(word) == len(typo) + 1 and any(word[:i] + word[i + 1 :] == typo for i in range(len(word)))


def _within(a: str, b: str, limit: int) -> bool:
    """Damerau–Levenshtein distance (adjacent transpositions) of a and b is at most `limit`."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


SHORTHAND = {
    "fed": "federal",
    "dist": "distribution",
    "distr": "distribution",
    "distrib": "distribution",
    "dists": "distributions",
    "acct": "account",
    "accts": "accounts",
    "contrib": "contribution",
    "contribs": "contributions",
    "bene": "beneficiary",
    "benes": "beneficiaries",
    "yr": "year",
    "yrs": "years",
    "amt": "amount",
    "pct": "percent",
    "pmt": "payment",
    "pmts": "payments",
    "govt": "government",
}
"""shorthand people type for the words the documents spell out ("fed tax withholding on a cash dist" found no
sentence on the 20% federal withholding): read as the whole word, like a typo"""


class Bm25Index:
    def __init__(self, texts: list[str]) -> None:
        self.stemmer = Stemmer.Stemmer("english")
        english_words()  # read once with the index, not on the first question
        words = Counter(w for t in texts for w in WORD.findall(t.lower()))
        self.words = words
        self.by_initial: dict[str, list[str]] = {}
        for w in sorted(words, key=lambda w: -words[w]):
            if len(w) >= 3 and not w.isdigit():
                self.by_initial.setdefault(w[0], []).append(w)
        self.size = len(texts)
        self.model = bm25s.BM25()
        if texts:
            tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False)
            self.model.index(tokens, show_progress=False)

    def correct(self, word: str) -> str:
        """The word itself if the corpus uses it or it is an English word, else its nearest frequent
        corpus word (or itself). Shorthand (`SHORTHAND`) is its whole word."""
        if word in SHORTHAND:
            return SHORTHAND[word]
        if word in self.words or len(word) < 4 or word.isdigit() or word in english_words() or word in CONTRACTIONS:
            return word
        limit = 1 if len(word) < 8 else 2
        near = [c for c in self.by_initial.get(word[0], []) if _within(word, c, limit)]  # most frequent first
        return next((c for c in near if _left_out(word, c)), near[0] if near else word)

    def correct_text(self, text: str) -> str:
        """The text with each unknown word replaced by its correction (case of the rest kept)."""

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            fixed = self.correct(word.lower())
            return word if fixed == word.lower() else fixed

        return WORD.sub(fix, text)

    def query_tokens(self, query: str) -> list[str]:
        words = [self.correct(w) for w in WORD.findall(query.lower())]
        tokenized = bm25s.tokenize(
            " ".join(words), stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False
        )
        return list(tokenized[0]) if tokenized else []

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (in corpus order) for the query."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        vocab = self.model.vocab_dict
        tokens = [t for t in self.query_tokens(query) if t in vocab]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.model.get_scores(tokens), dtype=np.float32)
