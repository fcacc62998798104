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
CLASSIFICATION_RULES = "商业银行金融资产风险分类办法 (2023)"
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
    # 贷后管理与不良清收 (issue 9; shared/RULES.md "Post-loan" and "Five-category")
    first_inspection_days: int = _param(15, _("放款后首次跟踪检查期限"), PRACTICE, _("天"))
    monthly_inspection_up_to_months: int = _param(
        6, _("按月检查的贷款期限上限（以上按季）"), PRACTICE, _("个月")
    )
    inspection_interest_overdue_days: int = _param(
        60, _("欠息超过该天数触发检查"), PRACTICE, _("天")
    )
    maturity_notice_days: int = _param(30, _("到期前发送到期通知书"), PRACTICE, _("天"))
    interest_reminder_days: int = _param(7, _("结息/还款日前发送还款提示"), PRACTICE, _("天"))
    collection_notice_after_days: int = _param(
        30, _("逾期超过该天数向借款人和保证人发送催收通知书"), PRACTICE, _("天")
    )
    collection_case_after_days: int = _param(
        60, _("逾期超过该天数（或分类为次级及以下）移交清收"), PRACTICE, _("天")
    )
    limitation_alert_days: int = _param(
        90, _("诉讼时效/保证期间届满前预警"), "民法典 第188、195条", _("天")
    )
    restructure_observation_months: int = _param(
        12, _("重组贷款观察期"), CLASSIFICATION_RULES, _("个月")
    )
    npl_upgrade_months: int = _param(
        6, _("不良贷款上调：结清逾期后按时还款的最短月数"), CLASSIFICATION_RULES, _("个月")
    )
    npl_upgrade_periods: int = _param(
        2, _("不良贷款上调：结清逾期后按时还款的最少期数"), CLASSIFICATION_RULES, _("期")
    )
    collateral_drop_ratio: Decimal = _param(  # noqa: RUF009
        Decimal("0.20"), _("押品价值较评估值下降超过该比例即预警"), PRACTICE
    )
    deposit_outflow_spike_ratio: Decimal = _param(  # noqa: RUF009
        Decimal("3"), _("近 7 日存款流出超过前 90 日周均的倍数即预警"), PRACTICE, _("倍")
    )
    deposit_outflow_min: Decimal = _param(  # noqa: RUF009
        Decimal("50000"), _("存款流出预警的最低金额"), PRACTICE, _("元")
    )
    # 精准营销 (issue 11; shared/RULES.md "Marketing and personal information")
    contacts_per_week: int = _param(2, _("同一客户每 7 天最多营销接触次数"), PRACTICE, _("次"))
    contacts_per_month: int = _param(4, _("同一客户每 30 天最多营销接触次数"), PRACTICE, _("次"))
    quiet_hours_start: int = _param(21, _("营销免打扰时段开始（时）"), PRACTICE, _("时"))
    quiet_hours_end: int = _param(8, _("营销免打扰时段结束（时）"), PRACTICE, _("时"))
    manager_target_capacity: int = _param(
        150, _("每名客户经理同时跟进的名单客户上限"), PRACTICE, _("户")
    )
    village_publicity_days: int = _param(7, _("整村授信预授信名单公示期"), PRACTICE, _("天"))
    village_limit_excellent: Decimal = _param(  # noqa: RUF009
        Decimal("300000"), _("优秀信用户预授信额度上限"), PRACTICE, _("元")
    )
    village_limit_good: Decimal = _param(  # noqa: RUF009
        Decimal("200000"), _("较好信用户预授信额度上限"), PRACTICE, _("元")
    )
    village_limit_fair: Decimal = _param(  # noqa: RUF009
        Decimal("100000"), _("一般信用户预授信额度上限"), PRACTICE, _("元")
    )
    village_income_multiple: Decimal = _param(  # noqa: RUF009
        Decimal("2"), _("预授信额度不超过家庭年纯收入的倍数"), PRACTICE, _("倍")
    )

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
        if self.collateral_drop_ratio >= 1:
            found.append(Problem("collateral_drop_ratio", _("比例以小数表示，必须小于 1")))
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
        "quiet_hours_start",
        "quiet_hours_end",
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
