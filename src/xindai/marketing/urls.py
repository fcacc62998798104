"""The pages of 精准营销 in daily work, one module per area, under one namespace."""

from importlib import import_module

app_name = "marketing"

AREAS = ("campaigns", "work", "village", "funnel")

urlpatterns = [
    pattern
    for area in AREAS
    for pattern in getattr(import_module(f"xindai.marketing.urls_{area}"), "urlpatterns", [])
]
