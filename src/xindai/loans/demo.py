"""Demo contracts, registrations, vault and a loan (演示数据：合同、抵押登记、入库与放款, issue 7),
for the two approved applications of ``credit.demo_approval``:

- ``contracts`` (approved a few days ago): its 借款合同 and 抵押合同 generated from the approval
  and checked (核对), not yet signed; nothing registered. The disbursement gate lists what is
  missing: signing, registration, the certificate in the vault, the approval's condition.
- ``disbursed`` (approved a month ago): contracts generated and checked, signed face to face
  before two staff witnesses and checked after signing by the disbursement clerk (签约复核),
  the house's mortgage registered, the certificate received into the vault, the approval's
  condition met, and 放款 three weeks ago by 受托支付 to the machinery dealer: a loan account
  with its repayment schedule.

Every step goes through the services (numbers, DOCX, SHA-256, audit events are real) and is
replayed on its business date, a few days after the approval (``credit.demo_approval.Replay``).
Seeding again creates nothing: the applications' contracts mark the data set as present.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from xindai.contracts import domain
from xindai.contracts import services as contracts
from xindai.contracts import signing as signing_service
from xindai.contracts.filling import PARTY_ROLES
from xindai.contracts.models import Contract, ContractKind, ContractStatus, SigningRecord
from xindai.credit import approval
from xindai.credit.approved import current_terms
from xindai.credit.demo_approval import (
    CONTRACTS_KEY,
    CREDIT_TIMES,
    DISBURSED_KEY,
    Replay,
    Timed,
    before_now,
    demo_application,
)
from xindai.credit.models import ApprovedTerms, CreditApplication
from xindai.customers.services import as_of_today
from xindai.loans import services as loans
from xindai.loans.models import Disbursement, LoanAccount
from xindai.org.models import User
from xindai.vault import services as vault
from xindai.vault.models import ItemKind, Registration, VaultMovement

LOAN_TIMES: tuple[Timed, ...] = (
    *CREDIT_TIMES,
    Timed(Contract, ("created_at", "checked_at"), "application"),
    Timed(SigningRecord, ("recorded_at", "verified_at"), "contract__application"),
    Timed(Registration, ("recorded_at",), "collateral__application"),
    Timed(VaultMovement, ("at",), "item__application"),
    Timed(LoanAccount, ("created_at",), "application"),
    Timed(Disbursement, ("created_at",), "application"),
)

GENERATE, SIGN, REGISTER, CONDITION, DISBURSE = (
    "generate",  # every contract the terms need generated, and checked
    "sign",  # 面签 before two witnesses, then 签约复核 by the disbursement clerk
    "register",  # the mortgage registered, the certificate received into the vault
    "condition",  # the approval's conditions met
    "disburse",  # 放款
)
# The steps after the approval: (days after the approval day, step).
STEPS: dict[str, tuple[tuple[int, str], ...]] = {
    DISBURSED_KEY: ((2, GENERATE), (3, SIGN), (4, REGISTER), (5, CONDITION), (9, DISBURSE)),
    CONTRACTS_KEY: ((3, GENERATE),),
}
COUNTY = "青禾县"
REGISTRY = f"{COUNTY}不动产登记中心"
SIGNING_PLACE = "城关营业部面签室"
DEALER = {
    "counterparty_name": f"{COUNTY}丰收农机销售有限公司",
    "account": "1502 2101 0900 0188 626",
    "bank": "青禾农村商业银行城关支行",
    "evidence": "农机购销合同（履带式联合收割机一台）及经销商发票",
}
CONDITION_EVIDENCE = {
    "disbursed": "已收到农机购销合同原件，复印件存档；放款采用受托支付，直接划付经销商账户",
}


def seed_demo_loans() -> dict[str, int]:
    """The contracts, registration, vault item and loan, unless they exist."""
    found = {key: demo_application(key) for key in STEPS}
    applications = {key: a for key, a in found.items() if a is not None}
    if len(applications) < len(STEPS):
        return {"contracts": 0, "loans": 0}
    if Contract.objects.filter(application__in=applications.values()).exists():
        return {"contracts": 0, "loans": 0}
    with transaction.atomic():
        return LoansDemo(applications, as_of_today()).run()


class LoansDemo:
    def __init__(self, applications: dict[str, CreditApplication], as_of: dt.date) -> None:
        self.applications = applications
        self.as_of = as_of
        self.manager = User.objects.get(username="manager")
        self.co_investigator = User.objects.get(username="co_investigator")
        self.clerk = User.objects.get(username="disbursement")

    def run(self) -> dict[str, int]:
        replay = Replay(self.as_of, LOAN_TIMES)
        for key, steps in STEPS.items():
            terms = current_terms(self.applications[key])
            assert terms is not None  # approved by credit.demo_approval
            since_approval = (self.as_of - terms.approved_on).days
            for days_after, step in steps:
                replay.add(max(since_approval - days_after, 0), self.action(key, step))
        replay.run(lambda: [a.pk for a in self.applications.values()])
        ids = [a.pk for a in self.applications.values()]
        return {
            "contracts": Contract.objects.filter(application__in=ids).count(),
            "loans": LoanAccount.objects.filter(application__in=ids).count(),
        }

    def action(self, key: str, step: str) -> Any:
        def take(day: dt.date, moment: dt.datetime) -> None:
            application = CreditApplication.objects.get(pk=self.applications[key].pk)
            terms = current_terms(application)
            assert terms is not None
            if step == GENERATE:
                self.generate(application)
            elif step == SIGN:
                self.sign(application, moment)
            elif step == REGISTER:
                self.register(application, terms, day)
            elif step == CONDITION:
                self.meet_conditions(key, terms)
            elif step == DISBURSE:
                self.disburse(application, terms)

        return take

    def generate(self, application: CreditApplication) -> None:
        """The manager generates every contract the approval needs and checks each."""
        for contract in contracts.generate_all(self.manager, application):
            contracts.check(self.manager, contract)

    def sign(self, application: CreditApplication, moment: dt.datetime) -> None:
        """The borrower signs each contract before the manager and the co-investigator; the
        disbursement clerk, who was not there, checks the signing."""
        customer = application.customer
        found = Contract.objects.filter(application=application, status=ContractStatus.CHECKED)
        for contract in found.order_by("pk"):
            role = PARTY_ROLES[ContractKind(contract.kind)]
            signing = domain.Signing(
                place=SIGNING_PLACE,
                signed_at=before_now(moment - dt.timedelta(minutes=30)),
                witnesses=(self.manager.pk, self.co_investigator.pk),
                staff_ids=frozenset(),  # the service finds which witnesses are staff
                recorder_id=self.manager.pk,
                signatories=(
                    domain.Signatory(
                        role=role.value,
                        name=contract.party_name,
                        capacity=domain.SELF,
                        id_number=customer.id_number,
                        identity_checked=True,
                        seal_checked=False,
                        has_authority_document=False,
                    ),
                ),
                notes="借款人本人到场，核对身份证原件，当面签字并按手印",
            )
            signing_service.sign(self.manager, contract, signing, {})
            signing_service.verify(
                self.clerk, contract, passed=True, note="签字、指印与身份证核对一致"
            )

    def register(self, application: CreditApplication, terms: ApprovedTerms, day: dt.date) -> None:
        """The manager registers the mortgage at the registry; the clerk keeps the
        certificate (他项权证) in the vault, on the off-balance-sheet list."""
        for item in application.collateral.order_by("pk"):
            registration = vault.register(
                self.manager,
                item,
                {
                    "registry": REGISTRY,
                    "registered_on": day.isoformat(),
                    "certificate_no": f"赣({day.year}){COUNTY}不动产证明第{item.pk:07d}号",
                    "secured_amount": str(terms.amount),
                },
            )
            vault.receive(
                self.clerk, registration, {"kind": ItemKind.CERTIFICATE, "description": ""}
            )

    def meet_conditions(self, key: str, terms: ApprovedTerms) -> None:
        for condition in terms.conditions.filter(met_at__isnull=True).order_by("pk"):
            approval.mark_condition_met(self.manager, condition, CONDITION_EVIDENCE[key])

    def disburse(self, application: CreditApplication, terms: ApprovedTerms) -> None:
        """The whole approved amount, paid by the bank to the dealer (受托支付)."""
        amount = f"{terms.amount:.2f}"
        data = {
            "amount": amount,
            "payment_mode": "entrusted",
            "payments": [DEALER | {"amount": amount}],
        }
        loans.disburse(self.clerk, application, data, f"demo-{application.number}")
