"""Farmer households of the demo: a head and a family whose ages fit their relations, their
farming, land, assets, debts, income and spending, and the village's evaluation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from xindai.customers import section_models as sm
from xindai.customers.demo.people import Builder, Person, hundreds
from xindai.customers.demo.tables import (
    BANK,
    COUNTY,
    CROP,
    EVALUATIONS,
    FARMER,
    FARMER_GAPS,
    LINES,
    LIVESTOCK,
    MACHINES,
    NEIGHBOUR,
    OTHER_BANKS,
    REGION,
    VEHICLES,
    WAGE_JOBS,
    Line,
    Rel,
    Township,
)
from xindai.customers.models import Area, Customer, DocumentType


class Households(Builder):
    def household(self, town: Township, village: Area) -> None:
        rng, gaps = self.rng, self.gaps(FARMER_GAPS)
        surname = self.fake.last_name()
        head = self.person(
            "M" if rng.random() < 0.88 else "F", rng.randint(28, 70), surname, phone=1
        )
        customer = self.new_customer(
            FARMER,
            town,
            name=head.name,
            id_number=head.id_number,
            phone="" if "phone" in gaps else head.phone,
            address=f"{COUNTY}{town.name}{village.name}{rng.randint(1, 9)}组{rng.randint(1, 80)}号",
            village=village,
        )
        lines = [LINES[k] for k in rng.sample(town.farming, rng.choice((1, 1, 1, 2, 2)))]
        scales = {line.kind: self.scale(line) for line in lines}
        work = "养殖" if any(line.category == LIVESTOCK for line in lines) else "种植"
        family = self.family(customer, head, surname, work)
        revenue = self.production(customer, lines, scales, record="production" not in gaps)
        contracted = Decimal(rng.randint(25, 120)) / 10
        if "land" not in gaps:
            crops = [Decimal(scales[line.kind]) for line in lines if line.category == CROP]
            self.land(customer, village, contracted, max(crops, default=Decimal(0)))
        if "assets" not in gaps:
            self.farm_assets(customer, lines, scales)
        if "financial_assets" not in gaps:
            self.deposits(customer, rng.randint(5, 150) * 1000)
        if "liabilities" not in gaps:
            self.farm_liabilities(customer, sum(revenue.values(), Decimal(0)))
        if "income" not in gaps:
            self.income(customer, revenue, family, contracted)
        if "expenses" not in gaps:
            self.expenses(customer, revenue, family)
        if "village_evaluation" not in gaps:
            self.evaluation(customer, village)
        if "doc:id_card" not in gaps:
            self.document(customer, DocumentType.ID_CARD, "户主身份证", self.id_card_expiry(head))
        if "doc:household_register" not in gaps:
            self.document(customer, DocumentType.HOUSEHOLD_REGISTER, "户口簿")
        self.soft_info(customer, 0.3)
        self.heads.append((customer, head))

    def family(
        self, customer: Customer, head: Person, surname: str, work: str
    ) -> list[tuple[Person, str]]:
        """The head and 1–4 members whose ages fit their relation; (person, occupation)."""
        rng, age = self.rng, self.age(head)
        members: list[tuple[str, Person]] = []
        if rng.random() < (0.92 if head.sex == "M" else 0.25):  # women head mostly as widows
            wife = head.sex == "M"
            spouse_age = max(22, age - rng.randint(0, 5) if wife else age + rng.randint(0, 5))
            region = NEIGHBOUR if rng.random() < 0.2 else REGION
            members.append((Rel.SPOUSE, self.person("F" if wife else "M", spouse_age, "", region)))
        child_age = age - rng.randint(21, 30)  # the eldest; the others two to five years apart
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            if child_age >= 1:
                members.append((Rel.CHILD, self.person(rng.choice("MF"), child_age, surname)))
            child_age -= rng.randint(2, 5)
        if age <= 50 and rng.random() < 0.6:
            for sex in "MF":
                parent_age = age + rng.randint(22, 32)
                if parent_age <= 90:
                    parent = self.person(sex, parent_age, surname if sex == "M" else "")
                    members.append((Rel.PARENT, parent))
        if not members:
            sibling_age = max(18, age + rng.randint(-8, 8))
            members.append((Rel.SIBLING, self.person(rng.choice("MF"), sibling_age, surname)))
        family = []
        for relation, person in [(Rel.HEAD, head), *members[:4]]:
            occupation, labour = self.occupation(relation, self.age(person), work)
            self.member(customer, relation, person, occupation, labour)
            family.append((person, occupation))
        return family

    def occupation(self, relation: str, age: int, head_work: str) -> tuple[str, bool]:
        """(occupation, counts as labour)."""
        if age < 7:
            return "学龄前儿童", False
        if age < 19 or (age < 23 and relation == Rel.CHILD and self.rng.random() < 0.5):
            return "在校学生", False
        if age >= 70:
            return "无", False
        if relation == Rel.HEAD:
            return head_work, True
        if relation == Rel.CHILD:
            return self.rng.choice((*WAGE_JOBS, "外出务工", "个体经营")), True
        return ("务农", age < 65) if age >= 55 else (self.rng.choice(("务农", "县城务工")), True)

    def scale(self, line: Line) -> int:
        low, high = line.scale
        return low + int((high - low) * self.rng.random() ** 3)  # most are small, a few large

    def production(
        self, customer: Customer, lines: list[Line], scales: dict[str, int], record: bool
    ) -> dict[str, Decimal]:
        """Last year's sales by income source; a row per line when ``record``."""
        revenue: dict[str, Decimal] = defaultdict(Decimal)
        for line in lines:
            output = scales[line.kind] * line.kg_per_unit
            income = hundreds(output * self.rng.randint(*line.price_fen) // 100)
            source = sm.IncomeSource.PLANTING if line.category == CROP else sm.IncomeSource.BREEDING
            revenue[source] += income
            if record:
                self.add(
                    sm.FarmProduction(
                        customer=customer,
                        category=line.category,
                        kind=line.kind,
                        scale=Decimal(scales[line.kind]),
                        unit=line.unit,
                        yearly_output=f"{output} {line.output}",
                        yearly_income=income,
                    )
                )
        return revenue

    def land(self, customer: Customer, village: Area, contracted: Decimal, crops: Decimal) -> None:
        """承包地 always; 流转地 for what the crops need beyond it, one lease in ten run out."""
        rng = self.rng
        self.add(
            sm.LandHolding(
                customer=customer,
                kind=sm.LandKind.CONTRACTED,
                area_mu=contracted,
                location=f"{village.name}{rng.randint(1, 9)}组",
                contract_no=f"{village.code}{rng.randrange(10**5):05d}J",
                expires_on=dt.date(self.as_of.year + rng.choice((3, 32)), 12, 31),
            )
        )
        if crops > contracted:
            expired, signed = rng.random() < 0.1, self.as_of.year - rng.randint(0, 5)
            self.add(
                sm.LandHolding(
                    customer=customer,
                    kind=sm.LandKind.TRANSFERRED,
                    area_mu=crops - contracted + rng.randint(0, 5),
                    location=f"{village.name}{rng.choice(('东畈', '西垅', '河滩', '后山'))}",
                    contract_no=f"LZ{signed}{rng.randrange(10**4):04d}",
                    expires_on=self.days(-200, -10) if expired else self.days(90, 3650),
                )
            )

    def farm_assets(self, customer: Customer, lines: list[Line], scales: dict[str, int]) -> None:
        rng = self.rng
        floors, sqm = rng.choice((1, 2, 2, 3)), rng.randint(90, 260)
        assets = [(sm.AssetCategory.HOUSE, f"自建住房{floors}层砖混，约{sqm}平方米", sqm * 1100)]
        for line in lines:
            if line.kind in MACHINES and scales[line.kind] >= line.scale[1] // 4:
                assets.append((sm.AssetCategory.MACHINERY, *MACHINES[line.kind]))
        if rng.random() < 0.7:
            assets.append((sm.AssetCategory.VEHICLE, *rng.choice(VEHICLES)))
        for category, description, value in assets:
            worth = hundreds(value * rng.randint(60, 130) // 100)
            self.add(
                sm.FixedAsset(
                    customer=customer, category=category, description=description, value=worth
                )
            )

    def farm_liabilities(self, customer: Customer, revenue: Decimal) -> None:
        """The section needs a row, so a debt-free household still owes relatives a little."""
        rng, Cat = self.rng, sm.LiabilityCategory
        debts: list[tuple[str, str, int]] = []
        if rng.random() < 0.55:
            amount = max(30_000, min(300_000, int(revenue) // 2 // 10_000 * 10_000))
            debts.append((Cat.THIS_BANK, f"{BANK}{customer.org_unit.name}", amount))
            self.loans[customer.id_number] = Decimal(amount)
        if rng.random() < 0.15:
            debts.append((Cat.OTHER_BANK, rng.choice(OTHER_BANKS), rng.choice((50_000, 100_000))))
        if rng.random() < 0.25 or not debts:
            lender = f"亲戚{self.fake.last_name()}某（民间借款）"
            debts.append((Cat.PRIVATE, lender, rng.randint(1, 5) * 10_000))
        for category, creditor, amount in debts:
            self.add(
                sm.Liability(
                    customer=customer,
                    category=category,
                    creditor=creditor,
                    amount=Decimal(amount),
                    balance=hundreds(amount * rng.randint(30, 100) // 100),
                    matures_on=None if category == Cat.PRIVATE else self.days(60, 720),
                )
            )

    def income(
        self,
        customer: Customer,
        revenue: dict[str, Decimal],
        family: list[tuple[Person, str]],
        contracted: Decimal,
    ) -> None:
        rng, Src, Period = self.rng, sm.IncomeSource, sm.IncomePeriod
        wage_earners = sum(1 for _, occupation in family if occupation in WAGE_JOBS)
        elders = sum(1 for person, _ in family if self.age(person) >= 60)
        items = dict(revenue)
        items[Src.WAGES] = Decimal(sum(rng.randint(300, 700) * 100 for _ in range(wage_earners)))
        items[Src.TRANSFER] = hundreds(contracted * 110 + elders * 1_800)  # 地力补贴, 养老金
        for source, amount in items.items():
            if amount:
                self.add(
                    sm.IncomeItem(
                        customer=customer, period=Period.LAST_YEAR, source=source, amount=amount
                    )
                )
        if rng.random() < 0.3:
            for source, amount in revenue.items():
                expected = hundreds(amount * rng.randint(95, 115) // 100)
                self.add(
                    sm.IncomeItem(
                        customer=customer, period=Period.THIS_YEAR, source=source, amount=expected
                    )
                )

    def expenses(
        self, customer: Customer, revenue: dict[str, Decimal], family: list[tuple[Person, str]]
    ) -> None:
        rng, Cat = self.rng, sm.ExpenseCategory
        ages = [self.age(person) for person, _ in family]
        students = sum(1 for _, occupation in family if occupation == "在校学生")
        items = {
            Cat.LIVING: len(family) * rng.randint(5_000, 8_000),
            Cat.EDUCATION: students * rng.randint(3_000, 12_000),
            Cat.MEDICAL: rng.randint(1_000, 3_000) + 3_000 * sum(1 for a in ages if a >= 60),
            Cat.FAVOURS: rng.randint(3_000, 12_000),
            Cat.PRODUCTION: int(sum(revenue.values(), Decimal(0))) * rng.randint(45, 70) // 100,
        }
        for category, amount in items.items():
            if amount:
                self.add(
                    sm.ExpenseItem(
                        customer=customer,
                        period=sm.IncomePeriod.LAST_YEAR,
                        category=category,
                        amount=hundreds(amount),
                    )
                )

    def evaluation(self, customer: Customer, village: Area) -> None:
        rating = self.rng.choices(list(EVALUATIONS), weights=(75, 20, 5))[0]
        self.add(
            sm.VillageEvaluation(
                customer=customer,
                rating=rating,
                comment=self.rng.choice(EVALUATIONS[rating]),
                evaluator=f"{self.secretaries[village.code]}（村支书）",
                evaluated_on=self.days(-300, -5),
            )
        )
