"""Docs and public surface: the README is a short front door that shows the two commands on its first
screen; every link in the README and docs/ resolves inside the repository; every guard rule and PII
recognizer is documented in docs/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from guardrails.policy import load_policy
from guardrails.recognizers import CUSTOM_RECOGNIZERS
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_LINES = 250
FIRST_SCREEN_LINES = 40
IMAGE_MAX_BYTES = 300_000

OFFICIAL_SITES = {
    "www.irs.gov",
    "microsoft.github.io",  # Presidio
    "langchain-ai.github.io",  # LangGraph
    "docs.trychroma.com",
    "docs.chainlit.io",
    "import-linter.readthedocs.io",
}
"""the only hosts an http(s) link in the docs may point to"""

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]+)>", re.IGNORECASE)
BARE_URL = re.compile(r"https?://[^\s)<>\]\"'`|]+")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def prose(text: str) -> str:
    """The text outside fenced code blocks and inline code (where a link or heading is only shown)."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: link text kept, formatting and punctuation dropped, spaces -> '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    out: set[str] = set()
    for m in HEADING.finditer(FENCE.sub("", text)):
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(text: str) -> list[str]:
    body = prose(text)
    found = [m.group(1) for m in INLINE_LINK.finditer(body)]
    found += [m.group(1) for m in REFERENCE_DEF.finditer(body)]
    found += [m.group(1) for m in AUTOLINK.finditer(body)]
    # bare web addresses (GitHub links them too) outside the links already found
    found += BARE_URL.findall(INLINE_LINK.sub("", AUTOLINK.sub("", body)))
    return found


def link_problems(page: Path, root: Path) -> list[str]:
    """Every link of `page` that does not resolve to a file (and heading) inside `root`."""
    problems = []
    for target in links(page.read_text()):
        where = f"{page.relative_to(root)}: {target}"
        url = urlparse(target)
        if url.scheme in ("http", "https"):
            if url.hostname not in OFFICIAL_SITES:
                problems.append(f"{where} (web link to a site not in OFFICIAL_SITES)")
            continue
        if url.scheme or target.startswith("/"):
            problems.append(f"{where} (only relative links inside the repository)")
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / unquote(path_part)).resolve() if path_part else page.resolve()
        if not dest.is_relative_to(root.resolve()):
            problems.append(f"{where} (points outside the repository)")
        elif not dest.exists():
            problems.append(f"{where} (no such file)")
        elif anchor and (dest.suffix != ".md" or anchor not in anchors(dest.read_text())):
            problems.append(f"{where} (no heading with this anchor)")
    return problems


# -- the checker itself, on made-up pages: each row is a link and whether it must be reported ----------
CHECKER_CASES = [
    ("[a](other.md)", False),
    ("[a](other.md#a-heading)", False),
    ("[a](#this-page)", False),
    ("[a](sub/file.txt)", False),
    ("![shot](sub/pic.png)", False),
    ("[a](other.md#a-headin)", True),  # near-miss anchor
    ("[a](#no-such-heading)", True),
    ("[a](missing.md)", True),
    ("[a](sub/file.txt#x)", True),  # anchors only into Markdown pages
    ("[a](../outside.md)", True),
    ("[a](../shared/specs/cli.md)", True),
    ("[a](/etc/passwd)", True),
    ("[a](file:///etc/passwd)", True),
    ("[a](https://example.com/page)", True),
    ("see https://example.com/page for more", True),
    ("<https://example.com/>", True),
    ("[irs](https://www.irs.gov/publications/p590b)", False),
    ("[a]: missing.md", True),
    ("`[a](missing.md)` is only shown", False),
    ("```\n[a](missing.md)\n```", False),
    ("[a](other.md#heading-in-code)", True),  # a '#' line in a code block is no heading
]


@pytest.mark.parametrize(("markdown", "reported"), CHECKER_CASES)
def test_link_checker(tmp_path: Path, markdown: str, reported: bool) -> None:
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "sub/file.txt").write_text("x")
    (repo / "sub/pic.png").write_bytes(b"png")
    (repo / "other.md").write_text("# A heading\n\n```bash\n# heading in code\n```\n")
    (tmp_path / "outside.md").write_text("# Outside\n")
    page = repo / "page.md"
    page.write_text(f"# This page\n\n{markdown}\n")
    assert bool(link_problems(page, repo)) is reported, link_problems(page, repo)


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Erasure, legal holds and retention", "erasure-legal-holds-and-retention"),
        ("Precision on Beacon's own text", "precision-on-beacons-own-text"),
        ("Refusal vs out-of-scope redirect", "refusal-vs-out-of-scope-redirect"),
        ("What `make bench` prints", "what-make-bench-prints"),
        ("The [guard](guard.md)", "the-guard"),
    ],
)
def test_slug_matches_github(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor


# -- the real pages ------------------------------------------------------------------------------------
def test_docs_pages_exist() -> None:
    assert DOCS.is_dir() and len(pages()) > 1


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_every_link_resolves_inside_the_repository(page: Path) -> None:
    assert not link_problems(page, ROOT), "\n".join(link_problems(page, ROOT))


def test_images_are_small() -> None:
    images = sorted((DOCS / "images").glob("*"))
    assert images, "docs/images/ holds the README's screenshot"
    for image in images:
        assert image.stat().st_size <= IMAGE_MAX_BYTES, f"{image.name} is over {IMAGE_MAX_BYTES:,} bytes"


def test_readme_is_a_short_front_door_with_the_two_commands_first() -> None:
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines (at most {README_MAX_LINES})"
    first_screen = "\n".join(lines[:FIRST_SCREEN_LINES])
    assert "make run" in first_screen and "make test" in first_screen


def test_every_rule_and_recognizer_is_documented_in_docs() -> None:
    docs = "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))
    policy = load_policy(ROOT / "guardrails/policy.yaml").policy
    missing = [rule_id for rule_id in policy.rule_ids if f"`{rule_id}`" not in docs]
    missing += [r.__name__ for r in CUSTOM_RECOGNIZERS if f"`{r.__name__}`" not in docs]
    assert not missing, f"not named in docs/: {missing}"


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_ruff_is_clean() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "assistant", "guardrails", "evals", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_is_clean() -> None:
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
