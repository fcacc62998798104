"""The contract documents: a template version filled with docxtpl, and what the checks read
back out of a DOCX (its paragraphs in order, its clause headings, its hash). No database."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

SHIPPED_DIR = Path(__file__).resolve().parent / "docx"
SHIPPED_PREFIX = "shipped/"  # a template file name under this prefix is read from the package
_CLAUSE = re.compile(r"^\s*(第[一二三四五六七八九十百零]+条)[\s\u3000]*(.*?)\s*$")
_SPACES = re.compile(r"[\s\u3000]+")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def shipped_bytes(kind: str) -> bytes:
    """The uniform contract of ``kind`` shipped with Xindai (version 1)."""
    return (SHIPPED_DIR / f"{kind}.docx").read_bytes()


def paragraphs(content: bytes) -> list[str]:
    """Every non-empty paragraph of the document in order, table cells included, with runs of
    white space made one space (the way the text reads, whatever the runs' split)."""
    body = Document(io.BytesIO(content)).element.body
    found = []
    for paragraph in body.iter(qn("w:p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
        text = _SPACES.sub(" ", text).strip()
        if text:
            found.append(text)
    return found


def clause_of(text: str) -> str | None:
    """ "第三条 借款期限" for a clause heading paragraph, None for any other paragraph."""
    match = _CLAUSE.match(text)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}".strip()


def clauses(content: bytes) -> list[str]:
    """The clause headings of the document (第一条 …), in order."""
    return [c for c in (clause_of(p) for p in paragraphs(content)) if c is not None]


def placeholders(content: bytes) -> set[str]:
    """The variables a template uses."""
    return set(DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables())


def render(template: bytes, context: dict[str, Any]) -> bytes:
    """The template filled with ``context`` (values escaped for XML)."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
