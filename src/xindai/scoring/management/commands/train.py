"""``xindai train --as-of YYYY-MM-DD [--horizon-days 180] [--user NAME]``: train the propensity
model and the credit scorecard on the stock data of a date; both wait for approval by 风险合规.
Prints a JSON summary (ids, versions, metrics)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core.errors import DomainError
from xindai.scoring import services


class Command(BaseCommand):
    help = "以某日的存量数据训练借款意愿模型和信用评分卡（训练后待风险合规审批），输出 JSON。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="数据截止日 YYYY-MM-DD")
        parser.add_argument("--horizon-days", type=int, default=180, help="借款观察期（天）")
        parser.add_argument("--user", help="训练人用户名（缺省为系统）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = services.parse_as_of(options["as_of"])
            user = services.actor_of(options["user"])
            models = services.train_models(as_of, user=user, horizon_days=options["horizon_days"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{options['user']} 没有训练模型的权限") from exc
        summary = {
            m.kind: {
                "id": m.pk,
                "version": m.version,
                "status": m.status,
                "artifact": m.artifact,
                "data_fingerprint": m.data_fingerprint,
                "metrics": m.metrics,
            }
            for m in models
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
