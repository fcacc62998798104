"""The app is wired in: in INSTALLED_APPS (its tables, admin, command) and its router in the
API. Until the lead engineer adds both lines, this test fails and says which is missing."""

from __future__ import annotations

from django.apps import apps
from django.urls import Resolver404, resolve


def test_the_analysis_app_is_installed() -> None:
    assert apps.is_installed("xindai.analysis"), 'add "xindai.analysis" to INSTALLED_APPS'


def test_the_analysis_router_is_part_of_the_api() -> None:
    try:
        resolve("/api/v1/analysis/ratios")
    except Resolver404:
        raise AssertionError(
            'add api.add_router("/analysis", analysis_router) to xindai.api.build_api'
        ) from None
