"""Completeness of an economic archive (pure): what the policy requires against what is there.

A requirement is a profile field, a section with at least one row, or a document type. A
section or document with an expiry date counts only while at least one of its rows is valid.
The score is the share of requirements met, rounded down, so 100 means nothing is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class RequirementKind(StrEnum):
    FIELD = "field"
    SECTION = "section"
    DOCUMENT = "document"


class GapStatus(StrEnum):
    MISSING = "missing"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ArchiveRequirements:
    fields: tuple[str, ...]
    sections: tuple[str, ...]
    documents: tuple[str, ...]

    def count(self) -> int:
        return len(self.fields) + len(self.sections) + len(self.documents)


@dataclass(frozen=True)
class ArchiveFacts:
    """What an archive holds. ``None`` in an expiry list means "does not expire"."""

    filled_fields: frozenset[str]
    section_expiries: Mapping[str, Sequence[dt.date | None]] = field(default_factory=dict)
    document_expiries: Mapping[str, Sequence[dt.date | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    kind: RequirementKind
    key: str
    status: GapStatus


@dataclass(frozen=True)
class Assessment:
    score: int
    gaps: tuple[Gap, ...]

    @property
    def complete(self) -> bool:
        return not self.gaps


def _presence(expiries: Sequence[dt.date | None], as_of: dt.date) -> GapStatus | None:
    """None when present and valid on ``as_of``; else why not."""
    if not expiries:
        return GapStatus.MISSING
    if any(expiry is None or expiry >= as_of for expiry in expiries):
        return None
    return GapStatus.EXPIRED


def _gaps(
    kind: RequirementKind,
    keys: Iterable[str],
    expiries: Mapping[str, Sequence[dt.date | None]],
    as_of: dt.date,
) -> list[Gap]:
    found = ((key, _presence(expiries.get(key, ()), as_of)) for key in keys)
    return [Gap(kind, key, status) for key, status in found if status is not None]


def assess(requirements: ArchiveRequirements, facts: ArchiveFacts, as_of: dt.date) -> Assessment:
    gaps = [
        Gap(RequirementKind.FIELD, name, GapStatus.MISSING)
        for name in requirements.fields
        if name not in facts.filled_fields
    ]
    gaps += _gaps(RequirementKind.SECTION, requirements.sections, facts.section_expiries, as_of)
    gaps += _gaps(RequirementKind.DOCUMENT, requirements.documents, facts.document_expiries, as_of)
    total = requirements.count()
    score = 100 if total == 0 else (total - len(gaps)) * 100 // total
    return Assessment(score=score, gaps=tuple(gaps))
