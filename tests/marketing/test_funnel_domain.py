"""The funnel's arithmetic by hand: stages closed upwards, rates with zero denominators,
万元 rounding, goal completion, ranking order and week buckets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xindai.marketing import domain_funnel as d


def test_stages_closed_upwards() -> None:
    assert d.stages_of(d.Facts()) == {
        "target": True,
        "reached": False,
        "interested": False,
        "applied": False,
        "approved": False,
        "disbursed": False,
    }
    # a loan without a logged contact: every earlier stage counts
    assert all(d.stages_of(d.Facts(disbursed_fen=1)).values())
    only_interested = d.stages_of(d.Facts(interested=True))
    assert [only_interested[s] for s in d.STAGES] == [True, True, True, False, False, False]
    approved = d.stages_of(d.Facts(approved_fen=0))  # approved for 0 still approved
    assert [approved[s] for s in d.STAGES] == [True, True, True, True, True, False]


def test_tally_counts_amounts_and_rates() -> None:
    tally = d.Tally(key="k", label="K")
    tally.add(d.Facts())  # target only
    tally.add(d.Facts(reached=True))
    tally.add(d.Facts(interested=True))
    tally.add(d.Facts(applied_fen=3_000_000))
    tally.add(d.Facts(applied_fen=10_000_000, approved_fen=8_000_000, disbursed_fen=8_000_000))
    assert tally.counts == {
        "target": 5,
        "reached": 4,
        "interested": 3,
        "applied": 2,
        "approved": 1,
        "disbursed": 1,
    }
    assert tally.amounts == {"applied": 13_000_000, "approved": 8_000_000, "disbursed": 8_000_000}
    rates = tally.rates()
    assert rates == {
        "reached": Decimal("0.8000"),
        "interested": Decimal("0.7500"),
        "applied": Decimal("0.6667"),
        "approved": Decimal("0.5000"),
        "disbursed": Decimal("1.0000"),
        "overall": Decimal("0.2000"),
    }
    assert [d.pct_text(rates[k]) for k in ("applied", "overall")] == ["66.7%", "20.0%"]


def test_zero_denominators_are_dashes() -> None:
    empty = d.Tally()
    assert set(empty.rates().values()) == {None}
    assert d.pct_text(None) == "—"
    nobody_reached = d.Tally()
    nobody_reached.add(d.Facts())
    rates = nobody_reached.rates()
    assert rates["reached"] == Decimal(0) and rates["interested"] is None
    assert d.pct_text(rates["reached"]) == "0.0%"


def test_wan_and_completion() -> None:
    assert d.wan(12_345_678) == Decimal("12.35")  # 123,456.78 元
    assert d.wan(12_344_999) == Decimal("12.34")
    assert d.wan(0) == Decimal("0.00")
    assert d.completion(13, 26) == Decimal("0.5000")
    assert d.completion(7, 0) is None  # no goal set
    assert d.completion(12, 10) == Decimal("1.2000")  # over-achieved


def test_tally_groups_and_total() -> None:
    rows = d.tally(
        [
            ("1", "甲", d.Facts(reached=True)),
            ("2", "乙", d.Facts(disbursed_fen=100)),
            ("1", "甲", d.Facts()),
        ]
    )
    assert [(r.key, r.counts["target"], r.counts["reached"]) for r in rows] == [
        ("1", 2, 1),
        ("2", 1, 1),
    ]
    total = d.total(rows)
    assert (total.label, total.counts["target"], total.amounts["disbursed"]) == ("合计", 3, 100)


def test_ranked() -> None:
    def row(key: str, label: str, disbursed: int, applied: int) -> d.Tally:
        tally = d.Tally(key=key, label=label)
        tally.amounts["disbursed"] = disbursed
        tally.counts["applied"] = applied
        return tally

    rows = [
        row("a", "甲", 0, 2),
        row("b", "乙", 500, 0),
        row("c", "丙", 0, 2),
        row("e", "戊", 0, 0),
    ]
    ranked = d.ranked(rows, {"a": 1, "c": 4, "e": 9})
    # 乙 lent most; 甲 and 丙 applied 2 each: 丙 made more contacts; 戊 last.
    assert [r.label for r in ranked] == ["乙", "丙", "甲", "戊"]


def test_weeks() -> None:
    assert d.week_start(dt.date(2026, 11, 29)) == dt.date(2026, 11, 23)  # a Sunday
    assert d.weeks(dt.date(2026, 11, 1), dt.date(2026, 11, 16)) == [
        dt.date(2026, 10, 26),
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 16),
    ]
    assert d.weeks(dt.date(2026, 11, 2), dt.date(2026, 11, 1)) == []
    assert d.last_weeks(dt.date(2026, 11, 27)) == (dt.date(2026, 9, 7), dt.date(2026, 11, 27))
