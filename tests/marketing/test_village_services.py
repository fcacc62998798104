"""整村授信 use cases: import with row errors, re-import and re-weighting before publishing only,
publishing, objections and decisions, and the conversion after the period (once only).

The roster (hand-rated with the default weights, see test_village_domain):
  row 2 王大山  3, 300,000 − 50,000, income 80,000, 良好, 90                      → 88 优秀 160,000
  row 3 李二    2, 150,000, income 45,000, 无, 80                             → 67 一般  90,000
  row 4 赵四    1, 80,000 − 20,000, income 25,500, 有逾期, 70                 → 45 不予评定 0
  row 5 孙六    2, 210,000, income 64,750, 良好, 75 (no stock record)          → 85 优秀 129,000
  rows 6-9 bad: ID checksum, evaluation 120, duplicate ID of row 2, negative assets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.credit.factories import TODAY, farmer_product, set_today
from tests.customers.factories import make_village
from tests.customers.ids import resident_id
from xindai.core import business_date
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit.models import CreditApplication
from xindai.marketing import village
from xindai.marketing.models import Campaign, CampaignStatus, RosterHousehold, VillageRoster
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.scoring.models import StockCustomer

VILLAGE = ("110101001001", "多福巷村")
ID_WANG = resident_id(born=dt.date(1975, 3, 8), seq=11)
ID_LI = resident_id(born=dt.date(1982, 6, 1), seq=21)
ID_ZHAO = resident_id(born=dt.date(1969, 9, 9), seq=31)
ID_SUN = resident_id(born=dt.date(1990, 1, 15), seq=41)
HEADER = (
    "户主姓名,身份证号,联系电话,家庭人口,劳动力,家庭资产（元）,家庭年纯收入（元）,负债（元）,"
    "还款记录（良好/有逾期/有不良/无）,村组评议（分）"
)
GOOD_ROWS = [
    f"王大山,{ID_WANG},13900001111,5,3,300000,80000,50000,良好,90",
    f"李二,{ID_LI},,4,2,150000,45000,0,无,80",
    f"赵四,{ID_ZHAO},13900003333,3,1,80000,25500,20000,有逾期,70",
    f"孙六,{ID_SUN},13900004444,4,2,210000,64750,0,良好,75",
]
BAD_ROWS = [
    f"钱七,{ID_WANG[:-1]}{'0' if ID_WANG[-1] != '0' else '1'},,3,1,1000,1000,0,良好,60",
    f"周八,{resident_id(seq=51)},,3,1,1000,1000,0,良好,120",
    f"王大山二,{ID_WANG},,3,1,1000,1000,0,良好,60",
    f"吴九,{resident_id(seq=61)},,3,1,-5,1000,0,良好,60",
]


def roster_csv(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8-sig")


@pytest.fixture
def setting(tree: dict[str, OrgUnit], manager: User, branch_head: User) -> dict[str, Any]:
    return make_setting(tree, branch_head)


def make_setting(tree: dict[str, OrgUnit], branch_head: User) -> dict[str, Any]:
    """Today 2026-11-27, the village 多福巷村, the product ZCSX, a B1 campaign with it, and three
    of the four households as stock customers of O11."""
    set_today()
    make_village()
    product = farmer_product()
    campaign = Campaign.objects.create(
        name="冬春备耕整村授信",
        scenario="whole_village",
        status=CampaignStatus.ACTIVE,
        org_unit=tree["B1"],
        owner=branch_head,
        starts_on=TODAY - dt.timedelta(days=10),
        ends_on=TODAY + dt.timedelta(days=60),
        created_by=branch_head,
    )
    campaign.products.add(product)
    for no, name, number in (
        ("C1", "王大山", ID_WANG),
        ("C2", "李二", ID_LI),
        ("C3", "赵四", ID_ZHAO),
    ):
        StockCustomer.objects.create(
            customer_no=no,
            name=name,
            kind="farmer",
            id_number=number,
            phone="13900001234",
            org_unit=tree["O11"],
            village_code=VILLAGE[0],
            village_name=VILLAGE[1],
        )
    return {"campaign": campaign, "product": product}


def imported(
    actor: User, campaign: Campaign, rows: list[str] | None = None
) -> village.ImportResult:
    return village.import_roster(
        actor,
        campaign,
        village_code=VILLAGE[0],
        village_name=VILLAGE[1],
        file_name="多福巷村.csv",
        content=roster_csv(GOOD_ROWS + BAD_ROWS if rows is None else rows),
    )


def by_name(roster: VillageRoster) -> dict[str, RosterHousehold]:
    return {h.name: h for h in roster.households.all()}


def test_import_saves_the_good_rows_rated_and_lists_the_bad_ones(
    setting: dict[str, Any], branch_head: User
) -> None:
    made = imported(branch_head, setting["campaign"])
    assert made.imported == 4
    assert sorted({(e["row"], e["column"]) for e in made.errors}) == [
        (6, "身份证号"),
        (7, "村组评议（分）"),
        (8, "身份证号"),
        (9, "家庭资产（元）"),
    ]
    duplicate = next(e for e in made.errors if e["row"] == 8)
    assert duplicate["message"] == "与第 2 行身份证号重复"
    assert duplicate["value"] == ID_WANG[:6] + "********" + ID_WANG[-4:]
    households = by_name(made.roster)
    assert {n: (h.score, h.rating, h.limit_fen) for n, h in households.items()} == {
        "王大山": (Decimal("88.00"), "excellent", 160_000_00),
        "李二": (Decimal("67.00"), "fair", 90_000_00),
        "赵四": (Decimal("45.00"), "not_rated", 0),
        "孙六": (Decimal("85.00"), "excellent", 129_000_00),
    }
    assert households["王大山"].customer is not None
    assert households["孙六"].customer is None
    totals = village.summary(made.roster)
    assert (totals["households"], totals["rated"], totals["total_limit"]) == (4, 3, 379_000)


def test_a_file_without_any_good_row_saves_nothing(
    setting: dict[str, Any], branch_head: User
) -> None:
    with pytest.raises(FormInvalid) as refused:
        imported(branch_head, setting["campaign"], [BAD_ROWS[0], BAD_ROWS[1], BAD_ROWS[3]])
    assert len(refused.value.details["rows"]) == 3
    assert not VillageRoster.objects.exists()


def test_a_missing_required_column_is_refused(setting: dict[str, Any], branch_head: User) -> None:
    with pytest.raises(DomainError, match="缺少必填列"):
        village.import_roster(
            branch_head,
            setting["campaign"],
            village_code=VILLAGE[0],
            village_name=VILLAGE[1],
            file_name="x.csv",
            content="户主姓名,联系电话\n张三,13900001111\n".encode(),
        )


def test_an_xlsx_made_from_the_template_imports(setting: dict[str, Any], branch_head: User) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(village.roster_template()))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    sheet.append(["王大山", ID_WANG, "13900001111", 5, 3, 300000, 80000, 50000, "良好", 90])
    out = BytesIO()
    book.save(out)
    made = village.import_roster(
        branch_head,
        setting["campaign"],
        village_code=VILLAGE[0],
        village_name=VILLAGE[1],
        file_name="roster.xlsx",
        content=out.getvalue(),
    )
    assert (made.imported, made.errors) == (1, [])
    assert made.roster.households.get().limit_fen == 160_000_00


def test_reimport_replaces_the_roster_until_it_is_published(
    setting: dict[str, Any], branch_head: User
) -> None:
    first = imported(branch_head, setting["campaign"]).roster
    again = imported(branch_head, setting["campaign"], GOOD_ROWS[:2]).roster
    assert again.pk == first.pk
    assert sorted(by_name(again)) == ["李二", "王大山"]
    village.publish(branch_head, again, TODAY)
    with pytest.raises(DomainError, match="已公示"):
        imported(branch_head, setting["campaign"], GOOD_ROWS)
    assert again.households.count() == 2


def test_new_weights_rerate_every_household_before_publishing_only(
    setting: dict[str, Any], branch_head: User
) -> None:
    roster = imported(branch_head, setting["campaign"], GOOD_ROWS).roster
    village.set_weights(branch_head, roster, {k: "0.2" for k in village.domain.FACTORS})
    households = by_name(roster)
    # (85 + 60 + 60 + 70 + 80) / 5 = 71 → 较好, still min(200,000, 90,000)
    assert (households["李二"].score, households["李二"].rating) == (Decimal("71.00"), "good")
    assert households["李二"].limit_fen == 90_000_00
    with pytest.raises(FormInvalid):
        village.set_weights(branch_head, roster, {k: "0.3" for k in village.domain.FACTORS})
    village.publish(branch_head, roster, TODAY)
    with pytest.raises(DomainError, match="已公示"):
        village.set_weights(branch_head, roster, dict(village.domain.DEFAULT_WEIGHTS))


def test_publishing_runs_for_the_policy_days_from_a_day_not_in_the_past(
    setting: dict[str, Any], branch_head: User
) -> None:
    roster = imported(branch_head, setting["campaign"], GOOD_ROWS).roster
    with pytest.raises(FormInvalid):
        village.publish(branch_head, roster, TODAY - dt.timedelta(days=1))
    village.publish(branch_head, roster, TODAY + dt.timedelta(days=1))
    roster.refresh_from_db()
    assert (roster.status, roster.publish_from, roster.publish_until) == (
        "published",
        dt.date(2026, 11, 28),
        dt.date(2026, 12, 4),
    )
    with pytest.raises(DomainError, match="已经公示"):
        village.publish(branch_head, roster, TODAY + dt.timedelta(days=1))


def test_only_the_branch_head_of_the_campaign_manages_the_roster(
    setting: dict[str, Any],
    branch_head: User,
    manager: User,
    risk_officer: User,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
) -> None:
    other_head = make_user("head2", tree["B2"], Role.BRANCH_HEAD)
    for outsider in (manager, risk_officer, other_head):
        with pytest.raises(PermissionDenied):
            imported(outsider, setting["campaign"], GOOD_ROWS)
    roster = imported(branch_head, setting["campaign"], GOOD_ROWS).roster
    for outsider in (manager, risk_officer, other_head):
        with pytest.raises(PermissionDenied):
            village.publish(outsider, roster, TODAY)
    assert village.visible_rosters(risk_officer).count() == 1
    assert village.visible_rosters(manager).count() == 1
    assert village.visible_rosters(other_head).count() == 0


def test_objections_only_in_the_period_and_decisions_by_the_units_managers(
    setting: dict[str, Any],
    branch_head: User,
    manager: User,
    colleague: User,
    risk_officer: User,
) -> None:
    roster = imported(branch_head, setting["campaign"], GOOD_ROWS).roster
    households = by_name(roster)
    with pytest.raises(DomainError, match="尚未公示"):
        village.record_decision(manager, households["王大山"], "accepted")
    village.publish(branch_head, roster, TODAY)
    for outsider in (colleague, risk_officer):
        with pytest.raises(PermissionDenied):
            village.record_decision(outsider, households["王大山"], "accepted")
    with pytest.raises(FormInvalid):
        village.record_decision(manager, households["李二"], "objected")
    made = village.record_decision(manager, households["李二"], "objected", "收入填报偏高")
    assert (made.decision, made.objection) == ("objected", "收入填报偏高")
    with pytest.raises(DomainError, match="不予评定"):
        village.record_decision(manager, households["赵四"], "accepted")
    assert village.record_decision(manager, households["王大山"], "accepted").decision == "accepted"
    business_date.set_date(TODAY + dt.timedelta(days=7), actor=None, reason="test")
    with pytest.raises(DomainError, match="公示期内"):
        village.record_decision(manager, households["孙六"], "objected", "迟到的异议")
    assert village.record_decision(branch_head, households["孙六"], "accepted").decision == (
        "accepted"
    )


def test_accepted_households_become_applications_after_the_period_once_only(
    setting: dict[str, Any], branch_head: User, manager: User
) -> None:
    roster = imported(branch_head, setting["campaign"], GOOD_ROWS).roster
    village.publish(branch_head, roster, TODAY)
    households = by_name(roster)
    village.record_decision(manager, households["王大山"], "accepted")
    village.record_decision(manager, households["李二"], "objected", "收入填报偏高")
    village.record_decision(manager, households["孙六"], "accepted")
    business_date.set_date(TODAY + dt.timedelta(days=6), actor=None, reason="test")
    with pytest.raises(DomainError, match="期满后"):
        village.convert_accepted(branch_head, roster)
    business_date.set_date(TODAY + dt.timedelta(days=7), actor=None, reason="test")

    result = village.convert_accepted(branch_head, roster)

    assert [h.name for h in result.created] == ["王大山"]
    assert dict(sorted((h.name, reason) for h, reason in result.skipped)) == {
        "孙六": "无存量客户档案，请先建档",
        "李二": "公示异议未处理",
        "赵四": "农户尚未确认",
    }
    application = CreditApplication.objects.get()
    assert (application.amount, application.term_months, application.source) == (
        Decimal("160000.00"),
        12,
        "marketing",
    )
    assert (application.manager, application.stage) == (manager, "intake")
    assert application.customer.id_number == ID_WANG
    assert RosterHousehold.objects.get(name="王大山").application == application
    roster.refresh_from_db()
    assert roster.status == "closed"

    again = village.convert_accepted(branch_head, roster)
    assert again.created == []
    assert ("王大山", "已转入申请") in [(h.name, r) for h, r in again.skipped]
    assert CreditApplication.objects.count() == 1
    with pytest.raises(DomainError, match="已批量转入"):
        village.record_decision(manager, households["李二"], "accepted")
