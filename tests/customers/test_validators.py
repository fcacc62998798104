"""Resident ID and credit code validators, by example and by property."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.customers.ids import USCC_ALPHABET, credit_code, resident_id
from xindai.core.identity import (
    IdentityProblem,
    credit_code_problem,
    mobile_problem,
    resident_id_problem,
)

AS_OF = dt.date(2026, 11, 28)
# Regions whose code was in use for every birth year drawn below (the code checks the region
# against the year, as GB 11643 numbers are given where and when one is born).
REGIONS = ["110101", "110102", "110105", "110108"]


def test_the_standards_example_is_valid() -> None:
    assert resident_id_problem("11010519491231002X", AS_OF) is None
    assert resident_id_problem("11010519491231002x", AS_OF) is None  # lower-case x accepted


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("", IdentityProblem.EMPTY),
        ("1101051949123100", IdentityProblem.LENGTH),
        ("11010519491231002Y", IdentityProblem.FORMAT),
        ("110105194912310021", IdentityProblem.CHECKSUM),
        (resident_id("110105", dt.date(2027, 1, 1)), IdentityProblem.FUTURE_BIRTH),
        (resident_id("999999"), IdentityProblem.REGION),
    ],
)
def test_bad_resident_ids_say_what_is_wrong(number: str, problem: IdentityProblem) -> None:
    assert resident_id_problem(number, AS_OF) == problem


def test_an_impossible_birth_date_is_refused() -> None:
    body = "11010519490230123"  # 30 February
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    number = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    assert resident_id_problem(number, AS_OF) == IdentityProblem.BIRTH_DATE


@given(
    region=st.sampled_from(REGIONS),
    born=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2008, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
)
def test_every_well_formed_resident_id_is_accepted(region: str, born: dt.date, seq: int) -> None:
    assert resident_id_problem(resident_id(region, born, seq), AS_OF) is None


@given(
    born=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2008, 12, 31)),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_typo_is_caught(born: dt.date, position: int, delta: int) -> None:
    good = resident_id("110101", born, 42)
    typo = good[:position] + str((int(good[position]) + delta) % 10) + good[position + 1 :]
    assert resident_id_problem(typo, AS_OF) is not None


@given(
    body=st.text(alphabet="0123456789", min_size=8, max_size=8)
    .map(lambda s: "91" + s[2:])
    .flatmap(
        lambda head: st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9).map(
            lambda tail: head + tail
        )
    )
)
def test_every_well_formed_credit_code_is_accepted(body: str) -> None:
    assert credit_code_problem(credit_code(body)) is None


@given(position=st.integers(min_value=0, max_value=17), shift=st.integers(1, 30))
def test_any_single_character_typo_in_a_credit_code_is_caught(position: int, shift: int) -> None:
    good = credit_code()
    index = USCC_ALPHABET.index(good[position])
    typo = good[:position] + USCC_ALPHABET[(index + shift) % 31] + good[position + 1 :]
    assert credit_code_problem(typo) is not None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", IdentityProblem.EMPTY),
        ("91110108MA01ABCD", IdentityProblem.LENGTH),
        ("91110108MA01ABCDI" + "0", IdentityProblem.FORMAT),  # I is not in the alphabet
    ],
)
def test_bad_credit_codes_say_what_is_wrong(code: str, problem: IdentityProblem) -> None:
    assert credit_code_problem(code) == problem


@pytest.mark.parametrize(
    ("number", "ok"),
    [("13912345678", True), ("12912345678", False), ("1391234567", False), ("139-1234-5678", True)],
)
def test_mobile_numbers(number: str, ok: bool) -> None:
    assert (mobile_problem(number) is None) is ok
