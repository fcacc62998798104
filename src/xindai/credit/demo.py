"""Demo credit applications (演示信贷申请): a few applications of the demo manager 张建国 in
the situations a workbench must show, and a blacklist and a related-party entry.

- one admitted, accepted and in 实地调查 with 李秀兰 as co-investigator;
- one just submitted, still without the customer's consent (nor the land contract);
- one checked 审慎 (four other banks lend to the borrower), waiting for the branch head;
- one checked 禁入 and rejected by the manager, with his reason;
- one submitted forty days ago and not answered: past its answer time (贷款通则 第23条).

Every step goes through the services, so the audit chain, the admission facts and the
timeline are real. The steps are replayed in order on the business dates of the story (the
business date is moved for each and put back at the end), and the clock times they recorded
are moved to those days. The borrowers are chosen among the demo farmers by what the
admission engine says of them, so the data set stays right if the archives change.
Seeding again creates nothing: the applications' source note marks the data set as present.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xindai.core import business_date
from xindai.credit import admission, facts, services
from xindai.credit.admission import Outcome
from xindai.credit.models import (
    AdmissionCheck,
    CreditApplication,
    CreditQueryConsent,
    CreditReportSummary,
    RiskListEntry,
    RiskListKind,
    StageEvent,
)
from xindai.customers import documents
from xindai.customers.demo.files import pdf
from xindai.customers.models import Customer, CustomerKind
from xindai.customers.services import as_of_today
from xindai.org.models import User
from xindai.products.models import LoanProduct

DEMO_NOTE = "演示数据"
PRODUCT = "ZCSX"  # 整村授信贷: farmers, 1万–30万, 6–36 months, credit or guarantee
REPLAY = "演示数据：按业务发生日回放信贷申请的办理过程"
CLEAN_REPORT = {
    "max_consecutive_overdue_24m": "0",
    "total_overdue_24m": "0",
    "current_overdue_amount": "0",
    "other_bank_lenders": "1",
    "other_bank_debt": "20000",
    "monthly_debt_service": "800",
}
MANY_LENDERS = CLEAN_REPORT | {"other_bank_lenders": "4", "other_bank_debt": "160000"}
REJECT_REASON = "准入检查结论为禁入：借款人贷款到期时年龄超过政策上限，建议由家庭其他成员申请"

# The steps of each story: (days before the business date, step name).
APPLY, LAND, CONSENT, CHECK, ACCEPT, CO, INVESTIGATE, REJECT = (
    "apply",
    "land_contract",
    "consent",
    "check",
    "accept",
    "co_investigator",
    "start_investigation",
    "reject",
)


@dataclasses.dataclass(frozen=True)
class Story:
    amount: str
    purpose_text: str
    outcome: Outcome  # what the admission engine must say of the chosen borrower
    report: dict[str, str]  # the credit report summary the borrower is checked with
    steps: tuple[tuple[int, str], ...]


STORIES = (
    Story(
        "80000",
        "扩种水稻 20 亩，购买化肥、种子",
        Outcome.ADMIT,
        CLEAN_REPORT,
        ((9, LAND), (9, APPLY), (8, CONSENT), (8, CHECK), (4, ACCEPT), (3, CO), (2, INVESTIGATE)),
    ),
    Story("50000", "购买仔猪 30 头", Outcome.ADMIT, CLEAN_REPORT, ((0, APPLY),)),
    Story(
        "150000",
        "新建蔬菜大棚 2 座",
        Outcome.PRUDENT,
        MANY_LENDERS,
        ((3, LAND), (3, APPLY), (3, CONSENT), (3, CHECK)),
    ),
    Story(
        "60000",
        "购买小型农机",
        Outcome.PROHIBIT,
        CLEAN_REPORT,
        ((6, LAND), (6, APPLY), (5, CONSENT), (5, CHECK), (1, REJECT)),
    ),
    Story("30000", "春耕备耕生产资料", Outcome.ADMIT, CLEAN_REPORT, ((40, APPLY), (39, CONSENT))),
)


def seed_demo_applications() -> dict[str, int]:
    """Create the demo applications and risk-list entries unless they exist."""
    if CreditApplication.objects.filter(source_note=DEMO_NOTE).exists():
        return {"applications": 0, "risk_entries": 0}
    with transaction.atomic():
        return CreditDemo(User.objects.get(username="manager"), as_of_today()).run()


class CreditDemo:
    def __init__(self, manager: User, as_of: dt.date) -> None:
        self.manager = manager
        self.as_of = as_of
        self.product = LoanProduct.objects.get(code=PRODUCT)
        self.co_investigator = User.objects.get(username="co_investigator")
        self.applications: dict[int, CreditApplication] = {}  # by the story's index

    def run(self) -> dict[str, int]:
        candidates = self.candidates()
        borrowers = [self.borrower(story, candidates) for story in STORIES]
        steps = sorted(
            (-days, index, order, step)
            for index, story in enumerate(STORIES)
            for order, (days, step) in enumerate(story.steps)
        )
        for minus_days, index, _order, step in steps:
            day = self.as_of + dt.timedelta(days=minus_days)
            if business_date.current_or_none() != day:
                business_date.set_date(day, actor=None, reason=REPLAY)
            started = timezone.now()
            self.take_step(step, index, borrowers[index], day)
            if minus_days:
                self.stamp(index, started, day)
        if business_date.current_or_none() != self.as_of:
            business_date.set_date(self.as_of, actor=None, reason=REPLAY)
        return {"applications": len(self.applications), "risk_entries": self.risk_entries()}

    # ---- the borrowers -------------------------------------------------------------------

    def candidates(self) -> Iterator[Customer]:
        """The manager's farmers whose archive would be accepted once the land contract is in
        (the demo archives hold none; the story's manager collects it)."""
        farmers = Customer.objects.filter(
            manager=self.manager, kind=CustomerKind.FARMER, completeness__gte=80
        ).order_by("pk")
        for customer in farmers:
            draft = self.draft(customer, STORIES[0])
            if set(facts.missing_documents(draft, self.as_of)) <= {"land_contract"}:
                yield customer

    def borrower(self, story: Story, candidates: Iterator[Customer]) -> Customer:
        """The next candidate whose admission check would come out as the story needs."""
        _version, policy = facts.current_policy()
        report = admission.CreditReportFacts(
            consent_recorded=True,
            max_consecutive_overdue_24m=int(story.report["max_consecutive_overdue_24m"]),
            total_overdue_24m=int(story.report["total_overdue_24m"]),
            current_overdue_amount=Decimal(story.report["current_overdue_amount"]),
            other_bank_lenders=int(story.report["other_bank_lenders"]),
            other_bank_debt=Decimal(story.report["other_bank_debt"]),
            monthly_debt_service=Decimal(story.report["monthly_debt_service"]),
        )
        days = next((days for days, step in story.steps if step == CHECK), 0)
        check_day = self.as_of - dt.timedelta(days=days)
        for customer in candidates:
            found = facts.admission_facts(self.draft(customer, story), check_day)
            found = dataclasses.replace(found, credit_report=report)
            if admission.evaluate(found, policy).outcome == story.outcome:
                return customer
        raise LookupError(f"no demo farmer is checked {story.outcome}")

    def draft(self, customer: Customer, story: Story) -> CreditApplication:
        """The application, unsaved: what the admission engine is asked about."""
        return CreditApplication(
            customer=customer,
            manager=self.manager,
            org_unit=self.manager.org_unit,
            **self.terms(story),
        )

    def terms(self, story: Story) -> dict[str, Any]:
        return {
            "product": self.product,
            "amount": Decimal(story.amount),
            "term_months": 12,
            "purpose": self.product.purpose,
            "purpose_text": story.purpose_text,
            "repayment_method": "interest_only",
            "guarantee_methods": ["credit"],
            "legal_capacity": "full",
            "source": "walk_in",
            "source_note": DEMO_NOTE,
        }

    # ---- the steps -----------------------------------------------------------------------

    def take_step(self, step: str, index: int, customer: Customer, day: dt.date) -> None:
        story = STORIES[index]
        if step == LAND:
            self.land_contract(customer)
            return
        if step == APPLY:
            data = self.terms(story) | {"product": self.product.pk}
            self.applications[index] = services.create_application(self.manager, customer, data)
            return
        application = self.applications[index]
        actions: dict[str, Callable[[], Any]] = {
            CONSENT: lambda: self.consent(application, day),
            CHECK: lambda: self.check(application, story, day),
            ACCEPT: lambda: services.take(self.manager, application, ACCEPT),
            CO: lambda: services.set_co_investigator(
                self.manager, application, {"co_investigator": self.co_investigator.pk}
            ),
            INVESTIGATE: lambda: services.take(self.manager, application, INVESTIGATE),
            REJECT: lambda: services.take(self.manager, application, REJECT, REJECT_REASON),
        }
        actions[step]()

    def land_contract(self, customer: Customer) -> None:
        scan = SimpleUploadedFile(
            "land-contract.pdf", pdf(f"Land contract {customer.pk}"), "application/pdf"
        )
        data = {"doc_type": "land_contract", "title": "土地承包经营权证"}
        documents.upload_document(self.manager, customer, data, {"file": scan})

    def consent(self, application: CreditApplication, day: dt.date) -> None:
        content = pdf(f"Consent {application.pk}")
        scan = SimpleUploadedFile("consent.pdf", content, "application/pdf")
        data = {
            "signed_by": application.customer.name,
            "signed_on": day.isoformat(),
            "purpose": "loan_approval",
        }
        services.record_consent(self.manager, application, data, {"scan": scan})

    def check(self, application: CreditApplication, story: Story, day: dt.date) -> None:
        data = story.report | {"report_date": day.isoformat()}
        services.record_credit_report(self.manager, application, data)
        services.check_admission(self.manager, application)

    def stamp(self, index: int, since: dt.datetime, day: dt.date) -> None:
        """What the step recorded at clock time ``since`` or later, moved to ``day`` 10:00."""
        application = self.applications.get(index)
        if application is None:
            return
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        own = CreditApplication.objects.filter(pk=application.pk)
        for name in ("created_at", "stage_since", "accepted_at"):
            own.filter(**{f"{name}__gte": since}).update(**{name: moment})
        mine = {"application": application}
        StageEvent.objects.filter(**mine, at__gte=since).update(at=moment)
        AdmissionCheck.objects.filter(**mine, checked_at__gte=since).update(checked_at=moment)
        CreditQueryConsent.objects.filter(**mine, recorded_at__gte=since).update(recorded_at=moment)
        CreditReportSummary.objects.filter(**mine, entered_at__gte=since).update(entered_at=moment)

    # ---- the risk lists ------------------------------------------------------------------

    def risk_entries(self) -> int:
        """A blacklisted farmer and a related party (关系人) of the bank, not among the
        applicants: the admission check refuses or flags them when they apply."""
        applicants = CreditApplication.objects.values("customer")
        others = (
            Customer.objects.filter(manager=self.manager, kind=CustomerKind.FARMER)
            .exclude(pk__in=applicants)
            .order_by("-pk")
        )
        listed = [
            (RiskListKind.BLACKLIST, "恶意拖欠他行贷款，2024 年被法院列为失信被执行人"),
            (RiskListKind.RELATED_PARTY, "本行董事的近亲属（商业银行法第40条）"),
        ]
        created = 0
        for (kind, reason), person in zip(listed, others, strict=False):
            _entry, new = RiskListEntry.objects.get_or_create(
                kind=kind,
                id_number=person.id_number,
                defaults={"name": person.name, "reason": reason},
            )
            created += int(new)
        return created
