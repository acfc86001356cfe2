"""Running a parsed query against the index: match, exclude, rank, sort.

The hot query reads only search_searchdocument (and, for visibility, the few
unpublished issues): the backend's full-text condition narrows it to
rows holding every index token, and the exact unit sequences are confirmed on
the row's own text columns, which also tell which field matched. Ranking uses
only those fields, so both databases return the same articles in the same order:

    per query group: title 8 > abstract/keywords/tags 4 > body 2 > source/attachments 1

summed over the groups; newer issues, then newer source dates, break ties.

``ranked_rows`` is what the results page uses: the first rows in result order,
read tier by tier and newest issue years first, without sorting or reading the
body of every match (see there and _read_tier).
``matching``/``ordered`` give the whole answer as an Article queryset, ranking
every match the straightforward way; the tests hold the two to the same order.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import pgettext_lazy

from articles.models import Article
from bulletin import caching
from issues.models import Issue
from search import tokenizer
from search.backends import (
    FIELD_WEIGHTS,
    HEAD_FIELDS,
    INDEXED_FIELDS,
    YearWindow,
    get_backend,
    provable_exclusions,
)
from search.models import SearchDocument, SearchTerm
from search.query import SearchQuery, Term, parse

# Two-group queries are read in two tiers, a match in a head field first: that
# is result order only while the lightest head match (the lightest head field
# plus the lightest field for the other group) outweighs two matches in the
# heaviest other field.
_HEAD_FLOOR = min(f.weight for f in INDEXED_FIELDS if f.head) + min(
    FIELD_WEIGHTS.values()
)
_OTHERS_CEILING = 2 * max(f.weight for f in INDEXED_FIELDS if not f.head)

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
    """Small fields first: the database stops at the first field that holds it."""
    q = Q()
    for field in ("title", "meta", "tail", "body"):
        q |= _in_field(field, terms)
    return q


def _in_head(terms, prefix: str = "") -> Q:
    q = Q()
    for field in HEAD_FIELDS:
        q |= _in_field(field, terms, prefix)
    return q


def _group_score(group: tuple[Term, ...], prefix: str) -> Case:
    """Weight of the best field holding the group. The row is already a confirmed
    match, so a group in neither head field nor tail is in the body: the large
    body column is read only to tell body from tail when both could hold it."""
    heads = [
        When(_in_field(field, group, prefix), then=Value(FIELD_WEIGHTS[field]))
        for field in HEAD_FIELDS
    ]
    return Case(
        *heads,
        When(~_in_field("tail", group, prefix), then=Value(FIELD_WEIGHTS["body"])),
        When(_in_field("body", group, prefix), then=Value(FIELD_WEIGHTS["body"])),
        default=Value(FIELD_WEIGHTS["tail"]),
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
    rows = _visible_rows(query, include_unpublished).filter(
        get_backend().matches(query)
    )
    for group in query.groups:
        if not all(term.exact_in_index for term in group):
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


@dataclass
class _Tier:
    """Matches of a query that rank by band (0 first), then in issue order.

    cheap(window) is the full-text condition for one window of issue years
    (None: all years) with checks on the small text columns; costly is the
    exact check that reads the body text (the full-text condition cannot
    prove a term of three or more units); band numbers the weights of the
    tier's matches. A tier whose matches share one index condition (title
    and abstract through the marked tokens, body and source through the
    others) is read in one query per window instead of one per weight.
    windowed=False reads the tier whole: its first band is rare, so windows
    would end up reading every year anyway.
    """

    cheap: Callable[[YearWindow | None], Q]
    band: Expression
    costly: Q | None = None
    windowed: bool = True


def _tiers(query: SearchQuery) -> list[_Tier]:
    """The matches of a one-group query by the weight of their best field, as
    _group_score ranks them: the head fields' matches (title, then
    abstract/keywords), found through their marked tokens (backends), then the
    body and source/attachment ones."""
    backend = get_backend()
    (group,) = query.groups
    title = _in_field(HEAD_FIELDS[0], group)
    in_head = _in_head(group)
    tail, body = _in_field("tail", group), _in_field("body", group)
    rest = ~in_head

    def band(first: Q) -> Case:
        return Case(When(first, then=Value(0)), default=Value(1))

    head = _Tier(
        lambda window: Q(backend.matches(query, head=group, window=window)) & in_head,
        band=band(title),
    )
    if all(term.exact_in_index for term in group):
        # The tokens prove the match; the body is read only when the tail has it.
        others = _Tier(
            lambda window: Q(backend.matches(query, window=window)) & rest,
            band=band(~tail | body),
        )
    else:
        others = _Tier(
            lambda window: Q(backend.matches(query, window=window)) & rest,
            costly=body | tail,
            band=band(body),
        )
    return [head, others]


def _two_group_tiers(query: SearchQuery) -> list[_Tier]:
    """The matches of a two-group query, see _Tier.

    With two groups a row holding either in a head field scores at least
    _HEAD_FLOOR (4 + 1) and any other row at most _OTHERS_CEILING (2 + 2), and a
    row with both in the body beats one with a group only in its source: so
    these tiers come out in result order. (With three groups 4 + 1 + 1 ties
    2 + 2 + 2; such queries rank every match.)
    """
    backend = get_backend()
    terms = tuple(term for group in query.groups for term in group)
    in_head = Q()
    confirms = Q()
    for group in query.groups:
        in_head |= _in_head(group)
        if not all(term.exact_in_index for term in group):
            confirms &= _anywhere(group)

    # One GIN condition asks for a head term and for every group (a title
    # holding one group says nothing of the other), so the text check rejects
    # few of the head rows.
    head = _Tier(
        lambda window: Q(backend.matches(query, head=terms, window=window)) & in_head,
        costly=confirms or None,
        band=Value(0) - relevance(query),
        windowed=False,
    )
    # Both groups in the body (2 + 2) is band 0, one only in the source
    # bands 1 and 2.
    others = _Tier(
        lambda window: Q(backend.matches(query, window=window)) & ~in_head,
        costly=confirms or None,
        band=Value(_OTHERS_CEILING) - relevance(query),
    )
    return [head, others]


def _all_matches(query: SearchQuery) -> tuple[Q, Q | None]:
    """Every match of query as (cheap, costly), see _Tier."""
    cheap = Q(get_backend().matches(query))
    costly = Q()
    for group in query.groups:
        if not all(term.exact_in_index for term in group):
            costly &= _anywhere(group)
    return cheap, costly or None


# What ranked_rows gives for each result: the id, then what the facets count
# (search.filters.FacetRow follows this order).
RESULT_COLUMNS = (
    "article_id",
    "publication_id",
    "issue_year",
    "issue_id",
    "issue_number",
    "section_id",
    "source_id",
    "kind",
    "source_date",
    "has_policy",
)


def ranked_rows(
    query: SearchQuery,
    *,
    limit: int,
    sort: str = SORT_RELEVANCE,
    include_unpublished: bool = False,
    within: QuerySet | None = None,
) -> list[tuple]:
    """The first `limit` matching articles in result order, as RESULT_COLUMNS.

    within (index rows, SearchDocument) narrows the matches, for the filters.
    A query of one or two groups by relevance reads its tiers best first
    (_tiers, _two_group_tiers), each newest years first (_read_tier), and
    stops once it has limit rows: so a word in most articles costs no more
    than a rare one, and the body text is read for few rows beyond those
    returned.
    """
    rows = SearchDocument.objects.all() if within is None else within
    if not include_unpublished:
        rows = rows.filter(published_issues())
    # The full-text condition leaves out what the index proves excluded.
    unproven = tuple(t for t in query.excluded if t not in provable_exclusions(query))
    if unproven:
        rows = rows.exclude(_anywhere(unproven))

    if sort == SORT_RELEVANCE and len(query.groups) <= 2:
        tiers = _tiers(query) if len(query.groups) == 1 else _two_group_tiers(query)
        found: list[tuple] = []
        for tier in tiers:
            found += _read_tier(rows, tier, limit - len(found))
            if len(found) >= limit:
                break
        return found
    cheap, costly = _all_matches(query)
    candidates = rows.filter(cheap)
    if costly is not None:
        candidates = candidates.filter(costly)
    if sort != SORT_DATE:
        candidates = candidates.annotate(relevance=relevance(query))
    return list(ordered(candidates, sort).values_list(*RESULT_COLUMNS)[:limit])


# The first year window of a tier holds about this many articles per row
# needed; the next ones are sized by the first band's matches per article so
# far, with a margin.
FIRST_WINDOW_FACTOR = 2
WINDOW_MARGIN = 1.2
# How much larger a window may grow to end on a decade.
DECADE_SLACK = 0.25


def _read_tier(rows: QuerySet, tier: _Tier, needed: int) -> list[tuple]:
    """The first `needed` rows of tier in result order, read a window of
    issue years at a time, newest first.

    Sorting every match of a common word reads each one's row; a window of
    the newest years holding a few times the rows needed reads about the rows
    shown. Each window's rows come in band order, each band in issue order,
    so a band's rows across windows are in issue order too; a band after the
    first can only be used once every year is read, so the windows end early
    only when the first band has the rows needed.

    Each next window is sized by the first band's matches per article so far;
    when the matches left are about as many as the rows still needed (a
    rarer word), the last window reads them all. The last window is every
    year not read yet and the rows without an issue: the windows are ranges
    of years, and the article counts per year (guessed from the issues,
    _articles_per_year) only size them, so a wrong guess costs time, never
    results.
    """
    keys = ["band", *_order_keys(SearchDocument, SORT_RELEVANCE)[1:]]
    rows = rows.annotate(band=tier.band)
    if tier.costly is not None:
        rows = rows.filter(tier.costly)
    years = _articles_per_year()
    bands: dict[int, list[tuple]] = {}
    # A band from which a window's limit cut rows takes none from later
    # windows: it has enough rows already, and the ones cut come first.
    cut = math.inf
    read_articles = matches = 0
    unread_articles = sum(count for _, count in years)
    position = 0
    window = YearWindow()
    want = FIRST_WINDOW_FACTOR * needed if tier.windowed else math.inf
    while True:
        span = 0
        while position < len(years) and span < want:
            span += years[position][1]
            position += 1
        lo = years[position - 1][0] if position < len(years) else None
        if lo is not None and window.lo is not None:
            # Down to a whole decade when that adds little: "from a decade
            # on" is one index entry (the backends' year_tokens).
            more = [n for year, n in years[position:] if year >= lo - lo % 10]
            if sum(more) <= span * DECADE_SLACK:
                lo -= lo % 10
                span += sum(more)
                position += len(more)
        window = YearWindow(lo, window.lo)
        batch = list(
            rows.filter(tier.cheap(window))
            .order_by(*keys)
            .values_list(*RESULT_COLUMNS, "band")[:needed]
        )
        for *row, band in batch:
            if band < cut:
                bands.setdefault(band, []).append(tuple(row))
        if len(batch) == needed:
            cut = min(cut, batch[-1][-1])
        first = bands.get(0, [])
        if window.lo is None or len(first) >= needed:
            break
        read_articles += span
        unread_articles -= span
        matches += len(batch)
        still = (needed - len(first)) * WINDOW_MARGIN
        left = matches / read_articles * unread_articles
        if not first or left <= 2 * still:
            want = math.inf
        else:
            want = still * read_articles / len(first)
    return [row for band in sorted(bands) for row in bands[band]][:needed]


# Issues per year, for sizing the windows of _read_tier, read again after
# every content change: the issues table is small, where counting the index
# rows per year scanned the whole index table (80 ms at 100 000 items) in the
# first search after every save.
_ISSUES_PER_YEAR = caching.PerVersion(
    lambda: dict(Issue.objects.values_list("year").annotate(Count("pk")).order_by())
)
# About what a monthly issue holds: the windows are sized in articles.
ARTICLES_PER_ISSUE = 60


def _articles_per_year() -> list[tuple[int, int]]:
    """(year, articles it is guessed to hold), newest first."""
    counts = _ISSUES_PER_YEAR.get()
    return sorted(
        ((year, count * ARTICLES_PER_ISSUE) for year, count in counts.items()),
        reverse=True,
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


def _array(ids: list[int]) -> str:
    """ids as one PostgreSQL array literal: the driver quotes a Python list
    element by element, which costs a millisecond or more per thousand ids."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def id_list(ids: list[int]) -> RawSQL:
    """A subquery of ids sent as one parameter: for `pk__in`, a thousand ids cost
    Django and the database far less than a thousand placeholders."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [_array(ids)])  # noqa: S611
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])  # noqa: S611


def articles_in_order(ids: list[int], articles: QuerySet | None = None) -> list:
    """The articles with these ids, in the order of ids (one query, none for
    no ids)."""
    if not ids:
        return []
    articles = Article.objects.all() if articles is None else articles
    by_id = {article.pk: article for article in articles.filter(pk__in=id_list(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]
