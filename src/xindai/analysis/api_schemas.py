"""Request and response shapes of the analysis API (:mod:`xindai.analysis.api`).

The requests are read by :mod:`xindai.analysis.calculator` (the same reader as ``xindai
ratios``), so every field is ``Any`` here and each bad value is reported by its path; numbers
may be strings or JSON numbers. They are plain pydantic models, not ninja ``Schema``s, so that
unknown keys reach the reader (and are reported) as they do from the command line.
Responses: numbers as strings, ``null`` where not computable.
"""

from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

# ---- ratios ------------------------------------------------------------------------------


class RatiosIn(BaseModel):
    """The statements file of ``xindai ratios`` (docs/guide/08-财务分析.md)."""

    model_config = ConfigDict(extra="allow")  # unknown keys are reported by the reader

    periods: Any = Field(
        None,
        description="各期报表：end、months、balance_sheet、income_statement、cash_flow、supplement",
        examples=[[{"end": "2023-12-31", "months": 12, "balance_sheet": {"cash": "1000.00"}}]],
    )
    industry_code: Any = Field(None, description="行业代码（GB/T 4754），用于行业阈值")
    thresholds: Any = Field(
        None,
        description="覆盖阈值：max_asset_liability_ratio、min_current_ratio、min_quick_ratio",
    )


class RatioOut(Schema):
    key: str
    label: str
    value: str | None = Field(description="数值；无法计算时为 null，原因见 reason")
    unit: str
    formula: str
    reason: str | None
    notes: list[str]


class FlagOut(Schema):
    ratio: str
    label: str
    value: str | None
    unit: str
    bound: str = Field(description="max（上限）或 min（下限）")
    threshold: str | None
    status: str = Field(description="ok / warn / unknown（无法计算）")
    message: str


class ProblemOut(Schema):
    field: str
    message: str


class PeriodOut(Schema):
    end: str
    months: int
    ratios: list[RatioOut]
    flags: list[FlagOut]
    problems: list[ProblemOut] = Field(description="报表勾稽关系提示（不影响计算）")


class PointOut(Schema):
    end: str
    value: str | None


class TrendOut(Schema):
    key: str
    label: str
    unit: str
    points: list[PointOut]
    changes: list[str | None] = Field(description="与上一期相比的变化；第一期为 null")


class RatiosOut(Schema):
    industry_code: str | None
    industry_threshold: str | None = Field(description="适用行业阈值的行业代码前缀")
    thresholds: dict[str, str]
    periods: list[PeriodOut]
    trend: list[TrendOut]


# ---- credit limit ------------------------------------------------------------------------


class CreditLimitIn(BaseModel):
    """Any of the three methods (and the guarantor); each section is optional."""

    model_config = ConfigDict(extra="allow")

    as_of: Any = Field(None, description="测算日期（默认会计日期），也是贷款试算的放款日")
    working_capital: Any = Field(
        None,
        description=(
            "流动资金测算：sales、sales_margin、growth、inventory_days、receivable_days、"
            "payable_days、prepayment_days、advance_days、own_funds、existing_loans、"
            "other_financing"
        ),
    )
    cash_flow: Any = Field(
        None,
        description=(
            "现金流测算：monthly_income、monthly_living_costs、monthly_debt_service、"
            "max_debt_service_ratio（默认信贷政策）、max_principal，以及 annual_rate、periods、"
            "method 等贷款条件"
        ),
    )
    collateral: Any = Field(
        None,
        description="押品列表：kind（residential / commercial / land_use / deposit / "
        "machinery）、appraised_value、description",
    )
    guarantor: Any = Field(
        None, description="保证人：net_assets、guarantees_given、amount、multiple（默认 1）"
    )


class StepOut(Schema):
    key: str
    label: str
    formula: str
    value: str | None
    unit: str


class MethodOut(Schema):
    method: str
    label: str
    limit: str | None = Field(description="额度；方法不适用时为 null，原因见 reason")
    steps: list[StepOut]
    reason: str | None


class SuggestionOut(Schema):
    limit: str | None
    method: str | None
    reason: str


class GuarantorOut(Schema):
    capacity: str | None
    amount: str | None
    sufficient: bool
    steps: list[StepOut]
    message: str


class CreditLimitOut(Schema):
    as_of: str | None
    methods: list[MethodOut]
    suggestion: SuggestionOut
    guarantor: GuarantorOut | None
