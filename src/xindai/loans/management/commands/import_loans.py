"""``xindai import_loans FILE [--dry-run] [--partial] --user USERNAME``: import an old system's
loan portfolio (存量贷款迁移) from .xlsx or .csv (UTF-8 or GBK).

Prints a JSON summary ``{imported, skipped, errors: [{row, column, message}], ...}`` on stdout
(personal data masked) with a progress bar on stderr; exits with code 1 when the file has
errors (with ``--partial``: only when nothing could be imported), 2 on a bad command line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xindai.loans.importer import error_report, import_loans
from xindai.org.models import User


class Command(BaseCommand):
    help = (
        "导入存量贷款（Excel .xlsx 或 CSV，UTF-8/GBK）。默认任何一行有误则什么也不导入；"
        "--partial 只导入正确的行；--dry-run 只检查不保存。输出 JSON 摘要。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="导入文件（.xlsx 或 .csv）")
        parser.add_argument(
            "--user", default="admin", help="操作人用户名（须有导入权限，记入审计）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--partial", action="store_true", help="只导入正确的行，报告其余")
        parser.add_argument("--errors-out", help="有错误时把错误清单另存为此 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"没有用户：{options['user']}", returncode=2)
        with tqdm(desc="导入", unit="笔", file=sys.stderr, disable=options["dry_run"]) as bar:
            try:
                result = import_loans(
                    actor,
                    path.read_bytes(),
                    filename=path.name,
                    dry_run=options["dry_run"],
                    partial=options["partial"],
                    progress=bar.update,
                )
            except PermissionDenied as exc:
                raise CommandError(
                    f"{actor.username} 没有导入存量贷款的权限", returncode=2
                ) from exc
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        if result.errors and options.get("errors_out"):
            Path(options["errors_out"]).write_bytes(error_report(result.errors))
        failed = result.errors and (not options["partial"] or result.valid == 0)
        if failed:
            sys.exit(1)
