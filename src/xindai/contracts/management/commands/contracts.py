"""``xindai contracts seed-templates``: load the shipped uniform contracts as the approved
version 1 of every kind that has no version yet (idempotent; the migration does the same).

    xindai contracts seed-templates
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xindai.contracts import template_services


class Command(BaseCommand):
    help = "信贷合同：seed-templates 载入系统预置的五种统一制式合同（已有版本的种类不变）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seed-templates", help="载入预置合同模板（幂等）")

    def handle(self, *args: Any, **options: Any) -> None:
        made = template_services.seed()
        if made:
            self.stdout.write("已载入：" + "、".join(made))
        else:
            self.stdout.write("各种合同均已有模板版本，未作改动")
