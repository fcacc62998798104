"""Pure rules of the organisation tree and of data scope (no Django imports)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PATH_SEPARATOR = "/"


class UnitKind(StrEnum):
    UNION = "union"  # 联社 / 总行
    BRANCH = "branch"  # 支行
    OUTLET = "outlet"  # 网点


ALLOWED_PARENT: dict[UnitKind, UnitKind | None] = {
    UnitKind.UNION: None,
    UnitKind.BRANCH: UnitKind.UNION,
    UnitKind.OUTLET: UnitKind.BRANCH,
}


def unit_path(parent_path: str | None, code: str) -> str:
    """Materialised path of a unit: ``/HQ/B01/O0101/``; a subtree is a path prefix."""
    return f"{parent_path or PATH_SEPARATOR}{code}{PATH_SEPARATOR}"


UNIT_KIND_NAMES = {UnitKind.UNION: "联社/总行", UnitKind.BRANCH: "支行", UnitKind.OUTLET: "网点"}


def hierarchy_problem(kind: UnitKind, parent_kind: UnitKind | None) -> str | None:
    """Why a unit of ``kind`` may not sit under a parent of ``parent_kind`` (None = it may)."""
    expected = ALLOWED_PARENT[kind]
    if expected == parent_kind:
        return None
    if expected is None:
        return "联社/总行是机构树的根，不能有上级机构"
    return f"{UNIT_KIND_NAMES[kind]}的上级机构必须是{UNIT_KIND_NAMES[expected]}"


def is_root(path: str) -> bool:
    """The union's own path (``/HQ/``): one code between separators."""
    return path.count(PATH_SEPARATOR) == 2


@dataclass(frozen=True)
class Scope:
    """What a user may see: a subtree of the organisation, optionally only his own records."""

    unit_path: str | None  # None = nothing (a user without an org unit)
    own_records_only: bool
    everything: bool = False
