"""The demo's precision-marketing data: a small synthetic bank (模拟数据, never real) under the
demo outlets, imported, both models trained by the system, approved by the demo 风险合规 user
and the customers scored, so the pages show grades, reasons and model metrics at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from xindai.org.models import OrgUnit, UnitKind
from xindai.scoring import importer, services, synth
from xindai.scoring.models import StockCustomer

HOUSEHOLDS = 600
SEED = 2026


def month_end_before(day: dt.date) -> dt.date:
    """The last day of the month before ``day``'s month: the data's cut-off date."""
    return day.replace(day=1) - dt.timedelta(days=1)


def seed_demo_scoring(today: dt.date, *, households: int = HOUSEHOLDS) -> dict[str, Any]:
    """Build the synthetic bank unless present; what was created."""
    if StockCustomer.objects.filter(synthetic=True).exists():
        return {"customers": 0}
    User = get_user_model()
    admin, risk = User.objects.get(username="admin"), User.objects.get(username="risk")
    as_of = month_end_before(today)
    outlets = list(
        OrgUnit.objects.filter(kind=UnitKind.OUTLET, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    tables = synth.generate(households, SEED, as_of=as_of, org_codes=outlets)
    paths = synth.write(tables, settings.STOCK_DIR.parent / "synth-demo", "parquet")
    for name in synth.TABLES:
        importer.import_file(paths[name], name, user=admin)
    propensity, scorecard = services.train_models(as_of, user=admin)
    for model in (propensity, scorecard):
        services.approve_model(model, user=risk, note="演示：模拟数据上验证通过，准予使用")
    run = services.run_scoring(as_of, user=admin)
    services.monitor(as_of)
    return {"customers": run.customers_scored, "as_of": as_of, "grades": run.grade_counts}
