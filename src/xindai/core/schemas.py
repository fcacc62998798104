from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

from xindai.core.paging import MAX_PAGE_SIZE, PAGE_SIZE, page_of

T = TypeVar("T")


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="每页条数")


class Paged(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


def paged(queryset: QuerySet[Any], query: PageQuery) -> dict[str, Any]:
    page = page_of(queryset, query.page, query.page_size)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": page.paginator.per_page,
        "items": list(page.object_list),
    }
