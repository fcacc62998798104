"""Individual businesses (个体工商户) and small enterprises of the demo: licences, premises,
operations, partners, accounts, permits, governance, shareholders and statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xindai.customers import section_models as sm
from xindai.customers.demo.people import Builder, Person, hundreds
from xindai.customers.demo.tables import (
    BANK,
    BRANDS,
    BUSINESS,
    BUSINESS_GAPS,
    COUNTY,
    ENTERPRISE,
    ENTERPRISE_GAPS,
    OTHER_BANKS,
    REGION,
    TOWNSHIPS,
    TRADES,
    Firm,
    Rel,
    Trade,
)
from xindai.customers.models import Customer, DocumentType, RelationKind


class Businesses(Builder):
    def business(self, index: int) -> None:
        """A shop; two in five are run by a farmer household head of the demo."""
        rng, gaps = self.rng, self.gaps(BUSINESS_GAPS)
        town = rng.choices(TOWNSHIPS, weights=(14, 9, 7))[0]
        trade = TRADES[index % len(TRADES)]
        farmer = self.heads.pop(rng.randrange(len(self.heads))) if rng.random() < 0.4 else None
        owner = (
            farmer[1] if farmer else self.person(rng.choice("MMF"), rng.randint(25, 58), phone=1)
        )
        brands = (*BRANDS, f"老{owner.name[0]}")
        customer = self.new_customer(
            BUSINESS,
            town,
            name=self.unique(lambda: f"{COUNTY}{town.name}{rng.choice(brands)}{trade.label}"),
            id_number=self.credit_code("92"),
            phone="" if "phone" in gaps else owner.phone,
            address=f"{COUNTY}{town.name}{rng.choice(town.streets)}{rng.randint(1, 199)}号",
            industry_code="" if "industry_code" in gaps else trade.industry,
        )
        if farmer:
            self.relate(farmer[0], customer, RelationKind.RELATED_PARTY, "户主为该个体工商户经营者")
        if "licence" not in gaps:
            self.licence(customer, self.days(-5000, -400), None, trade.scope)
        if "members" not in gaps:
            self.member(customer, Rel.OPERATOR, owner, "个体经营", True)
        if "premises" not in gaps:
            self.premises(customer, rng.randint(20, 200), expired_lease=index in (4, 17))
        if "operations" not in gaps:
            self.operations(customer, trade)
        if "partners" not in gaps:
            self.partners(customer, trade.suppliers, trade.buyers)
        if "accounts" not in gaps:
            self.account(customer, True, sm.AccountType.PERSONAL, self.card())
        if rng.random() < 0.6:
            self.deposits(customer, rng.randint(10, 200) * 1000)
        if trade.permit[0]:
            self.permit(customer, *trade.permit, expired=rng.random() < 0.15)
        if "doc:licence" not in gaps:
            self.document(customer, DocumentType.LICENCE, "营业执照正本")
        if "doc:id_card" not in gaps:
            self.document(
                customer, DocumentType.ID_CARD, "经营者身份证", self.id_card_expiry(owner)
            )
        self.soft_info(customer, 0.5)

    def operations(self, customer: Customer, trade: Trade) -> None:
        rng = self.rng
        turnover = rng.randint(*trade.turnover) // 1000 * 1000
        self.add(
            sm.BusinessOperations(
                customer=customer,
                employees=rng.randint(*trade.staff),
                monthly_turnover=Decimal(turnover),
                monthly_profit=hundreds(turnover * rng.randint(*trade.margin_pct) // 100),
                inventory_value=hundreds(turnover * rng.randint(30, 150) // 100),
            )
        )

    def enterprise(self, firm: Firm, gap_count: int) -> None:
        rng, gaps = self.rng, self.gaps(ENTERPRISE_GAPS, gap_count)
        town = next(t for t in TOWNSHIPS if t.name == firm.township)
        rep = self.person(rng.choice("MMMF"), rng.randint(35, 58), phone=1)
        customer = self.new_customer(
            ENTERPRISE,
            town,
            name=firm.name,
            id_number=self.credit_code("91"),
            phone=rep.phone,
            address=f"{COUNTY}{town.name}{firm.address}",
            industry_code=firm.industry,
        )
        registered = self.days(-5500, -1500)
        term = dt.date(registered.year + 30, registered.month, 1) if rng.random() < 0.5 else None
        self.licence(customer, registered, term, firm.scope)
        self.governance(customer, rep, firm.capital)
        if "shareholders" not in gaps:
            self.shareholders(customer, rep, firm.capital)
        if "accounts" not in gaps:
            self.account(customer, True, sm.AccountType.BASIC, self.corporate_account())
            self.account(customer, False, sm.AccountType.GENERAL, self.corporate_account())
        if "statements" not in gaps:
            self.statements(customer, firm)
        self.premises(customer, rng.randint(800, 6000), expired_lease=False)
        self.partners(customer, firm.suppliers, firm.buyers)
        if firm.permit[0]:
            self.permit(customer, *firm.permit, expired=False)
        loan = rng.choice((1_000_000, 2_000_000, 3_000_000))
        self.add(
            sm.Liability(
                customer=customer,
                category=sm.LiabilityCategory.THIS_BANK,
                creditor=f"{BANK}{customer.org_unit.name}",
                amount=Decimal(loan),
                balance=Decimal(loan),
                matures_on=self.days(90, 360),
            )
        )
        for doc_type, title in (
            (DocumentType.LICENCE, "营业执照副本"),
            (DocumentType.ARTICLES, "公司章程"),
            (DocumentType.STATEMENT, "上年度资产负债表及利润表"),
        ):
            if f"doc:{doc_type}" not in gaps:
                self.document(customer, doc_type, title)
        self.soft_info(customer, 1.0)

    def licence(
        self, customer: Customer, registered: dt.date, term: dt.date | None, scope: str
    ) -> None:
        status = self.rng.choices(list(sm.AnnualReport), weights=(85, 12, 3))[0]
        year = self.as_of.year - (1 if status == sm.AnnualReport.REPORTED else 2)
        self.add(
            sm.Licence(
                customer=customer,
                registered_on=registered,
                valid_until=term,
                annual_report=status,
                annual_report_year=max(year, registered.year),
                scope=scope,
            )
        )

    def premises(self, customer: Customer, sqm: int, expired_lease: bool) -> None:
        owned = not expired_lease and self.rng.random() < 0.4
        lease_end = self.days(-120, -20) if expired_lease else self.days(60, 1100)
        self.add(
            sm.Premises(
                customer=customer,
                ownership=sm.Ownership.OWNED if owned else sm.Ownership.LEASED,
                address=customer.address,
                area_sqm=Decimal(sqm),
                lease_expires_on=None if owned else lease_end,
            )
        )

    def partners(
        self, customer: Customer, suppliers: tuple[str, ...], buyers: tuple[str, ...]
    ) -> None:
        for role, names in ((sm.PartnerRole.SUPPLIER, suppliers), (sm.PartnerRole.BUYER, buyers)):
            for name in names[: self.rng.randint(1, 2)]:
                self.add(
                    sm.TradePartner(
                        customer=customer,
                        role=role,
                        name=name,
                        share_pct=Decimal(self.rng.randint(10, 45)),
                        years=self.rng.randint(1, 12),
                    )
                )

    def account(self, customer: Customer, here: bool, kind: str, number: str) -> None:
        bank = f"{BANK}{customer.org_unit.name}" if here else self.rng.choice(OTHER_BANKS)
        self.add(
            sm.BankAccount(
                customer=customer, held_here=here, bank=bank, account_type=kind, account_no=number
            )
        )

    def permit(self, customer: Customer, name: str, number: str, expired: bool) -> None:
        number = number.format(region=REGION, serial=f"{self.rng.randrange(10**5):05d}")
        expires = self.days(-200, -5) if expired else self.days(90, 1800)
        self.add(sm.SpecialPermit(customer=customer, name=name, number=number, expires_on=expires))

    def governance(self, customer: Customer, rep: Person, capital: int) -> None:
        self.add(
            sm.EnterpriseGovernance(
                customer=customer,
                legal_rep_name=rep.name,
                legal_rep_id=rep.id_number,
                controller_name=rep.name,
                controller_id=rep.id_number,
                registered_capital=Decimal(capital),
                paid_in_capital=hundreds(capital * self.rng.choice((50, 80, 100)) // 100),
            )
        )

    def shareholders(self, customer: Customer, rep: Person, capital: int) -> None:
        """The legal representative holds the majority, a farmer of the demo the rest."""
        main = self.rng.randint(51, 80)
        farmer, partner = self.heads.pop(self.rng.randrange(len(self.heads)))
        self.relate(farmer, customer, RelationKind.SHAREHOLDER, f"持股 {100 - main}%")
        for person, pct in ((rep, main), (partner, 100 - main)):
            self.add(
                sm.Shareholder(
                    customer=customer,
                    name=person.name,
                    id_number=person.id_number,
                    share_pct=Decimal(pct),
                    contribution=hundreds(capital * pct // 100),
                )
            )

    def statements(self, customer: Customer, firm: Firm) -> None:
        """Key figures of the last two year-ends, the later year a little larger."""
        rng = self.rng
        revenue = rng.randint(*firm.revenue)
        for years_back in (1, 2):
            assets = revenue * rng.randint(50, 120) // 100
            debts = assets * rng.randint(35, 65) // 100
            self.add(
                sm.FinancialStatement(
                    customer=customer,
                    period_end=dt.date(self.as_of.year - years_back, 12, 31),
                    total_assets=hundreds(assets),
                    total_liabilities=hundreds(debts),
                    current_assets=hundreds(assets * rng.randint(40, 70) // 100),
                    current_liabilities=hundreds(debts * rng.randint(60, 90) // 100),
                    revenue=hundreds(revenue),
                    net_profit=hundreds(revenue * rng.randint(2, 8) // 100),
                )
            )
            revenue = revenue * rng.randint(85, 100) // 100
