"""贷款试算: a loan's schedule as the calculator page, its Excel export and the preview API show
it, all from the one parser and serialisation of :mod:`xindai.loans.terms`; the methods side by
side; and whether the loan fits a product.

Every figure shown comes from ``schedule_json``, so the page, the API and ``xindai schedule``
agree to the fen.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xindai.loans.schedule import InvalidTerms, LoanTerms, Method, build
from xindai.loans.terms import parse_terms, schedule_json
from xindai.products.models import FLAT_LABEL, LoanProduct, RepaymentMethod

COMPARED = (Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY, Method.BULLET)


def method_label(method: str) -> str:
    labels = dict(RepaymentMethod.choices)
    return str(labels.get(method, FLAT_LABEL if method == Method.FLAT else method))


def preview(data: Mapping[str, object]) -> dict[str, Any]:
    """The schedule of the loan ``data`` describes (FormInvalid when it cannot)."""
    return schedule_json(build(parse_terms(data)))


@dataclass(frozen=True)
class Trial:
    """One calculation: the terms, their schedule (as JSON) and the other methods beside it."""

    terms: LoanTerms
    schedule: dict[str, Any]
    comparison: list[dict[str, Any]]

    @property
    def method_label(self) -> str:
        return method_label(self.terms.method)

    @property
    def chart(self) -> dict[str, Any]:
        rows = self.schedule["rows"]
        return {
            "labels": [row["due_date"] for row in rows],
            "series": [
                {"name": _("本金"), "data": [row["principal"] for row in rows]},
                {"name": _("利息"), "data": [row["interest"] for row in rows]},
            ],
        }


def calculate(data: Mapping[str, object]) -> Trial:
    terms = parse_terms(data)
    return Trial(terms, schedule_json(build(terms)), compare(terms))


def compare(terms: LoanTerms) -> list[dict[str, Any]]:
    """The same amount, rate and term repaid each way: total interest, first and last payment
    and the annualised rate; a way that cannot apply says why."""
    found = []
    for method in COMPARED:
        row: dict[str, Any] = {
            "method": method.value,
            "label": method_label(method),
            "chosen": method == terms.method,
        }
        grace = 0 if method == Method.BULLET else terms.grace_periods
        try:
            same_loan = dataclasses.replace(terms, method=method, grace_periods=grace)
            result = schedule_json(build(same_loan))
        except InvalidTerms as exc:
            found.append(row | {"problem": "；".join(exc.messages(_))})
            continue
        rows = result["rows"]
        found.append(
            row
            | result["totals"]
            | {"first": rows[0]["payment"], "last": rows[-1]["payment"], "count": len(rows)}
        )
    return found


def departures(product: LoanProduct, terms: LoanTerms) -> list[str]:
    """Where a trial loan leaves its product's limits (shown as warnings, not refused)."""
    months = terms.periods * (3 if terms.frequency == "quarterly" else 1)
    found = []
    if not product.min_amount <= terms.principal <= product.max_amount:
        found.append(_("金额不在产品范围内（%(low)s–%(high)s 元）"))
    if not product.min_term <= months <= product.max_term:
        found.append(_("期限不在产品范围内（%(short)s–%(long)s 个月）"))
    if terms.method not in product.repayment_methods:
        found.append(_("本产品不提供此还款方式"))
    values = {
        "low": f"{product.min_amount:,.2f}",
        "high": f"{product.max_amount:,.2f}",
        "short": product.min_term,
        "long": product.max_term,
    }
    return [message % values for message in found]


# ---- Excel ---------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
AMOUNT_FORMAT = "#,##0.00"


def workbook(trial: Trial) -> bytes:
    """The schedule as an .xlsx: the terms, one row per installment, totals and 年化利率."""
    book = Workbook()
    sheet: Any = book.active
    sheet.title = _("还款计划")
    for line in _terms_lines(trial.terms):
        sheet.append(line)
    sheet.append([])
    headings = [_("期次"), _("还款日"), _("天数"), _("本金"), _("利息"), _("还款额"), _("剩余本金")]
    sheet.append(headings)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in trial.schedule["rows"]:
        sheet.append([row["period"], row["due_date"], row["days"], *_amounts(row)])
    totals = trial.schedule["totals"]
    sheet.append([_("合计"), "", "", *(Decimal(totals[k]) for k in ("principal", "interest"))])
    sheet.cell(sheet.max_row, 6, Decimal(totals["payment"]))
    sheet.append([_("年化利率"), f"{Decimal(totals['annualised_rate']) * 100:.4f}%"])
    for line in sheet.iter_rows(min_row=header_row + 1, min_col=4, max_col=7):
        for cell in line:
            cell.number_format = AMOUNT_FORMAT
    for column, width in zip(range(1, 8), (8, 12, 6, 14, 12, 14, 14), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _amounts(row: Mapping[str, str]) -> list[Decimal]:
    return [Decimal(row[key]) for key in ("principal", "interest", "payment", "balance")]


def _terms_lines(terms: LoanTerms) -> list[list[Any]]:
    return [
        [_("贷款试算（仅供参考，以合同为准）")],
        [_("贷款金额（元）"), terms.principal],
        [_("年利率"), f"{terms.annual_rate * 100:f}".rstrip("0").rstrip(".") + "%"],
        [_("期数"), terms.periods],
        [_("还款方式"), method_label(terms.method)],
        [_("放款日"), terms.start.isoformat()],
    ]
