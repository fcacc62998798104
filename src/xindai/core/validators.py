"""Django validators for identity numbers, with a clear message per problem (zh / en)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xindai.core.identity import (
    IdentityProblem,
    credit_code_problem,
    mobile_problem,
    resident_id_problem,
)
from xindai.core.industry import division_of

RESIDENT_ID_MESSAGES = {
    IdentityProblem.EMPTY: _("请填写身份证号"),
    IdentityProblem.LENGTH: _("身份证号应为 18 位"),
    IdentityProblem.FORMAT: _("身份证号前 17 位应为数字，最后一位为数字或 X"),
    IdentityProblem.CHECKSUM: _("身份证号校验位不正确，请核对是否录错"),
    IdentityProblem.BIRTH_DATE: _("身份证号中的出生日期不是有效日期"),
    IdentityProblem.FUTURE_BIRTH: _("身份证号中的出生日期晚于今天"),
    IdentityProblem.REGION: _("身份证号前 6 位不是有效的行政区划代码"),
}
CREDIT_CODE_MESSAGES = {
    IdentityProblem.EMPTY: _("请填写统一社会信用代码"),
    IdentityProblem.LENGTH: _("统一社会信用代码应为 18 位"),
    IdentityProblem.FORMAT: _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）"),
    IdentityProblem.CHECKSUM: _("统一社会信用代码校验位不正确，请核对是否录错"),
}


def validate_resident_id(value: str, as_of: dt.date | None = None) -> None:
    problem = resident_id_problem(value, as_of or timezone.localdate())
    if problem is not None:
        raise ValidationError(RESIDENT_ID_MESSAGES[problem], code=f"resident_id_{problem}")


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem is not None:
        raise ValidationError(CREDIT_CODE_MESSAGES[problem], code=f"credit_code_{problem}")


def validate_mobile(value: str) -> None:
    if mobile_problem(value) is not None:
        raise ValidationError(_("手机号应为 11 位数字，以 13–19 开头"), code="mobile")


def validate_industry_code(value: str) -> None:
    if value and division_of(value) is None:
        raise ValidationError(
            _("行业代码应为 GB/T 4754-2017 的 2–4 位数字代码，前两位为大类（01–97）"),
            code="industry_code",
        )


def validate_non_negative(value: Decimal | int | None) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("不能为负数"), code="negative")
