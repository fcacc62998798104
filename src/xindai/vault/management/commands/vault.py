"""``xindai vault reconcile``: the vault's reconciliation (对账) over the whole bank.

    xindai vault reconcile [--json]

Lists every discrepancy with its reason; exits with code 1 when there is one (so a scheduled
job can alert), 0 when the vault reconciles. One audit event per run.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from xindai.audit import services as audit
from xindai.vault import presenters, queries


class Command(BaseCommand):
    help = "库房工具：reconcile 核对抵质押登记、在库物品、表外余额与业务状态（有差异时退出码 1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reconcile = sub.add_parser("reconcile", help="库房对账")
        reconcile.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("zh-hans"):
            result = presenters.reconciliation_json(queries.reconcile(None))
        audit.record(
            "vault.reconciled",
            actor=None,
            object_type="vault.vaultitem",
            changes={"count": result["count"], "by": "cli"},
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            for row in result["discrepancies"]:
                where = f"{row['application']} " if row["application"] else ""
                self.stdout.write(f"[{row['kind_label']}] {where}{row['message']}")
            summary = (
                f"库房对账：发现 {result['count']} 处差异" if result["count"] else "库房对账相符"
            )
            self.stdout.write(summary)
        if result["count"]:
            sys.exit(1)
