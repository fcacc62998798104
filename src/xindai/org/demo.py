"""Demo organisation and staff: 1 联社, 3 支行, 6 网点, one user per role (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from xindai.audit import services as audit
from xindai.org.models import OrgUnit, UnitKind, User
from xindai.org.roles import SPEC_BY_ROLE, Role

DEMO_PASSWORD = "Xindai-demo-2026"  # noqa: S105 - printed for the demo; never for real staff

UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    ("HQ", "青禾农村商业银行（联社）", UnitKind.UNION, None),
    ("B01", "城关支行", UnitKind.BRANCH, "HQ"),
    ("B02", "东乡支行", UnitKind.BRANCH, "HQ"),
    ("B03", "西山支行", UnitKind.BRANCH, "HQ"),
    ("O0101", "城关营业部", UnitKind.OUTLET, "B01"),
    ("O0102", "南街分理处", UnitKind.OUTLET, "B01"),
    ("O0201", "东乡营业所", UnitKind.OUTLET, "B02"),
    ("O0202", "李庄分理处", UnitKind.OUTLET, "B02"),
    ("O0301", "西山营业所", UnitKind.OUTLET, "B03"),
    ("O0302", "河湾分理处", UnitKind.OUTLET, "B03"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    unit: str
    employee_no: str
    phone: str


USERS: tuple[DemoUser, ...] = (
    DemoUser("manager", "张建国", Role.MANAGER, "O0101", "100101", "13800000001"),
    DemoUser("co_investigator", "李秀兰", Role.CO_INVESTIGATOR, "O0101", "100102", "13800000002"),
    DemoUser("reviewer", "王志强", Role.REVIEWER, "B01", "100103", "13800000003"),
    DemoUser("committee", "赵丽华", Role.COMMITTEE, "B01", "100104", "13800000004"),
    DemoUser("approver", "刘德明", Role.APPROVER, "B01", "100105", "13800000005"),
    DemoUser("disbursement", "陈静", Role.DISBURSEMENT, "O0101", "100106", "13800000006"),
    DemoUser("postloan", "杨帆", Role.POSTLOAN, "O0101", "100107", "13800000007"),
    DemoUser("collection", "黄海", Role.COLLECTION, "B01", "100108", "13800000008"),
    DemoUser("risk", "周敏", Role.RISK, "HQ", "100109", "13800000009"),
    DemoUser("branch_head", "吴国平", Role.BRANCH_HEAD, "B01", "100110", "13800000010"),
    DemoUser("admin", "郑立", Role.ADMIN, "HQ", "100111", "13800000011"),
    DemoUser("manager_dx", "孙小军", Role.MANAGER, "O0201", "200101", "13800000012"),
)


def seed_demo() -> tuple[int, int]:
    """Create what is missing; returns (units created, users created)."""
    units_created = users_created = 0
    with transaction.atomic():
        by_code: dict[str, OrgUnit] = {}
        for code, name, kind, parent in UNITS:
            unit, created = OrgUnit.objects.get_or_create(
                code=code,
                defaults={"name": name, "kind": kind, "parent": by_code.get(parent or "")},
            )
            by_code[code] = unit
            if created:
                units_created += 1
                audit.record(
                    "org.orgunit.create",
                    actor=None,
                    object_type="org.orgunit",
                    object_id=unit.pk,
                    changes={"code": code},
                    reason="演示数据",
                )
        for spec in USERS:
            users_created += ensure_user(spec, by_code[spec.unit])
    return units_created, users_created


def ensure_user(spec: DemoUser, unit: OrgUnit) -> int:
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "full_name": spec.full_name,
            "org_unit": unit,
            "employee_no": spec.employee_no,
            "phone": spec.phone,
            "is_staff": SPEC_BY_ROLE[spec.role].admin_site,
        },
    )
    if not created:
        return 0
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=SPEC_BY_ROLE[spec.role].group_name))
    audit.record(
        "org.user.create",
        actor=None,
        object_type="org.user",
        object_id=user.pk,
        changes={"username": spec.username, "role": spec.role.value},
        reason="演示数据",
    )
    return 1
