from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xindai.core import business_date
from xindai.credit.demo import seed_demo_applications
from xindai.credit.demo_approval import COMMITTEE_USERS, seed_demo_approvals
from xindai.customers.demo import seed_demo_archives
from xindai.loans.demo import seed_demo_loans
from xindai.loans.demo_postloan import seed_demo_postloan
from xindai.marketing.demo import seed_demo_marketing
from xindai.org.demo import DEMO_PASSWORD, USERS, seed_demo
from xindai.org.roles import SPEC_BY_ROLE
from xindai.products.demo import seed_demo_products
from xindai.scoring.demo import seed_demo_scoring


class Command(BaseCommand):
    help = (
        "载入演示数据：1 个联社、3 个支行、6 个网点、每个角色一名员工，以及一个县的演示经济档案"
        "（约 300 户农户、30 户个体工商户、6 家企业）。可重复运行，不会重复创建。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="载入演示机构、员工和经济档案")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["demo"]:
            raise CommandError("请指定要载入的数据，例如 --demo")
        units, users = seed_demo()
        if business_date.current_or_none() is None:
            business_date.set_date(timezone.localdate(), actor=None, reason="初始化演示数据")
        self.stdout.write(f"新建机构 {units} 个，新建员工 {users} 名。")
        self._archives(seed_demo_archives(business_date.current()))
        self.stdout.write(f"新建演示贷款产品 {seed_demo_products()} 个。")
        self.stdout.write(
            "新建演示信贷申请 {applications} 笔、风险名单 {risk_entries} 条。".format(
                **seed_demo_applications()
            )
        )
        self.stdout.write(
            "新建审贷小组成员 {members} 名、审查审批演示申请 {applications} 笔，".format(
                **seed_demo_approvals()
            )
            + "生成合同 {contracts} 份、放款 {loans} 笔。".format(**seed_demo_loans())
        )
        postloan = seed_demo_postloan()
        self.stdout.write(f"新建演示贷后资产组合（存量迁移）贷款 {postloan['loans']} 笔。")
        scored = seed_demo_scoring(business_date.current())
        if scored["customers"]:
            self.stdout.write(
                "新建模拟存量客户并完成评分：{customers} 户（数据截至 {as_of}，模拟数据）。".format(
                    **scored
                )
            )
        marketing = seed_demo_marketing(business_date.current())
        if marketing["campaigns"]:
            self.stdout.write(
                "新建精准营销演示数据：营销活动 {campaigns} 个（{village}整村授信等）、"
                "名单客户 {targets} 户、走访记录 {contacts} 条（模拟数据）。".format(**marketing)
            )
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for spec in (*USERS, *COMMITTEE_USERS):
            role = SPEC_BY_ROLE[spec.role].group_name
            self.stdout.write(f"  {spec.username:<16} {role:<8} {spec.full_name}  @{spec.unit}")

    def _archives(self, created: dict[str, int]) -> None:
        if not created["farmers"] + created["businesses"] + created["enterprises"]:
            self.stdout.write("演示经济档案已存在，未重复创建。")
            return
        self.stdout.write(
            "新建演示经济档案：农户 {farmers} 户、个体工商户 {businesses} 户、企业 {enterprises} 家"
            "（行政区划 {areas} 个，家庭成员 {members} 人，档案栏目 {section_rows} 条，"
            "资料 {documents} 份，软信息 {soft_info} 条，客户关系 {relationships} 条）。".format(
                **created
            )
        )
