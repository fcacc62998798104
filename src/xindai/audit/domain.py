"""The hash chain of audit events (pure): each event seals its content and its predecessor."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    problem: str


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
            return checked, ChainBreak(
                link.event_id, "上一事件哈希不符：此前的事件被删除、插入或改动"
            )
        if seal(link.content, link.prev_hash) != link.hash:
            return checked, ChainBreak(link.event_id, "事件内容与其哈希不符：事件被改动")
        expected_prev = link.hash
        checked += 1
    if head_count is not None and (checked != head_count or expected_prev != head_hash):
        return checked, ChainBreak(None, "链尾与链头记录不符：最后的事件被删除或链头被改动")
    return checked, None
