"""Limit/offset pages with the count and the links to the pages either side."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far beyond any archive, and well inside every database's integer range.
MAX_OFFSET = 1_000_000_000


class PageInput(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def page(request: HttpRequest, items, *, count: int, limit: int, offset: int) -> dict:
    """The page's body: the items of this page, the count, next and previous URLs."""

    def link(to: int) -> str:
        params = request.GET.copy()
        params["limit"], params["offset"] = str(limit), str(to)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "items": items,
    }


class LimitOffset(PaginationBase):
    """Two queries per page: the count and the page's rows (the queryset's
    select_related and prefetches decide what else)."""

    Input = PageInput

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: PageInput, request, **params):
        limit, offset = pagination.limit, pagination.offset
        return page(
            request,
            list(queryset[offset : offset + limit]),
            count=queryset.count(),
            limit=limit,
            offset=offset,
        )
