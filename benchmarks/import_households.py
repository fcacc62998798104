"""Excel import throughput: N households (about 3 members each) through import_workbook.

    .venv/bin/python benchmarks/import_households.py                      # 10,000 households
    .venv/bin/python benchmarks/import_households.py --households 2000 --seed 7

Builds the workbook in memory (valid resident IDs computed here, villages created for the run),
imports it into a fresh SQLite database in a temp dir, and prints the seconds spent building
and importing, the number of SQL statements the import ran, and the peak resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import resource
import tempfile
import time
from typing import Any

REGIONS = ("110101", "110102", "110105", "110108")  # in use for every birth year drawn below
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"  # GB 11643: weighted sum mod 11 → check character
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = "秀英桂兰建国志强海燕小明丽娟国华永红玉梅春生德福"
VILLAGES = 20
HOUSEHOLD_HEADERS = ["户主姓名", "身份证号", "手机号", "住址", "所在村代码", "承包地面积（亩）"]
MEMBER_HEADERS = [
    "户主身份证号",
    "与户主关系",
    "姓名",
    "性别",
    "身份证号",
    "职业",
    "手机号",
    "是否劳动力",
]


def resident_id(region: str, born: dt.date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + RIC_CHECK[sum(int(c) * w for c, w in zip(body, RIC_WEIGHTS, strict=True)) % 11]


class People:
    """Distinct, valid resident IDs: each person gets the next (birth date, sequence) pair."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.count = rng, 0

    def person(self, born_from: int, born_to: int) -> tuple[str, str, str]:
        """(name, resident ID, sex) of a new person born between the two years."""
        self.count += 1
        born = dt.date(self.rng.randint(born_from, born_to), 1, 1) + dt.timedelta(
            days=self.count // 1000 % 365
        )
        number = resident_id(self.rng.choice(REGIONS), born, self.count % 1000)
        sex = "男" if int(number[16]) % 2 else "女"
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=2))
        return name, number, sex


def village_code(i: int) -> str:
    return f"110101001{i + 1:03d}"


def household(rng: random.Random, people: People) -> tuple[list[Any], list[list[Any]]]:
    name, head, sex = people.person(1955, 1985)
    phone = f"139{rng.randrange(10**8):08d}"
    village = village_code(rng.randrange(VILLAGES))
    area = f"{rng.randint(1, 300) / 10:.1f}"
    row = [name, head, phone, f"{rng.randint(1, 9)}组{rng.randint(1, 60)}号", village, area]
    members = [[head, "户主", name, sex, head, "务农", phone, "是"]]
    spouse_name, spouse, spouse_sex = people.person(1955, 1985)
    members.append([head, "配偶", spouse_name, spouse_sex, spouse, "务农", None, "是"])
    for _child in range(rng.choice((0, 1, 1, 2))):  # 2 to 4 members, 3 on average
        child_name, child, _sex = people.person(1990, 2010)
        members.append([head, "子女", child_name, None, child, "学生", None, "否"])  # sex from ID
    return row, members


def build_workbook(households: int, seed: int) -> tuple[bytes, int]:
    from openpyxl import Workbook

    rng, people = random.Random(seed), People(random.Random(seed + 1))
    workbook = Workbook(write_only=True)
    sheet_h, sheet_m = workbook.create_sheet("农户"), workbook.create_sheet("家庭成员")
    sheet_h.append(HOUSEHOLD_HEADERS)
    sheet_m.append(MEMBER_HEADERS)
    members = 0
    for _ in range(households):
        row, rows = household(rng, people)
        sheet_h.append(row)
        for member in rows:
            sheet_m.append(member)
        members += len(rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), members


def setup_database() -> Any:
    """A fresh SQLite file, migrated, with villages and a customer manager."""
    os.environ["DEBUG"] = "1"
    os.environ["XINDAI_VAR_DIR"] = tempfile.mkdtemp(prefix="xindai-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xindai.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from xindai.customers.models import Area, AreaLevel
    from xindai.org.models import OrgUnit, UnitKind, User
    from xindai.org.roles import Role, group_name

    call_command("migrate", verbosity=0)
    county = Area.objects.create(code="110101000000", name="东城区", level=AreaLevel.COUNTY)
    town = Area.objects.create(
        code="110101001000", name="东华门街道", level=AreaLevel.TOWNSHIP, parent=county
    )
    for i in range(VILLAGES):
        Area.objects.create(
            code=village_code(i), name=f"第{i + 1}村", level=AreaLevel.VILLAGE, parent=town
        )
    unit = OrgUnit.objects.create(code="O11", name="营业部", kind=UnitKind.OUTLET)
    manager = User.objects.create_user("zhang", org_unit=unit, full_name="张三")
    manager.groups.add(Group.objects.get(name=group_name(Role.MANAGER)))
    return User.objects.get(pk=manager.pk)


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def timed_import(manager: Any, content: bytes) -> tuple[Any, float, int]:
    """(result, seconds, SQL statements run)."""
    from django.db import connection

    from xindai.customers.excel import import_workbook

    counter = StatementCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = import_workbook(manager, content, manager=manager)
    return result, time.perf_counter() - started, counter.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    manager = setup_database()
    started = time.perf_counter()
    content, members = build_workbook(args.households, args.seed)
    build_s = time.perf_counter() - started

    result, import_s, statements = timed_import(manager, content)
    if not result.ok:
        for error in result.errors[:20]:
            print(error)
        raise SystemExit(f"import refused: {len(result.errors)} errors")
    assert (result.households, result.members) == (args.households, members)

    from xindai.customers.models import Customer, HouseholdMember

    assert Customer.objects.count() == args.households
    assert HouseholdMember.history.count() == members
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"households: {args.households:,}; members: {members:,}; file: {len(content):,} bytes")
    print(f"build workbook: {build_s:.2f} s")
    print(f"import: {import_s:.2f} s ({statements} SQL statements)")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
