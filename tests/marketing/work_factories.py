"""Records the workbench tests build: stock customers with the marketing consent, an active
campaign and targets assigned to a manager (built with the ORM, no scoring needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xindai.marketing.models import Campaign, CampaignStatus, Consent, Target
from xindai.org.models import OrgUnit
from xindai.scoring.models import StockCustomer


def moment(days_ago: int = 0, hour: int = 10, minute: int = 0) -> dt.datetime:
    """Local ``hour``:``minute`` ``days_ago`` days back (in the past when days_ago >= 1)."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def stock(
    unit: OrgUnit,
    no: str,
    name: str,
    *,
    village: tuple[str, str] = ("110101001001", "多福巷村"),
    consent: bool = True,
    actor: Any = None,
    id_number: str = "",
    kind: str = "farmer",
) -> StockCustomer:
    customer = StockCustomer.objects.create(
        customer_no=no,
        name=name,
        kind=kind,
        id_number=id_number,
        phone="13900001234",
        org_unit=unit,
        village_code=village[0],
        village_name=village[1],
        synthetic=True,
    )
    if consent:
        Consent.objects.create(
            customer=customer,
            purpose="marketing_data",
            granted=True,
            evidence="授权书 2026-001",
            recorded_by=actor,
            effective_at=timezone.now() - dt.timedelta(days=60),
        )
    return customer


def campaign(owner: Any, unit: OrgUnit, **fields: Any) -> Campaign:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "name": "冬春备耕整村授信",
        "scenario": "whole_village",
        "status": CampaignStatus.ACTIVE,
        "org_unit": unit,
        "owner": owner,
        "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=60),
        "created_by": owner,
    }
    return Campaign.objects.create(**(data | fields))


def target(
    camp: Campaign, customer: StockCustomer, manager: Any, grade: str = "A", **fields: Any
) -> Target:
    data: dict[str, Any] = {
        "campaign": camp,
        "customer": customer,
        "manager": manager,
        "org_unit": customer.org_unit,
        "village_code": customer.village_code,
        "grade": grade,
        "propensity": 0.3,
        "points": 650,
        "reasons": ["借款意愿概率 30%，高于名单门槛 10%", "近 12 个月存款日均余额较高"],
    }
    return Target.objects.create(**(data | fields))
