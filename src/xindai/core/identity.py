"""Chinese identity numbers, checked with python-stdnum (pure: no Django).

- 18-digit resident ID (居民身份证号, GB 11643): region prefix known for the birth year, real
  birth date not after ``as_of``, ISO 7064 MOD 11-2 check digit.
- Unified social credit code (统一社会信用代码, GB 32100): 18 characters, check character.
- Mainland mobile number: 11 digits starting 13–19.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


class IdentityProblem(StrEnum):
    EMPTY = "empty"
    LENGTH = "length"
    FORMAT = "format"
    CHECKSUM = "checksum"
    BIRTH_DATE = "birth_date"
    FUTURE_BIRTH = "future_birth"
    REGION = "region"
    MOBILE = "mobile"


_MOBILE = re.compile(r"1[3-9]\d{9}")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def normalise(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def resident_id_problem(value: str, as_of: dt.date) -> IdentityProblem | None:
    number = normalise(value)
    if not number:
        return IdentityProblem.EMPTY
    if len(number) != 18:
        return IdentityProblem.LENGTH
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return IdentityProblem.FORMAT
    if number[17] != ric.calc_check_digit(number):
        return IdentityProblem.CHECKSUM
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return IdentityProblem.BIRTH_DATE
    if born > as_of:
        return IdentityProblem.FUTURE_BIRTH
    if born < EARLIEST_BIRTH:
        return IdentityProblem.BIRTH_DATE
    try:
        ric.get_birth_place(number)
    except stdnum_errors.ValidationError:
        return IdentityProblem.REGION
    return None


def credit_code_problem(value: str) -> IdentityProblem | None:
    code = normalise(value)
    if not code:
        return IdentityProblem.EMPTY
    if len(code) != 18:
        return IdentityProblem.LENGTH
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        return IdentityProblem.CHECKSUM
    except stdnum_errors.ValidationError:
        return IdentityProblem.FORMAT
    return None


def mobile_problem(value: str) -> IdentityProblem | None:
    number = normalise(value)
    if not number:
        return IdentityProblem.EMPTY
    return None if _MOBILE.fullmatch(number) else IdentityProblem.MOBILE


def birth_date(resident_id: str) -> dt.date:
    return ric.get_birth_date(normalise(resident_id))


def sex_of(resident_id: str) -> str:
    """'M' or 'F' from the 17th digit (odd = male)."""
    return "M" if int(normalise(resident_id)[16]) % 2 else "F"
