from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "以 gunicorn 提供服务（默认 http://127.0.0.1:8000）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("XINDAI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        argv = [
            gunicorn,
            "xindai.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
        ]
        self.stdout.write(f"信贷工作台：http://{options['bind']}/  （Ctrl+C 停止）")
        sys.stdout.flush()
        os.execv(gunicorn, argv)
