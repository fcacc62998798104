"""The servicing rules with hand figures (pure functions, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from xindai.loans import servicing


@pytest.mark.parametrize(
    ("day", "cycle", "expected"),
    [
        (dt.date(2026, 12, 20), "quarterly", True),
        (dt.date(2026, 11, 20), "quarterly", False),  # not a quarter's last month
        (dt.date(2026, 11, 20), "monthly", True),
        (dt.date(2027, 3, 20), "quarterly", True),
        (dt.date(2026, 12, 21), "quarterly", False),
        (dt.date(2026, 12, 19), "monthly", False),
    ],
)
def test_settlement_days(day: dt.date, cycle: str, expected: bool) -> None:
    assert servicing.is_settlement_day(day, cycle) is expected


def test_interest_from_base_rounds_half_up_once() -> None:
    # 100,000.00 元 for 49 days at 4.35%, actual/360: 10,000,000 fen × 49 = 490,000,000
    # fen·days; × 0.0435 / 360 = 59,208.33 fen → 59,208 fen (592.08 元).
    assert servicing.interest_from_base(490_000_000, 43_500, 360) == 59_208
    # 35,000 fen·days at 9%: 35,000 × 0.09 / 360 = 8.75 fen → 9 (half-up).
    assert servicing.interest_from_base(35_000, 90_000, 360) == 9
    # 1,297,056 × 0.09 / 360 = 324.264 → 324.
    assert servicing.interest_from_base(1_297_056, 90_000, 360) == 324
    # 20,000 fen·days at 9%/360 = 5.0 fen exactly.
    assert servicing.interest_from_base(20_000, 90_000, 360) == 5
    # 18,000 fen·days at 9%/360 = 4.5 fen → 5 (half goes up).
    assert servicing.interest_from_base(18_000, 90_000, 360) == 5
    # actual/365: 10,000,000 × 30 × 0.0365 / 365 = 30,000 fen.
    assert servicing.interest_from_base(300_000_000, 36_500, 365) == 30_000
    with pytest.raises(ValueError, match="negative"):
        servicing.interest_from_base(-1, 43_500, 360)


def test_schedule_accrual_sums_to_the_row() -> None:
    # A row of 50.00 元 over 30 days: day 1 → 5000/30 = 166.67 → 167; day 15 → 2500;
    # day 30 → 5000. The daily deltas add up to the row exactly.
    assert servicing.schedule_accrued(5_000, 1, 30) == 167
    assert servicing.schedule_accrued(5_000, 15, 30) == 2_500
    assert servicing.schedule_accrued(5_000, 30, 30) == 5_000
    assert servicing.schedule_accrued(5_000, 31, 30) == 5_000  # clamped
    assert servicing.schedule_accrued(5_000, -2, 30) == 0
    # 41.87 元 over 31 days after 17 days: 4187 × 17 / 31 = 2296.1 → 2296.
    assert servicing.schedule_accrued(4_187, 17, 31) == 2_296
    deltas = [
        servicing.schedule_accrued(4_595, d, 31) - servicing.schedule_accrued(4_595, d - 1, 31)
        for d in range(1, 32)
    ]
    assert sum(deltas) == 4_595
    assert set(deltas) == {148, 149}


@pytest.mark.parametrize(
    ("days", "floor"),
    [
        (0, "normal"),
        (7, "normal"),  # technical overdue exempt
        (8, "special_mention"),
        (90, "special_mention"),
        (91, "substandard"),
        (270, "substandard"),
        (271, "doubtful"),
        (360, "doubtful"),
        (361, "loss"),
    ],
)
def test_class_floor_by_days_past_due(days: int, floor: str) -> None:
    assert servicing.class_floor(days) == floor


def test_non_performing_after_90_days() -> None:
    assert not servicing.non_performing(90)
    assert servicing.non_performing(91)


def test_allocation_follows_the_collection_order() -> None:
    owed = {
        "penalty_due_fen": 324,
        "compound_due_fen": 20,
        "overdue_interest_fen": 5_000,
        "interest_due_fen": 0,
        "overdue_principal_fen": 81_066,
        "principal_due_fen": 100,
    }
    # 500.00 元: 324 + 20 + 5,000 = 5,344, then 44,656 of the overdue principal.
    paid = servicing.allocate(50_000, owed)
    assert paid == {
        "penalty_due_fen": 324,
        "compound_due_fen": 20,
        "overdue_interest_fen": 5_000,
        "interest_due_fen": 0,
        "overdue_principal_fen": 44_656,
        "principal_due_fen": 0,
    }
    # 300 fen pay only part of the penalty.
    assert servicing.allocate(300, owed)["penalty_due_fen"] == 300
    assert sum(servicing.allocate(300, owed).values()) == 300
    # More than owed: everything, nothing more.
    assert sum(servicing.allocate(10**9, owed).values()) == 86_510
    assert servicing.allocate(0, owed) == dict.fromkeys(servicing.COLLECTION_ORDER, 0)
    with pytest.raises(ValueError, match="negative"):
        servicing.allocate(-1, owed)


def test_oldest_unpaid_due_date() -> None:
    rows = [(dt.date(2026, 12, 5), 86_066), (dt.date(2027, 1, 5), 86_066)]
    # 36,410 fen left: the latest installment alone covers it → 2027-01-05.
    assert servicing.oldest_unpaid(rows, 36_410) == dt.date(2027, 1, 5)
    # 100,000 left: more than the latest → the one before is not fully paid either.
    assert servicing.oldest_unpaid(rows, 100_000) == dt.date(2026, 12, 5)
    assert servicing.oldest_unpaid(rows, 0) is None
    assert servicing.oldest_unpaid([], 5) is None
