"""``xindai ledger``: the trial balance and the reconciliation of the subledgers with the GL.

    xindai ledger trial-balance [--date D] [--json]
    xindai ledger reconcile [--date D] [--json]

``--date`` counts the postings up to and including D (default: all). ``reconcile`` lists each
compared account (GL, subledger, difference) and exits with code 1 when any differs, so a
scheduled job can alert; ``trial-balance`` exits with 1 when debits and credits differ.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from xindai.audit import services as audit
from xindai.ledger import presenters, reconciliation


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期应写作 YYYY-MM-DD：{text}") from exc


class Command(BaseCommand):
    help = "总账工具：trial-balance 试算平衡表；reconcile 总分核对（有差异时退出码 1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("trial-balance", "试算平衡表"), ("reconcile", "总分核对")):
            action = sub.add_parser(name, help=text)
            action.add_argument("--date", help="截至会计日期 YYYY-MM-DD（默认全部分录）")
            action.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options.get("date"))
        with translation.override("zh-hans"):
            if options["action"] == "trial-balance":
                failed = self._trial_balance(as_of, options["json"])
            else:
                failed = self._reconcile(as_of, options["json"])
        if failed:
            sys.exit(1)

    def _trial_balance(self, as_of: dt.date | None, as_json: bool) -> bool:
        result = presenters.trial_balance_json(as_of)
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return not result["balanced"]
        self.stdout.write(f"试算平衡表（截至 {result['as_of'] or '全部'}，单位：元）")
        for section in result["sections"]:
            self.stdout.write(f"== {section['label']}")
            header = (
                f"{'科目':<24}{'借方发生额':>16}{'贷方发生额':>16}{'借方余额':>16}{'贷方余额':>16}"
            )
            self.stdout.write(header)
            for line in section["lines"]:
                self.stdout.write(
                    f"{line['code']} {line['name']:<18}{line['debits']:>18}{line['credits']:>18}"
                    f"{line['debit_balance']:>18}{line['credit_balance']:>18}"
                )
            t = section["totals"]
            flag = "平衡" if section["balanced"] else "不平"
            self.stdout.write(
                f"合计（{flag}）{'':<17}{t['debits']:>18}{t['credits']:>18}"
                f"{t['debit_balance']:>18}{t['credit_balance']:>18}"
            )
        return not result["balanced"]

    def _reconcile(self, as_of: dt.date | None, as_json: bool) -> bool:
        result = presenters.reconciliation_json(reconciliation.reconcile(as_of))
        audit.record(
            "ledger.reconciled",
            actor=None,
            object_type="ledger.journalentry",
            changes={"as_of": result["as_of"], "differences": result["count"], "by": "cli"},
        )
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return not result["ok"]
        for line in result["lines"]:
            mark = "  " if not line["difference_fen"] else "!!"
            self.stdout.write(
                f"{mark} {line['code']} {line['name']:<16} 总账 {line['ledger']:>18}"
                f"  明细 {line['subledger']:>18}  差额 {line['difference']:>14}"
            )
        if result["ok"]:
            self.stdout.write("总分核对相符")
        else:
            self.stdout.write(f"总分核对：{result['count']} 个科目不符")
        return not result["ok"]
