"""Turn a file into a document with metadata and numbered sections.

Markdown: YAML front matter (doc_id, plan_id, doc_type, title, effective_date, version, amends,
asks) and numbered headings ("## 4. Employer contributions", "### 4.2 Employer matching contributions").
HTML: the same fields as <meta name="beacon:FIELD" content="...">, sections at h1-h4 headings.
PDF (pypdf): one section per page ("p12"), with running headers/footers removed, words hyphenated
across lines rejoined and lines unwrapped. Plain text: paragraphs.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import DocumentError

SUPPORTED = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".pdf": "pdf",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
}
MAX_BYTES = 50 * 1024 * 1024


class DocMeta(BaseModel):
    """Front matter of a knowledge document."""

    model_config = ConfigDict(extra="allow")
    doc_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9._-]*$")
    plan_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    doc_type: str = "document"
    title: str
    effective_date: dt.date | None = None
    version: str = "1"
    amends: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9._-]*$")
    """doc_id of the document this one amends (an SMM amends its SPD); its numbered sections
    replace the same-numbered sections of that document from its effective date"""
    asks: dict[str, list[str]] = Field(default_factory=dict)
    """section number -> questions that section answers, in people's own words: the relevance gate
    compares a question with them (`assistant/decisions/relevance.py`); optional"""

    @field_validator("asks", mode="before")
    @classmethod
    def _section_numbers(cls, value: object) -> object:
        # YAML reads an unquoted 1 as a number: the key is the section number as written
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


@dataclass
class Section:
    section: str
    title: str
    text: str
    page: int | None = None


@dataclass
class ParsedDoc:
    meta: DocMeta
    sections: list[Section] = field(default_factory=list)


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$")


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise DocumentError(f"{path}: front matter starts with '---' but never ends; add a closing '---' line.")
    try:
        data = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as e:
        raise DocumentError(f"{path}: front matter is not valid YAML ({e}).") from e
    if not isinstance(data, dict):
        raise DocumentError(f"{path}: front matter must be a mapping of fields.")
    return data, text[end + 4 :]


def _meta(path: Path, data: dict[str, object], overrides: dict[str, object]) -> DocMeta:
    merged = {**data, **{k: v for k, v in overrides.items() if v is not None}}
    if "plan_id" not in merged:
        raise DocumentError(f"{path}: field 'plan_id' is missing; pass --plan ID (or 'general') or add front matter.")
    if "doc_id" not in merged and "plan_id" in merged:
        slug = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-") or "document"
        merged["doc_id"] = f"{merged['plan_id']}/{slug}"
    merged.setdefault("title", path.stem.replace("_", " ").replace("-", " ").strip() or path.name)
    try:
        return DocMeta.model_validate(merged)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "front matter"
        hint = " (pass --plan ID or add front matter)" if where in ("plan_id", "doc_id") else ""
        raise DocumentError(f"{path}: field '{where}' is invalid or missing ({err['msg']}){hint}.") from e


def parse_markdown(path: Path, text: str, overrides: dict[str, object]) -> ParsedDoc:
    data, body = _split_front_matter(text, path)
    meta = _meta(path, data, overrides)
    sections: list[Section] = []
    current = Section("intro", meta.title, "")
    lines: list[str] = []

    def flush() -> None:
        # unwrap hard-wrapped lines; keep paragraph breaks
        content = re.sub(r"(?<!\n)\n(?!\n)", " ", "\n".join(lines)).strip()
        if content:
            sections.append(Section(current.section, current.title, content))

    for line in body.splitlines():
        m = _HEADING.match(line)
        if m:
            flush()
            lines = []
            heading = m.group(2)
            num = _NUMBERED.match(heading)
            if num:
                current = Section(num.group(1), num.group(2), "")
            elif len(m.group(1)) == 1:
                current = Section("intro", heading, "")
            else:
                slug = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")
                current = Section(slug or "section", heading, "")
            continue
        lines.append(line)
    flush()
    if not sections:
        raise DocumentError(f"{path}: the document has no text to index.")
    numbered = {s.section.split(".")[0] for s in sections}  # "## 4." (its "### 4.2" too)
    for key, questions in meta.asks.items():
        if key not in numbered:
            raise DocumentError(
                f"{path}: field 'asks' names section '{key}', which the document does not have; "
                f"use the number of one of its sections ({', '.join(sorted(numbered - {'intro'}, key=_natural))})."
            )
        if any(not q.strip() for q in questions):
            raise DocumentError(f"{path}: field 'asks.{key}' has an empty question; remove it or write one.")
    return ParsedDoc(meta, sections)


def _natural(section: str) -> list[int | str]:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", section)]


def parse_text(path: Path, text: str, overrides: dict[str, object]) -> ParsedDoc:
    meta = _meta(path, {}, overrides)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        raise DocumentError(f"{path}: the file is empty.")
    return ParsedDoc(meta, [Section(str(i), meta.title, p) for i, p in enumerate(paragraphs, start=1)])


def _line_key(line: str) -> str:
    """A line with its digits masked, so "Page 12 of 71" and "Page 13 of 71" compare equal."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _tokens(line: str) -> set[str]:
    return set(re.findall(r"[a-z]+|#", _line_key(line)))


def running_lines(pages: list[str], edge: int = 4, min_pages: int = 3) -> set[str]:
    """Keys of lines that repeat near the top or bottom of several pages: headers and footers."""
    counts: dict[str, int] = {}
    for text in pages:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        for key in {_line_key(ln) for ln in lines[:edge] + lines[-edge:] if len(ln) <= 160}:
            counts[key] = counts.get(key, 0) + 1
    threshold = max(min_pages, len(pages) // 25) if len(pages) >= min_pages else len(pages) + 1
    return {k for k, n in counts.items() if n >= threshold}


_HYPHEN_BREAK = re.compile(r"([A-Za-z]+)-\n([A-Za-z]+)")


def clean_page(text: str, running: set[str], vocabulary: set[str]) -> str:
    """Drop running headers/footers, rejoin words hyphenated across lines, unwrap lines."""
    lines = text.splitlines()
    n = len(lines)
    shapes = [_tokens(r) for r in running]

    def is_running(line: str) -> bool:
        if _line_key(line) in running:
            return True
        # a variant of a running line (the first page's proof header, a footer with another chapter)
        tokens = _tokens(line)
        return len(tokens) >= 4 and any(len(tokens & r) / max(len(tokens), len(r)) >= 0.6 for r in shapes)

    kept = [ln for i, ln in enumerate(lines) if not ((i < 6 or i >= n - 6) and is_running(ln))]
    body = "\n".join(ln.rstrip() for ln in kept)
    # the fixed part of a footer ("Publication 590-B (2025)") found at a page edge: the line is a
    # footer variant (another chapter's title), or a footer glued onto the last sentence
    for core in {k.strip("# ") for k in running}:
        if len(core) < 15:
            continue
        rx = re.compile(r"\s+".join(re.escape(w).replace(r"\#", r"\d+") for w in core.split()), re.I)
        lines = body.split("\n")
        for i in [*range(min(2, len(lines))), *range(max(2, len(lines) - 2), len(lines))]:
            m = rx.search(lines[i])
            if m:
                prefix = lines[i][: m.start()]
                # nothing but a page number (and a chapter title) before it: all footer
                footer = re.fullmatch(r"\W*\d*\W*", prefix) or re.fullmatch(r"\s*\d+\s+[^.!?]{0,80}", prefix)
                lines[i] = "" if footer else prefix.rstrip()
        body = "\n".join(ln for ln in lines if ln.strip())

    def join(m: re.Match[str]) -> str:
        whole = (m.group(1) + m.group(2)).lower()
        if m.group(2)[0].isupper() and not m.group(1).isupper():
            return f"{m.group(1)}-{m.group(2)}"  # "Roth-\nIRA": a real hyphen at the line end
        if whole in vocabulary or f"{m.group(1)}-{m.group(2)}".lower() not in vocabulary:
            return m.group(1) + m.group(2)
        return f"{m.group(1)}-{m.group(2)}"

    body = _HYPHEN_BREAK.sub(join, body)
    body = re.sub(r"[ \t]+", " ", body)
    body = re.sub(r"\b(age|ages|aged) (\d{2})1/2\b", r"\1 \2½", body)  # "age 591/2" is 59½ set in type
    # a line break inside a paragraph is a space; keep breaks after a sentence or before a bullet
    body = re.sub(r"(?<![.:;!?])\n(?![•\-–]\s)", " ", body)
    return body.strip()


def parse_pdf(path: Path, overrides: dict[str, object]) -> ParsedDoc:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise DocumentError(f"{path}: the PDF is encrypted; supply an unencrypted copy.")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    except DocumentError:
        raise
    except Exception as e:  # pypdf raises many types (PdfReadError, struct/zlib/Value/Key errors) on bad files
        kind = "PdfReadError" if isinstance(e, PdfReadError) else type(e).__name__
        raise DocumentError(f"{path}: the PDF cannot be read ({kind}: {e}); it may be corrupt.") from e
    data: dict[str, object] = {"title": title} if title and title.strip() and len(title) < 200 else {}
    meta = _meta(path, data, overrides)
    running = running_lines(pages)
    vocabulary = {w.lower() for t in pages for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", t)}
    sections = []
    for n, raw in enumerate(pages, start=1):
        text = clean_page(raw, running, vocabulary)
        if text:
            sections.append(Section(f"p{n}", f"{meta.title}, page {n}", text, page=n))
    if not sections:
        raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR first, then ingest it again.")
    return ParsedDoc(meta, sections)


class _HtmlSections(HTMLParser):
    """Text of an HTML page split at h1-h4 headings; <meta name="beacon:FIELD"> gives metadata."""

    SKIP: ClassVar[set[str]] = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "form"}
    BLOCK: ClassVar[set[str]] = {
        "p",
        "div",
        "li",
        "tr",
        "br",
        "section",
        "article",
        "table",
        "ul",
        "ol",
        "dd",
        "dt",
        "h5",
        "h6",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, object] = {}
        self.title = ""
        self.sections: list[tuple[str, list[str]]] = [("", [])]
        self._skip = 0
        self._in_title = False
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and (a.get("name") or "").startswith("beacon:") and a.get("content"):
            self.meta[str(a["name"]).removeprefix("beacon:")] = a["content"]
        elif tag in ("h1", "h2", "h3", "h4") and not self._skip:
            self._heading = []
        elif tag in self.BLOCK and not self._skip:
            self.sections[-1][1].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.sections.append((" ".join("".join(self._heading).split()), []))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._skip:
            return
        elif self._heading is not None:
            self._heading.append(data)
        else:
            self.sections[-1][1].append(data)


def parse_html(path: Path, text: str, overrides: dict[str, object]) -> ParsedDoc:
    parser = _HtmlSections()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as e:
        raise DocumentError(f"{path}: the HTML cannot be parsed ({e}).") from e
    data = dict(parser.meta)
    if parser.title.strip():
        data.setdefault("title", " ".join(parser.title.split()))
    meta = _meta(path, data, overrides)
    sections: list[Section] = []
    slugs: set[str] = set()
    for heading, parts in parser.sections:
        body = "\n".join(" ".join(line.split()) for line in "".join(parts).splitlines() if line.strip())
        if not body:
            continue
        num = _NUMBERED.match(heading)
        if num:
            sid, title = num.group(1), num.group(2)
        elif not heading:
            sid, title = "intro", meta.title
        else:
            sid, title = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or "section", heading
        base, n = sid, 2
        while sid in slugs:  # two headings with the same words stay two citable sections
            sid, n = f"{base}-{n}", n + 1
        slugs.add(sid)
        sections.append(Section(sid, title, body))
    if not sections:
        raise DocumentError(f"{path}: the HTML page has no text to index.")
    return ParsedDoc(meta, sections)


def parse_file(path: Path, overrides: dict[str, object]) -> ParsedDoc:
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(
            f"{path}: unsupported file type '{path.suffix or 'none'}' (supported: {', '.join(sorted(SUPPORTED))})."
        )
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(f"{path}: the file is empty.")
    if size > MAX_BYTES:
        raise DocumentError(
            f"{path}: the file is {size // (1024 * 1024)} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit."
        )
    if kind == "pdf":
        return parse_pdf(path, overrides)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DocumentError(f"{path}: the file is not UTF-8 text (binary?); convert it first.") from e
    if "\x00" in text:
        raise DocumentError(f"{path}: the file contains binary data; convert it to text first.")
    if kind == "html":
        return parse_html(path, text, overrides)
    return parse_markdown(path, text, overrides) if kind == "markdown" else parse_text(path, text, overrides)
