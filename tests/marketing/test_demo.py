"""The demo's precision marketing: consents, two campaigns with their lists, the approved
leaflet, the village roster on public display, 张建国's contacts with SPIN notes, one lead made
an application and one consent withdrawn — once (the seed runs again without creating more)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from xindai.core import business_date
from xindai.credit.models import CreditApplication
from xindai.marketing import compliance
from xindai.marketing.demo import (
    CONSENT_EVIDENCE,
    NO_CONSENT_EVERY,
    STOCK_CAMPAIGN,
    seed_demo_marketing,
)
from xindai.marketing.models import (
    Campaign,
    CampaignStatus,
    Consent,
    ConsentPurpose,
    Contact,
    Lead,
    LeadStatus,
    Material,
    ReviewStatus,
    RosterStatus,
    Scenario,
    Target,
    VillageRoster,
)
from xindai.scoring.models import StockCustomer

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


def test_the_demo_seeds_marketing_once() -> None:
    business_date.set_date(TODAY, actor=None, reason="test")
    call_command("seed", "--demo")
    made = seed_demo_marketing(business_date.current())  # no-op when the seed already did it
    if made["campaigns"] == 0:  # the seed command ran it
        made = None

    customers = StockCustomer.objects.filter(synthetic=True)
    n = customers.count()
    granted = Consent.objects.filter(
        purpose=ConsentPurpose.MARKETING_DATA, granted=True, evidence=CONSENT_EVIDENCE
    )
    # Every 12th customer (by customer number) never signed the authorisation.
    assert granted.count() == n - n // NO_CONSENT_EVERY

    village = Campaign.objects.get(scenario=Scenario.WHOLE_VILLAGE)
    stock = Campaign.objects.get(name=STOCK_CAMPAIGN, scenario=Scenario.STOCK_MINING)
    assert {village.status, stock.status} == {CampaignStatus.ACTIVE}
    assert (village.org_unit.code, village.owner.username) == ("B01", "branch_head")
    leaflet = Material.objects.get(campaign=village, kind="leaflet")
    assert leaflet.status == ReviewStatus.APPROVED and leaflet.reviewed_by.username == "risk"
    assert leaflet.annual_rate is not None and "年化利率" in leaflet.body
    assert leaflet.findings == []

    code = village.rules["village_codes"][0]
    targets = Target.objects.filter(campaign=village)
    assert targets.exists()
    assert set(targets.values_list("village_code", flat=True)) == {code}
    assert set(targets.values_list("org_unit__code", flat=True)) == {"O0101"}
    assert set(targets.exclude(manager=None).values_list("manager__username", flat=True)) == {
        "manager"
    }
    assert Target.objects.filter(campaign=stock).exists()

    contacts = Contact.objects.filter(manager__username="manager")
    assert contacts.count() == 5
    assert contacts.exclude(problem="").count() == 3  # SPIN notes where he met the customer
    assert all(c.contacted_at.date() < TODAY + dt.timedelta(days=1) for c in contacts)
    converted = Lead.objects.get(status=LeadStatus.CONVERTED)
    application = CreditApplication.objects.get(pk=converted.application_id)
    assert (application.source, application.amount) == ("marketing", 50_000)
    assert Lead.objects.filter(status=LeadStatus.OPEN).count() == 1

    withdrawn = Consent.objects.get(purpose=ConsentPurpose.MARKETING_DATA, granted=False)
    assert not compliance.consent_in_force(withdrawn.customer, ConsentPurpose.MARKETING_DATA)

    roster = VillageRoster.objects.get(campaign=village)
    assert roster.status == RosterStatus.PUBLISHED and roster.village_code == code
    assert roster.publish_from == TODAY
    assert roster.households.count() == 40

    counts = (
        Campaign.objects.count(),
        Target.objects.count(),
        Contact.objects.count(),
        Consent.objects.count(),
        VillageRoster.objects.count(),
        CreditApplication.objects.count(),
    )
    call_command("seed", "--demo")
    assert seed_demo_marketing(business_date.current()) == {"campaigns": 0}
    assert counts == (
        Campaign.objects.count(),
        Target.objects.count(),
        Contact.objects.count(),
        Consent.objects.count(),
        VillageRoster.objects.count(),
        CreditApplication.objects.count(),
    )
    assert made is None or made["contacts"] == 5
