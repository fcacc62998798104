"""The first policy version (the defaults of shared/RULES.md) and the starter industry list."""

from __future__ import annotations

from typing import Any

from django.db import migrations

INITIAL_REASON = "初始版本：shared/RULES.md 默认值"  # as credit.facts.INITIAL_REASON


def seed(apps: Any, schema_editor: Any) -> None:
    from xindai.credit.industry_catalogue import STARTER
    from xindai.credit.policy import Policy

    PolicyVersion = apps.get_model("credit", "PolicyVersion")
    IndustryPolicy = apps.get_model("credit", "IndustryPolicy")
    if not PolicyVersion.objects.exists():
        PolicyVersion.objects.create(number=1, params=Policy().to_params(), reason=INITIAL_REASON)

    for code, stance, requires_permit, note in STARTER:
        IndustryPolicy.objects.get_or_create(
            code=code, defaults={"stance": stance, "requires_permit": requires_permit, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
