"""Valid identity numbers computed here, independently of the code under test."""

from __future__ import annotations

import datetime as dt

RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RIC_CHECK = "10X98765432"  # GB 11643: remainder 0..10 → check character
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def resident_id(
    region: str = "110101", born: dt.date = dt.date(1980, 5, 17), seq: int = 123
) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + RIC_CHECK[sum(int(c) * w for c, w in zip(body, RIC_WEIGHTS, strict=True)) % 11]


def credit_code(body: str = "91110108MA01ABCD1") -> str:
    """GB 32100: the 18th character from the first 17 (here a company in Beijing)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def test_the_textbook_example_id_is_reproduced() -> None:
    # GB 11643 example from the standard's annex: 11010519491231002X
    assert resident_id("110105", dt.date(1949, 12, 31), 2) == "11010519491231002X"
