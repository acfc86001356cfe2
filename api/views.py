"""The read API: published issues, their items, and search, as JSON.

Readers of the API see what readers of the pages see, published issues and
their items only (editors' previews of drafts stay on the pages). Who may call
it at all is api.auth's rule. The schema is served at /api/openapi.json; no
documentation page is (Swagger UI speaks English only, and every screen here
speaks Chinese).
"""

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from api.auth import TokenOrSession
from api.pagination import LimitOffset, PageInput, page
from api.schemas import (
    ErrorOut,
    InvalidOut,
    IssueDetailOut,
    IssueOut,
    ItemDetailOut,
    ItemOut,
    SearchPageOut,
)
from articles.models import Article
from issues.models import Issue
from search import engine
from search.forms import MAX_FIELD_LENGTH
from search.query import QueryError
from search.views import RESULT_LIMIT

api = NinjaAPI(
    title="Bulletin API",
    version="1",
    description=(
        "Read-only access to the published issues and items of the bulletin. "
        "Send `Authorization: Bearer <token>` (tokens are issued in the admin) "
        "or use a signed-in session; when the site does not require a login, "
        "anyone may read."
    ),
    auth=TokenOrSession(),
    urls_namespace="api",
    docs_url=None,
)

# Every operation may refuse the caller or the parameters (ninja's 422).
REFUSED = {401: ErrorOut, 422: InvalidOut}
# Ids within every database's integer range.
MAX_ID = 2**63 - 1


def published_issues():
    return Issue.objects.published().select_related("publication")


def published_items():
    return Article.objects.published()


@api.get("/issues/", response={200: list[IssueOut], **REFUSED}, tags=["issues"])
@paginate(LimitOffset)
def list_issues(request):
    """Published issues, newest first."""
    refuse_unknown_parameters(request, PageInput)
    return published_issues().order_by("-year", "-number", "-id")


@api.get(
    "/issues/{issue_id}/",
    response={200: IssueDetailOut, 404: ErrorOut, **REFUSED},
    tags=["issues"],
)
def get_issue(request, issue_id: int = Path(..., ge=1, le=MAX_ID)):
    """A published issue with its sections, each with its items in print order."""
    refuse_unknown_parameters(request)
    return get_object_or_404(published_issues(), pk=issue_id)


class ItemFilters(Schema):
    issue: int | None = Field(None, ge=1, le=MAX_ID)
    section: int | None = Field(None, ge=1, le=MAX_ID)
    source: int | None = Field(None, ge=1, le=MAX_ID)
    year: int | None = Field(None, ge=1, le=9999, description="The issue's year.")


@api.get("/items/", response={200: list[ItemOut], **REFUSED}, tags=["items"])
@paginate(LimitOffset)
def list_items(request, filters: Query[ItemFilters]):
    """Items of published issues: newest issues first, print order within one."""
    refuse_unknown_parameters(request, ItemFilters, PageInput)
    items = published_items().select_related("section", "source")
    if filters.issue is not None:
        items = items.filter(issue_id=filters.issue)
    if filters.section is not None:
        items = items.filter(section_id=filters.section)
    if filters.source is not None:
        items = items.filter(source_id=filters.source)
    if filters.year is not None:
        items = items.filter(issue__year=filters.year)
    # in_print_order's keys (section place, position, id) after the newest issue.
    return items.in_print_order().order_by(
        "-issue__year",
        "-issue__number",
        "issue_id",
        F("section_position").asc(nulls_last=True),
        "position",
        "id",
    )


@api.get(
    "/items/{item_id}/",
    response={200: ItemDetailOut, 404: ErrorOut, **REFUSED},
    tags=["items"],
)
def get_item(request, item_id: int = Path(..., ge=1, le=MAX_ID)):
    """A published item with its issue, section, source, tags, policy documents
    and corrections."""
    refuse_unknown_parameters(request)
    return get_object_or_404(published_items().for_reading(), pk=item_id)


class SearchInput(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=MAX_FIELD_LENGTH,
        description="Search terms in the search page's query language.",
    )
    sort: str = Field(engine.SORT_RELEVANCE, pattern="^(relevance|date)$")


@api.get(
    "/search/",
    response={200: SearchPageOut, **REFUSED},
    tags=["search"],
    summary="Search published items",
)
def search(request, params: Query[SearchInput], paging: Query[PageInput]):
    """The search page's results, in its order: at most the first RESULT_LIMIT.

    A query the search cannot read is answered as the page answers it: no
    results, and `error` saying why."""
    refuse_unknown_parameters(request, SearchInput, PageInput)
    limit, offset = paging.limit, paging.offset
    try:
        if "\x00" in params.q:
            raise QueryError(gettext("The search terms contain a null character."))
        query = engine.parse_query(params.q)
    except QueryError as error:
        return {
            **page(request, [], count=0, limit=limit, offset=offset),
            "error": str(error),
        }
    ids = [
        row[0]
        for row in engine.ranked_rows(query, limit=RESULT_LIMIT, sort=params.sort)
    ]
    items = engine.articles_in_order(
        ids[offset : offset + limit],
        Article.objects.select_related("issue__publication", "section", "source"),
    )
    return page(request, items, count=len(ids), limit=limit, offset=offset)


def refuse_unknown_parameters(request, *schemas) -> None:
    """422 for a query parameter no schema names: a misspelt filter
    (?yaer=2023) would otherwise quietly return everything."""
    known = {
        field.alias or name
        for schema in schemas
        for name, field in schema.model_fields.items()
    }
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ValidationError(
            [
                {
                    "type": "unknown_parameter",
                    "loc": ["query", name],
                    "msg": "Unknown query parameter",
                }
                for name in unknown
            ]
        )
