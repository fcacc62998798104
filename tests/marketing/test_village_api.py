"""整村授信 through the API (4xx JSON on bad input, masked personal data) and the pages
(import with row errors, the roster with its totals, the printable public list and exports,
decisions and the conversion summary; who sees which buttons)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.credit.factories import TODAY
from tests.marketing.test_village_services import (
    BAD_ROWS,
    GOOD_ROWS,
    ID_WANG,
    VILLAGE,
    by_name,
    imported,
    make_setting,
    roster_csv,
)
from xindai.core import business_date
from xindai.credit.models import CreditApplication
from xindai.marketing import village
from xindai.marketing.models import VillageRoster
from xindai.org.models import OrgUnit, User

API = "/api/v1/village-credit"


@pytest.fixture
def setting(tree: dict[str, OrgUnit], manager: User, branch_head: User) -> dict[str, Any]:
    return make_setting(tree, branch_head)


def upload(rows: list[str], name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, roster_csv(rows), content_type="text/csv")


def test_api_imports_with_row_errors_and_masks_id_numbers(
    setting: dict[str, Any], branch_head: User, login: Callable[[User], Client]
) -> None:
    client = login(branch_head)
    made = client.post(
        f"{API}/campaigns/{setting['campaign'].pk}/rosters",
        {
            "file": upload(GOOD_ROWS + BAD_ROWS),
            "village_code": VILLAGE[0],
            "village_name": "多福巷村",
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["imported"], len({e["row"] for e in body["errors"]})) == (4, 4)
    roster_id = body["roster"]["id"]
    assert (body["roster"]["rated"], body["roster"]["total_limit"]) == (3, "379000.00")
    listed = client.get(f"{API}/rosters/{roster_id}/households?rating=excellent").json()
    assert [h["name"] for h in listed["items"]] == ["王大山", "孙六"]
    first = listed["items"][0]
    assert first["id_number"] == ID_WANG[:6] + "********" + ID_WANG[-4:]
    assert first["phone"] == "139****1111"
    assert (first["limit"], first["existing_customer"]) == ("160000.00", True)
    assert first["factor_points"] == {
        "members": 100,
        "assets": 80,
        "net_income": 80,
        "repayment": 100,
        "village": 90,
    }


def test_api_bad_input_is_4xx_json(
    setting: dict[str, Any], branch_head: User, manager: User, login: Callable[[User], Client]
) -> None:
    client = login(branch_head)
    url = f"{API}/campaigns/{setting['campaign'].pk}/rosters"
    wrong_type = client.post(
        url,
        {
            "file": SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf"),
            "village_code": VILLAGE[0],
            "village_name": VILLAGE[1],
        },
    )
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (400, "invalid_input")
    all_bad = client.post(
        url, {"file": upload(BAD_ROWS[:2]), "village_code": VILLAGE[0], "village_name": "多福巷村"}
    )
    assert all_bad.status_code == 422
    assert len(all_bad.json()["details"]["rows"]) == 2
    roster = imported(branch_head, setting["campaign"], GOOD_ROWS).roster
    weights = {"members": 0.5, "assets": 0.5, "net_income": 0.5, "repayment": 0, "village": 0}
    bad_weights = client.put(f"{API}/rosters/{roster.pk}/weights", weights, "application/json")
    assert bad_weights.status_code == 422
    no_date = client.post(f"{API}/rosters/{roster.pk}/publish", {}, "application/json")
    assert no_date.status_code == 422
    early = client.post(f"{API}/rosters/{roster.pk}/convert")
    assert (early.status_code, early.json()["code"]) == (409, "roster_refused")
    household = roster.households.first()
    assert household is not None
    refused = login(manager).post(
        f"{API}/households/{household.pk}/decision", {"decision": "maybe"}, "application/json"
    )
    assert refused.status_code in (409, 422)
    assert login(manager).post(f"{API}/rosters/{roster.pk}/convert").status_code == 403


def test_api_publish_decide_and_convert(
    setting: dict[str, Any], branch_head: User, manager: User, login: Callable[[User], Client]
) -> None:
    roster = imported(branch_head, setting["campaign"], GOOD_ROWS).roster
    head = login(branch_head)
    published = head.post(
        f"{API}/rosters/{roster.pk}/publish", {"from_day": TODAY.isoformat()}, "application/json"
    )
    assert published.status_code == 200, published.content
    assert published.json()["publish_until"] == "2026-12-03"
    households = by_name(roster)
    decided = login(manager).post(
        f"{API}/households/{households['王大山'].pk}/decision",
        {"decision": "accepted"},
        "application/json",
    )
    assert decided.json()["decision"] == "accepted"
    business_date.set_date(TODAY + dt.timedelta(days=7), actor=None, reason="test")
    converted = head.post(f"{API}/rosters/{roster.pk}/convert").json()
    assert converted["created"] == 1
    assert converted["skipped_by_reason"] == {"农户尚未确认": 3}
    again = head.post(f"{API}/rosters/{roster.pk}/convert").json()
    assert (again["created"], again["skipped_by_reason"]["已转入申请"]) == (0, 1)


def test_pages_import_show_publish_and_convert(
    setting: dict[str, Any],
    branch_head: User,
    manager: User,
    risk_officer: User,
    login: Callable[[User], Client],
) -> None:
    head = login(branch_head)
    assert head.get(reverse("marketing:rosters")).status_code == 200
    template = head.get(reverse("marketing:roster_template"))
    assert template["Content-Type"] == village.XLSX_TYPE
    page = head.post(
        reverse("marketing:roster_import", args=[setting["campaign"].pk]),
        {
            "file": upload(GOOD_ROWS + BAD_ROWS),
            "village_code": VILLAGE[0],
            "village_name": VILLAGE[1],
        },
    )
    assert page.status_code == 200
    assert "与第 2 行身份证号重复" in page.content.decode()
    roster = VillageRoster.objects.get()
    shown = head.get(reverse("marketing:roster", args=[roster.pk])).content.decode()
    assert 'id="publish-open"' in shown and 'id="weights-form"' in shown
    assert ID_WANG not in shown
    assert "37.9" in shown  # 379,000 元 = 37.9 万元
    assert (
        'id="publish-open"'
        not in login(risk_officer)
        .get(reverse("marketing:roster", args=[roster.pk]))
        .content.decode()
    )
    head.post(reverse("marketing:roster_publish", args=[roster.pk]), {"from_day": TODAY})
    public = head.get(reverse("marketing:roster_public", args=[roster.pk])).content.decode()
    assert "王大山" in public and ID_WANG not in public and "13900001111" not in public
    assert "赵四" not in public  # 不予评定 households are not on the public list
    for fmt in ("xlsx", "docx"):
        export = head.get(reverse("marketing:roster_public_export", args=[roster.pk, fmt]))
        assert export.status_code == 200 and export.content[:2] == b"PK"
    households = by_name(roster)
    login(manager).post(
        reverse("marketing:household_decision", args=[households["王大山"].pk]),
        {"decision": "accepted"},
    )
    business_date.set_date(TODAY + dt.timedelta(days=7), actor=None, reason="test")
    result = head.post(reverse("marketing:roster_convert", args=[roster.pk]))
    body = result.content.decode()
    assert result.status_code == 200 and "农户尚未确认" in body
    assert str(CreditApplication.objects.get().number) in body
    assert (
        login(manager).post(reverse("marketing:roster_convert", args=[roster.pk])).status_code
        == 403
    )
