"""The credit policy: the parameters of ``shared/RULES.md`` as data (pure: stdlib only).

A ``Policy`` holds every parameter with its default, the source it comes from and its Chinese
label. The database keeps each edit as a new numbered version (``models.PolicyVersion``); a
decision records the version it used. Old versions lack parameters added later: those read as
their defaults, so a version never changes meaning.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from xindai.core.problems import Problem
from xindai.core.problems import mark as _


def _param(default: Any, label: str, source: str, unit: str = "") -> Any:
    meta = {"label": label, "source": source, "unit": unit}
    return dataclasses.field(default=default, metadata=meta)


PRACTICE = _("行业惯例")
LOAN_RULES = "个人贷款管理办法 / 流动资金贷款管理办法 / 固定资产贷款管理办法 (2024)"


@dataclass(frozen=True)
class Policy:
    # Borrower (natural persons)
    min_age: int = _param(18, _("借款人最低年龄"), PRACTICE, _("周岁"))
    max_age_at_maturity_male: int = _param(65, _("到期时年龄上限（男）"), PRACTICE, _("周岁"))
    max_age_at_maturity_female: int = _param(60, _("到期时年龄上限（女）"), PRACTICE, _("周岁"))
    # Terms by purpose, in months (usual / with a long cash-flow cycle)
    max_term_consumption: int = _param(60, _("个人消费贷款最长期限"), LOAN_RULES, _("个月"))
    max_term_business: int = _param(60, _("个人经营贷款最长期限"), LOAN_RULES, _("个月"))
    max_term_business_long: int = _param(
        120, _("个人经营贷款最长期限（经营周期长）"), LOAN_RULES, _("个月")
    )
    max_term_working_capital: int = _param(36, _("流动资金贷款最长期限"), LOAN_RULES, _("个月"))
    max_term_working_capital_long: int = _param(
        60, _("流动资金贷款最长期限（经营周期长）"), LOAN_RULES, _("个月")
    )
    max_term_fixed_asset: int = _param(120, _("固定资产贷款最长期限"), LOAN_RULES, _("个月"))
    farmer_bullet_max_term: int = _param(
        12, _("农户贷款利随本清最长期限"), "农户贷款管理办法 (2012)", _("个月")
    )
    # Credit record and debt
    max_consecutive_overdue: int = _param(
        2, _("近 24 个月连续逾期期数上限（超过即禁入，“连三”）"), PRACTICE, _("期")
    )
    max_total_overdue: int = _param(
        5, _("近 24 个月累计逾期次数上限（超过即禁入，“累六”）"), PRACTICE, _("次")
    )
    max_other_bank_lenders: int = _param(
        3, _("他行授信机构数上限（超过即审慎）"), PRACTICE, _("家")
    )
    max_debt_to_income: Decimal = _param(  # noqa: RUF009 (field() with metadata)
        Decimal("0.50"), _("月还款额占月收入比例上限（超过即审慎）"), PRACTICE
    )
    max_unsecured_amount: Decimal = _param(  # noqa: RUF009
        Decimal("300000"), _("信用贷款最高金额（以上须提供担保）"), PRACTICE, _("元")
    )
    min_own_funds: Decimal = _param(  # noqa: RUF009
        Decimal("0.30"), _("项目自有资金最低比例"), PRACTICE
    )
    # Intake
    min_archive_completeness: int = _param(80, _("受理所需档案最低完整度"), PRACTICE, "%")
    short_term_max_months: int = _param(12, _("短期贷款期限上限"), "贷款通则 第23条", _("个月"))
    answer_months_short: int = _param(1, _("短期贷款答复时限"), "贷款通则 第23条", _("个月"))
    answer_months_long: int = _param(6, _("中长期贷款答复时限"), "贷款通则 第23条", _("个月"))
    # 审贷小组与审批 (issue 7)
    committee_threshold: Decimal = _param(  # noqa: RUF009
        Decimal("0"), _("须经审贷小组审议的金额起点（超过即须审议，0 为全部）"), PRACTICE, _("元")
    )
    committee_min_present: int = _param(5, _("审贷小组会议最少出席人数"), PRACTICE, _("人"))
    committee_pass_numerator: int = _param(
        2, _("审贷小组通过比例（分子：同意票/出席人数）"), PRACTICE
    )
    committee_pass_denominator: int = _param(
        3, _("审贷小组通过比例（分母：同意票/出席人数）"), PRACTICE
    )
    approval_valid_days: int = _param(90, _("批复有效期"), PRACTICE, _("天"))

    def problems(self) -> list[Problem]:
        """Why this policy cannot be used (empty: it can)."""
        found = [
            Problem(f.name, _("必须大于 0"))
            for f in dataclasses.fields(self)
            if getattr(self, f.name) <= 0 and f.name not in _MAY_BE_ZERO
        ]
        if self.max_debt_to_income > 1 or self.min_own_funds > 1:
            field = "max_debt_to_income" if self.max_debt_to_income > 1 else "min_own_funds"
            found.append(Problem(field, _("比例以小数表示，不能超过 1")))
        if self.committee_pass_numerator > self.committee_pass_denominator:
            found.append(Problem("committee_pass_numerator", _("通过比例不能超过 1")))
        if self.min_archive_completeness > 100:
            found.append(Problem("min_archive_completeness", _("完整度不能超过 100")))
        if self.min_age >= min(self.max_age_at_maturity_male, self.max_age_at_maturity_female):
            found.append(Problem("min_age", _("最低年龄必须小于到期时年龄上限")))
        return found

    def to_params(self) -> dict[str, str | int]:
        return {
            f.name: str(value) if isinstance(value, Decimal) else value
            for f in dataclasses.fields(self)
            for value in (getattr(self, f.name),)
        }

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Policy:
        """A policy from stored or typed values; keys it does not know are refused, keys it
        lacks take their defaults. ``ValueError`` names a value that is not a number."""
        unknown = set(params) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"unknown policy parameters: {sorted(unknown)}")
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in params:
                values[f.name] = _coerce(params[f.name], type(f.default), f.name)
        return cls(**values)


_MAY_BE_ZERO = frozenset(
    {
        "max_consecutive_overdue",
        "max_total_overdue",
        "max_other_bank_lenders",
        "committee_threshold",
    }
)


def _coerce(raw: Any, kind: type, name: str) -> Any:
    try:
        if kind is int:
            if isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip().isdigit()):
                raise ValueError
            return int(raw)
        value = Decimal(str(raw).strip())
    except (ValueError, InvalidOperation) as exc:
        raise ValueError(f"{name}: not a number: {raw!r}") from exc
    if not value.is_finite():
        raise ValueError(f"{name}: not a number: {raw!r}")
    return value


@dataclass(frozen=True)
class ParameterInfo:
    key: str
    label: str
    source: str
    unit: str
    default: Any


def parameters() -> list[ParameterInfo]:
    """Every parameter with its label, source, unit and default, in order (for forms and docs)."""
    return [
        ParameterInfo(
            f.name, f.metadata["label"], f.metadata["source"], f.metadata["unit"], f.default
        )
        for f in dataclasses.fields(Policy)
    ]


DEFAULT = Policy()
