"""Lexical features for the message classifier: hashed word unigrams and bigrams.

MiniLM's sentence vector carries the meaning of a message but blurs a short, decisive phrase in a
long one ("... and honestly thinking about ending my life. Should I cash out?"); words and word
pairs keep it. Hashing (crc32, the same in every process) maps them to a fixed number of columns,
so no vocabulary has to be stored. Each text's vector is log-scaled counts, L2-normalised.
"""

from __future__ import annotations

import itertools
import re
import zlib

import numpy as np

DIMENSION = 1 << 14
"""hashed feature columns (collisions are rare at a few thousand distinct words)"""
_WORD = re.compile(r"\[[A-Z_]+_\d+\]|[a-z0-9]+(?:'[a-z]+)?")
_PLACEHOLDER = re.compile(r"\[([A-Z_]+)_\d+\]")


def tokens(text: str) -> list[str]:
    """Lower-case words; a PII placeholder ([US_SSN_1]) becomes one token naming its entity type."""
    out = []
    for m in _WORD.finditer(text.lower() if "[" not in text else _lower_outside_placeholders(text)):
        word = m.group(0)
        placeholder = _PLACEHOLDER.fullmatch(word)
        out.append(f"<{placeholder.group(1).lower()}>" if placeholder else word)
    return out


def _lower_outside_placeholders(text: str) -> str:
    parts = re.split(r"(\[[A-Z_]+_\d+\])", text)
    return "".join(p if _PLACEHOLDER.fullmatch(p) else p.lower() for p in parts)


def features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(column indices, values) of the text's hashed unigrams and bigrams."""
    words = tokens(text)
    grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    counts: dict[int, float] = {}
    for g in grams:
        col = zlib.crc32(g.encode("utf-8")) % DIMENSION
        counts[col] = counts.get(col, 0.0) + 1.0
    if not counts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    cols = np.fromiter(counts.keys(), np.int64, len(counts))
    vals = np.log1p(np.fromiter(counts.values(), np.float32, len(counts)))
    return cols, (vals / float(np.linalg.norm(vals))).astype(np.float32)


def matrix(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR parts (data, indices, indptr) of the texts' features, for scipy at training time."""
    data, indices, indptr = [], [], [0]
    for t in texts:
        cols, vals = features(t)
        indices.append(cols)
        data.append(vals)
        indptr.append(indptr[-1] + len(cols))
    return (
        np.concatenate(data) if data else np.zeros(0, np.float32),
        np.concatenate(indices) if indices else np.zeros(0, np.int64),
        np.array(indptr, np.int64),
    )
