"""Money rounding: the one place where amounts (and quoted rates) are rounded.

Every rounding is half-up (四舍五入), the way customers and banks check schedules by hand.
Amounts are ``Decimal`` yuan; a fen (分) is 0.01 yuan.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
_ONE = Decimal(1)


def to_fen(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to the fen: 12.345 → 12.35, −12.345 → −12.35."""
    return amount.quantize(FEN, ROUND_HALF_UP)


def round_to_multiple(amount: Decimal, multiple: Decimal) -> Decimal:
    """``amount`` rounded half-up to a multiple of ``multiple`` (0.01 or 1 yuan), in fen.

    ``round_to_multiple(Decimal("8530.50"), Decimal(1)) == Decimal("8531.00")``.
    """
    if multiple == FEN:
        return amount.quantize(FEN, ROUND_HALF_UP)
    return ((amount / multiple).quantize(_ONE, ROUND_HALF_UP) * multiple).quantize(FEN)


def round_rate(rate: Decimal, places: int = 6) -> Decimal:
    """A rate (a fraction such as 0.0435) rounded half-up to ``places`` decimal places."""
    return rate.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def rmb_uppercase(amount: Decimal) -> str:
    """The amount in Chinese capital numerals as cheques and contracts write it (《支付结算办法》
    附件《正确填写票据和结算凭证的基本规定》): "人民币" first, "整" after 元 but not after 角 or
    分, one 零 for a run of zeros: 100000 → 人民币壹拾万元整, 1409.50 → 人民币壹仟肆佰零玖元伍角,
    16409.02 → 人民币壹万陆仟肆佰零玖元零贰分. The amount is rounded half-up to the fen first."""
    import cn2an  # imported here: loading its tables costs time at every start otherwise

    fen = to_fen(amount)
    if fen < 0:
        raise ValueError("a negative amount has no uppercase form on a contract")
    return "人民币" + cn2an.an2cn(f"{fen:f}", "rmb")


def fen(amount: Decimal) -> int:
    """Yuan already in whole fen as an integer of fen: Decimal("8530.99") → 853099 (the unit
    the end-of-day, the ledger and the deposit balances compute in)."""
    return int(amount.scaleb(2).to_integral_value())
