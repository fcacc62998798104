"""The registry of archive sections: one entry drives forms, API, completeness and history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from xindai.customers import section_models as sm
from xindai.customers.models import CustomerKind

FARMER, BUSINESS, ENTERPRISE = CustomerKind.FARMER, CustomerKind.BUSINESS, CustomerKind.ENTERPRISE


@dataclass(frozen=True)
class SectionSpec:
    key: str
    model: type[Model]
    kinds: frozenset[str]
    single: bool = False  # one row per customer
    expiry_field: str | None = None  # rows past this date do not count
    pii_fields: tuple[str, ...] = ()  # masked in lists and exports

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name

    def fields(self) -> list[str]:
        """The editable fields, in model order."""
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if f.editable and f.name not in {"id", "customer"}
        ]


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "members",
        sm.HouseholdMember,
        frozenset({FARMER, BUSINESS}),
        pii_fields=("id_number", "phone"),
    ),
    SectionSpec("land", sm.LandHolding, frozenset({FARMER}), expiry_field="expires_on"),
    SectionSpec("production", sm.FarmProduction, frozenset({FARMER})),
    SectionSpec("assets", sm.FixedAsset, frozenset({FARMER, BUSINESS})),
    SectionSpec(
        "financial_assets",
        sm.FinancialAsset,
        frozenset({FARMER, BUSINESS}),
        pii_fields=("account_no",),
    ),
    SectionSpec("liabilities", sm.Liability, frozenset({FARMER, BUSINESS, ENTERPRISE})),
    SectionSpec("income", sm.IncomeItem, frozenset({FARMER})),
    SectionSpec("expenses", sm.ExpenseItem, frozenset({FARMER})),
    SectionSpec("village_evaluation", sm.VillageEvaluation, frozenset({FARMER}), single=True),
    SectionSpec(
        "licence",
        sm.Licence,
        frozenset({BUSINESS, ENTERPRISE}),
        single=True,
        expiry_field="valid_until",
    ),
    SectionSpec(
        "premises", sm.Premises, frozenset({BUSINESS, ENTERPRISE}), expiry_field="lease_expires_on"
    ),
    SectionSpec("operations", sm.BusinessOperations, frozenset({BUSINESS}), single=True),
    SectionSpec("partners", sm.TradePartner, frozenset({BUSINESS, ENTERPRISE})),
    SectionSpec(
        "accounts", sm.BankAccount, frozenset({BUSINESS, ENTERPRISE}), pii_fields=("account_no",)
    ),
    SectionSpec(
        "governance",
        sm.EnterpriseGovernance,
        frozenset({ENTERPRISE}),
        single=True,
        pii_fields=("legal_rep_id", "controller_id"),
    ),
    SectionSpec("shareholders", sm.Shareholder, frozenset({ENTERPRISE}), pii_fields=("id_number",)),
    SectionSpec(
        "permits", sm.SpecialPermit, frozenset({BUSINESS, ENTERPRISE}), expiry_field="expires_on"
    ),
    SectionSpec("statements", sm.FinancialStatement, frozenset({ENTERPRISE})),
)

SECTION_BY_KEY = {spec.key: spec for spec in SECTIONS}


def sections_for(kind: str) -> list[SectionSpec]:
    return [spec for spec in SECTIONS if kind in spec.kinds]
