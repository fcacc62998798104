"""The pure rules of early warning: the severity/action table and the two thresholds."""

from __future__ import annotations

from decimal import Decimal

from xindai.earlywarning import domain
from xindai.earlywarning.domain import Kind, Severity


def test_every_kind_has_a_severity_and_a_required_action() -> None:
    assert {k: (r.severity, r.action) for k, r in domain.RULES.items()} == {
        Kind.OVERDUE: (Severity.MEDIUM, "电话催收并核实逾期原因"),
        Kind.DOWNGRADE: (Severity.HIGH, "触发贷后检查，重新评估风险并制定化解措施"),
        Kind.GUARANTOR_OVERDUE: (Severity.MEDIUM, "核实保证人代偿能力，必要时要求追加或更换担保"),
        Kind.COLLATERAL_DROP: (
            Severity.HIGH,
            "重新评估押品价值，要求追加担保或提前收回部分贷款",
        ),
        Kind.INSPECTION_FINDING: (Severity.MEDIUM, "落实检查发现的问题并跟踪整改"),
        Kind.DEPOSIT_OUTFLOW: (Severity.LOW, "核实资金去向，关注借款人还款能力"),
    }


def test_collateral_drop_must_be_more_than_the_ratio() -> None:
    ratio = Decimal("0.20")
    # 500,000 → 400,000: exactly 20%, not more.
    assert not domain.collateral_dropped(Decimal(500_000), Decimal(400_000), ratio)
    # 500,000 → 399,999.99: 100,000.01 / 500,000 = 20.000002% > 20%.
    assert domain.collateral_dropped(Decimal(500_000), Decimal("399999.99"), ratio)
    # 500,000 → 390,000: 22%.
    assert domain.drop_ratio(Decimal(500_000), Decimal(390_000)) == Decimal("0.2200")
    assert not domain.collateral_dropped(Decimal(0), Decimal(0), ratio)


def test_outflow_spike_against_three_times_the_weekly_average() -> None:
    """Base 900,000.00 元 over 90 days → weekly 70,000.00; × 3 = 210,000.00."""
    base, ratio, minimum = 90_000_000, Decimal(3), 5_000_000
    assert not domain.outflow_spike(21_000_000, base, ratio, minimum)
    assert domain.outflow_spike(21_000_001, base, ratio, minimum)
    assert domain.weekly_average_fen(base) == 7_000_000


def test_outflow_below_the_minimum_is_no_spike_even_without_history() -> None:
    """No outflow in the 90 days before: any outflow is a spike once it reaches 50,000.00."""
    assert not domain.outflow_spike(4_999_999, 0, Decimal(3), 5_000_000)
    assert domain.outflow_spike(5_000_000, 0, Decimal(3), 5_000_000)
    assert not domain.outflow_spike(0, 0, Decimal(3), 0)
