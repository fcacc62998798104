"""Demo applications past 实地调查 (演示数据：审查、审贷小组与审批, issue 7): four applications of
the demo manager 张建国, each stopped where a page of issue 7 shows it:

- ``review``: investigated and submitted, waiting in 审贷分析 (the reviewer's queue);
- ``approval``: reviewed, the committee met and passed it, waiting for the approver;
- ``contracts``: a 个体工商户经营贷 secured by the borrower's house, approved with a condition;
  ``loans.demo`` generates and checks its contracts, and stops there (the disbursement gate
  shows what is still missing: signing, registration, the vault, the condition);
- ``disbursed``: a 农机具购置贷 secured by the borrower's house, approved a month ago;
  ``loans.demo`` takes it through contracts, registration, the vault and 放款 (受托支付).

Every step goes through the services (intake, investigation, limit, report, confirmations,
review, the committee's meeting, approval), so the audit chain, the numbers, the minutes and
the report DOCX are real. As in ``credit.demo``, the steps are replayed in order on the
business dates of the story (the business date is moved for each and put back at the end) and
the times they recorded are moved to those days; the borrowers are the manager's farmers that
the admission engine admits and whose credit limit (and house, for a mortgage) covers the
amount. The committee needs five members present (policy ``committee_min_present``): four
more committee members are added to the one of ``org.demo``. Seeding again creates nothing:
the applications' source note marks the data set as present.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone

from xindai.analysis.thresholds import DEFAULT_LTV, CollateralKind
from xindai.core import business_date
from xindai.credit import (
    admission,
    approval,
    facts,
    investigation,
    investigation_items,
    limit,
    limit_data,
    meetings,
    report,
    review,
    services,
)
from xindai.credit.admission import Outcome
from xindai.credit.demo import CLEAN_REPORT, REPLAY
from xindai.credit.models import (
    AdmissionCheck,
    CreditApplication,
    CreditLimitAssessment,
    CreditQueryConsent,
    CreditReportSummary,
    InvestigationReport,
    InvestigatorConfirmation,
    ReportSection,
    ReviewOpinion,
    StageEvent,
)
from xindai.credit.models_approval import (
    ApprovalCondition,
    ApprovedTerms,
    CommitteeMeeting,
    CommitteeVote,
)
from xindai.credit.models_investigation import Investigation
from xindai.customers import documents
from xindai.customers import section_models as sm
from xindai.customers.demo.files import pdf
from xindai.customers.models import Customer, CustomerKind
from xindai.customers.services import as_of_today
from xindai.org.demo import DemoUser, ensure_user
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.products.models import LoanProduct

DEMO_NOTE = "演示数据：审查、审批与放款"

# The committee of 城关支行: 赵丽华 (``org.demo``'s committee member) and four more.
COMMITTEE_USERS: tuple[DemoUser, ...] = (
    DemoUser("committee2", "钱文博", Role.COMMITTEE, "B01", "100112", "13800000013"),
    DemoUser("committee3", "孙雅琴", Role.COMMITTEE, "B01", "100113", "13800000014"),
    DemoUser("committee4", "冯建军", Role.COMMITTEE, "B01", "100114", "13800000015"),
    DemoUser("committee5", "郭海燕", Role.COMMITTEE, "B01", "100115", "13800000016"),
)
COMMITTEE = ("committee", *(spec.username for spec in COMMITTEE_USERS))

# The steps of a story, each taken on its day (a step may call several services).
APPLY, INTAKE, VISIT, REPORT, REVIEW, MEET, APPROVE = (
    "apply",  # the missing papers uploaded, the application made and submitted
    "intake",  # consent, credit report, admission check, 受理, co-investigator, 实地调查
    "visit",  # the house registered as collateral (mortgage) and the visit recorded
    "report",  # credit limit, report finalised, both confirmations, 提交调查
    "review",  # the reviewer's opinion and 审查通过
    "meet",  # the committee's meeting: five members vote, the minutes
    "approve",  # the approver's terms
)
REVIEW_KEY, APPROVAL_KEY, CONTRACTS_KEY, DISBURSED_KEY = (
    "review",
    "approval",
    "contracts",
    "disbursed",
)
COUNTY = "青禾县"
PLACE = "城关支行三楼会议室"
VOTES = (  # of the five members in ``COMMITTEE``'s order: four agree, one abstains
    ("agree", "同意"),
    ("agree", "同意，注意贷后资金用途检查"),
    ("agree", "同意"),
    ("agree", "同意"),
    ("abstain", "对该行业经营情况了解不多，弃权"),
)


@dataclasses.dataclass(frozen=True)
class Story:
    key: str
    product: str
    amount: str
    term_months: int
    repayment_method: str
    guarantee: str  # "credit" or "mortgage" (the borrower's own house)
    purpose_text: str
    steps: tuple[tuple[int, str], ...]  # (days before the business date, step)
    conditions: str = ""  # the committee's conditions, carried into the approval

    @property
    def mortgage(self) -> bool:
        return self.guarantee == "mortgage"

    def days_before(self, step: str) -> int:
        return next(days for days, name in self.steps if name == step)


STORIES: tuple[Story, ...] = (
    Story(
        DISBURSED_KEY,
        "NJJ",
        "120000",
        24,
        "equal_installment",
        "mortgage",
        "购买履带式联合收割机一台，承接本村及邻村水稻机收",
        (
            (45, APPLY),
            (44, INTAKE),
            (41, VISIT),
            (38, REPORT),
            (35, REVIEW),
            (32, MEET),
            (30, APPROVE),
        ),
        "放款前提供农机购销合同，贷款资金受托支付给农机经销商",
    ),
    Story(
        CONTRACTS_KEY,
        "GTJY",
        "150000",
        36,
        "equal_principal",
        "mortgage",
        "扩建农家乐餐厅，购置厨具和桌椅",
        (
            (22, APPLY),
            (21, INTAKE),
            (18, VISIT),
            (15, REPORT),
            (12, REVIEW),
            (8, MEET),
            (6, APPROVE),
        ),
        "放款前由借款人配偶出具同意以共有住房抵押的书面声明",
    ),
    Story(
        APPROVAL_KEY,
        "ZCSX",
        "150000",
        24,
        "equal_installment",
        "credit",
        "新建蛋鸡舍一栋，购进蛋鸡 2000 羽",
        ((16, APPLY), (15, INTAKE), (12, VISIT), (9, REPORT), (6, REVIEW), (2, MEET)),
    ),
    Story(
        REVIEW_KEY,
        "ZCSX",
        "100000",
        12,
        "interest_only",
        "credit",
        "扩种水稻 30 亩，购买种子、化肥和农药",
        ((9, APPLY), (8, INTAKE), (5, VISIT), (2, REPORT)),
    ),
)
STORY_BY_KEY = {story.key: story for story in STORIES}
TIMING = {  # 还款时间安排, by repayment method
    "interest_only": "按季付息，到期晚稻收割销售后一次归还本金",
    "equal_installment": "按月等额还本付息，月收入足以覆盖月供",
    "equal_principal": "按月等额还本、利息逐月递减，旺季收入可提前归还部分本金",
}
PAPERS = {"land_contract": "土地承包经营权证", "property": "不动产权证书"}


def demo_application(key: str) -> CreditApplication | None:
    """The application of story ``key`` (None before seeding)."""
    story = STORY_BY_KEY[key]
    found = CreditApplication.objects.filter(source_note=DEMO_NOTE, purpose_text=story.purpose_text)
    return found.order_by("pk").first()


def seed_demo_committee() -> int:
    """The four more committee members of 城关支行 (same password as every demo user)."""
    unit = OrgUnit.objects.get(code="B01")
    with transaction.atomic():
        return sum(ensure_user(spec, unit) for spec in COMMITTEE_USERS)


def seed_demo_approvals() -> dict[str, int]:
    """The committee members and the four applications, unless they exist."""
    members = seed_demo_committee()
    if CreditApplication.objects.filter(source_note=DEMO_NOTE).exists():
        return {"members": members, "applications": 0}
    with transaction.atomic():
        made = ApprovalDemo(User.objects.get(username="manager"), as_of_today()).run()
    return {"members": members, "applications": made}


# ---- replaying steps on their business dates -------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Timed:
    """Times a model records, and the lookup from the model to its application's id."""

    model: type[models.Model]
    fields: tuple[str, ...]
    application: str


CREDIT_TIMES: tuple[Timed, ...] = (
    Timed(CreditApplication, ("created_at", "stage_since", "accepted_at", "updated_at"), "pk"),
    Timed(StageEvent, ("at",), "application"),
    Timed(CreditQueryConsent, ("recorded_at",), "application"),
    Timed(CreditReportSummary, ("entered_at",), "application"),
    Timed(AdmissionCheck, ("checked_at",), "application"),
    Timed(Investigation, ("updated_at",), "application"),
    Timed(CreditLimitAssessment, ("computed_at",), "application"),
    Timed(ReportSection, ("updated_at",), "application"),
    Timed(InvestigationReport, ("finalised_at",), "application"),
    Timed(InvestigatorConfirmation, ("confirmed_at",), "application"),
    Timed(ReviewOpinion, ("created_at",), "application"),
    Timed(CommitteeMeeting, ("created_at", "closed_at"), "application"),
    Timed(CommitteeVote, ("recorded_at",), "meeting__application"),
    Timed(ApprovedTerms, ("approved_at",), "application"),
    Timed(ApprovalCondition, ("met_at",), "terms__application"),
)

Action = Callable[[dt.date, dt.datetime], Any]  # (the day, the moment it is stamped with)


class Replay:
    """Steps taken in the order of their days, the business date set to each day; what a step
    recorded is then moved to its moment on that day (10:00, then 15 minutes later for each
    further step that day), so the pages show the story's dates and keep its order. Steps of
    the same day keep the order they were added in."""

    def __init__(self, as_of: dt.date, times: Sequence[Timed]) -> None:
        self.as_of = as_of
        self.times = times
        self.steps: list[tuple[int, int, Action]] = []

    def add(self, days_before: int, action: Action) -> None:
        self.steps.append((days_before, len(self.steps), action))

    def moment(self, day: dt.date, order: int) -> dt.datetime:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        return start + dt.timedelta(minutes=15 * order)

    def run(self, applications: Callable[[], Iterable[int]]) -> None:
        """Take the steps; ``applications`` gives the ids whose records are moved."""
        taken: dict[dt.date, int] = {}
        for days, _added, action in sorted(self.steps, key=lambda s: (-s[0], s[1])):
            day = self.as_of - dt.timedelta(days=days)
            if business_date.current_or_none() != day:
                business_date.set_date(day, actor=None, reason=REPLAY)
            moment = self.moment(day, taken.get(day, 0))
            taken[day] = taken.get(day, 0) + 1
            started = timezone.now()
            action(day, moment)
            if days:
                self.stamp(list(applications()), started, moment)
        if business_date.current_or_none() != self.as_of:
            business_date.set_date(self.as_of, actor=None, reason=REPLAY)

    def stamp(self, ids: list[int], since: dt.datetime, moment: dt.datetime) -> None:
        """The times recorded since ``since`` (by the step just taken) moved to ``moment``."""
        now = timezone.now()
        for timed in self.times:
            rows = timed.model._default_manager.filter(**{f"{timed.application}__in": ids})
            for name in timed.fields:
                rows.filter(**{f"{name}__range": (since, now)}).update(**{name: moment})


def before_now(moment: dt.datetime) -> dt.datetime:
    """A time to type into a form that refuses times in the future."""
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


# ---- the stories -----------------------------------------------------------------------------


class ApprovalDemo:
    def __init__(self, manager: User, as_of: dt.date) -> None:
        self.manager = manager
        self.as_of = as_of
        self.co_investigator = User.objects.get(username="co_investigator")
        self.reviewer = User.objects.get(username="reviewer")
        self.approver = User.objects.get(username="approver")
        self.committee = [User.objects.get(username=name) for name in COMMITTEE]
        self.applications: dict[str, CreditApplication] = {}

    def run(self) -> int:
        borrowers = self.borrowers()
        replay = Replay(self.as_of, CREDIT_TIMES)
        for story in STORIES:
            for days, step in story.steps:
                replay.add(days, self.action(story, step, borrowers[story.key]))
        replay.run(lambda: [a.pk for a in self.applications.values()])
        return len(self.applications)

    def action(self, story: Story, step: str, customer: Customer) -> Action:
        def take(day: dt.date, moment: dt.datetime) -> None:
            if step == APPLY:
                self.apply(story, customer)
                return
            application = CreditApplication.objects.get(pk=self.applications[story.key].pk)
            steps: dict[str, Callable[[], Any]] = {
                INTAKE: lambda: self.intake(application, day),
                VISIT: lambda: self.visit(application, story, day, moment),
                REPORT: lambda: self.report(application, story, day),
                REVIEW: lambda: self.review(application, story),
                MEET: lambda: self.meet(application, story, moment),
                APPROVE: lambda: self.approve(application, day),
            }
            steps[step]()

        return take

    # ---- the borrowers -----------------------------------------------------------------

    def borrowers(self) -> dict[str, Customer]:
        """For each story, a farmer of the manager not yet applying whose archive lacks at
        most the papers the story's manager collects, whom the admission engine admits, whose
        cash-flow limit covers the amount and, for a mortgage, whose house does too."""
        _version, policy = facts.current_policy()
        found: dict[str, Customer] = {}
        for story in STORIES:  # the mortgages first: fewer farmers fit them
            check_day = self.as_of - dt.timedelta(days=story.days_before(INTAKE))
            taken = {c.pk for c in found.values()}
            for customer in self.candidates():
                if customer.pk not in taken and self.fits(customer, story, check_day, policy):
                    found[story.key] = customer
                    break
            else:
                raise LookupError(f"no demo farmer fits the story {story.key}")
        return found

    def candidates(self) -> Iterator[Customer]:
        applicants = CreditApplication.objects.values("customer")
        farmers = (
            Customer.objects.filter(
                manager=self.manager, kind=CustomerKind.FARMER, completeness__gte=80
            )
            .exclude(pk__in=applicants)
            .order_by("pk")
        )
        for customer in farmers:
            if sm.IncomeItem.objects.filter(customer=customer, period="last_year").exists():
                yield customer

    def fits(self, customer: Customer, story: Story, day: dt.date, policy: Any) -> bool:
        draft = self.draft(customer, story)
        if not set(facts.missing_documents(draft, day)) <= set(PAPERS):
            return False
        found = facts.admission_facts(draft, day)
        found = dataclasses.replace(found, credit_report=clean_report())
        if admission.evaluate(found, policy).outcome != Outcome.ADMIT:
            return False
        amount = Decimal(story.amount)
        if story.mortgage:
            house = self.house(customer)
            if house is None or house.value * DEFAULT_LTV.rate(CollateralKind.RESIDENTIAL) < amount:
                return False
        inputs = limit_data.prefill(draft, day).inputs
        inputs["monthly_debt_service"] = CLEAN_REPORT["monthly_debt_service"]
        # the cash-flow method as the limit service computes it from the same inputs, with room
        # for the rate to move before the limit is assessed (the approval keeps within it)
        cash_flow = limit.cash_flow_limit(inputs, day, draft.product.max_amount)
        return cash_flow.limit is not None and cash_flow.limit >= amount * Decimal("1.1")

    def house(self, customer: Customer) -> sm.FixedAsset | None:
        houses = sm.FixedAsset.objects.filter(customer=customer, category="house")
        return houses.filter(value__isnull=False).order_by("-value").first()

    def draft(self, customer: Customer, story: Story) -> CreditApplication:
        return CreditApplication(
            customer=customer,
            manager=self.manager,
            org_unit=self.manager.org_unit,
            **self.terms(story),
        )

    def terms(self, story: Story) -> dict[str, Any]:
        product = LoanProduct.objects.get(code=story.product)
        return {
            "product": product,
            "amount": Decimal(story.amount),
            "term_months": story.term_months,
            "purpose": product.purpose,
            "purpose_text": story.purpose_text,
            "repayment_method": story.repayment_method,
            "guarantee_methods": [story.guarantee],
            "legal_capacity": "full",
            "source": "walk_in",
            "source_note": DEMO_NOTE,
        }

    # ---- the steps ---------------------------------------------------------------------

    def apply(self, story: Story, customer: Customer) -> None:
        draft = self.draft(customer, story)
        for doc_type in facts.missing_documents(draft, as_of_today()):
            scan = SimpleUploadedFile(
                f"{doc_type}.pdf", pdf(f"{doc_type} {customer.pk}"), "application/pdf"
            )
            data = {"doc_type": doc_type, "title": PAPERS[doc_type]}
            documents.upload_document(self.manager, customer, data, {"file": scan})
        data = self.terms(story) | {"product": draft.product.pk}
        self.applications[story.key] = services.create_application(self.manager, customer, data)

    def intake(self, application: CreditApplication, day: dt.date) -> None:
        """Consent, credit report and admission check, accepted the same day (a check is
        current on the day it was made), the co-investigator named, 实地调查 started."""
        scan = SimpleUploadedFile(
            "consent.pdf", pdf(f"Consent {application.pk}"), "application/pdf"
        )
        consent = {
            "signed_by": application.customer.name,
            "signed_on": day.isoformat(),
            "purpose": "loan_approval",
        }
        services.record_consent(self.manager, application, consent, {"scan": scan})
        report_data = CLEAN_REPORT | {"report_date": day.isoformat()}
        services.record_credit_report(self.manager, application, report_data)
        services.check_admission(self.manager, application)
        services.take(self.manager, application, "accept")
        services.set_co_investigator(
            self.manager, application, {"co_investigator": self.co_investigator.pk}
        )
        services.take(self.manager, application, "start_investigation")

    def visit(
        self, application: CreditApplication, story: Story, day: dt.date, moment: dt.datetime
    ) -> None:
        customer = application.customer
        if story.mortgage:
            house = self.house(customer)
            assert house is not None  # chosen for it
            services.add_collateral(
                self.manager,
                application,
                {
                    "kind": "mortgage",
                    "collateral_type": "residential",
                    "description": f"{house.description}（{customer.address}）"[:200],
                    "owner_name": customer.name,
                    "certificate_no": f"赣(2021){COUNTY}不动产权第{customer.pk:07d}号",
                    "estimated_value": str(house.value),
                    "appraiser": f"{COUNTY}诚信房地产评估有限公司",
                    "appraised_on": (day - dt.timedelta(days=2)).isoformat(),
                },
            )
        visited = timezone.localtime(before_now(moment - dt.timedelta(hours=1)))
        record = {
            "visited_at": visited.strftime("%Y-%m-%dT%H:%M"),
            "place": f"{customer.address or customer.name + '家中'}及生产现场",
            "repayment_source": "种养殖销售收入，另有家庭成员务工收入",
            "repayment_timing": TIMING[story.repayment_method],
        }
        for item in investigation_items.items_for(customer.kind):
            record[f"{item.key}_result"] = "yes"
            record[f"{item.key}_note"] = "已实地核实，与申请资料一致"
        investigation.save_record(self.manager, application, record)

    def report(self, application: CreditApplication, story: Story, day: dt.date) -> None:
        inputs = limit_data.prefill(application, day).inputs
        limit.assess(self.manager, application, limit.form_data(inputs), day)
        customer = application.customer
        security = (
            f"以借款人自有住房抵押，评估价值{self.house_value(application)}元，抵押率不超过70%。"
            if story.mortgage
            else "信用贷款，借款人为本行整村授信评议对象，村委推荐。"
        )
        sections = {
            "basics": f"{customer.name}，{customer.address}，家庭成员身体健康，在本村居住多年。",
            "operations": "家庭以种养殖为主，生产经营正常，近两年收入稳定增长。",
            "loan": f"{story.purpose_text}；期限 {story.term_months} 个月，{security}",
            "financial": "家庭收支按经济档案核实，可支配收入足以覆盖本笔贷款月还款额。",
            "non_financial": "村委评价良好，无不良嗜好，征信记录良好，邻里口碑好。",
            "security": security,
            "conclusion": f"经双人实地调查，同意按申请金额 {int(application.amount)} 元发放。",
        }
        report.save_sections(self.manager, application, sections)
        report.finalise(self.manager, application, day)
        investigation.confirm(self.manager, application)
        investigation.confirm(self.co_investigator, application)
        services.take(self.manager, application, "submit_investigation")

    def house_value(self, application: CreditApplication) -> str:
        item = application.collateral.order_by("pk").first()
        return f"{item.estimated_value:,.0f}" if item else "—"

    def review(self, application: CreditApplication, story: Story) -> None:
        notes = {
            "security": "住房抵押，抵押率符合规定"
            if story.mortgage
            else "信用方式，符合整村授信条件",
        }
        answers = {
            item.key: {"result": "ok", "note": notes.get(item.key, "")}
            for item in review.REVIEW_ITEMS
        }
        text = "调查尽职，资料真实完整，还款来源可靠，同意提交审贷小组审议。"
        review.decide(self.reviewer, application, "pass", answers, text)

    def meet(self, application: CreditApplication, story: Story, moment: dt.datetime) -> None:
        """The committee meets: 赵丽华 chairs and keeps the minutes; four agree, one abstains
        (4 of 5 present: above the two thirds the policy asks)."""
        clerk = self.committee[0]
        meeting = meetings.open_meeting(
            clerk,
            application,
            {"held_at": moment - dt.timedelta(hours=1), "place": PLACE, "chair": clerk.pk},
        )
        votes = zip(self.committee, VOTES, strict=True)
        for member, (vote, opinion) in votes:
            data = {"member": member.pk, "present": True, "vote": vote, "opinion": opinion}
            meetings.record_vote(clerk, meeting, data)
        meetings.close_meeting(clerk, meeting, story.conditions)

    def approve(self, application: CreditApplication, day: dt.date) -> None:
        """Approved as the committee decided: the request, the product's rate that day, the
        committee's conditions, the policy's validity."""
        approval.approve(self.approver, application, approval.defaults(application, day))


def clean_report() -> admission.CreditReportFacts:
    return admission.CreditReportFacts(
        consent_recorded=True,
        max_consecutive_overdue_24m=int(CLEAN_REPORT["max_consecutive_overdue_24m"]),
        total_overdue_24m=int(CLEAN_REPORT["total_overdue_24m"]),
        current_overdue_amount=Decimal(CLEAN_REPORT["current_overdue_amount"]),
        other_bank_lenders=int(CLEAN_REPORT["other_bank_lenders"]),
        other_bank_debt=Decimal(CLEAN_REPORT["other_bank_debt"]),
        monthly_debt_service=Decimal(CLEAN_REPORT["monthly_debt_service"]),
    )
