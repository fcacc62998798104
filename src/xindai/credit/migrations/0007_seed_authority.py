"""The default approval authority matrix (审批授权), by the level of the approver's unit:

========  ==============  =================
level     any security    信用 (unsecured)
========  ==============  =================
网点       30 万元          10 万元
支行       100 万元         30 万元
联社/总行   300 万元         30 万元
========  ==============  =================

风险合规 edits it in the admin (with history). Amounts above 300 万 need a rule added by the
bank (e.g. for the 联社 board)."""

from decimal import Decimal

from django.db import migrations

DEFAULT_MATRIX = [
    ("outlet", "", Decimal("300000"), "网点审批人：30 万元以内"),
    ("outlet", "credit", Decimal("100000"), "网点审批人：信用贷款 10 万元以内"),
    ("branch", "", Decimal("1000000"), "支行审批人：100 万元以内"),
    ("branch", "credit", Decimal("300000"), "支行审批人：信用贷款 30 万元以内"),
    ("union", "", Decimal("3000000"), "联社审批人：300 万元以内"),
    ("union", "credit", Decimal("300000"), "联社审批人：信用贷款 30 万元以内"),
]


def seed(apps, schema_editor):
    rule = apps.get_model("credit", "AuthorityRule")
    if rule.objects.exists():
        return
    for kind, guarantee, amount, note in DEFAULT_MATRIX:
        rule.objects.create(
            role="approver",
            unit_kind=kind,
            guarantee_method=guarantee,
            max_amount=amount,
            note=note,
        )


def unseed(apps, schema_editor):
    apps.get_model("credit", "AuthorityRule").objects.filter(org_unit__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0006_committee_authority")]
    operations = [migrations.RunPython(seed, unseed)]
