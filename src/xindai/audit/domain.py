"""The hash chain of audit events (pure): each event seals its content and its predecessor."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64


def canonical(content: dict[str, Any]) -> str:
    """One text for one content, whatever order a database gives back JSON keys in."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def seal(content: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(content)}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    event_id: int
    content: dict[str, Any]
    prev_hash: str
    hash: str


class BreakKind(StrEnum):
    PREVIOUS_MISMATCH = "previous_mismatch"
    CONTENT_MISMATCH = "content_mismatch"
    TAIL_MISMATCH = "tail_mismatch"


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    kind: BreakKind


def first_break(
    links: Iterable[ChainLink], head_hash: str = GENESIS_HASH, head_count: int | None = None
) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many links were checked and the first break, if any.

    ``head_hash``/``head_count`` are what the chain head recorded last: a missing tail shows as
    a difference there.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    for link in links:
        if link.prev_hash != expected_prev:
            return checked, ChainBreak(link.event_id, BreakKind.PREVIOUS_MISMATCH)
        if seal(link.content, link.prev_hash) != link.hash:
            return checked, ChainBreak(link.event_id, BreakKind.CONTENT_MISMATCH)
        expected_prev = link.hash
        checked += 1
    if head_count is not None and (checked != head_count or expected_prev != head_hash):
        return checked, ChainBreak(None, BreakKind.TAIL_MISMATCH)
    return checked, None
