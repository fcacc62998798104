"""The versioned policy: RULES.md defaults as data; 风险合规 adds a version in the admin with a
required reason; a version is never edited; old versions read missing parameters as defaults."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xindai.credit.models import PolicyVersion
from xindai.credit.policy import Policy, parameters
from xindai.org.roles import Role

# The defaults as shared/RULES.md states them (copied from the catalogue, not from the code).
RULES_DEFAULTS = {
    "min_age": 18,
    "max_age_at_maturity_male": 65,
    "max_age_at_maturity_female": 60,
    "max_term_consumption": 60,  # 5 years
    "max_term_business": 60,
    "max_term_business_long": 120,
    "max_term_working_capital": 36,
    "max_term_working_capital_long": 60,
    "max_term_fixed_asset": 120,
    "farmer_bullet_max_term": 12,
    "min_own_funds": Decimal("0.30"),
    "answer_months_short": 1,
    "answer_months_long": 6,
}


def test_the_defaults_are_those_of_the_rule_catalogue() -> None:
    policy = Policy()
    assert {key: getattr(policy, key) for key in RULES_DEFAULTS} == RULES_DEFAULTS


def test_every_parameter_has_a_label_and_a_source() -> None:
    for info in parameters():
        assert info.label and info.source, info.key


def test_a_stored_version_reads_back_the_same() -> None:
    changed = Policy(max_debt_to_income=Decimal("0.45"), min_age=20)
    assert Policy.from_params(changed.to_params()) == changed


def test_an_old_version_without_a_newer_parameter_reads_it_as_default() -> None:
    old = Policy().to_params()
    del old["answer_months_long"]
    assert Policy.from_params(old).answer_months_long == 6


def test_unknown_or_unreadable_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        Policy.from_params({"max_age": 70})
    with pytest.raises(ValueError, match="min_age"):
        Policy.from_params({"min_age": "eighteen"})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_age": 0}, "min_age"),
        ({"max_debt_to_income": Decimal("1.2")}, "max_debt_to_income"),
        ({"min_archive_completeness": 101}, "min_archive_completeness"),
        ({"min_age": 65}, "min_age"),
    ],
)
def test_a_policy_that_cannot_work_says_why(change, field) -> None:
    problems = Policy(**change).problems()
    assert [p.field for p in problems] == [field]


def test_zero_tolerance_of_overdue_is_a_valid_policy() -> None:
    assert Policy(max_consecutive_overdue=0, max_total_overdue=0).problems() == []


# ---- the admin -------------------------------------------------------------------------------


@pytest.fixture
def risk(tree, make_user):
    return make_user("risk2", tree["HQ"], Role.RISK, is_staff=True)


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {k: v for k, v in Policy().to_params().items()}
    return data | changes


@pytest.mark.django_db
def test_risk_adds_a_version_in_the_admin_with_a_reason(risk, login) -> None:
    client = login(risk)
    page = client.get("/admin/credit/policyversion/add/")
    assert page.status_code == 200
    assert "借款人最低年龄" in page.content.decode()
    response = client.post(
        "/admin/credit/policyversion/add/",
        _form(max_debt_to_income="0.45", reason="2026年第四季度风险偏好调整"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = PolicyVersion.objects.order_by("-number").first()
    assert latest is not None and latest.number == 2
    assert latest.params["max_debt_to_income"] == "0.45"
    assert latest.reason == "2026年第四季度风险偏好调整"
    assert latest.created_by == risk
    assert PolicyVersion.objects.get(number=1).params["max_debt_to_income"] == "0.50"


@pytest.mark.django_db
def test_a_version_needs_a_reason_and_sane_values(risk, login) -> None:
    client = login(risk)
    no_reason = client.post("/admin/credit/policyversion/add/", _form(reason=""))
    assert no_reason.status_code == 200 and "errornote" in no_reason.content.decode()
    bad = client.post(
        "/admin/credit/policyversion/add/", _form(max_debt_to_income="1.5", reason="试验")
    )
    assert bad.status_code == 200 and "不能超过 1" in bad.content.decode()
    assert list(PolicyVersion.objects.values_list("number", flat=True)) == [1]


@pytest.mark.django_db
def test_a_version_is_never_edited(risk, login) -> None:
    client = login(risk)
    first = PolicyVersion.objects.get(number=1)
    view = client.get(f"/admin/credit/policyversion/{first.pk}/change/")
    assert view.status_code == 200  # shown read-only
    client.post(f"/admin/credit/policyversion/{first.pk}/change/", {"reason": "改"})
    first.refresh_from_db()
    assert first.reason.startswith("初始版本")


@pytest.mark.django_db
def test_only_risk_and_compliance_edit_the_policy(manager, login) -> None:
    assert login(manager).get("/admin/credit/policyversion/add/").status_code in (302, 403)
