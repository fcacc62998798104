from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.org.models import User
from xindai.org.services import issue_token


class Command(BaseCommand):
    help = "API 令牌：create USERNAME --name 用途，令牌只显示一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为员工签发令牌")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="令牌用途")
        create.add_argument("--days", type=int, default=settings.XINDAI_API_TOKEN_TTL_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有在岗员工 {options['username']}")
        if not 1 <= options["days"] <= 366:
            raise CommandError("有效天数应在 1 到 366 之间")
        token, raw = issue_token(user, name=options["name"], days=options["days"], actor=None)
        self.stdout.write(raw)
        self.stderr.write(f"令牌 {token.prefix}… 有效至 {token.expires_at:%Y-%m-%d}，请妥善保存。")
