from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xindai.org import domain
from xindai.org.models import OrgUnit, UnitKind


def test_path_of_a_unit_is_its_ancestors_codes() -> None:
    assert domain.unit_path(None, "HQ") == "/HQ/"
    assert domain.unit_path("/HQ/B1/", "O11") == "/HQ/B1/O11/"


@pytest.mark.parametrize(
    ("kind", "parent", "ok"),
    [
        (domain.UnitKind.UNION, None, True),
        (domain.UnitKind.BRANCH, domain.UnitKind.UNION, True),
        (domain.UnitKind.OUTLET, domain.UnitKind.BRANCH, True),
        (domain.UnitKind.OUTLET, domain.UnitKind.UNION, False),
        (domain.UnitKind.BRANCH, None, False),
        (domain.UnitKind.UNION, domain.UnitKind.BRANCH, False),
    ],
)
def test_hierarchy_is_union_branch_outlet(kind, parent, ok) -> None:
    assert (domain.hierarchy_problem(kind, parent) is None) is ok


@pytest.mark.django_db
def test_outlet_directly_under_the_union_is_refused_with_a_reason(tree) -> None:
    unit = OrgUnit(code="X", name="错位网点", kind=UnitKind.OUTLET, parent=tree["HQ"])
    with pytest.raises(ValidationError, match="网点的上级机构必须是支行"):
        unit.full_clean()


@pytest.mark.django_db
def test_moving_an_outlet_re_roots_its_path(tree) -> None:
    outlet = tree["O12"]
    outlet.parent = tree["B2"]
    outlet.save()
    outlet.refresh_from_db()
    assert outlet.path == "/HQ/B2/O12/"
    assert set(tree["B2"].subtree().values_list("code", flat=True)) == {"B2", "O21", "O12"}


@pytest.mark.django_db
def test_renaming_a_branch_code_re_roots_its_outlets(tree) -> None:
    branch = tree["B1"]
    branch.code = "B9"
    branch.save()
    assert set(
        OrgUnit.objects.filter(path__startswith="/HQ/B9/").values_list("code", flat=True)
    ) == {"B9", "O11", "O12"}


@pytest.mark.django_db
def test_a_unit_cannot_move_below_itself(tree) -> None:
    branch = tree["B1"]
    branch.parent = tree["O11"]
    with pytest.raises(ValidationError):
        branch.full_clean()
