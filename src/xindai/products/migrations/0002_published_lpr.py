"""The LPR quotations published since the 2019 reform (1-year / 5-year-plus), for a fresh install.

Later quotations are entered by an administrator (admin → LPR 报价).
"""

from decimal import Decimal

from django.db import migrations

PUBLISHED = [  # (effective date, 1Y %, 5Y+ %)
    ("2019-08-20", "4.25", "4.85"),
    ("2019-09-20", "4.20", "4.85"),
    ("2019-11-20", "4.15", "4.80"),
    ("2020-02-20", "4.05", "4.75"),
    ("2020-04-20", "3.85", "4.65"),
    ("2021-12-20", "3.80", "4.65"),
    ("2022-01-20", "3.70", "4.60"),
    ("2022-05-20", "3.70", "4.45"),
    ("2022-08-22", "3.65", "4.30"),
    ("2023-06-20", "3.55", "4.20"),
    ("2023-08-21", "3.45", "4.20"),
    ("2024-02-20", "3.45", "3.95"),
    ("2024-07-22", "3.35", "3.85"),
    ("2024-10-21", "3.10", "3.60"),
    ("2025-05-20", "3.00", "3.50"),
]


def load(apps, schema_editor):
    LprRate = apps.get_model("products", "LprRate")
    for day, one, five in PUBLISHED:
        LprRate.objects.get_or_create(
            effective_date=day,
            defaults={"one_year": Decimal(one) / 100, "five_year": Decimal(five) / 100},
        )


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
