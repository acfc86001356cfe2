"""Running a parsed query: the results in order, and the reference that
ranks every match the straightforward way.

Ranking uses only the fields of the index rows, so both databases return the
same articles in the same order:

    per query group: title 8 > abstract/keywords/tags 4 > body 2 > source/attachments 1

summed over the groups; newer issues, then newer source dates, break ties.

``ranked_rows`` is what the results page, the export and the API use: the host
index (search.host_index) finds the first results in that order.
``matching``/``ordered`` give the whole answer as an Article queryset, matched
and ranked in SQL the straightforward way (a LIKE on the index rows' text, a
CASE per group); the tests hold the two to the same order.
"""

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import pgettext_lazy

from articles.models import Article
from bulletin import caching
from bulletin.sql import id_list
from issues.models import Issue
from search import host_index, tokenizer
from search.models import SearchDocument, SearchTerm
from search.query import SearchQuery, Term, parse
from search.ranking import FIELD_WEIGHTS

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"
SORT_CHOICES = (
    (SORT_RELEVANCE, pgettext_lazy("search order", "By relevance")),
    (SORT_DATE, pgettext_lazy("search order", "By date")),
)


def parse_query(text: str) -> SearchQuery:
    """Parse with the shipped terms and the archivists' dictionary (SearchTerm)."""
    return parse(text, tokenizer.segmenter(_DICTIONARY.get()))


# The dictionary as of this content version: saving or deleting a word bumps
# it (search.apps), so every process segments with the new words at once.
_DICTIONARY = caching.PerVersion(lambda: SearchTerm.objects.words())


def _in_field(field: str, terms, prefix: str = "") -> Q:
    q = Q()
    for term in terms:
        q |= Q(**{f"{prefix}{field}_text__contains": term.pattern})
    return q


def _anywhere(terms: tuple[Term, ...]) -> Q:
    q = Q()
    for field in FIELD_WEIGHTS:
        q |= _in_field(field, terms)
    return q


def _group_score(group: tuple[Term, ...], prefix: str) -> Case:
    """Weight of the best field holding the group (0 for none)."""
    return Case(
        *(
            When(_in_field(field, group, prefix), then=Value(weight))
            for field, weight in FIELD_WEIGHTS.items()
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def relevance(query: SearchQuery, prefix: str = ""):
    """The summed group weights; prefix reaches SearchDocument from another model."""
    return sum((_group_score(group, prefix) for group in query.groups), start=Value(0))


def _visible_rows(query: SearchQuery, include_unpublished: bool) -> QuerySet:
    """Index rows readers may see, without the excluded terms; not yet matched."""
    rows = SearchDocument.objects.all()
    if not include_unpublished:
        rows = rows.filter(published_issues())
    if query.excluded:
        rows = rows.exclude(_anywhere(query.excluded))
    return rows


def documents(query: SearchQuery, *, include_unpublished: bool = False) -> QuerySet:
    """Index rows of the articles that match query, annotated with ``relevance``.

    Readers see published issues only; include_unpublished adds drafts and the
    pool (articles without an issue).
    """
    rows = _visible_rows(query, include_unpublished)
    for group in query.groups:
        rows = rows.filter(_anywhere(group))
    return rows.annotate(relevance=relevance(query))


def matching(articles: QuerySet, query: SearchQuery) -> QuerySet:
    """The articles that match query, annotated with ``relevance``."""
    rows = documents(query, include_unpublished=True)
    articles = articles.filter(pk__in=rows.values("article_id"))
    return articles.annotate(relevance=relevance(query, prefix="search_document__"))


def _order_keys(model, sort: str) -> list:
    """Result order; index rows carry copies of the issue's year and number."""
    if model is SearchDocument:
        year, number = F("issue_year"), F("issue_number")
    else:
        year, number = F("issue__year"), F("issue__number")
    newest_issue = [year.desc(nulls_last=True), number.desc(nulls_last=True)]
    newest_source = F("source_date").desc(nulls_last=True)
    if sort == SORT_DATE:
        return [newest_source, *newest_issue, "-pk"]
    return ["-relevance", *newest_issue, newest_source, "-pk"]


def ordered(rows: QuerySet, sort: str = SORT_RELEVANCE) -> QuerySet:
    """Articles or index rows in result order."""
    return rows.order_by(*_order_keys(rows.model, sort))


def ranked_rows(
    query: SearchQuery,
    *,
    limit: int,
    sort: str = SORT_RELEVANCE,
    include_unpublished: bool = False,
    within: QuerySet | None = None,
) -> list[tuple]:
    """The first `limit` matching articles in result order, as
    host_index.RESULT_COLUMNS.

    The host index finds them (search.host_index); readers' visibility is read
    live from the issues table (a withdrawn issue leaves the results at once,
    however it was withdrawn), and within (index rows, SearchDocument) narrows
    the matches, for the filters.
    """
    hidden: tuple[int, ...] = ()
    if not include_unpublished:
        unpublished = Issue.objects.unpublished().values_list("pk", flat=True)
        hidden = (host_index.NO_ISSUE, *unpublished)
    only = None
    if within is not None:
        only = tuple(within.values_list("article_id", flat=True))
    return host_index.ranked_rows(
        query,
        limit=limit,
        by_date=sort == SORT_DATE,
        scope=host_index.Scope(hidden_issues=hidden, only=only),
    )


def published_issues() -> Q:
    """The index row's issue is published, read live from the issues table in
    the same statement.

    As "not one of the unpublished issues": drafts are few, so PostgreSQL
    reads them once into a hash for the whole statement, and a condition that
    holds for most rows never tempts the planner into reading an index for
    it (a join was planned as one index probe per matching row).
    """
    return Q(issue__isnull=False) & ~Q(
        issue__in=Issue.objects.unpublished().values("pk")
    )


def articles_in_order(ids: list[int], articles: QuerySet | None = None) -> list:
    """The articles with these ids, in the order of ids (one query, none for
    no ids)."""
    if not ids:
        return []
    articles = Article.objects.all() if articles is None else articles
    by_id = {article.pk: article for article in articles.filter(pk__in=id_list(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]
