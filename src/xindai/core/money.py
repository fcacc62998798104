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
