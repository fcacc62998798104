"""``xindai admission check``: run the admission check (准入检查) of an application from the
command line, as a named user whose permission and data scope apply.

    xindai admission check --application SQ2026000001 --user zhang --format table

Prints the JSON of ``POST /api/v1/applications/{id}/admission`` (the same presenter), or one
table row per rule. A missing application, an unknown user or a missing permission prints a
message on stderr and exits with code 2; a check the process refuses exits with code 1.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from xindai.core.errors import DomainError
from xindai.credit import presenters, queries, services
from xindai.credit.models import CreditApplication, OutcomeChoice
from xindai.org.models import User

PERMISSION = "credit.view_creditapplication"


class Command(BaseCommand):
    help = "准入检查：check 按当前事实与政策版本检查一笔申请（JSON 或表格）。输入有误时退出码为 2。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="检查一笔申请并记录结论")
        check.add_argument("--application", required=True, help="申请 id 或申请编号（SQ…）")
        check.add_argument(
            "--user", required=True, help="以此用户办理：其权限与数据范围适用，并记入审计日志"
        )
        check.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_named(options["user"])
        application = application_of(user, options["application"])
        try:
            check = services.check_admission(user, application)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        result = presenters.admission_json(check)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(result, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(render_table(application, result))


def user_named(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有此用户（或已停用）：{username}", returncode=2)
    if not user.has_perm(PERMISSION):
        raise CommandError(f"用户 {username} 无权进行准入检查（{PERMISSION}）", returncode=2)
    return user


def application_of(user: User, key: str) -> CreditApplication:
    """The application by id or number, among those the user may see."""
    key = key.strip()
    match = Q(number=key.upper()) | (Q(pk=int(key)) if key.isdigit() else Q())
    found = queries.visible_applications(user).filter(match).first() if key else None
    if found is None:
        raise CommandError(f"没有此申请，或用户 {user.username} 无权查看：{key}", returncode=2)
    return found


def render_table(application: CreditApplication, result: dict[str, Any]) -> str:
    """A heading with the decision, then one row per rule: id, outcome (Chinese), message."""
    with translation.override("zh-hans"):
        labels = {value: gettext(str(label)) for value, label in OutcomeChoice.choices}
    heading = (
        f"申请 {application.number}  结论：{labels[result['outcome']]}  "
        f"政策版本 V{result['policy_version']}  会计日期 {result['as_of']}"
    )
    rows = [["规则", "结论", "说明"]]
    rows += [[r["rule"], labels[r["outcome"]], r["message_zh"]] for r in result["results"]]
    widths = [max(_width(row[i]) for row in rows) for i in range(2)]
    lines = [
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=False)
        )
        + "  "
        + row[2]
        for row in rows
    ]
    rule = "-" * max(_width(line) for line in lines)
    return "\n".join([heading, lines[0], rule, *lines[1:]])


def _width(text: str) -> int:
    """Columns the text takes in a terminal (CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
