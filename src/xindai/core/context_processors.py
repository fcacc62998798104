from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xindai.core import business_date
from xindai.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page header needs: the business date and the navigation this user may use."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "business_date": business_date.current_or_none(),
        "navigation": navigation_for(request.user, request.path),
    }
