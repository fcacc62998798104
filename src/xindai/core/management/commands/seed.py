from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xindai.core import business_date
from xindai.org.demo import DEMO_PASSWORD, USERS, seed_demo
from xindai.org.roles import SPEC_BY_ROLE


class Command(BaseCommand):
    help = (
        "载入演示数据：1 个联社、3 个支行、6 个网点、每个角色一名员工（可重复运行，不会重复创建）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="载入演示机构和员工")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["demo"]:
            raise CommandError("请指定要载入的数据，例如 --demo")
        units, users = seed_demo()
        if business_date.current_or_none() is None:
            business_date.set_date(timezone.localdate(), actor=None, reason="初始化演示数据")
        self.stdout.write(f"新建机构 {units} 个，新建员工 {users} 名。")
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for spec in USERS:
            role = SPEC_BY_ROLE[spec.role].group_name
            self.stdout.write(f"  {spec.username:<16} {role:<8} {spec.full_name}  @{spec.unit}")
