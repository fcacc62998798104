"""Target lists, assignment, the manager's plan and the funnel on a scored bank: seconds and
peak memory.

    .venv/bin/python benchmarks/scoring.py --customers 1000000 --seed 1 \\
        --database-url postgres://postgres@127.0.0.1:5432/xindai_bench_scoring \\
        --work-dir /tmp/xindai-bench
    .venv/bin/python benchmarks/marketing.py \\
        --database-url postgres://postgres@127.0.0.1:5432/xindai_bench_scoring \\
        --work-dir /tmp/xindai-bench

Runs on the database and store that ``benchmarks/scoring.py`` left (its org tree BQ → BQ1..BQ4
→ 3 outlets each, one score run): migrates it, adds two 客户经理 per outlet and a 支行行长 of
branch BQ1 (once), deletes an earlier run's campaign, then times, for a new 存量挖掘 campaign
over branch BQ1 (a quarter of the bank) targeting grades A and B: building the list,
assigning it (capacity per the policy), one manager's plan of the day, and the funnel of the
branch by village. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import secrets
import time
from pathlib import Path
from typing import Any


def setup_django(url: str, work: Path) -> None:
    os.environ.pop("DEBUG", None)  # DEBUG would keep every query in memory
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DATABASE_URL"] = url
    os.environ["XINDAI_STOCK_DIR"] = str(work / "stock")
    os.environ["XINDAI_MODEL_DIR"] = str(work / "models")
    os.environ.setdefault("XINDAI_VAR_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xindai.settings")
    import django

    django.setup()


def staff() -> tuple[Any, list[Any]]:
    """The branch head of BQ1 and the managers of its outlets (created once)."""
    from django.contrib.auth.models import Group

    from xindai.org.models import OrgUnit, User
    from xindai.org.roles import Role, group_name

    def user(username: str, unit: Any, role: Role, name: str) -> Any:
        found, created = User.objects.get_or_create(
            username=username, defaults={"org_unit": unit, "full_name": name}
        )
        if created:
            found.groups.add(Group.objects.get(name=group_name(role)))
        return found

    head = user("bench_head", OrgUnit.objects.get(code="BQ1"), Role.BRANCH_HEAD, "基准行长")
    managers = [
        user(f"bench_m{outlet.code}{n}", outlet, Role.MANAGER, f"基准经理{outlet.code}{n}")
        for outlet in OrgUnit.objects.filter(parent__code="BQ1").order_by("code")
        for n in (1, 2)
    ]
    return head, managers


def timed(name: str, figures: dict[str, float], work: Any) -> Any:
    started = time.perf_counter()
    result = work()
    figures[name] = round(time.perf_counter() - started, 2)
    print(f"  {name}: {figures[name]} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--work-dir", required=True, help="benchmarks/scoring.py 的工作目录")
    args = parser.parse_args()
    setup_django(args.database_url, Path(args.work_dir))
    from django.core.management import call_command

    from xindai.marketing import campaigns, funnel, work
    from xindai.marketing.models import Campaign
    from xindai.org.models import OrgUnit
    from xindai.scoring.models import ScoreRun

    call_command("migrate", verbosity=0)
    head, managers = staff()
    run = ScoreRun.objects.order_by("-as_of").first()
    assert run is not None, "先运行 benchmarks/scoring.py"
    figures: dict[str, float] = {}
    Campaign.objects.filter(name__startswith="基准存量挖掘").delete()  # an earlier run's
    campaign = campaigns.create_campaign(
        head,
        {
            "name": f"基准存量挖掘 {time.strftime('%H%M%S')}",
            "scenario": "stock_mining",
            "org_unit": OrgUnit.objects.get(code="BQ1").pk,
            "rules": {"grades": ["A", "B"]},
            "starts_on": run.as_of.isoformat(),
            "ends_on": (run.as_of + dt.timedelta(days=90)).isoformat(),
        },
    )
    campaigns.activate(head, campaign, today=run.as_of)
    built = timed("build_targets", figures, lambda: campaigns.build_targets(campaign, head))
    assigned = timed("assign_targets", figures, lambda: campaigns.assign_targets(campaign, head))
    plan = timed("manager_plan", figures, lambda: work.plan(managers[0], run.as_of))
    timed("funnel_by_village", figures, lambda: funnel.funnel(head, by="village"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(
        json.dumps(
            {
                "scored_customers": run.customers_scored,
                "targets_added": built.added,
                "skipped": built.skipped,
                "assigned": assigned[0],
                "left_unassigned": assigned[1],
                "plan_villages": len(plan.villages),
                "plan_targets": plan.target_count,
                "seconds": figures,
                "peak_rss_gib": round(peak, 3),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
