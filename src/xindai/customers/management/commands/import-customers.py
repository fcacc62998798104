from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core.errors import DomainError
from xindai.customers.excel import ImportResult, error_report, import_workbook
from xindai.org.models import User


class Command(BaseCommand):
    help = (
        "从导入模板批量建档（农户、家庭成员、个体工商户）。任何一行有误则什么也不保存，"
        "列出全部错误并以退出码 1 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="填好的导入模板（.xlsx）")
        parser.add_argument("--manager", required=True, help="管户客户经理的用户名")
        parser.add_argument("--actor", required=True, help="操作人的用户名（记入历史和审计）")
        parser.add_argument("--errors-out", help="有错误时把错误清单另存为此 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        manager, actor = _user(options["manager"]), _user(options["actor"])
        try:
            result = import_workbook(actor, path, manager=manager)
        except PermissionDenied as exc:
            raise CommandError(f"{actor.username} 没有新建客户的权限") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not result.ok:
            self._report(result, options.get("errors_out"))
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入：农户 {result.households} 户，家庭成员 {result.members} 人，"
                f"个体工商户 {result.businesses} 户"
            )
        )

    def _report(self, result: ImportResult, errors_out: str | None) -> None:
        for error in result.errors:
            where = f"「{error.sheet}」第 {error.row} 行 {error.column}" if error.row else "文件"
            self.stderr.write(f"{where}：{error.message}")
        if errors_out:
            Path(errors_out).write_bytes(error_report(result))
            self.stderr.write(f"错误清单已写入 {errors_out}")
        raise CommandError(f"发现 {len(result.errors)} 处错误，未导入任何数据")


def _user(username: str) -> User:
    try:
        return User.objects.select_related("org_unit").get(username=username)
    except User.DoesNotExist as exc:
        raise CommandError(f"没有用户：{username}") from exc
