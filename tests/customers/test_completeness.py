"""Completeness of an archive (pure domain), by hand-counted examples."""

from __future__ import annotations

import datetime as dt

from xindai.customers.domain import (
    ArchiveFacts,
    ArchiveRequirements,
    Gap,
    GapStatus,
    RequirementKind,
    assess,
)

AS_OF = dt.date(2026, 11, 28)
REQ = ArchiveRequirements(
    fields=("phone", "address"), sections=("members", "licence"), documents=("id_card",)
)


def test_nothing_there_scores_zero_with_every_gap() -> None:
    result = assess(REQ, ArchiveFacts(frozenset()), AS_OF)
    assert result.score == 0 and len(result.gaps) == 5


def test_three_of_five_met_scores_sixty() -> None:
    facts = ArchiveFacts(frozenset({"phone", "address"}), {"members": [None]})
    result = assess(REQ, facts, AS_OF)
    assert result.score == 60  # 3 × 100 // 5
    assert result.gaps == (
        Gap(RequirementKind.SECTION, "licence", GapStatus.MISSING),
        Gap(RequirementKind.DOCUMENT, "id_card", GapStatus.MISSING),
    )


def test_an_expired_only_document_is_an_expired_gap() -> None:
    facts = ArchiveFacts(
        frozenset({"phone", "address"}),
        {"members": [None], "licence": [None]},
        {"id_card": [dt.date(2026, 11, 27)]},
    )
    result = assess(REQ, facts, AS_OF)
    assert result.score == 80
    assert result.gaps == (Gap(RequirementKind.DOCUMENT, "id_card", GapStatus.EXPIRED),)


def test_a_document_valid_through_today_counts_and_one_valid_copy_is_enough() -> None:
    facts = ArchiveFacts(
        frozenset({"phone", "address"}),
        {"members": [None], "licence": [dt.date(2020, 1, 1), None]},
        {"id_card": [dt.date(2026, 11, 28)]},
    )
    result = assess(REQ, facts, AS_OF)
    assert (result.score, result.complete) == (100, True)


def test_scores_round_down_so_only_a_full_archive_shows_100() -> None:
    req = ArchiveRequirements(fields=tuple(f"f{i}" for i in range(7)), sections=(), documents=())
    facts = ArchiveFacts(frozenset(f"f{i}" for i in range(6)))
    assert assess(req, facts, AS_OF).score == 85  # 600 // 7 = 85.7 → 85
