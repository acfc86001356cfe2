"""Search pages: results with facets, the advanced form, and the CSV export."""

import csv
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from articles.models import Article, ArticlePolicyDocument
from issues.views import can_preview
from search import engine, highlight, indexing
from search.filters import ArticleSearchFilter
from search.forms import SearchForm
from search.query import QueryError, SearchQuery

PAGE_SIZE = 20
EXPORT_LIMIT = 5000


def may_include_unpublished(user) -> bool:
    return can_preview(user)


def _login_required_response(request):
    if getattr(settings, "BULLETIN_REQUIRE_LOGIN", False) and not (
        request.user.is_authenticated
    ):
        return redirect_to_login(request.get_full_path())
    return None


@dataclass
class SearchResults:
    form: SearchForm
    query_text: str
    query: SearchQuery | None = None
    error: str = ""
    filterset: ArticleSearchFilter | None = None
    articles: object = None  # ordered queryset


def run_search(request) -> SearchResults:
    """Everything a results page or an export needs, read from request.GET."""
    form = SearchForm(request.GET)
    query_text = form.query_text()
    results = SearchResults(form=form, query_text=query_text)
    if not query_text:
        return results
    try:
        results.query = engine.parse_query(query_text)
    except QueryError as error:
        results.error = str(error)
        return results
    include_unpublished = form.is_valid() and form.cleaned_data["unpublished"]
    visible = Article.objects.all()
    if not (include_unpublished and may_include_unpublished(request.user)):
        visible = visible.published()
    matched = engine.matching(visible, results.query)
    results.filterset = ArticleSearchFilter(
        request.GET, queryset=matched, request=request
    )
    results.articles = engine.ordered(results.filterset.qs, form.sort_order)
    return results


@dataclass
class Hit:
    article: Article
    title: SafeString
    snippet: SafeString
    attachments: list[SafeString]


def _hits(articles, query: SearchQuery) -> list[Hit]:
    terms = query.positive_terms
    hits = []
    for article in articles:
        title = article.title
        if article.book_title and article.book_title not in title:
            title = f"{title}（《{article.book_title}》）"
        hits.append(
            Hit(
                article=article,
                title=highlight.highlight(title, terms),
                snippet=highlight.snippet(
                    [
                        indexing.html_to_text(article.body),
                        article.abstract,
                        article.book_summary,
                        article.book_reason,
                    ],
                    terms,
                ),
                attachments=[
                    highlight.highlight(link.policy_document.title, terms)
                    for link in article.attachments.all()
                ],
            )
        )
    return hits


def _for_display(articles):
    return articles.select_related("issue", "section", "source").prefetch_related(
        Prefetch(
            "attachments",
            queryset=ArticlePolicyDocument.objects.select_related("policy_document"),
        )
    )


def results(request):
    if response := _login_required_response(request):
        return response
    found = run_search(request)
    context = {
        "form": found.form,
        "query_text": found.query_text,
        "query": found.query,
        "error": found.error,
        "can_include_unpublished": may_include_unpublished(request.user),
    }
    if found.articles is not None:
        page = Paginator(found.articles, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = _for_display(page.object_list)
        params = request.GET
        context.update(
            page=page,
            hits=_hits(page.object_list, found.query),
            facets=_with_links(found.filterset.facets(), params),
            filter_form=found.filterset.form,
            hidden_params=[
                (name, value)
                for name, value in params.items()
                if name not in ("date_from", "date_to", "unpublished", "page")
            ],
            sort_relevance_url=_url(params, sort=engine.SORT_RELEVANCE),
            sort_date_url=_url(params, sort=engine.SORT_DATE),
            export_url=_url(params, view="search:export"),
            previous_url=page.has_previous()
            and _url(params, page=page.previous_page_number()),
            next_url=page.has_next() and _url(params, page=page.next_page_number()),
        )
    return render(request, "search/results.html", context)


def _url(params, view="search:results", **changes) -> str:
    """This search's URL with some parameters changed (None removes one).

    Any change other than the page returns to the first page.
    """
    query = params.copy()
    if "page" not in changes:
        query.pop("page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return f"{reverse(view)}?{query.urlencode()}"


def _with_links(facets, params):
    """Each facet value links to the search with it applied, or removed if active."""
    for facet in facets:
        for value in facet.values:
            value.active = params.get(facet.name) == value.value
            value.url = _url(
                params, **{facet.name: None if value.active else value.value}
            )
    return facets


def advanced(request):
    if response := _login_required_response(request):
        return response
    return render(
        request,
        "search/advanced.html",
        {
            "form": SearchForm(request.GET or None),
            "filter_form": ArticleSearchFilter(request.GET, request=request).form,
            "can_include_unpublished": may_include_unpublished(request.user),
        },
    )


CSV_COLUMNS = ("标题", "期", "栏目", "来源", "来源日期", "类型", "链接", "原文链接")


def export_csv(request):
    """The current results (up to EXPORT_LIMIT) as CSV; the BOM makes Excel read UTF-8."""
    if response := _login_required_response(request):
        return response
    found = run_search(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="search-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    if found.articles is None:
        return response
    base = request.build_absolute_uri("/")[:-1]
    for article in _for_display(found.articles[:EXPORT_LIMIT]):
        writer.writerow(
            [
                _csv_safe(article.title),
                str(article.issue) if article.issue_id else "",
                _csv_safe(article.section.name) if article.section_id else "",
                _csv_safe(article.source.name) if article.source_id else "",
                article.source_date.isoformat() if article.source_date else "",
                article.get_kind_display(),
                base + article.get_absolute_url() if article.issue_id else "",
                _csv_safe(article.original_url),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Stop spreadsheets from running a cell that starts like a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
