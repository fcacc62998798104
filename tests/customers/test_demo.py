"""The demo economic archives: realistic, valid, varied in completeness, seeded once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from xindai.audit.models import AuditEvent
from xindai.core import identity
from xindai.customers import section_models as sm
from xindai.customers.demo import seed_demo_archives
from xindai.customers.documents import sniff
from xindai.customers.models import Area, Customer, Document, Relationship, SoftInfo
from xindai.customers.services import assessment_of
from xindai.org.demo import seed_demo
from xindai.org.models import User

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def created(db: Any, media: Path) -> dict[str, int]:
    seed_demo()
    return seed_demo_archives(AS_OF)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_seeding_builds_a_county_of_households_shops_and_companies(created) -> None:
    kinds = Counter(Customer.objects.values_list("kind", flat=True))
    assert kinds["farmer"] >= 250 and kinds["business"] >= 25 and kinds["enterprise"] >= 5
    assert [created["farmers"], created["businesses"], created["enterprises"]] == [
        kinds["farmer"],
        kinds["business"],
        kinds["enterprise"],
    ]
    levels = Counter(Area.objects.values_list("level", flat=True))
    assert (levels["county"], levels["township"]) == (1, 3) and 8 <= levels["village"] <= 10
    assert not Customer.objects.filter(kind="farmer", village__isnull=True).exists()
    assert set(SoftInfo.objects.values_list("circle", flat=True)) == {"business", "life", "social"}
    links = set(Relationship.objects.values_list("kind", flat=True))
    assert links == {"guarantor", "related_party", "shareholder"}
    assert created["relationships"] == Relationship.objects.count()


def test_every_farmer_has_a_head_and_one_to_four_members_of_fitting_age(created) -> None:
    households: dict[int, list[sm.HouseholdMember]] = {}
    for member in sm.HouseholdMember.objects.filter(customer__kind="farmer"):
        households.setdefault(member.customer_id, []).append(member)
    assert len(households) == Customer.objects.filter(kind="farmer").count()
    for members in households.values():
        heads = [m for m in members if m.relation == "head"]
        assert len(heads) == 1 and 2 <= len(members) <= 5
        head_age = age_on(identity.birth_date(heads[0].id_number), AS_OF)
        assert 18 <= head_age <= 75
        for member in members:
            gap = head_age - age_on(identity.birth_date(member.id_number), AS_OF)
            if member.relation == "child":
                assert gap >= 18, (member.name, gap)
            elif member.relation == "parent":
                assert gap <= -18, (member.name, gap)
            elif member.relation == "spouse":
                assert member.sex != heads[0].sex and abs(gap) <= 10


def test_every_identity_number_and_phone_passes_the_checks(created) -> None:
    customers = list(Customer.objects.all())
    for customer in customers:
        if customer.kind == "farmer":
            assert identity.resident_id_problem(customer.id_number, AS_OF) is None
        else:
            assert identity.credit_code_problem(customer.id_number) is None
            assert customer.id_number[:2] == ("92" if customer.kind == "business" else "91")
    resident_ids = [
        *sm.HouseholdMember.objects.values_list("id_number", "sex"),
        *((i, None) for i in sm.Shareholder.objects.values_list("id_number", flat=True)),
        *(
            (i, None)
            for i in sm.EnterpriseGovernance.objects.values_list("legal_rep_id", flat=True)
        ),
    ]
    for number, sex in resident_ids:
        assert identity.resident_id_problem(number, AS_OF) is None, number
        assert sex in (None, identity.sex_of(number))
    phones = [c.phone for c in customers if c.phone]
    phones += [p for p in sm.HouseholdMember.objects.values_list("phone", flat=True) if p]
    assert all(identity.mobile_problem(phone) is None for phone in phones)
    assert len({c.id_number for c in customers}) == len(customers)


def test_completeness_varies_and_matches_the_assessment(created) -> None:
    farmers = list(Customer.objects.filter(kind="farmer"))
    scores = [c.completeness for c in farmers]
    assert 0.1 <= scores.count(100) / len(scores) <= 0.35
    assert any(score < 60 for score in scores)
    assert len(set(scores)) >= 6
    statuses: Counter[str] = Counter()
    for customer in Customer.objects.all():
        assessment = assessment_of(customer, AS_OF)
        assert customer.completeness == assessment.score
        statuses.update(f"{gap.key}:{gap.status}" for gap in assessment.gaps)
    assert statuses["id_card:expired"] and statuses["premises:expired"]
    assert statuses["id_card:missing"] and statuses["village_evaluation:missing"]


def test_documents_are_small_real_files_some_expired(created, media) -> None:
    documents = list(Document.objects.all())
    assert created["documents"] == len(documents) > 0
    total = 0
    for document in documents:
        path = media / document.file.name
        data = path.read_bytes()
        assert len(data) == document.size and sniff(data[:16], path.name) == document.content_type
        total += len(data)
    assert total < 1024 * 1024
    assert any(d.expires_on and d.expires_on < AS_OF for d in documents)


def test_customers_are_split_between_the_two_managers_and_their_units(created) -> None:
    manager, manager_dx = (
        User.objects.get(username="manager"),
        User.objects.get(username="manager_dx"),
    )
    by_manager = Counter(Customer.objects.values_list("manager__username", flat=True))
    assert set(by_manager) == {"manager", "manager_dx"}
    assert min(by_manager.values()) >= 0.25 * sum(by_manager.values())
    assert not Customer.objects.exclude(org_unit_id=manager.org_unit_id).filter(manager=manager)
    assert not Customer.objects.exclude(org_unit_id=manager_dx.org_unit_id).filter(
        manager=manager_dx
    )
    farmers = Customer.objects.filter(kind="farmer").select_related("village__parent")
    for farmer in farmers:
        in_chengguan = farmer.village.parent.name == "城关镇"
        assert farmer.manager_id == (manager if in_chengguan else manager_dx).pk


@pytest.mark.django_db
def test_seeding_twice_creates_nothing_new(media) -> None:
    first, second = StringIO(), StringIO()
    call_command("seed", "--demo", stdout=first)
    counts = [
        model.objects.count()
        for model in (Customer, Area, Document, sm.HouseholdMember, SoftInfo, AuditEvent)
    ]
    files = sorted(p for p in media.rglob("*") if p.is_file())
    call_command("seed", "--demo", stdout=second)
    assert "新建演示经济档案：农户" in first.getvalue()
    assert "演示经济档案已存在" in second.getvalue()
    assert [
        model.objects.count()
        for model in (Customer, Area, Document, sm.HouseholdMember, SoftInfo, AuditEvent)
    ] == counts
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files
    assert set(seed_demo_archives(AS_OF).values()) == {0}
