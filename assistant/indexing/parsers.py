"""Turn a file into a document with metadata and numbered sections.

Markdown: YAML front matter (doc_id, plan_id, doc_type, title, effective_date, version) and
numbered headings ("## 4. Employer contributions", "### 4.2 Employer matching contributions").
PDF (pypdf): one section per page, page numbers kept. Plain text: paragraphs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import DocumentError

SUPPORTED = {".md": "markdown", ".markdown": "markdown", ".pdf": "pdf", ".txt": "text"}
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
    return ParsedDoc(meta, sections)


def parse_text(path: Path, text: str, overrides: dict[str, object]) -> ParsedDoc:
    meta = _meta(path, {}, overrides)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if not paragraphs:
        raise DocumentError(f"{path}: the file is empty.")
    return ParsedDoc(meta, [Section(str(i), meta.title, p) for i, p in enumerate(paragraphs, start=1)])


def parse_pdf(path: Path, overrides: dict[str, object]) -> ParsedDoc:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise DocumentError(f"{path}: the PDF is encrypted; supply an unencrypted copy.")
        pages = [(i, page.extract_text() or "") for i, page in enumerate(reader.pages, start=1)]
        title = (reader.metadata.title if reader.metadata else None) or None
    except DocumentError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as e:
        raise DocumentError(f"{path}: the PDF cannot be read ({type(e).__name__}: {e}); it may be corrupt.") from e
    data: dict[str, object] = {"title": title} if title and title.strip() else {}
    meta = _meta(path, data, overrides)
    sections = [
        Section(f"p{n}", f"{meta.title}, page {n}", re.sub(r"[ \t]+", " ", t).strip(), page=n)
        for n, t in pages
        if t.strip()
    ]
    if not sections:
        raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR first.")
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
    return parse_markdown(path, text, overrides) if kind == "markdown" else parse_text(path, text, overrides)
