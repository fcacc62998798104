"""受托支付 / 自主支付 and 化整为零 (pure): hand-worked boundaries of RULES.md "Disbursement"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xindai.loans.disbursement import (
    Earlier,
    Line,
    PaymentMode,
    Plan,
    decide,
    line_of,
    problems,
)
from xindai.products.domain import PurposeClass

D = Decimal
TODAY = dt.date(2026, 11, 27)
ENTRUSTED, SELF = PaymentMode.ENTRUSTED, PaymentMode.SELF


def plan(purpose: str, amount: str, mode: PaymentMode = SELF, *lines: Line, **more) -> Plan:
    return Plan(PurposeClass(purpose), D(amount), mode, tuple(lines), as_of=TODAY, **more)


def texts(found) -> list[str]:
    return [p.text() for p in found]


# ---- the lines --------------------------------------------------------------------------------


def test_consumption_self_payment_is_allowed_up_to_exactly_300000() -> None:
    assert not decide(plan("consumption", "300000")).entrusted_required
    assert problems(plan("consumption", "300000")) == []


def test_consumption_one_fen_above_300000_must_be_entrusted() -> None:
    decision = decide(plan("consumption", "300000.01"))
    assert decision.mode == ENTRUSTED
    assert texts(decision.reasons) == ["单笔支付 300,000.01 元超过 300,000.00 元，须受托支付"]
    assert texts(problems(plan("consumption", "300000.01"))) == texts(decision.reasons)


def test_personal_business_line_is_500000() -> None:
    assert not decide(plan("personal_business", "500000")).entrusted_required
    assert decide(plan("personal_business", "500000.01")).entrusted_required


def test_a_farmer_loan_takes_the_business_line_of_500000() -> None:
    assert line_of(PurposeClass.FARMER, None) == D(500_000)
    assert not decide(plan("farmer", "500000")).entrusted_required
    assert decide(plan("farmer", "500000.01")).entrusted_required


def test_the_products_stricter_line_wins_and_a_looser_one_does_not() -> None:
    assert line_of(PurposeClass.FARMER, D(50_000)) == D(50_000)  # 农机具购置贷
    assert line_of(PurposeClass.CONSUMPTION, D(400_000)) == D(300_000)
    assert not decide(plan("farmer", "50000", product_threshold=D(50_000))).entrusted_required
    assert decide(plan("farmer", "50000.01", product_threshold=D(50_000))).entrusted_required


def test_a_large_personal_loan_paid_to_several_counterparties_may_be_self_paid() -> None:
    # 600,000 consumption: 280,000 + 300,000 + 20,000 to three shops; each within 300,000.
    lines = (
        Line("甲家具店", D(280_000)),
        Line("乙装修公司", D(300_000)),
        Line("丙电器", D(20_000)),
    )
    assert problems(plan("consumption", "600000", SELF, *lines)) == []


def test_counterparty_without_non_cash_lets_a_personal_loan_be_self_paid_with_the_reason() -> None:
    allowed = plan("consumption", "350000", cash_reason="卖方为农户，只收现金")
    assert not decide(allowed).entrusted_required
    assert decide(plan("consumption", "350000", cash_reason="  ")).entrusted_required


def test_the_cash_reason_does_not_help_a_working_capital_loan() -> None:
    decision = decide(plan("working_capital", "10000000.01", cash_reason="只收现金"))
    assert decision.entrusted_required


def test_working_capital_line_is_10_million_to_one_counterparty() -> None:
    assert not decide(plan("working_capital", "10000000")).entrusted_required
    assert decide(plan("working_capital", "10000000.01")).entrusted_required


def test_working_capital_new_customer_of_average_credit_must_be_entrusted() -> None:
    decision = decide(plan("working_capital", "500000", new_customer_average_credit=True))
    assert texts(decision.reasons) == ["新客户且信用状况一般，须受托支付"]
    # the same flag means nothing for a personal loan
    assert not decide(plan("consumption", "1000", new_customer_average_credit=True)).reasons


def test_fixed_asset_line_is_10_million() -> None:
    assert not decide(plan("fixed_asset", "10000000")).entrusted_required
    assert decide(plan("fixed_asset", "10000000.01")).entrusted_required


# ---- 化整为零 ------------------------------------------------------------------------------------


def test_two_payments_to_one_shop_each_within_the_line_but_above_it_together_are_a_split() -> None:
    lines = (Line("甲家具店", D(200_000), "6217001234567890"), Line("甲家具店", D(200_000)))
    split = plan("consumption", "400000", SELF, *lines)
    decision = decide(split)
    assert [f.total for f in decision.flags] == [D(400_000)]
    assert decision.flags[0].as_json() == {
        "kind": "split",
        "counterparty": "甲家具店",
        "amounts": ["200000.00", "200000.00"],
        "total": "400000.00",
        "line": "300000.00",
    }
    assert texts(problems(split)) == [
        "疑似化整为零：向 甲家具店 支付 2 笔，每笔未超过 300,000.00 元，合计 400,000.00 元"
    ]


def test_a_split_may_be_paid_by_entrusted_payment_and_stays_flagged() -> None:
    lines = (
        Line("甲家具店", D(200_000), "6217001234567890"),
        Line("甲家具店", D(200_000), "6217001234567890"),
    )
    split = plan("consumption", "400000", ENTRUSTED, *lines)
    assert problems(split) == []
    assert len(decide(split).flags) == 1


def test_same_account_under_two_names_is_one_counterparty() -> None:
    lines = (
        Line("甲家具店", D(160_000), "6217 0012 3456 7890"),
        Line("甲家居", D(160_000), "6217001234567890"),
    )
    assert len(decide(plan("consumption", "320000", SELF, *lines)).flags) == 1


def test_payments_summing_to_exactly_the_line_are_no_split() -> None:
    lines = (Line("甲家具店", D(150_000)), Line("甲家具店", D(150_000)))
    assert decide(plan("consumption", "300000", SELF, *lines)).flags == ()


def test_an_earlier_payment_to_the_same_counterparty_within_30_days_counts() -> None:
    earlier = (Earlier(TODAY - dt.timedelta(days=30), Line("甲家具店", D(250_000))),)
    found = decide(
        plan("consumption", "100000", SELF, Line("甲家具店", D(100_000)), earlier=earlier)
    )
    assert [f.total for f in found.flags] == [D(350_000)]


def test_an_earlier_payment_31_days_ago_does_not_count() -> None:
    earlier = (Earlier(TODAY - dt.timedelta(days=31), Line("甲家具店", D(250_000))),)
    found = decide(
        plan("consumption", "100000", SELF, Line("甲家具店", D(100_000)), earlier=earlier)
    )
    assert found.flags == ()


def test_earlier_payments_alone_do_not_flag_this_disbursement() -> None:
    earlier = tuple(Earlier(TODAY, Line("甲家具店", D(200_000))) for _ in range(2))
    assert (
        decide(plan("consumption", "1000", SELF, Line("乙", D(1000)), earlier=earlier)).flags == ()
    )


# ---- the plan itself ----------------------------------------------------------------------------


def test_entrusted_payment_lines_must_add_up_to_the_amount_and_name_an_account() -> None:
    lines = (Line("甲", D(60_000), "6217001234567890"), Line("乙", D(30_000)))
    assert texts(problems(plan("farmer", "100000", ENTRUSTED, *lines))) == [
        "第 2 笔受托支付未填写收款账号",
        "受托支付合计 90,000.00 元，须等于放款金额 100,000.00 元",
    ]


def test_entrusted_payment_needs_at_least_one_line() -> None:
    assert texts(problems(plan("farmer", "100000", ENTRUSTED))) == [
        "受托支付须填写收款方（交易对手）及金额"
    ]


def test_self_payment_declared_uses_may_not_exceed_the_amount() -> None:
    found = problems(plan("farmer", "100000", SELF, Line("甲", D("100000.01"))))
    assert texts(found) == ["支付明细合计 100,000.01 元，超过放款金额 100,000.00 元"]
