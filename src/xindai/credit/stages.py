"""The eight-stage credit process as a state machine (pure: stdlib and ``core.problems``).

营销 → 申请受理 → 实地调查 → 审贷分析 → 审批 → 贷款拨付 → 贷后管理 → 不良清收, ending in 结清,
核销, 否决 or 撤回. A move is a named ``Transition`` with the stages it leaves, the stage it
enters, the roles that may take it and guards; ``unmet`` returns every condition that is not
met (empty = allowed), so a refusal always says why. Separation of duties is a guard like any
other. Guards read a ``Case``: the facts the services gather about an application. Later stages
add their facts (with defaults) and guards here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit.authority import authority_problems


class Stage(StrEnum):
    MARKETING = "marketing"  # 营销
    INTAKE = "intake"  # 申请受理
    INVESTIGATION = "investigation"  # 实地调查
    REVIEW = "review"  # 审贷分析
    APPROVAL = "approval"  # 审批
    DISBURSEMENT = "disbursement"  # 贷款拨付
    POSTLOAN = "postloan"  # 贷后管理
    NPL = "npl"  # 不良清收
    SETTLED = "settled"  # 结清
    WRITTEN_OFF = "written_off"  # 核销
    REJECTED = "rejected"  # 否决
    WITHDRAWN = "withdrawn"  # 撤回


STAGE_LABELS: dict[Stage, str] = {
    Stage.MARKETING: _("营销"),
    Stage.INTAKE: _("申请受理"),
    Stage.INVESTIGATION: _("实地调查"),
    Stage.REVIEW: _("审贷分析"),
    Stage.APPROVAL: _("审批"),
    Stage.DISBURSEMENT: _("贷款拨付"),
    Stage.POSTLOAN: _("贷后管理"),
    Stage.NPL: _("不良清收"),
    Stage.SETTLED: _("结清"),
    Stage.WRITTEN_OFF: _("核销"),
    Stage.REJECTED: _("否决"),
    Stage.WITHDRAWN: _("撤回"),
}
PROCESS = tuple(Stage)[:8]  # the eight stages, in order
ENDS = frozenset(tuple(Stage)[8:])
BEFORE_APPROVAL = frozenset(
    {Stage.MARKETING, Stage.INTAKE, Stage.INVESTIGATION, Stage.REVIEW, Stage.APPROVAL}
)

# Role codes (the values of ``org.roles.Role``; repeated here to keep this module pure).
MANAGER = "manager"
CO_INVESTIGATOR = "co_investigator"
REVIEWER = "reviewer"
APPROVER = "approver"
DISBURSEMENT = "disbursement"
POSTLOAN = "postloan"
COLLECTION = "collection"
RISK = "risk"
BRANCH_HEAD = "branch_head"


@dataclass(frozen=True)
class Actor:
    user_id: int
    roles: frozenset[str]


@dataclass(frozen=True)
class Case:
    """What the guards know about an application (gathered by the services)."""

    stage: Stage
    manager_id: int
    co_investigator_id: int | None = None
    reviewer_ids: frozenset[int] = frozenset()  # who wrote a review opinion
    product_problems: tuple[Problem, ...] = ()  # amount, term, method... outside the product
    accepted: bool = False
    archive_completeness: int = 0
    min_archive_completeness: int = 100
    missing_documents: tuple[str, ...] = ()  # labels of checklist documents not in the archive
    consent_recorded: bool = False
    credit_report_entered: bool = False
    admission_outcome: str | None = None  # admission.Outcome of the latest check, if current
    escalated: bool = False  # a branch head let a 审慎 decision go on, with a reason
    # 实地调查 (issue 6)
    visit_recorded: bool = False  # visit time and place
    checklist_missing: tuple[str, ...] = ()  # labels of checklist items not yet answered
    analysis_done: bool = False  # financial statements analysed (household: from the archive)
    limit_computed: bool = False  # a credit limit computed
    report_finalised: bool = False  # the investigation report finalised (frozen DOCX)
    confirmed_by: frozenset[int] = frozenset()  # investigators who confirmed the record
    # 审贷小组与审批 (issue 7). The services always fill these at 审批; the defaults (None:
    # not assessed) leave the guards silent, for the pure tests of the other guards.
    committee_required: bool = False  # the policy wants a committee decision for this case
    committee_decision: str | None = None  # "pass"/"fail" of the meeting closed at this stage
    terms_drafted: bool | None = None  # the approver's terms are given (the approval service)
    approval_amount: Decimal | None = None  # the amount to approve
    authority_limits: Mapping[int, Decimal | None] | None = None  # approver id → his authority
    loan_exists: bool = False  # a loan account was opened from the approved terms

    @property
    def investigator_ids(self) -> frozenset[int]:
        ids = {self.manager_id}
        if self.co_investigator_id is not None:
            ids.add(self.co_investigator_id)
        return frozenset(ids)


Guard = Callable[[Case, Actor], list[Problem]]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[Stage]
    target: Stage | None  # None: the stage stays (a step within it, such as 受理)
    roles: frozenset[str]
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    roles_by_stage: dict[Stage, frozenset[str]] = field(default_factory=dict)

    def roles_in(self, stage: Stage) -> frozenset[str]:
        return self.roles_by_stage.get(stage, self.roles)


def _fail(condition: bool, key: str, template: str) -> list[Problem]:
    return [Problem(key, template)] if condition else []


# ---- guards ------------------------------------------------------------------------------


def own_case(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        actor.user_id != case.manager_id and MANAGER in actor.roles and not _senior(actor),
        "own_case",
        _("只有本笔申请的管户客户经理可以办理"),
    )


def _senior(actor: Actor) -> bool:
    return BRANCH_HEAD in actor.roles


def fits_product(case: Case, actor: Actor) -> list[Problem]:
    return list(case.product_problems)


def not_yet_accepted(case: Case, actor: Actor) -> list[Problem]:
    return _fail(case.accepted, "accepted", _("申请已受理"))


def archive_complete_enough(case: Case, actor: Actor) -> list[Problem]:
    if case.archive_completeness >= case.min_archive_completeness:
        return []
    params = {"score": str(case.archive_completeness), "min": str(case.min_archive_completeness)}
    return [
        Problem(
            "archive",
            _("客户档案完整度 %(score)s%%，低于受理要求的 %(min)s%%：请先补齐档案"),
            params,
        )
    ]


def documents_present(case: Case, actor: Actor) -> list[Problem]:
    return [
        Problem("documents", _("档案缺少申请资料：%(document)s"), {"document": label})
        for label in case.missing_documents
    ]


def consent_recorded(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        not case.consent_recorded, "consent", _("未登记客户书面征信查询授权（谁、何时、用途）")
    )


def credit_report_entered(case: Case, actor: Actor) -> list[Problem]:
    return _fail(not case.credit_report_entered, "credit_report", _("尚未录入征信报告摘要"))


def admitted(case: Case, actor: Actor) -> list[Problem]:
    outcome = case.admission_outcome
    if outcome is None:
        return [Problem("admission", _("尚未进行准入检查，或检查后申请、档案已有变动：请重新检查"))]
    if outcome == "prohibit":
        return [Problem("admission", _("准入检查结论为禁入：不能受理，请否决或撤回"))]
    if outcome == "prudent" and not case.escalated:
        return [Problem("admission", _("准入检查结论为审慎：须支行行长审核同意并说明理由"))]
    return []


def is_accepted(case: Case, actor: Actor) -> list[Problem]:
    return _fail(not case.accepted, "accepted", _("申请尚未受理"))


def two_investigators(case: Case, actor: Actor) -> list[Problem]:
    if case.co_investigator_id is None:
        return [Problem("investigators", _("未指定协办调查人：实地调查须两人（双人调查）"))]
    return _fail(
        case.co_investigator_id == case.manager_id,
        "investigators",
        _("主调查人与协办调查人必须是两个不同的人"),
    )


def investigation_complete(case: Case, actor: Actor) -> list[Problem]:
    found = _fail(not case.visit_recorded, "visit", _("未登记走访时间和地点"))
    found += [
        Problem("checklist", _("调查核实事项未完成：%(item)s"), {"item": label})
        for label in case.checklist_missing
    ]
    found += _fail(not case.analysis_done, "analysis", _("尚未完成财务分析"))
    found += _fail(not case.limit_computed, "limit", _("尚未进行授信额度测算"))
    found += _fail(not case.report_finalised, "report", _("调查报告尚未定稿"))
    return found


def both_confirmed(case: Case, actor: Actor) -> list[Problem]:
    waiting = case.investigator_ids - case.confirmed_by
    if not waiting or len(case.investigator_ids) < 2:
        return []  # two_investigators says what is missing when there is only one
    params = {"count": str(len(case.investigator_ids & case.confirmed_by))}
    return [
        Problem(
            "confirmations",
            _("主调查人和协办调查人须分别确认调查结果（已确认 %(count)s 人）"),
            params,
        )
    ]


def is_investigator(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        actor.user_id not in case.investigator_ids,
        "investigator",
        _("只有本笔申请的调查人可以提交调查"),
    )


def not_investigator(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        actor.user_id in case.investigator_ids,
        "separation",
        _("调查人不能审查或审批自己调查的申请（审贷分离）"),
    )


def not_manager(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        actor.user_id == case.manager_id, "separation", _("审批人不能是本笔申请的客户经理")
    )


def wrote_opinion(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        actor.user_id not in case.reviewer_ids,
        "opinion",
        _("请先填写审查意见（逐项审查要点）"),
    )


def not_reviewer(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        actor.user_id in case.reviewer_ids, "separation", _("审查人不能审批自己审查的申请")
    )


def committee_passed(case: Case, actor: Actor) -> list[Problem]:
    if not case.committee_required or case.committee_decision == "pass":
        return []
    if case.committee_decision == "fail":
        return [Problem("committee", _("审贷小组审议未通过：不能审批通过，可以否决"))]
    return [Problem("committee", _("尚无审贷小组审议通过的决议（须先召开审贷小组会议）"))]


def terms_drafted(case: Case, actor: Actor) -> list[Problem]:
    return _fail(
        case.terms_drafted is False,
        "terms",
        _("请在审批页面填写批准条款（金额、期限、利率、还款方式、担保）"),
    )


def within_authority(case: Case, actor: Actor) -> list[Problem]:
    if case.authority_limits is None or case.approval_amount is None:
        return []
    return authority_problems(case.approval_amount, case.authority_limits.get(actor.user_id))


def no_loan_yet(case: Case, actor: Actor) -> list[Problem]:
    return _fail(case.loan_exists, "loan", _("已按批复发放贷款：批复条款不能再变更"))


def not_the_investigators_when_deciding(case: Case, actor: Actor) -> list[Problem]:
    """Rejecting is a credit decision after intake: not for the case's own investigators."""
    if case.stage in (Stage.MARKETING, Stage.INTAKE):
        return []
    return not_investigator(case, actor)


# ---- the transitions ---------------------------------------------------------------------

_OPEN = frozenset(BEFORE_APPROVAL)
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        _("提交申请"),
        frozenset({Stage.MARKETING}),
        Stage.INTAKE,
        frozenset({MANAGER}),
        (own_case, fits_product),
    ),
    Transition(
        "accept",
        _("受理"),
        frozenset({Stage.INTAKE}),
        None,
        frozenset({MANAGER, BRANCH_HEAD}),
        (
            own_case,
            not_yet_accepted,
            fits_product,
            archive_complete_enough,
            documents_present,
            consent_recorded,
            credit_report_entered,
            admitted,
        ),
    ),
    Transition(
        "start_investigation",
        _("开始实地调查"),
        frozenset({Stage.INTAKE}),
        Stage.INVESTIGATION,
        frozenset({MANAGER}),
        (own_case, is_accepted, two_investigators),
    ),
    Transition(
        "submit_investigation",
        _("提交调查"),
        frozenset({Stage.INVESTIGATION}),
        Stage.REVIEW,
        frozenset({MANAGER, CO_INVESTIGATOR}),
        (is_investigator, two_investigators, investigation_complete, both_confirmed),
    ),
    Transition(
        "review",
        _("审查通过"),
        frozenset({Stage.REVIEW}),
        Stage.APPROVAL,
        frozenset({REVIEWER}),
        (not_investigator, wrote_opinion),
    ),
    Transition(
        "approve",
        _("审批通过"),
        frozenset({Stage.APPROVAL}),
        Stage.DISBURSEMENT,
        frozenset({APPROVER}),
        (
            not_manager,
            not_investigator,
            not_reviewer,
            committee_passed,
            terms_drafted,
            within_authority,
        ),
    ),
    Transition(
        "reject",
        _("否决"),
        frozenset({Stage.INTAKE, Stage.INVESTIGATION, Stage.REVIEW, Stage.APPROVAL}),
        Stage.REJECTED,
        frozenset({REVIEWER, APPROVER, BRANCH_HEAD}),
        (own_case, not_the_investigators_when_deciding),
        needs_reason=True,
        roles_by_stage={Stage.INTAKE: frozenset({MANAGER, BRANCH_HEAD})},
    ),
    Transition(
        "return_for_rework",
        _("退回补充调查"),
        frozenset({Stage.REVIEW, Stage.APPROVAL}),
        Stage.INVESTIGATION,
        frozenset({REVIEWER, APPROVER}),
        (not_investigator,),
        needs_reason=True,
    ),
    Transition(
        "change_terms",
        _("变更批复"),
        frozenset({Stage.DISBURSEMENT}),
        Stage.APPROVAL,
        frozenset({MANAGER, APPROVER}),
        (own_case, no_loan_yet),
        needs_reason=True,
    ),
    Transition(
        "disburse",
        _("放款"),
        frozenset({Stage.DISBURSEMENT}),
        Stage.POSTLOAN,
        frozenset({DISBURSEMENT}),
        (not_investigator,),
    ),
    Transition(
        "settle",
        _("结清"),
        frozenset({Stage.POSTLOAN, Stage.NPL}),
        Stage.SETTLED,
        frozenset({POSTLOAN, COLLECTION, DISBURSEMENT}),
    ),
    Transition(
        "transfer_to_npl",
        _("移交不良清收"),
        frozenset({Stage.POSTLOAN}),
        Stage.NPL,
        frozenset({POSTLOAN, RISK}),
        needs_reason=True,
    ),
    Transition(
        "write_off",
        _("核销"),
        frozenset({Stage.NPL}),
        Stage.WRITTEN_OFF,
        frozenset({RISK}),
        needs_reason=True,
    ),
    Transition(
        "withdraw",
        _("撤回申请"),
        _OPEN,
        Stage.WITHDRAWN,
        frozenset({MANAGER}),
        (own_case,),
        needs_reason=True,
    ),
)
BY_NAME = {t.name: t for t in TRANSITIONS}


class UnknownTransition(KeyError):
    pass


def transition(name: str) -> Transition:
    try:
        return BY_NAME[name]
    except KeyError as exc:
        raise UnknownTransition(name) from exc


def unmet(name: str, case: Case, actor: Actor, *, reason: str = "") -> list[Problem]:
    """Every condition of transition ``name`` that is not met (empty: it may be taken now).

    The stage and the role come first; when either fails, the guards are not asked (they
    would only add noise about a step the person cannot take anyway)."""
    move = transition(name)
    if case.stage not in move.sources:
        params = {"stage": STAGE_LABELS[case.stage], "action": move.label}
        return [Problem("stage", _("处于“%(stage)s”阶段的申请不能“%(action)s”"), params)]
    if not actor.roles & move.roles_in(case.stage):
        return [Problem("role", _("您的岗位不能办理“%(action)s”"), {"action": move.label})]
    found = [problem for guard in move.guards for problem in guard(case, actor)]
    if move.needs_reason and not reason.strip():
        found.append(Problem("reason", _("请填写理由")))
    return found


def target_of(name: str, case: Case) -> Stage:
    move = transition(name)
    return move.target if move.target is not None else case.stage


def available(case: Case, actor: Actor) -> list[Transition]:
    """The transitions this actor could take from the case's stage by role (the guards may
    still refuse: the page shows why)."""
    return [
        move
        for move in TRANSITIONS
        if case.stage in move.sources and actor.roles & move.roles_in(case.stage)
    ]
