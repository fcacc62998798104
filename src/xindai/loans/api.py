"""Repayment schedules over REST: ``POST /schedules/preview`` takes the fields of
``xindai schedule`` and answers the same JSON, figure for figure.

Values may be strings or numbers (``"100000"`` or ``100000``; the rate a fraction, 0.0435).
Bad input is a 422 ``validation_error`` whose ``details`` give each field's messages.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from xindai.api import requires
from xindai.products import calculator

router = Router(tags=["loans"])

USE = "loans.use_calculator"


class ScheduleIn(Schema):
    """The loan, as for ``xindai schedule``; the terms parser checks every value."""

    model_config = ConfigDict(extra="forbid")

    principal: Any = Field(None, description="贷款本金（元）", examples=["100000"])
    annual_rate: Any = Field(None, description="年利率（小数）", examples=["0.0435"])
    periods: Any = Field(None, description="期数（按季时为季数）", examples=[12])
    method: Any = Field(
        None,
        description="equal_installment / equal_principal / interest_only / bullet / flat",
        examples=["equal_installment"],
    )
    start: Any = Field(None, description="放款日 YYYY-MM-DD", examples=["2026-01-15"])
    frequency: Any = Field(None, description="monthly / quarterly")
    due_day_rule: Any = Field(None, description="disbursement_day / fixed_day / month_end")
    first_due_day: Any = Field(None, description="固定还款日 1–31（隐含 fixed_day）")
    interest_basis: Any = Field(None, description="period / daily")
    day_count: Any = Field(None, description="actual_360 / actual_365 / 30_360")
    rounding_multiple: Any = Field(None, description="还款额取整单位：0.01 或 1")
    grace_periods: Any = Field(None, description="宽限期（只付息的期数）")


class RowOut(Schema):
    period: int
    due_date: str
    days: int
    principal: str
    interest: str
    payment: str
    balance: str


class TotalsOut(Schema):
    principal: str
    interest: str
    payment: str
    annualised_rate: str = Field(description="年化利率（IRR，小数，6 位）")


class ScheduleOut(Schema):
    rows: list[RowOut]
    totals: TotalsOut


@router.post("/preview", response=ScheduleOut, summary="还款计划试算", auth=requires(USE))
def preview(request: HttpRequest, payload: ScheduleIn) -> Any:
    return calculator.preview(payload.model_dump(exclude_none=True))
