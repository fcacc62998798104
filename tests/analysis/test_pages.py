"""The analysis pages: the ratios of report.py's JSON, entering a period, the Excel template
and import, the customer's scope and the English UI."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from tests.analysis.examples import BALANCE_2022, BALANCE_2023, INCOME_2023, SUPPLEMENT_2023
from xindai.analysis import excel, report, services
from xindai.analysis.models import StatementSet
from xindai.analysis.statements import StatementKind

pytestmark = pytest.mark.django_db


def page(customer: Any) -> str:
    return reverse("analysis:customer", args=[customer.pk])


def saved_two_years(manager: Any, enterprise: Any) -> None:
    services.save_statements(manager, enterprise, {"period_end": "2022-12-31", **BALANCE_2022})
    data = {"period_end": "2023-12-31", **BALANCE_2023, **INCOME_2023, **SUPPLEMENT_2023}
    services.save_statements(manager, enterprise, data)


def cells(html: str) -> dict[tuple[str, str], str]:
    """(period end, ratio key) → the value shown ("不可计算" when not computable)."""
    shown = {}
    for end, card in re.findall(r'id="period-([\d-]+)"(.*?)</table>', html, re.S):
        for key, cell in re.findall(r'<tr data-ratio="(\w+)">(.*?)</tr>', card, re.S):
            value = re.search(r'class="text-nowrap ratio-value">([^ <]+)', cell)
            shown[end, key] = value.group(1) if value else "不可计算"
    return shown


def test_the_page_shows_the_figures_of_the_report_json(manager, enterprise, login) -> None:
    saved_two_years(manager, enterprise)
    response = login(manager).get(page(enterprise))
    assert response.status_code == 200
    result = services.analyse_customer(manager, enterprise)
    data = report.analysis_json(result.analysis, gettext)
    expected = {
        (period["end"], ratio["key"]): ratio["value"] or "不可计算"
        for period in data["periods"]
        for ratio in period["ratios"]
    }
    html = response.content.decode()
    assert cells(html) == expected
    assert expected["2023-12-31", "asset_liability_ratio"] == "60.00"
    assert 'data-analysis-chart data-source="analysis-chart"' in html
    reason = data["periods"][0]["ratios"][1]["reason"]
    assert reason and reason in html  # 2022 has no current assets: not computable, saying why
    assert "flag-ok" in html or "flag-warn" in html


def test_another_branchs_manager_gets_404(colleague, manager, enterprise, login) -> None:
    client = login(colleague)
    assert client.get(page(enterprise)).status_code == 404
    new = reverse("analysis:statement_new", args=[enterprise.pk])
    assert client.post(new, {"period_end": "2023-12-31", "cash": "1"}).status_code == 404


def test_a_farmers_page_shows_the_statement_of_the_archive(manager, farmer, login) -> None:
    response = login(manager).get(page(farmer))
    assert response.status_code == 200
    assert "农户家庭收支表" in response.content.decode()


def test_the_form_shows_errors_at_the_fields_and_saves_nothing(manager, enterprise, login) -> None:
    url = reverse("analysis:statement_new", args=[enterprise.pk])
    response = login(manager).post(url, {"period_end": "31.12.2023", "cash": "-5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_period_end_errors"' in html
    assert 'id="id_cash_errors"' in html
    assert not StatementSet.objects.exists()


def test_saving_a_period_redirects_to_the_page_with_the_warnings(
    manager, enterprise, login
) -> None:
    client = login(manager)
    url = reverse("analysis:statement_new", args=[enterprise.pk])
    unbalanced = {**BALANCE_2023, "total_liabilities_and_equity": "999000"}
    response = client.post(url, {"period_end": "2023-12-31", **unbalanced}, follow=True)
    assert response.redirect_chain[-1][0] == page(enterprise)
    row = StatementSet.objects.get()
    assert row.warnings()
    html = response.content.decode()
    assert row.warnings()[0].text(gettext) in html
    edit = client.get(reverse("analysis:statement_edit", args=[enterprise.pk, row.pk]))
    assert 'value="100000.00"' in edit.content.decode()


def test_an_excel_file_with_errors_is_reported_by_row_and_nothing_saved(
    manager, enterprise, login
) -> None:
    client = login(manager)
    template = client.get(reverse("analysis:template", args=[enterprise.pk]))
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.cell(1, 2, "2023-12-31")
    sheet.cell(3, 2, "abc")  # the first item of the balance sheet
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "statements.xlsx"
    response = client.post(reverse("analysis:import", args=[enterprise.pk]), {"file": buffer})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in html
    assert re.search(r"第 \d+ 行 B 列", html)
    assert not StatementSet.objects.exists()


def test_a_good_excel_file_is_imported(manager, enterprise, login) -> None:
    content = excel.workbook(StatementKind.ENTERPRISE)
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    sheet.cell(1, 2, "2023-12-31")
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, 1).value == "货币资金":
            sheet.cell(row, 2, 100000)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "statements.xlsx"
    url = reverse("analysis:import", args=[enterprise.pk])
    response = login(manager).post(url, {"file": buffer})
    assert response.status_code == 302
    assert StatementSet.objects.get().items["balance_sheet"]["cash"] == "100000.00"


def test_the_page_speaks_english(manager, enterprise, login) -> None:
    client = login(manager)
    client.cookies["django_language"] = "en"
    html = client.get(page(enterprise)).content.decode()
    assert re.search(r"<title>\s*Financial analysis", html)
    assert re.search(r'<h1 class="h4 mb-0">Financial analysis', html)


def test_the_customer_page_links_to_the_analysis(manager, enterprise, login) -> None:
    html = login(manager).get(reverse("customers:detail", args=[enterprise.pk])).content.decode()
    assert page(enterprise) in html
