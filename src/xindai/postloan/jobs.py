"""The post-loan day (贷后日批): after each end-of-day, on the new business date, every
post-loan app brings its work up to date, in this order —

1. ``classification``: classes follow the days-past-due floor; NPL upgrades; observation;
2. ``postloan``: inspection tasks (planned, periodic, triggered), late ones flagged;
3. ``notices``: maturity notices, interest reminders, overdue and collection notices;
4. ``earlywarning``: warning signals and the warning list;
5. ``collection``: cases opened and assigned, limitation-period alerts.

Each app's ``daily.run(today)`` is idempotent for a date, so running a date twice (or after a
crash) changes nothing more. ``xindai postloan daily --date D`` runs it by hand.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from xindai.audit import services as audit

JOBS: tuple[str, ...] = (
    "xindai.classification.daily",
    "xindai.postloan.daily",
    "xindai.notices.daily",
    "xindai.earlywarning.daily",
    "xindai.collection.daily",
)


def run_all(today: dt.date, actor: Any = None) -> dict[str, dict[str, int]]:
    """Run every post-loan job for business date ``today``; what each did, by app."""
    done: dict[str, dict[str, int]] = {}
    for path in JOBS:
        app = path.split(".")[1]
        done[app] = import_module(path).run(today) or {}
    audit.record(
        "postloan.daily_done",
        actor=actor,
        object_type="core.businessdate",
        object_id=today.isoformat(),
        changes={app: counts for app, counts in done.items() if counts},
    )
    return done
