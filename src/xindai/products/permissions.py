"""``loans.use_calculator`` (贷款试算): a permission of the loans app, which has no models yet.

Django keeps permissions per content type, and creates them only for apps with models, so this
one is made here after every migrate (and test-database flush), before the role groups are
synchronised on the next app's signal. When the loans app gets models, an unmanaged
``Calculator`` model with ``Meta.permissions`` should take its place (as dashboard.Workbench).
"""

from __future__ import annotations

from typing import Any

CALCULATOR_PERMISSION = "loans.use_calculator"
CALCULATOR_PERMISSION_NAME = "可使用贷款试算"


def ensure_calculator_permission(using: str = "default", **kwargs: Any) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    app_label, codename = CALCULATOR_PERMISSION.split(".")
    content_type, _created = ContentType.objects.using(using).get_or_create(
        app_label=app_label, model="calculator"
    )
    Permission.objects.using(using).get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": CALCULATOR_PERMISSION_NAME},
    )
