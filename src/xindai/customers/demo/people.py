"""The people and numbers of the demo: identity numbers with valid check digits and birth
dates, mobiles, cards and credit codes (each used once), which requirements an archive
lacks, and the rows every kind of customer has: members, deposits, links, notes, scans."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Model
from faker import Faker
from stdnum.cn import ric, uscc

from xindai.customers import section_models as sm
from xindai.customers.demo.files import luhn, org_code_check, pdf, png
from xindai.customers.demo.tables import (
    BANK,
    FARMER,
    GAP_COUNTS,
    MOBILE_PREFIXES,
    OTHER_BANKS,
    REGION,
    SEED,
    SOFT_NOTES,
    SOURCES,
    TOWNSHIPS,
    USCC_ALPHABET,
    Township,
)
from xindai.customers.models import (
    Area,
    Customer,
    Document,
    DocumentType,
    IdType,
    Relationship,
    SoftInfo,
)
from xindai.org.models import User


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    born: dt.date
    id_number: str
    phone: str


def hundreds(amount: Decimal | int) -> Decimal:
    """A generated amount in whole hundreds of 元, as people quote them."""
    return Decimal(int(amount) // 100 * 100)


class Builder:
    """The generator's state (one seeded ``random.Random`` and Faker for the whole run, the numbers
    already used) and what every kind of customer is built from: people, numbers, gaps, and the
    rows households and businesses share."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.rng = random.Random(SEED)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(SEED)
        usernames = {town.manager for town in TOWNSHIPS}
        self.managers = {u.username: u for u in User.objects.filter(username__in=usernames)}
        if missing := usernames - self.managers.keys():
            raise RuntimeError(f"缺少演示客户经理 {sorted(missing)}：请先载入演示机构和员工")
        self.used: set[str] = set()  # identity numbers, phones, accounts, names, links
        self.customers: list[Customer] = []
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        self.heads: list[tuple[Customer, Person]] = []  # farmers free to run a shop or hold shares
        self.loans: dict[str, Decimal] = {}  # farmer's id number → loan here, for guarantees
        self.secretaries: dict[str, str] = {}  # village code → 村支书
        self.areas = 0

    def add(self, row: Model) -> None:
        self.rows[type(row)].append(row)

    # ---- areas, people and numbers ---------------------------------------------------------

    def area(self, code: str, name: str, level: str, parent: Area | None) -> Area:
        self.areas += 1
        return Area.objects.create(code=code, name=name, level=level, parent=parent)

    def unique(self, make: Callable[[], str]) -> str:
        while (value := make()) in self.used:
            pass
        self.used.add(value)
        return value

    def born(self, age: int) -> dt.date:
        """A birthday making someone ``age`` on as_of."""
        return self.as_of - dt.timedelta(days=age * 365 + self.rng.randrange(1, 365))

    def age(self, person: Person) -> int:
        return (self.as_of - person.born).days // 365

    def days(self, low: int, high: int) -> dt.date:
        """A date ``low``..``high`` days after as_of (negative: before)."""
        return self.as_of + dt.timedelta(days=self.rng.randint(low, high))

    def person(
        self, sex: str, age: int, surname: str = "", region: str = REGION, phone: float = 0.9
    ) -> Person:
        """Someone ``age`` years old; ``phone`` is the chance of a mobile number from 16 on."""
        given = self.fake.first_name_male() if sex == "M" else self.fake.first_name_female()
        born = self.born(age)

        def resident_id() -> str:
            body = f"{region}{born:%Y%m%d}{self.rng.randrange(500) * 2 + (sex == 'M'):03d}"
            return body + ric.calc_check_digit(body + "0")

        number = self.mobile() if age >= 16 and self.rng.random() < phone else ""
        name = (surname or self.fake.last_name()) + given
        return Person(name, sex, born, self.unique(resident_id), number)

    def mobile(self) -> str:
        rng = self.rng
        return self.unique(lambda: f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}")

    def card(self) -> str:
        return self.unique(lambda: luhn(f"623059{self.rng.randrange(10**12):012d}"))

    def corporate_account(self) -> str:
        return self.unique(lambda: f"1503{REGION}{self.rng.randrange(10**8):08d}")

    def credit_code(self, prefix: str) -> str:
        """``92…`` for an individual business, ``91…`` for a company, registered here."""

        def make() -> str:
            code8 = "MA3" + "".join(self.rng.choice(USCC_ALPHABET) for _ in range(5))
            body = f"{prefix}{REGION}{code8}{org_code_check(code8)}"
            return body + uscc.calc_check_digit(body)

        return self.unique(make)

    def gaps(self, weights: dict[str, int], count: int | None = None) -> frozenset[str]:
        """Which requirements this archive lacks: ``count`` of them, drawn by weight."""
        count = self.rng.choice(GAP_COUNTS) if count is None else count
        ranked = sorted(weights, key=lambda k: self.rng.random() ** (1 / weights[k]), reverse=True)
        return frozenset(ranked[:count])

    def id_card_expiry(self, person: Person) -> dt.date | None:
        """One card in ten has run out; from 46 the card is mostly 长期."""
        if self.rng.random() < 0.1:
            return self.days(-400, -10)
        if self.age(person) >= 46 and self.rng.random() < 0.7:
            return None
        return self.days(60, 3650 if self.age(person) < 26 else 7300)

    def new_customer(self, kind: str, town: Township, **fields: Any) -> Customer:
        manager = self.managers[town.manager]
        id_type = IdType.RESIDENT_ID if kind == FARMER else IdType.CREDIT_CODE
        customer = Customer(
            kind=kind, id_type=id_type, manager=manager, org_unit=manager.org_unit, **fields
        )
        self.customers.append(customer)
        return customer

    # ---- rows of every kind of customer ----------------------------------------------------

    def member(
        self, customer: Customer, relation: str, person: Person, occupation: str, labour: bool
    ) -> None:
        self.add(
            sm.HouseholdMember(
                customer=customer,
                relation=relation,
                name=person.name,
                sex=person.sex,
                id_number=person.id_number,
                occupation=occupation,
                phone=person.phone,
                is_labour=labour,
            )
        )

    def deposits(self, customer: Customer, here: int) -> None:
        """A deposit here always; 股金 and a deposit elsewhere for some."""
        rng, Cat = self.rng, sm.FinancialAssetCategory
        rows = [(Cat.DEPOSIT_HERE, f"{BANK}{customer.org_unit.name}", self.card(), here)]
        if rng.random() < 0.5:
            rows.append((Cat.SHARES, BANK, "", rng.choice((1_000, 2_000, 5_000, 10_000, 20_000))))
        if rng.random() < 0.3:
            rows.append(
                (Cat.DEPOSIT_ELSEWHERE, rng.choice(OTHER_BANKS), "", rng.randint(2, 80) * 1000)
            )
        for category, institution, account, amount in rows:
            self.add(
                sm.FinancialAsset(
                    customer=customer,
                    category=category,
                    institution=institution,
                    account_no=account,
                    amount=hundreds(amount),
                )
            )

    def relate(self, source: Customer, target: Customer, kind: str, note: str) -> bool:
        key = f"{source.id_number}>{target.id_number}:{kind}"
        if key in self.used:
            return False
        self.used.add(key)
        self.add(Relationship(source=source, target=target, kind=kind, note=note))
        return True

    def soft_info(self, customer: Customer, share: float) -> None:
        if self.rng.random() >= share:
            return
        for circle in self.rng.sample(list(SOFT_NOTES), self.rng.randint(1, 3)):
            self.add(
                SoftInfo(
                    customer=customer,
                    circle=circle,
                    note=self.rng.choice(SOFT_NOTES[circle]),
                    source=self.rng.choice(SOURCES),
                    noted_on=self.days(-300, -1),
                    author=customer.manager,
                )
            )

    def document(
        self, customer: Customer, doc_type: str, title: str, expires_on: dt.date | None = None
    ) -> None:
        """A tiny scan (PNG for ID cards, PDF otherwise) stored through the FileField."""
        label = f"Xindai demo document {len(self.rows[Document]) + 1}: {doc_type}"
        is_image = doc_type == DocumentType.ID_CARD
        data, ext = (png(label), ".png") if is_image else (pdf(label), ".pdf")
        sha256 = hashlib.sha256(data).hexdigest()
        document = Document(
            customer=customer,
            doc_type=doc_type,
            title=title,
            original_name=f"{title}{ext}",
            content_type="image/png" if is_image else "application/pdf",
            size=len(data),
            sha256=sha256,
            expires_on=expires_on,
            uploaded_by=customer.manager,
        )
        # Named by content, so a file left by an earlier run (rolled back, or another test
        # database) is reused rather than copied again.
        name = f"{sha256[:16]}{ext}"
        path = document.file.field.generate_filename(document, name)
        if document.file.storage.exists(path):
            document.file.name = path
        else:
            document.file.save(name, ContentFile(data), save=False)
        self.add(document)
