"""One way to page lists, for pages and the API."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_of(queryset: QuerySet[Any], page: int | str | None, size: int = PAGE_SIZE) -> Page[Any]:
    """The requested page; a page number out of range or not a number gives the nearest page."""
    paginator = Paginator(queryset, max(1, min(size, MAX_PAGE_SIZE)))
    return paginator.get_page(page)
