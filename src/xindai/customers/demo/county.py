"""The whole demo county: areas, households, businesses and enterprises, the guarantees
among neighbours, saved in bulk with their history and one audit event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from xindai.audit import services as audit
from xindai.customers import section_models as sm
from xindai.customers.demo.businesses import Businesses
from xindai.customers.demo.households import Households
from xindai.customers.demo.tables import (
    BUSINESS,
    COUNTS,
    COUNTY,
    COUNTY_CODE,
    ENTERPRISE,
    ENTERPRISE_GAP_COUNTS,
    FARMER,
    FIRMS,
    REASON,
    REGION,
    TOWNSHIPS,
)
from xindai.customers.models import (
    Area,
    AreaLevel,
    Customer,
    Document,
    RelationKind,
    Relationship,
    SoftInfo,
)
from xindai.customers.services import as_of_today, refresh_completeness


def seed_demo_archives(as_of: dt.date | None = None) -> dict[str, int]:
    """Create the demo archives unless they exist; returns what was created, by kind."""
    as_of = as_of or as_of_today()
    with transaction.atomic():
        if Area.objects.filter(code=COUNTY_CODE).exists():
            return dict.fromkeys(COUNTS, 0)
        counts = CountyDemo(as_of).run()
        audit.record(
            "customers.demo.seed",
            actor=None,
            object_type="customers.customer",
            changes=counts,
            reason=REASON,
        )
    return counts


class CountyDemo(Households, Businesses):
    """Builds every row in memory, then saves them kind by kind with their history."""

    def run(self) -> dict[str, int]:
        county = self.area(COUNTY_CODE, COUNTY, AreaLevel.COUNTY, None)
        for town in TOWNSHIPS:
            township = self.area(f"{REGION}{town.code}000", town.name, AreaLevel.TOWNSHIP, county)
            for code, name, households in town.villages:
                village = self.area(f"{REGION}{town.code}{code}", name, AreaLevel.VILLAGE, township)
                self.secretaries[village.code] = self.fake.name()
                for _ in range(households):
                    self.household(town, village)
        for index in range(30):
            self.business(index)
        for firm, gap_count in zip(FIRMS, ENTERPRISE_GAP_COUNTS, strict=True):
            self.enterprise(firm, gap_count)
        self.guarantees()
        self.save()
        return self.counts()

    def save(self) -> None:
        bulk_create_with_history(self.customers, Customer, default_change_reason=REASON)
        for model, rows in self.rows.items():
            bulk_create_with_history(rows, model, batch_size=500, default_change_reason=REASON)
        for customer in self.customers:
            refresh_completeness(customer, self.as_of)

    def counts(self) -> dict[str, int]:
        kinds = [customer.kind for customer in self.customers]
        links = (Document, SoftInfo, Relationship)
        sections = sum(len(rows) for model, rows in self.rows.items() if model not in links)
        return {
            "areas": self.areas,
            "farmers": kinds.count(FARMER),
            "businesses": kinds.count(BUSINESS),
            "enterprises": kinds.count(ENTERPRISE),
            "members": len(self.rows[sm.HouseholdMember]),
            "section_rows": sections,
            "documents": len(self.rows[Document]),
            "soft_info": len(self.rows[SoftInfo]),
            "relationships": len(self.rows[Relationship]),
        }

    # ---- links among customers -------------------------------------------------------------

    def guarantees(self) -> None:
        """Neighbours guarantee each other's loans here: a link and a 对外担保 liability."""
        borrowers = [c for c in self.customers if c.id_number in self.loans]
        for borrower in self.rng.sample(borrowers, min(25, len(borrowers))):
            neighbours = [
                c for c, _ in self.heads if c.village == borrower.village and c is not borrower
            ]
            if not neighbours:
                continue
            guarantor, amount = self.rng.choice(neighbours), self.loans[borrower.id_number]
            note = f"为其在本行{amount / 10_000:g}万元贷款提供连带责任保证"
            if self.relate(guarantor, borrower, RelationKind.GUARANTOR, note):
                self.add(
                    sm.Liability(
                        customer=guarantor,
                        category=sm.LiabilityCategory.GUARANTEE,
                        creditor=borrower.name,
                        amount=amount,
                        balance=amount,
                        matures_on=self.days(60, 720),
                    )
                )
