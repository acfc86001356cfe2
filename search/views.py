"""Search pages: results with facets, the advanced form, and the CSV export."""

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext_lazy

from articles.models import Article, ArticlePolicyDocument
from issues.access import can_preview
from search import engine, highlight, indexing
from search.filters import ArticleSearchFilter
from search.forms import SearchForm
from search.models import SearchDocument
from search.query import QueryError, SearchQuery

PAGE_SIZE = 20
EXPORT_LIMIT = 5000
# Results ranked per search: the page lists and pages through this many at most,
# and counts (total and facets) stop here, so a word found in most articles
# costs about what a rare one does. More than this shows as "1000+".
RESULT_LIMIT = 1000


@dataclass
class SearchResults:
    form: SearchForm
    query_text: str
    query: SearchQuery | None = None
    error: str = ""
    filterset: ArticleSearchFilter | None = None
    include_unpublished: bool = False
    chosen: QuerySet | None = None  # the index rows the filters allow, if any is set

    def ids(self, limit: int, *, filtered: bool = True) -> list[int]:
        return [row[0] for row in self.rows(limit, filtered=filtered)]

    def rows(self, limit: int, *, filtered: bool = True) -> list[tuple]:
        """The first `limit` results in order, as host_index.RESULT_COLUMNS
        (filtered=False: before the filters)."""
        return engine.ranked_rows(
            self.query,
            limit=limit,
            sort=self.form.sort_order,
            include_unpublished=self.include_unpublished,
            within=self.chosen if filtered else None,
        )


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
    results.include_unpublished = bool(
        form.is_valid()
        and form.cleaned_data["unpublished"]
        and can_preview(request.user)
    )
    results.filterset = ArticleSearchFilter(
        request.GET, queryset=SearchDocument.objects.all(), request=request
    )
    chosen = results.filterset.qs
    if chosen.query.where:
        results.chosen = chosen
    return results


@dataclass
class Hit:
    """One result as the page shows it, worked out here rather than in the
    template, where each lookup costs several times as much."""

    article: Article
    title: SafeString
    snippet: SafeString
    attachments: list[SafeString]
    url: str
    meta: str


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
                url=article.get_absolute_url(),
                meta=_meta(article),
            )
        )
    return hits


def _meta(article: Article) -> str:
    """Issue (with its status unless published), section, source, source date."""
    if article.issue_id:
        issue = article.issue
        parts = [str(issue)]
        if not issue.is_published:
            parts[0] += f"（{issue.get_status_display()}）"
    else:
        parts = [gettext("Candidate pool")]
    if article.section_id:
        parts.append(article.section.name)
    if article.source_id:
        parts.append(str(article.source))
    if article.source_date:
        parts.append(article.source_date.isoformat())
    return " · ".join(parts)


# What the page reads of each article shown, and of its issue, section, source.
DISPLAY_FIELDS = (
    "title",
    "book_title",
    "body",
    "abstract",
    "book_summary",
    "book_reason",
    "source_date",
    "issue__year",
    "issue__number",
    "issue__status",
    "section__name",
    "source__name",
    "source__kind",
)


def _for_display(articles):
    return (
        articles.select_related("issue", "section", "source")
        .only(*DISPLAY_FIELDS)
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=ArticlePolicyDocument.objects.select_related(
                    "policy_document"
                ).only("article", "position", "policy_document__title"),
            )
        )
    )


def rows_and_facets(found: SearchResults) -> tuple[list[tuple], list, bool]:
    """The first RESULT_LIMIT + 1 results, the facets and whether they were
    counted on a sample.

    Facets count the first RESULT_LIMIT results of the query before the
    filters (each facet still applies the other facets' filters). When those
    are all the results, the filtered ones are picked from them; otherwise the
    filters run in a second search.
    """
    everything = found.rows(RESULT_LIMIT + 1, filtered=False)
    described = found.filterset.described(everything[:RESULT_LIMIT])
    if found.chosen is None:
        rows = everything
    elif len(everything) <= RESULT_LIMIT:
        rows = found.filterset.passing(described)
    else:
        rows = found.rows(RESULT_LIMIT + 1)
    sampled = len(everything) > RESULT_LIMIT
    return rows, found.filterset.facets(described), sampled


def results(request):
    found = run_search(request)
    context = {
        "form": found.form,
        "query_text": found.query_text,
        "query": found.query,
        "error": found.error,
        "can_include_unpublished": can_preview(request.user),
        "result_limit": RESULT_LIMIT,
    }
    if found.query is not None:
        rows, facets, facets_sampled = rows_and_facets(found)
        ids = [row[0] for row in rows]
        page = Paginator(ids[:RESULT_LIMIT], PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        articles = engine.articles_in_order(
            list(page.object_list), _for_display(Article.objects.all())
        )
        params = request.GET
        links = _Links(params)
        context.update(
            page=page,
            more_than_limit=len(ids) > RESULT_LIMIT,
            hits=_hits(articles, found.query),
            facets=_with_links(facets, params, links),
            facets_sampled=facets_sampled,
            filter_form=found.filterset.form,
            hidden_params=[
                (name, value)
                for name, value in params.items()
                if name not in ("date_from", "date_to", "unpublished", "page")
            ],
            sort_relevance_url=links.url(sort=engine.SORT_RELEVANCE),
            sort_date_url=links.url(sort=engine.SORT_DATE),
            export_url=links.url("search:export"),
            previous_url=page.has_previous()
            and links.url(page=page.previous_page_number()),
            next_url=page.has_next() and links.url(page=page.next_page_number()),
        )
    return render(request, "search/results.html", context)


class _Links:
    """This search's URL with some parameters changed (None removes one).

    Any change other than the page returns to the first page. The parameters
    are encoded once and each view reversed once, so the hundred or so facet
    links of a page cost little; the result is what QueryDict.urlencode gives.
    """

    def __init__(self, params: QueryDict):
        self._encoded = {name: _encode(name, params.getlist(name)) for name in params}
        self._paths: dict[str, str] = {}

    def url(self, view="search:results", **changes) -> str:
        encoded = dict(self._encoded)
        if "page" not in changes:
            encoded.pop("page", None)
        for name, value in changes.items():
            if value is None:
                encoded.pop(name, None)
            else:
                encoded[name] = _encode(name, [str(value)])
        if view not in self._paths:
            self._paths[view] = reverse(view)
        return f"{self._paths[view]}?{'&'.join(filter(None, encoded.values()))}"


def _encode(name: str, values: list[str]) -> str:
    return urlencode([(name, value) for value in values])


def _with_links(facets, params: QueryDict, links: _Links):
    """Each facet value links to the search with it applied, or removed if active."""
    for facet in facets:
        chosen = params.get(facet.name)
        for value in facet.values:
            value.active = chosen == value.value
            value.url = links.url(**{facet.name: None if value.active else value.value})
    return facets


def advanced(request):
    return render(
        request,
        "search/advanced.html",
        {
            "form": SearchForm(request.GET or None),
            "filter_form": ArticleSearchFilter(request.GET, request=request).form,
            "can_include_unpublished": can_preview(request.user),
        },
    )


# The export's header row, as the reader sees it.
CSV_COLUMNS = (
    pgettext_lazy("search export column", "Title"),
    pgettext_lazy("search export column", "Issue"),
    pgettext_lazy("search export column", "Section"),
    pgettext_lazy("search export column", "Source"),
    pgettext_lazy("search export column", "Source date"),
    pgettext_lazy("search export column", "Type"),
    pgettext_lazy("search export column", "Link"),
    pgettext_lazy("search export column", "Original link"),
)


def export_csv(request):
    """The current results (up to EXPORT_LIMIT) as CSV; the BOM makes Excel read UTF-8."""
    found = run_search(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="search-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(column) for column in CSV_COLUMNS])
    if found.query is None:
        return response
    base = request.build_absolute_uri("/")[:-1]
    ids = found.ids(EXPORT_LIMIT)
    shown = Article.objects.select_related("issue", "section", "source")
    for article in engine.articles_in_order(ids, shown):
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
