"""贷款试算: the page shows the figures of ``xindai schedule`` for the same loan, compares the
ways of repaying it, starts from a product's terms, and exports the schedule to Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from tests.loans.test_preview_api import LOANS, cli_json
from xindai.core import business_date
from xindai.products.demo import seed_demo_products

pytestmark = pytest.mark.django_db

# LOANS[0] as a manager types it on the page: the rate as a percentage.
PAGE_LOAN = {
    "principal": "100,000",
    "annual_rate": "4.35",
    "periods": "12",
    "method": "equal_installment",
    "start": "2026-01-15",
}


def yuan(amount: str) -> str:
    return f"{Decimal(amount):,.2f}"


def test_the_page_shows_the_figures_of_the_cli(manager, login) -> None:
    expected = cli_json(LOANS[0])
    page = login(manager).get(f"/loans/calculator/?{urlencode(PAGE_LOAN)}").content.decode()
    totals = expected["totals"]
    assert f'id="total-interest">{yuan(totals["interest"])} ' in page  # 2,371.90
    assert f'id="total-payment">{yuan(totals["payment"])}<' in page  # 102,371.90
    rate = Decimal(totals["annualised_rate"]) * 100  # 0.044562 → 4.4562%
    assert f'id="annualised-rate">{rate:.2f}%<' in page  # 4.46%
    assert f"{rate:.4f}%" in page
    for row in expected["rows"]:
        cells = [row["due_date"], yuan(row["principal"]), yuan(row["interest"])]
        cells += [yuan(row["payment"]), yuan(row["balance"])]
        assert all(f">{cell}<" in page for cell in cells), row


def test_the_methods_are_compared_on_the_same_loan(manager, login) -> None:
    page = login(manager).get(f"/loans/calculator/?{urlencode(PAGE_LOAN)}").content.decode()
    comparison = page[page.index('id="comparison"') :]
    for method in ("equal_principal", "interest_only", "bullet"):
        totals = cli_json(LOANS[0] | {"method": method})["totals"]
        assert f">{yuan(totals['interest'])}<" in comparison, method
    for label in ("等额本息", "等额本金", "按期付息、到期还本", "利随本清"):
        assert label in comparison


def test_the_chart_data_are_the_rows(manager, login) -> None:
    response = login(manager).get(f"/loans/calculator/?{urlencode(PAGE_LOAN)}")
    chart = response.context["trial"].chart
    assert chart["series"][0]["data"][0] == "8168.49" and chart["series"][1]["data"][0] == "362.50"
    assert 'data-chart="stacked"' in response.content.decode()


def test_bad_input_is_shown_at_its_field(manager, login) -> None:
    loan = PAGE_LOAN | {"principal": "-5", "annual_rate": "abc"}
    page = login(manager).get(f"/loans/calculator/?{urlencode(loan)}").content.decode()
    assert "贷款本金必须大于 0" in page
    assert "年利率应为百分数，例如 4.35（即 4.35%）" in page
    assert "is-invalid" in page and 'id="schedule"' not in page


def test_bad_input_is_explained_in_english_when_english_is_chosen(manager, login) -> None:
    client = login(manager)
    client.cookies["django_language"] = "en"
    loan = PAGE_LOAN | {"principal": "-5", "periods": "700"}
    page = client.get(f"/loans/calculator/?{urlencode(loan)}").content.decode()
    assert "The principal must be above 0" in page
    assert "The number of periods must be between 1 and 600" in page
    assert "贷款本金" not in page.split('id="calculator-form"')[-1].split("</form>")[0]


def test_a_rate_above_four_times_the_lpr_is_refused(manager, login) -> None:
    page = login(manager).get(f"/loans/calculator/?{urlencode(PAGE_LOAN | {'annual_rate': '13'})}")
    assert "年利率超过 1 年期 LPR 的 4 倍（12%）" in page.content.decode()


def test_a_product_fills_in_its_terms(manager, login) -> None:
    business_date.set_date(dt.date(2026, 11, 27), actor=None, reason="test")
    seed_demo_products()
    response = login(manager).get("/loans/calculator/?product=GTJY")
    form = response.context["form"]
    # 个体工商户经营贷: 1Y LPR 3.00% + 250bp = 5.50%, within its 4.35%–9.00% band
    assert form["annual_rate"].value() == "5.5"
    assert form["method"].value() == "equal_installment"
    assert form["start"].value() == "2026-11-27"
    assert form["periods"].value() == "12"


def test_a_loan_outside_its_product_is_warned_about(manager, login) -> None:
    seed_demo_products()
    loan = PAGE_LOAN | {"product": "LDZJ"}  # 流动资金贷款: from 500,000, no equal installments
    page = login(manager).get(f"/loans/calculator/?{urlencode(loan)}").content.decode()
    assert "金额不在产品范围内（500,000.00–10,000,000.00 元）" in page
    assert "本产品不提供此还款方式" in page
    assert 'id="schedule"' in page  # still calculated: a warning, not a refusal


def test_the_excel_export_has_the_rows(manager, login) -> None:
    expected = cli_json(LOANS[0])
    response = login(manager).get(f"/loans/calculator/export/?{urlencode(PAGE_LOAN)}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(("期次", "还款日", "天数", "本金", "利息", "还款额", "剩余本金"))
    body = rows[header + 1 : header + 1 + len(expected["rows"])]
    for got, row in zip(body, expected["rows"], strict=True):
        assert got[:3] == (row["period"], row["due_date"], row["days"])
        amounts = [Decimal(str(v)).quantize(Decimal("0.01")) for v in got[3:]]
        assert amounts == [Decimal(row[k]) for k in ("principal", "interest", "payment", "balance")]
    total = rows[header + 1 + len(expected["rows"])]
    assert total[0] == "合计" and Decimal(str(total[4])) == Decimal("2371.90")
    assert rows[-1] == ("年化利率", "4.4562%", None, None, None, None, None)


def test_staff_without_the_calculator_are_refused(outsider, login) -> None:
    client = login(outsider)
    assert client.get("/loans/calculator/").status_code == 403
    assert client.get(f"/loans/calculator/export/?{urlencode(PAGE_LOAN)}").status_code == 403


def test_the_calculator_is_in_the_navigation_of_a_manager(manager, login) -> None:
    page = login(manager).get("/").content.decode()
    assert 'href="/loans/calculator/"' in page and 'href="/products/"' in page
