"""The disbursement gate (放款前提条件): every precondition of 放款 with its reason, shown as a
checklist on the page, returned by the API and checked again by the service under the lock.

It composes the gates of the earlier steps — the approval (valid, unexpired, conditions met),
the contracts (every needed contract signed face to face and checked after signing), the
registrations and the vault — with the disbursement's own: the case is in 贷款拨付 and not yet
paid out, the person may disburse and is not the case's investigator (the stage machine's
``disburse`` guard), and the payment plan keeps the payment-mode rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xindai.contracts import gate as contracts_gate
from xindai.contracts.models import Contract, ContractKind, ContractStatus
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit import approved, queries, stages
from xindai.credit.facts import actor_of
from xindai.credit.models import ApprovedTerms, CreditApplication
from xindai.loans import disbursement
from xindai.loans.models import Disbursement
from xindai.vault import gate as vault_gate

DISBURSE = "loans.disburse"


@dataclass(frozen=True)
class Item:
    """One line of the checklist: green when it has no problems."""

    key: str
    label: str
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Gate:
    items: tuple[Item, ...]
    terms: ApprovedTerms | None
    loan_contract: Contract | None

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def problems(self) -> list[Problem]:
        return [problem for item in self.items for problem in item.problems]


def loan_contract(terms: ApprovedTerms | None) -> Contract | None:
    """The loan contract (借款合同) of the terms, when it is signed and checked (VERIFIED)."""
    if terms is None:
        return None
    found = contracts_gate.contract_for(terms, contracts_gate.Needed((ContractKind.LOAN,)))
    return found if found is not None and found.status == ContractStatus.VERIFIED else None


def check(
    application: CreditApplication,
    actor: Any,
    as_of: dt.date,
    plan: disbursement.Plan | None = None,
) -> Gate:
    """The checklist for ``actor`` disbursing ``application`` on ``as_of``; with a ``plan``,
    the payment plan is checked too."""
    terms = approved.current_terms(application)
    items = [
        Item("stage", _("流程阶段：贷款拨付，尚未放款"), tuple(_stage(application))),
        Item(
            "approval",
            _("审批批复有效、未过期，批复条件已落实"),
            tuple(approved.disbursement_problems(application, as_of)),
        ),
        Item("contracts", _("信贷合同已面签并经签约复核"), tuple(_contracts(terms))),
        Item(
            "collateral",
            _("抵质押登记已办妥，他项权证已入库"),
            tuple(vault_gate.disbursement_problems(application)),
        ),
        Item(
            "actor",
            _("放款人有放款权限，且不是本笔贷款的调查人"),
            tuple(_actor(application, actor)),
        ),
    ]
    if plan is not None:
        items.append(Item("payment", _("支付方式符合受托支付规定"), tuple(_plan(plan))))
    return Gate(items=tuple(items), terms=terms, loan_contract=loan_contract(terms))


def _stage(application: CreditApplication) -> list[Problem]:
    done = Disbursement.objects.filter(application=application).select_related("loan").first()
    if done is not None:
        return [
            Problem(
                "stage", _("本笔申请已放款（贷款账号 %(number)s）"), {"number": done.loan.number}
            )
        ]
    if application.stage != stages.Stage.DISBURSEMENT:
        label = stages.STAGE_LABELS[stages.Stage(application.stage)]
        return [Problem("stage", _("申请处于“%(stage)s”阶段，不在贷款拨付阶段"), {"stage": label})]
    return []


def _contracts(terms: ApprovedTerms | None) -> list[Problem]:
    if terms is None:
        return [Problem("contracts", _("没有有效的审批批复，无法核对合同"))]
    return contracts_gate.disbursement_problems(terms)


def _actor(application: CreditApplication, actor: Any) -> list[Problem]:
    """Permission, role and the ``disburse`` transition's guards (asked whatever the stage)."""
    move = stages.transition("disburse")
    person = actor_of(actor)
    found = []
    if not actor.has_perm(DISBURSE):
        found.append(Problem("actor", _("您没有放款权限（放款/会计岗位）")))
    elif not person.roles & move.roles:
        found.append(Problem("actor", _("您的岗位不能办理“%(action)s”"), {"action": move.label}))
    case = queries.light_case(application)
    found += [problem for guard in move.guards for problem in guard(case, person)]
    return found


def _plan(plan: disbursement.Plan) -> list[Problem]:
    return disbursement.problems(plan)
