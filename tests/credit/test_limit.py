"""授信额度测算 of an application in 实地调查: the inputs prefilled from the data, each method
step by step, the suggestion (the smallest), the guarantors' capacity, saving, and who may do
it when — through the service, the page and the API.

The farmer 王大山 (factories.complete_farmer) applies on 2026-11-27 for 100,000 元 over 12
months with 整村授信贷 (ZCSX), interest only, guaranteed by 李四海. ZCSX is priced at the
1-year LPR (3.00 % since 2025-05-20) + 100 bp = 4.00 %, up to 300,000 元. His archive: last
year's income 120,000 元 (rice), living costs 30,000 元, no production costs; his credit
report: 1,000 元 a month to other banks; the policy caps all debt payments at 50 % of income.

  月均净收入 120,000 ÷ 12 = 10,000.00; 月生活支出 30,000 ÷ 12 = 2,500.00
  月可支配现金流 10,000 − 2,500 − 1,000 = 6,500.00
  还款收入比上限内 10,000 × 50 % − 1,000 = 4,000.00 → new payment at most 4,000.00
  interest only at 4 %: 300,000 (the product's ceiling) costs 300,000 × 4 % ÷ 12 = 1,000.00
  a month, within 4,000.00 → 300,000.00
  collateral: house 120,000 × 70 % = 84,000.00; deposit 50,000 × 90 % = 45,000.00;
  disputed land not counted → 129,000.00; suggestion min(300,000, 129,000) = 129,000.00
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.credit.factories import (
    DEPOSIT,
    DISPUTED_LAND,
    HOUSE,
    TODAY,
    guarantor_farmer,
    in_investigation,
    ready_to_accept,
    register,
    rice_mill_loan,
    with_guarantor,
)
from tests.customers.ids import credit_code
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import limit, services
from xindai.credit.limit_data import prefill
from xindai.credit.models import CreditLimitAssessment
from xindai.customers import section_models as sm
from xindai.customers.models import Customer

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def guarantor(manager, village) -> Customer:
    return guarantor_farmer(manager, village)


@pytest.fixture
def case(manager, farmer, co_investigator, guarantor) -> Any:
    """In 实地调查, with a house, a deposit and a disputed plot in the register."""
    application = with_guarantor(manager, farmer, co_investigator, guarantor)
    register(manager, application, HOUSE, DEPOSIT, DISPUTED_LAND)
    return application


def by_method(computation: limit.Computation) -> dict[str, Any]:
    return {result.method.value: result for result in computation.results}


def steps_of(result: Any) -> dict[str, Decimal]:
    return {step.key: step.value for step in result.steps}


# ---- prefilled from the data ----------------------------------------------------------------


def test_a_farmers_inputs_come_from_the_archive_the_credit_report_and_the_product(case) -> None:
    found = prefill(case, TODAY)
    assert found.inputs == {
        "monthly_income": "10000.00",
        "monthly_living_costs": "2500.00",
        "monthly_debt_service": "1000.00",
        "max_debt_service_ratio": "0.50",
        "annual_rate": "0.040000",
        "term_months": 12,
        "repayment_method": "interest_only",
    }
    assert [source.text() for source in found.sources] == [
        "经济档案：农户家庭收支（上年实际）",
        "征信报告摘要 2026-11-26：他行月还款额",
        "信贷政策 V1：还款收入比上限",
        "整村授信贷 2026-11-27 执行利率；申请期限与还款方式",
    ]
    assert limit.form_data(found.inputs)["annual_rate"] == "4"  # shown in percent


def test_an_enterprises_working_capital_inputs_come_from_last_years_statements(
    manager, co_investigator, today
) -> None:
    """2023 with 2022's balances for the averages (tests/analysis/examples.py): the ratio
    table's figures — 销售利润率 160,000 ÷ 1,200,000 = 13.33 %; days: 存货 360 × 200,000 ÷
    900,000 = 80, 应收 360 × 100,000 ÷ 1,200,000 = 30, 应付 360 × 80,000 ÷ 900,000 = 32, 预付
    360 × 20,000 ÷ 900,000 = 8, 预收 360 × 30,000 ÷ 1,200,000 = 9; 自有资金 500,000 − 400,000;
    短期借款 200,000."""
    application = rice_mill_loan(manager, co_investigator)
    inputs = prefill(application, TODAY).inputs
    assert inputs == {
        "sales": "1200000.00",
        "sales_margin": "0.1333",
        "growth": "0",
        "inventory_days": "80.00",
        "receivable_days": "30.00",
        "payable_days": "32.00",
        "prepayment_days": "8.00",
        "advance_days": "9.00",
        "own_funds": "100000.00",
        "existing_loans": "200000.00",
        "annual_rate": "0.045000",  # LDZJ: LPR 3.00 % + 150 bp
        "term_months": 12,
        "repayment_method": "interest_only",
    }
    assert limit.methods_of(application) == (limit.WC,)


def test_an_individual_business_is_read_as_a_year_of_its_monthly_figures(
    manager, co_investigator, today
) -> None:
    """Turnover 100,000 and profit 10,000 a month, stock 60,000: sales 1,200,000, margin
    10 %, cost of sales 90,000 × 12 = 1,080,000, 存货周转天数 360 × 60,000 ÷ 1,080,000 = 20;
    the archive has no receivables, payables, living costs or debts: those stay blank."""
    shop = Customer.objects.create(
        kind="business",
        name="大山农资店",
        id_number=credit_code("92110101MA0000001"),
        manager=manager,
        org_unit=manager.org_unit,
    )
    sm.BusinessOperations.objects.create(
        customer=shop,
        employees=3,
        monthly_turnover=D(100_000),
        monthly_profit=D(10_000),
        inventory_value=D(60_000),
    )
    application = in_investigation(manager, co_investigator, shop, "GTJY", amount=D(200_000))
    inputs = prefill(application, TODAY).inputs
    assert (inputs["sales"], inputs["sales_margin"]) == ("1200000.00", "0.10")
    days = ("inventory_days", "receivable_days", "payable_days")
    assert [inputs[key] for key in days] == ["20.00", None, None]
    assert (inputs["monthly_income"], inputs["monthly_living_costs"]) == ("10000.00", None)
    results = by_method(limit.compute(application, inputs, TODAY))
    assert results["working_capital"].limit is None
    assert results["working_capital"].reason.text() == "缺少“应收账款周转天数”，无法计算"
    assert results["cash_flow"].reason.text() == "缺少“月生活支出”，无法计算"


# ---- each method, step by step --------------------------------------------------------------


def test_the_cash_flow_method_shows_every_step(case) -> None:
    result = by_method(limit.compute(case, prefill(case, TODAY).inputs, TODAY))["cash_flow"]
    assert steps_of(result) == {
        "disposable": D("6500.00"),
        "within_ratio": D("4000.00"),
        "installment": D("4000.00"),
        "principal": D("300000.00"),
    }
    assert result.steps[-1].formula.text() == (
        "年利率 4%、12 期、按期付息到期还本：月还款额不超过 4,000.00 的最大整元本金"
        "（其月还款额 1,000.00）"
    )
    assert result.limit == D("300000.00")


def test_the_cash_flow_of_an_equal_installment_loan_finds_the_largest_principal(case) -> None:
    """At most 4,000.00 a month over 12 months at 4 % (r = 0.04 ÷ 12): the installment is
    P × r ÷ (1 − (1 + r)^−12) = P × 0.0851499. 46,976 yuan pays 4,000.00 eleven times and
    4,000.01 the last (the rounding settles there): too much; 46,975 pays 3,999.92."""
    inputs = prefill(case, TODAY).inputs | {"repayment_method": "equal_installment"}
    result = by_method(limit.compute(case, inputs, TODAY))["cash_flow"]
    assert result.limit == D("46975.00")


def test_collateral_counts_at_its_rate_and_disputed_collateral_not_at_all(case) -> None:
    computation = limit.compute(case, prefill(case, TODAY).inputs, TODAY)
    result = by_method(computation)["collateral"]
    assert steps_of(result) == {
        "collateral_1": D("84000.00"),
        "collateral_2": D("45000.00"),
        "limit": D("129000.00"),
    }
    assert result.steps[0].formula.text() == "砖混住房一套：评估价值 120,000.00 × 抵（质）押率 70%"
    assert [note.text() for note in computation.notes] == [
        "宅基地旁集体建设用地使用权：存在权属争议（与邻户王小川存在边界纠纷），不得抵押，不计入测算"
    ]


def test_the_working_capital_method_as_the_investigator_corrects_it(
    manager, co_investigator, today
) -> None:
    """As prefilled (growth 0): 1,200,000 × (1 − 13.33 %) = 1,040,040.00; × 77 days ÷ 360 =
    222,453.00; less own funds 100,000 and loans 200,000 leaves no need: 0. With growth 10 %,
    no own funds and 100,000 of loans: 1,040,040 × 1.1 = 1,144,044.00; × 77 ÷ 360 =
    244,698.30; − 100,000 = 144,698.30."""
    application = rice_mill_loan(manager, co_investigator)
    inputs = prefill(application, TODAY).inputs
    as_prefilled = limit.compute(application, inputs, TODAY)
    result = by_method(as_prefilled)["working_capital"]
    assert (result.limit, steps_of(result)["need"]) == (D("0.00"), D("222453.00"))
    assert result.reason.text() == "营运资金需求已由自有资金和现有融资满足，无新增流动资金贷款需求"
    edited = inputs | {"growth": "0.1", "own_funds": "0", "existing_loans": "100000"}
    result = by_method(limit.compute(application, edited, TODAY))["working_capital"]
    assert steps_of(result) == {
        "cycle_days": D("77.00"),
        "turnover": D("4.68"),
        "base": D("1144044.00"),
        "need": D("244698.30"),
        "gap": D("144698.30"),
    }


def test_the_suggestion_is_the_smallest_of_the_methods_that_apply(case) -> None:
    suggestion = limit.compute(case, prefill(case, TODAY).inputs, TODAY).suggestion
    assert (suggestion.limit, suggestion.method) == (D("129000.00"), limit.CO)
    assert suggestion.reason.text() == "取 2 种适用方法中的最小值：抵质押物测算 129,000.00 元"


def test_without_collateral_the_cash_flow_decides(manager, farmer, co_investigator) -> None:
    from tests.credit.factories import investigating

    application = investigating(manager, farmer, co_investigator)
    computation = limit.compute(application, prefill(application, TODAY).inputs, TODAY)
    assert [r.method for r in computation.results] == [limit.CF]
    assert computation.suggestion.limit == D("300000.00")


# ---- guarantors -----------------------------------------------------------------------------


def test_a_guarantors_capacity_comes_from_his_archive_until_assessed(case, co_investigator) -> None:
    """Archive: assets 300,000 + 20,000, debts 50,000 → net 270,000; guarantees 100,000;
    capacity 170,000 ≥ 100,000. Assessed: net 150,000 → 50,000 < 100,000."""
    (view,) = limit.guarantors(case)
    assert (view.from_archive, view.net_assets, view.guarantees_given) == (
        True,
        D("270000.00"),
        D("100000.00"),
    )
    assert (view.capacity.capacity, view.capacity.sufficient) == (D("170000.00"), True)
    data = {"net_assets": "150000", "guarantees_given": "100000", "willing": "on"}
    limit.assess_guarantor(co_investigator, view.row, data)
    (view,) = limit.guarantors(case)
    assert (view.from_archive, view.row.willing) == (False, True)
    assert (view.capacity.capacity, view.capacity.sufficient) == (D("50000.00"), False)
    assert view.capacity.message.text() == (
        "剩余担保能力 50,000.00 元，低于本笔担保金额 100,000.00 元：担保能力不足"
    )
    event = AuditEvent.objects.get(action="credit.guarantor_assessed")
    assert (event.changes["net_assets"], event.changes["willing"]) == ("150000", True)


def test_a_guarantors_capacity_needs_both_figures(case, manager) -> None:
    (view,) = limit.guarantors(case)
    with pytest.raises(FormInvalid) as refused:
        limit.assess_guarantor(manager, view.row, {"net_assets": "", "guarantees_given": "-1"})
    assert set(refused.value.details) == {"net_assets", "guarantees_given"}


# ---- saving ---------------------------------------------------------------------------------


def test_saving_keeps_the_inputs_every_step_and_the_suggestion(case, co_investigator) -> None:
    data = limit.form_data(prefill(case, TODAY).inputs)
    saved = limit.assess(co_investigator, case, data, TODAY)
    assert saved.suggested == D("129000.00")
    assert saved.inputs["monthly_income"] == "10000.00"
    assert saved.inputs["annual_rate"] == "0.04"
    assert saved.inputs["as_of"] == "2026-11-27"
    assert [c["value"] for c in saved.inputs["collateral"]] == [
        "120000.00",
        "50000.00",
        "200000.00",
    ]
    methods = {m["method"]: m for m in saved.result["methods"]}
    assert methods["collateral"]["limit"] == "129000.00"
    assert methods["cash_flow"]["steps"][0]["formula"] == (
        "月均净收入 10,000.00 − 月生活支出 2,500.00 − 现有债务月还款 1,000.00"
    )
    assert saved.result["guarantors"][0]["capacity"]["capacity"] == "170000.00"
    event = AuditEvent.objects.get(action="credit.limit_assessed")
    expected = {"assessment": saved.pk, "suggested": "129000.00", "method": "collateral"}
    assert event.changes == expected
    assert limit.starting_inputs(case, TODAY)["annual_rate"] == "0.04"


def test_bad_inputs_are_refused_and_nothing_is_saved(case, manager) -> None:
    data = limit.form_data(prefill(case, TODAY).inputs) | {
        "monthly_living_costs": "-1",
        "max_debt_service_ratio": "0",
        "repayment_method": "weekly",
    }
    with pytest.raises(FormInvalid) as refused:
        limit.assess(manager, case, data, TODAY)
    assert set(refused.value.details) == {
        "monthly_living_costs",
        "max_debt_service_ratio",
        "repayment_method",
    }
    assert CreditLimitAssessment.objects.count() == 0


def test_nothing_is_saved_when_no_method_applies(manager, farmer, co_investigator) -> None:
    from tests.credit.factories import investigating

    application = investigating(manager, farmer, co_investigator)
    data = limit.form_data(prefill(application, TODAY).inputs) | {"monthly_income": ""}
    with pytest.raises(DomainError) as refused:
        limit.assess(manager, application, data, TODAY)
    assert refused.value.code == "no_method"
    assert CreditLimitAssessment.objects.count() == 0


# ---- who, and when --------------------------------------------------------------------------


def test_only_the_cases_investigators_assess(case, reviewer, branch_head) -> None:
    data = limit.form_data(prefill(case, TODAY).inputs)
    for outsider in (reviewer, branch_head):
        with pytest.raises(DomainError) as refused:
            limit.assess(outsider, case, data, TODAY)
        assert refused.value.code == "not_investigator"
        (view,) = limit.guarantors(case)
        with pytest.raises(DomainError):
            limit.assess_guarantor(outsider, view.row, {"net_assets": "1", "guarantees_given": "0"})
    assert CreditLimitAssessment.objects.count() == 0


def test_the_limit_is_assessed_only_in_the_investigation(manager, farmer) -> None:
    application = ready_to_accept(manager, farmer)
    data = limit.form_data(prefill(application, TODAY).inputs)
    with pytest.raises(DomainError) as refused:
        limit.assess(manager, application, data, TODAY)
    assert refused.value.code == "not_investigating"


def test_collateral_is_registered_by_either_investigator_during_the_investigation(
    case, co_investigator, reviewer
) -> None:
    item = services.add_collateral(co_investigator, case, HOUSE | {"description": "农机一台"})
    assert item.application == case
    with pytest.raises(DomainError) as refused:
        services.add_collateral(reviewer, case, HOUSE)
    assert refused.value.code == "not_investigator"
    case.stage = "review"  # after the investigation, the intake rule: not any more
    with pytest.raises(DomainError) as refused:
        services.add_collateral(case.manager, case, HOUSE)
    assert refused.value.code == "not_in_intake"
    with pytest.raises(PermissionDenied):
        services.add_collateral(co_investigator, case, HOUSE)


def test_the_register_checks_what_is_registered(case, manager) -> None:
    bad = HOUSE | {"kind": "pledge", "estimated_value": "0"}
    with pytest.raises(FormInvalid) as refused:
        services.add_collateral(manager, case, bad)
    assert refused.value.details == {
        "estimated_value": ["评估价值必须大于 0"],
        "kind": ["该种类押品不能以此方式担保：不动产只能抵押，存单只能质押"],
    }
    with pytest.raises(FormInvalid) as refused:
        services.add_collateral(manager, case, DISPUTED_LAND | {"dispute_note": ""})
    assert refused.value.details == {"dispute_note": ["存在权属争议时请说明争议情况"]}


# ---- the page -------------------------------------------------------------------------------


def page_url(application: Any, rest: str = "") -> str:
    return f"/credit/applications/{application.pk}/limit/{rest}"


def test_the_page_shows_the_inputs_the_steps_and_the_suggestion(case, login) -> None:
    page = login(case.manager).get(page_url(case)).content.decode()
    assert 'name="monthly_income" value="10000.00"' in page
    assert 'name="annual_rate" value="4"' in page
    assert 'name="sales"' not in page  # no working capital for a farmer
    assert 'id="suggested-amount">129,000.00' in page
    assert "取 2 种适用方法中的最小值：抵质押物测算 129,000.00 元" in page
    assert 'id="step-cash_flow-disposable"' in page and "6,500.00" in page
    assert "权属争议" in page and 'class="table-danger"' in page
    assert "剩余担保能力 170,000.00 元，不低于本笔担保金额 100,000.00 元" in page
    assert "尚未保存测算结果" in page


def test_the_page_previews_and_saves(case, login) -> None:
    client = login(case.co_investigator)
    data = limit.form_data(prefill(case, TODAY).inputs) | {"monthly_income": "3000"}
    preview = client.post(page_url(case), data | {"action": "preview"}).content.decode()
    assert CreditLimitAssessment.objects.count() == 0
    # 3,000 − 2,500 − 1,000 < 0: nothing to repay a new loan with
    assert "可支配现金流不足以承担新增贷款的月还款" in preview
    assert 'id="suggested-amount">0.00' in preview
    response = client.post(page_url(case), data | {"action": "save"})
    assert response.status_code == 302
    saved = CreditLimitAssessment.objects.get()
    assert (saved.suggested, saved.computed_by) == (D("0.00"), case.co_investigator)
    page = client.get(page_url(case)).content.decode()
    assert 'name="monthly_income" value="3000"' in page  # the saved inputs come back
    assert "已保存的测算：建议额度 0.00 元" in page
    fresh = client.get(page_url(case) + "?fresh=1").content.decode()
    assert 'name="monthly_income" value="10000.00"' in fresh


def test_the_page_registers_collateral_and_a_guarantors_capacity(case, login) -> None:
    client = login(case.manager)
    refused = client.post(page_url(case, "collateral/"), HOUSE | {"estimated_value": ""})
    assert refused.status_code == 200
    assert 'id="id_estimated_value_errors"' in refused.content.decode()
    client.post(page_url(case, "collateral/"), DEPOSIT | {"description": "第二张存单"})
    assert case.collateral.filter(description="第二张存单").exists()
    (view,) = limit.guarantors(case)
    url = f"/credit/applications/{case.pk}/guarantors/{view.row.pk}/capacity/"
    prefix = f"g{view.row.pk}-"
    bad = client.post(url, {f"{prefix}net_assets": "x", f"{prefix}guarantees_given": "0"})
    assert bad.status_code == 200 and f'id="id_{prefix}net_assets_errors"' in bad.content.decode()
    good = {f"{prefix}net_assets": "300000", f"{prefix}guarantees_given": "0"}
    assert client.post(url, good).status_code == 302
    view.row.refresh_from_db()
    assert (view.row.net_assets, view.row.guarantees_given, view.row.willing) == (
        D("300000.00"),
        D("0.00"),
        False,
    )


def test_the_application_shows_the_register_with_its_disputes(case, login) -> None:
    page = login(case.manager).get(f"/credit/applications/{case.pk}/").content.decode()
    assert 'id="limit-link"' in page and 'id="report-link"' in page
    assert "权属争议</strong>：宅基地旁集体建设用地使用权（与邻户王小川存在边界纠纷）" in page
    table = page[page.index('id="collateral-table"') :].split("</table>")[0]
    assert "<td>抵押</td><td>砖混住房一套</td>" in table and "120,000.00" in table
    assert table.count('class="table-danger"') == 1


def test_others_see_the_page_but_change_nothing(case, reviewer, colleague, login) -> None:
    page = login(reviewer).get(page_url(case))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="save"' not in text and 'id="collateral-form"' not in text
    data = limit.form_data(prefill(case, TODAY).inputs) | {"action": "save"}
    refused = login(reviewer).post(page_url(case), data).content.decode()
    assert "只有本笔申请的调查人（主调查人、协办调查人）可以办理" in refused
    assert CreditLimitAssessment.objects.count() == 0
    assert login(colleague).get(page_url(case)).status_code == 404


# ---- the API --------------------------------------------------------------------------------

API = "/api/v1/applications"


def test_the_api_computes_saves_and_reads_the_limit(case, login) -> None:
    client = login(case.manager)
    url = f"{API}/{case.pk}/credit-limit"
    assert client.get(url).json()["code"] == "no_limit_assessment"
    made = client.post(url, {"annual_rate": "0.05"}, content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    assert (body["suggested"], body["inputs"]["annual_rate"]) == ("129000.00", "0.05")
    assert body["suggestion"]["method"] == "collateral"
    assert [m["method"] for m in body["methods"]] == ["cash_flow", "collateral"]
    assert body["guarantors"][0]["capacity"]["sufficient"] is True
    assert client.get(url).json()["id"] == body["id"]
    bad = client.post(url, {"sales_margin": "x"}, content_type="application/json")
    assert bad.status_code == 422 and list(bad.json()["details"]) == ["sales_margin"]
