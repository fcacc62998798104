"""``xindai synth``: write a synthetic bank's stock tables (never real data).

    xindai synth --households 900000 --seed 7 --out var/data/synth --format parquet --import

Writes ``<out>/<table>.<csv|parquet>`` for customers, balances, transactions, loans and
holdings, prints a JSON summary (rows per table, seconds) and shows progress on stderr. The
distributions are documented in ``xindai.scoring.synth`` and docs/guide/23-模拟银行数据.md.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xindai.org.models import OrgUnit, UnitKind
from xindai.scoring import synth


class Command(BaseCommand):
    help = (
        "生成模拟银行数据（合成数据，非真实客户）：村庄、农户、个体工商户、小微企业及其余额、"
        "交易、贷款和持有产品，按种子可重现；可选直接导入存量客户数据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, required=True, help="农户户数")
        parser.add_argument(
            "--seed", type=int, required=True, help="随机种子（相同种子生成相同数据）"
        )
        parser.add_argument(
            "--out", type=Path, default=None, help="输出目录（默认 数据目录/synth）"
        )
        parser.add_argument("--format", choices=("csv", "parquet"), default="parquet")
        parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
        parser.add_argument("--months", type=int, default=24, help="交易和余额的月数")
        parser.add_argument("--import", dest="do_import", action="store_true", help="生成后导入")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["households"] < 1 or options["months"] < 1:
            raise CommandError("户数和月数必须为正整数")
        out = options["out"] or Path(settings.STOCK_DIR).parent / "synth"
        started = time.perf_counter()
        steps = (*synth.TABLES, "write")
        with tqdm(total=len(steps), desc="模拟数据", file=sys.stderr, leave=False) as bar:

            def step(name: str) -> None:
                bar.set_postfix_str(name)
                bar.update(1)

            tables = synth.generate(
                options["households"],
                options["seed"],
                as_of=options["as_of"],
                months=options["months"],
                org_codes=outlet_codes(),
                on_step=step,
            )
            paths = synth.write(tables, out, options["format"])
            step("write")
        summary: dict[str, Any] = {
            "out": str(out),
            "format": options["format"],
            "rows": {name: len(frame) for name, frame in tables.items()},
            "seconds": round(time.perf_counter() - started, 1),
        }
        del tables
        if options["do_import"]:
            summary["imports"] = import_files(paths)
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))


def outlet_codes() -> list[str]:
    """Codes of the active outlets (网点); ``SYN01``..``SYN08`` when the bank has none."""
    codes = list(
        OrgUnit.objects.filter(is_active=True, kind=UnitKind.OUTLET)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return codes or [f"SYN{i:02d}" for i in range(1, 9)]


def import_files(paths: dict[str, Path]) -> dict[str, Any]:
    from xindai.scoring.importer import import_file  # written alongside; imported when used

    result = {}
    for table in synth.TABLES:
        batch = import_file(paths[table], table)
        result[table] = {"batch": batch.pk, "status": batch.status, "accepted": batch.rows_accepted}
        result[table]["rejected"] = batch.rows_rejected
    return result
