"""``xindai eod``: end-of-day (日终批处理).

    xindai eod --date 2026-11-30      # close the current business date, move to the next day
    xindai eod --until 2026-12-31     # catch up day by day through 2026-12-31
    xindai eod --date 2026-11-30 --json

A progress bar per step on stderr, then a summary (loans per step, amounts, timings). A date
already closed prints "已完成" and changes nothing. Exit code 0: done (or already done);
1: refused (not the current business date, another run in progress) or failed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xindai.core import business_date
from xindai.core.errors import DomainError
from xindai.ledger.domain import fen_text
from xindai.loans import eod

AMOUNT_LABELS = {
    "collected_fen": "扣款金额",
    "overdue_principal_fen": "转逾期本金",
    "overdue_interest_fen": "转逾期利息",
    "accrued_fen": "计提利息",
    "settled_interest_fen": "结息（正常利息）",
    "settled_penalty_fen": "结息（罚息复利）",
    "due_principal_fen": "到期本金",
    "due_interest_fen": "到期利息",
    "to_npl_interest_fen": "转表外利息",
    "from_npl_interest_fen": "转回表内利息",
}


class Command(BaseCommand):
    help = (
        "日终批处理：扣款、转逾期、计提、结息、到期、分类，然后会计日期进入下一日。"
        "--date 只能是当前会计日期；--until 逐日补跑。退出码 0 成功，1 拒绝或失败。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--date", help="日终的会计日期 YYYY-MM-DD（须为当前会计日期）")
        group.add_argument("--until", help="逐日补跑日终直至该日期（含）YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出汇总")
        parser.add_argument("--chunk-size", type=int, help="每批贷款笔数（默认 50000）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        progress = None if options["no_progress"] or as_json else _bar
        chunk = options["chunk_size"]
        if chunk is not None and chunk < 1:
            raise CommandError("--chunk-size 须为正整数", returncode=1)
        try:
            if options["date"]:
                day = _date(options["date"], "--date")
                summaries = [eod.run_date(day, progress=progress, chunk=chunk)]
                if not as_json:
                    self._print(summaries[0])
            else:
                until = _date(options["until"], "--until")
                current = business_date.current()
                printer = None if as_json else self._print
                summaries = eod.run_until(until, progress=progress, chunk=chunk, on_done=printer)
                if not summaries and not as_json:
                    self.stdout.write(
                        f"会计日期已是 {current.isoformat()}，{until.isoformat()} 前无需补跑"
                    )
        except (DomainError, business_date.BusinessDateNotSet) as exc:
            raise CommandError(str(getattr(exc, "message", exc)), returncode=1) from exc
        if as_json:
            self.stdout.write(
                json.dumps([s.as_json() for s in summaries], ensure_ascii=False, indent=2)
            )

    def _print(self, summary: eod.Summary) -> None:
        day = summary.business_date.isoformat()
        if summary.status == "already_done":
            self.stdout.write(f"{day} 日终已完成，本次未做任何变动")
            return
        self.stdout.write(f"{day} 日终完成，会计日期进入 {summary.business_date + _ONE_DAY}")
        for step in eod.STEPS[:-1]:
            loans = summary.loans.get(step, 0)
            seconds = summary.timings.get(step, 0.0)
            self.stdout.write(f"  {eod.STEP_LABELS[step]}：{loans} 笔，{seconds:.2f} 秒")
        for name, label in AMOUNT_LABELS.items():
            if summary.fen.get(name):
                self.stdout.write(f"  {label}：{fen_text(summary.fen[name])} 元")
        self.stdout.write(f"  合计耗时：{summary.timings.get('total', 0.0):.2f} 秒")


_ONE_DAY = dt.timedelta(days=1)


def _bar(label: str, total: int) -> tqdm[Any]:
    return tqdm(desc=label, total=total, unit="批", file=sys.stderr, leave=False)


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{option} 须为日期 YYYY-MM-DD：{text}", returncode=1) from exc
