"""大写金额 as 《支付结算办法》附件《正确填写票据和结算凭证的基本规定》 writes them: "人民币"
first; "整" after 元, not after 角 (optional there) or 分; one 零 for a run of zeros; 角 zero
and 分 not zero → 元 followed by 零. The examples are the rules' own."""

from decimal import Decimal

import pytest

from xindai.core.money import rmb_uppercase


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("100000", "人民币壹拾万元整"),
        ("1234567.89", "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("1005.20", "人民币壹仟零伍元贰角"),  # 角 may go without 整 (the rules' option)
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),  # the rules' example
        ("6007.14", "人民币陆仟零柒元壹角肆分"),  # zeros in a run: one 零
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),  # 角 zero, 分 not: 元零贰分
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),  # 元位 zero: 零 may be left out
        ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
        ("10", "人民币壹拾元整"),  # 壹拾, never 拾 alone
        ("300000", "人民币叁拾万元整"),
    ],
)
def test_amounts_in_capitals_follow_the_payment_rules(amount: str, words: str) -> None:
    assert rmb_uppercase(Decimal(amount)) == words


def test_fractions_of_a_fen_round_half_up_first() -> None:
    assert rmb_uppercase(Decimal("99.995")) == "人民币壹佰元整"


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        rmb_uppercase(Decimal("-1"))
