"""The stage machine: every transition × every role (allowed and denied), separation of
duties, and refusals that say why. Pure: no database."""

from __future__ import annotations

import dataclasses

import pytest

from xindai.credit import stages
from xindai.credit.stages import Actor, Case, Stage
from xindai.org.roles import Role

MANAGER_ID, CO_ID = 1, 2
ALL_ROLES = [role.value for role in Role]

# The roles that may take each transition, written out from the outline and DESIGN.md (not
# read from the code): (transition, the stage it is tried from, the roles allowed there).
TABLE = [
    ("submit", Stage.MARKETING, {"manager"}),
    ("accept", Stage.INTAKE, {"manager", "branch_head"}),
    ("start_investigation", Stage.INTAKE, {"manager"}),
    ("submit_investigation", Stage.INVESTIGATION, {"manager", "co_investigator"}),
    ("review", Stage.REVIEW, {"reviewer"}),
    ("approve", Stage.APPROVAL, {"approver"}),
    ("change_terms", Stage.DISBURSEMENT, {"manager", "approver"}),
    ("reject", Stage.INTAKE, {"manager", "branch_head"}),
    ("reject", Stage.INVESTIGATION, {"reviewer", "approver", "branch_head"}),
    ("reject", Stage.REVIEW, {"reviewer", "approver", "branch_head"}),
    ("reject", Stage.APPROVAL, {"reviewer", "approver", "branch_head"}),
    ("return_for_rework", Stage.REVIEW, {"reviewer", "approver"}),
    ("return_for_rework", Stage.APPROVAL, {"reviewer", "approver"}),
    ("disburse", Stage.DISBURSEMENT, {"disbursement"}),
    ("settle", Stage.POSTLOAN, {"postloan", "collection", "disbursement"}),
    ("settle", Stage.NPL, {"postloan", "collection", "disbursement"}),
    ("transfer_to_npl", Stage.POSTLOAN, {"postloan", "risk"}),
    ("write_off", Stage.NPL, {"risk"}),
    ("withdraw", Stage.MARKETING, {"manager"}),
    ("withdraw", Stage.INTAKE, {"manager"}),
    ("withdraw", Stage.INVESTIGATION, {"manager"}),
    ("withdraw", Stage.REVIEW, {"manager"}),
    ("withdraw", Stage.APPROVAL, {"manager"}),
]


def ready(stage: Stage, **overrides: object) -> Case:
    """A case in ``stage`` where every intake condition holds."""
    values: dict[str, object] = {
        "stage": stage,
        "manager_id": MANAGER_ID,
        "co_investigator_id": CO_ID,
        "accepted": stage != Stage.INTAKE,
        "archive_completeness": 90,
        "min_archive_completeness": 80,
        "consent_recorded": True,
        "credit_report_entered": True,
        "admission_outcome": "admit",
        "visit_recorded": True,
        "analysis_done": True,
        "limit_computed": True,
        "report_finalised": True,
        "confirmed_by": frozenset({MANAGER_ID, CO_ID}),
        "reviewer_ids": frozenset({10 + ALL_ROLES.index("reviewer")}),
    }
    return Case(**(values | overrides))  # type: ignore[arg-type]


def actor_with(role: str) -> Actor:
    """The person holding ``role`` on this case: the manager is the case's manager, the
    co-investigator its second investigator; everyone else is uninvolved."""
    user_id = {"manager": MANAGER_ID, "co_investigator": CO_ID}.get(
        role, 10 + ALL_ROLES.index(role)
    )
    return Actor(user_id, frozenset({role}))


def case_for(name: str, stage: Stage) -> Case:
    if name == "accept":
        return ready(stage, accepted=False)
    if name == "start_investigation":
        return ready(stage, accepted=True)
    return ready(stage)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "stage", "allowed"), TABLE, ids=lambda v: str(v))
def test_every_transition_for_every_role(name, stage, allowed, role) -> None:
    problems = stages.unmet(name, case_for(name, stage), actor_with(role), reason="客户要求")
    if role in allowed:
        assert problems == [], [p.text() for p in problems]
    else:
        assert [p.field for p in problems] == ["role"]
        assert "岗位" in problems[0].text()


def test_the_table_covers_every_transition_and_source_stage() -> None:
    tried = {(name, stage) for name, stage, _roles in TABLE}
    defined = {(t.name, s) for t in stages.TRANSITIONS for s in t.sources}
    assert tried == defined


@pytest.mark.parametrize("stage", [s for s in Stage if s != Stage.REVIEW])
def test_review_is_refused_outside_its_stage_with_the_stage_named(stage) -> None:
    problems = stages.unmet("review", ready(stage), actor_with("reviewer"))
    assert [p.field for p in problems] == ["stage"]


def test_the_ends_have_no_way_out() -> None:
    for end in stages.ENDS:
        assert stages.available(ready(end), Actor(99, frozenset(ALL_ROLES))) == []


def test_the_targets_follow_the_eight_stages() -> None:
    path = ["submit", "accept", "start_investigation", "submit_investigation", "review"]
    path += ["approve", "disburse", "transfer_to_npl", "write_off"]
    case = ready(Stage.MARKETING)
    seen = [case.stage]
    for name in path:
        case = dataclasses.replace(case, stage=stages.target_of(name, case))
        seen.append(case.stage)
    assert [s for i, s in enumerate(seen) if i == 0 or s != seen[i - 1]] == [
        Stage.MARKETING,
        Stage.INTAKE,
        Stage.INVESTIGATION,
        Stage.REVIEW,
        Stage.APPROVAL,
        Stage.DISBURSEMENT,
        Stage.POSTLOAN,
        Stage.NPL,
        Stage.WRITTEN_OFF,
    ]


# ---- separation of duties ------------------------------------------------------------------


def test_an_investigator_never_reviews_his_own_case() -> None:
    co_who_is_also_reviewer = Actor(CO_ID, frozenset({"co_investigator", "reviewer"}))
    case = ready(Stage.REVIEW, reviewer_ids=frozenset({CO_ID}))  # even with an opinion
    problems = stages.unmet("review", case, co_who_is_also_reviewer)
    assert [p.field for p in problems] == ["separation"]
    assert "审贷分离" in problems[0].text()


def test_an_investigator_never_approves_his_own_case() -> None:
    manager_who_is_also_approver = Actor(MANAGER_ID, frozenset({"manager", "approver"}))
    problems = stages.unmet("approve", ready(Stage.APPROVAL), manager_who_is_also_approver)
    assert {p.field for p in problems} == {"separation"}
    texts = " ".join(p.text() for p in problems)
    assert "客户经理" in texts and "审贷分离" in texts


def test_the_approver_is_not_the_reviewer_of_the_case() -> None:
    approver = Actor(30, frozenset({"reviewer", "approver"}))
    case = ready(Stage.APPROVAL, reviewer_ids=frozenset({30}))
    assert [p.field for p in stages.unmet("approve", case, approver)] == ["separation"]
    assert stages.unmet("approve", ready(Stage.APPROVAL), approver) == []


def test_an_investigator_cannot_reject_or_return_his_own_case_after_intake() -> None:
    co = Actor(CO_ID, frozenset({"co_investigator", "reviewer"}))
    for name in ("reject", "return_for_rework"):
        problems = stages.unmet(name, ready(Stage.REVIEW), co, reason="不符合条件")
        assert [p.field for p in problems] == ["separation"], name


def test_investigation_needs_two_distinct_investigators() -> None:
    manager = actor_with("manager")
    alone = stages.unmet(
        "start_investigation", ready(Stage.INTAKE, co_investigator_id=None, accepted=True), manager
    )
    assert [p.field for p in alone] == ["investigators"] and "双人调查" in alone[0].text()
    same = ready(Stage.INTAKE, co_investigator_id=MANAGER_ID, accepted=True)
    assert [p.field for p in stages.unmet("start_investigation", same, manager)] == [
        "investigators"
    ]


def test_only_the_case_investigators_submit_the_investigation() -> None:
    other_manager = Actor(77, frozenset({"manager"}))
    problems = stages.unmet("submit_investigation", ready(Stage.INVESTIGATION), other_manager)
    assert [p.field for p in problems] == ["investigator"]


def test_another_manager_cannot_act_on_the_case() -> None:
    other_manager = Actor(77, frozenset({"manager"}))
    for name, stage in (("submit", Stage.MARKETING), ("accept", Stage.INTAKE)):
        case = ready(stage, accepted=False)
        assert "own_case" in [p.field for p in stages.unmet(name, case, other_manager)], name


# ---- intake guards -------------------------------------------------------------------------


def test_acceptance_lists_every_unmet_intake_condition_at_once() -> None:
    case = ready(
        Stage.INTAKE,
        accepted=False,
        archive_completeness=79,
        missing_documents=("户口簿",),
        consent_recorded=False,
        credit_report_entered=False,
        admission_outcome=None,
    )
    problems = stages.unmet("accept", case, actor_with("manager"))
    assert [p.field for p in problems] == [
        "archive",
        "documents",
        "consent",
        "credit_report",
        "admission",
    ]
    assert "79%" in problems[0].text() and "80%" in problems[0].text()
    assert "户口簿" in problems[1].text()


def test_archive_completeness_at_the_minimum_is_enough() -> None:
    case = ready(Stage.INTAKE, accepted=False, archive_completeness=80)
    assert stages.unmet("accept", case, actor_with("manager")) == []


@pytest.mark.parametrize(
    ("outcome", "escalated", "accepted"),
    [
        ("admit", False, True),
        ("prudent", False, False),
        ("prudent", True, True),
        ("prohibit", False, False),
        ("prohibit", True, False),
        (None, False, False),
    ],
)
def test_acceptance_follows_the_admission_decision(outcome, escalated, accepted) -> None:
    case = ready(Stage.INTAKE, accepted=False, admission_outcome=outcome, escalated=escalated)
    problems = stages.unmet("accept", case, actor_with("manager"))
    assert (problems == []) is accepted


def test_an_application_is_accepted_once() -> None:
    problems = stages.unmet("accept", ready(Stage.INTAKE, accepted=True), actor_with("manager"))
    assert [p.field for p in problems] == ["accepted"]


def test_the_product_limits_are_a_condition_of_submitting() -> None:
    from xindai.core.problems import Problem

    over = Problem("amount", "申请金额须在 %(min)s 元至 %(max)s 元之间", {"min": "1", "max": "2"})
    case = ready(Stage.MARKETING, product_problems=(over,))
    assert stages.unmet("submit", case, actor_with("manager")) == [over]


@pytest.mark.parametrize("name", ["reject", "withdraw"])
def test_ending_an_application_needs_a_reason(name) -> None:
    actor = actor_with("manager")
    problems = stages.unmet(name, ready(Stage.INTAKE), actor, reason="  ")
    assert [p.field for p in problems] == ["reason"]


def test_the_role_codes_are_the_org_roles() -> None:
    codes = {r for t in stages.TRANSITIONS for r in t.roles}
    codes |= {r for t in stages.TRANSITIONS for rs in t.roles_by_stage.values() for r in rs}
    assert codes <= set(ALL_ROLES)


def test_an_unknown_transition_is_an_error() -> None:
    with pytest.raises(stages.UnknownTransition):
        stages.unmet("teleport", ready(Stage.INTAKE), actor_with("manager"))


def test_another_manager_cannot_reject_at_intake() -> None:
    other_manager = Actor(77, frozenset({"manager"}))
    problems = stages.unmet("reject", ready(Stage.INTAKE), other_manager, reason="不符合条件")
    assert [p.field for p in problems] == ["own_case"]


def test_the_investigation_leaves_only_complete_and_confirmed_by_both() -> None:
    manager = actor_with("manager")
    case = ready(
        Stage.INVESTIGATION,
        visit_recorded=False,
        checklist_missing=("贷款用途真实合法、交易真实",),
        analysis_done=False,
        limit_computed=False,
        report_finalised=False,
        confirmed_by=frozenset({MANAGER_ID}),
    )
    problems = stages.unmet("submit_investigation", case, manager)
    assert [p.field for p in problems] == [
        "visit",
        "checklist",
        "analysis",
        "limit",
        "report",
        "confirmations",
    ]
    assert "交易真实" in problems[1].text() and "已确认 1 人" in problems[5].text()
    done = ready(Stage.INVESTIGATION)
    assert stages.unmet("submit_investigation", done, manager) == []
    one_confirmed = dataclasses.replace(done, confirmed_by=frozenset({CO_ID}))
    assert [p.field for p in stages.unmet("submit_investigation", one_confirmed, manager)] == [
        "confirmations"
    ]
