"""The user guide documents every item key of the statements file."""

from __future__ import annotations

from pathlib import Path

import pytest

from xindai.analysis.statements import SECTIONS, StatementKind, items_of

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "08-财务分析.md"


@pytest.mark.parametrize("kind", list(StatementKind))
def test_every_item_key_is_in_the_guide(kind: StatementKind) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    keys = [info.key for section in SECTIONS[kind].values() for info in items_of(section)]
    assert [key for key in keys if f"`{key}`" not in text] == []
    assert all(f"`{name}`" in text for name in SECTIONS[kind])
