"""Extra permissions for a test user (beyond his role's)."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from xindai.org.models import User


def grant(user: User, *dotted: str) -> User:
    """``user`` with the extra permissions ``dotted`` (app.codename), reloaded (a fresh
    permission cache)."""
    for name in dotted:
        app_label, codename = name.split(".", 1)
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)
