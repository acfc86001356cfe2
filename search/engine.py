"""Running a parsed query against the index: match, exclude, rank, sort.

The hot query reads only search_searchdocument (joined to the small issues table
for visibility and issue order): the backend's full-text condition narrows it to
rows holding every index token, and the exact unit sequences are confirmed on
the row's own text columns, which also tell which field matched. Ranking uses
only those fields, so both databases return the same articles in the same order:

    per query group: title 8 > abstract/keywords/tags 4 > body 2 > source/attachments 1

summed over the groups; newer issues, then newer source dates, break ties.

``ranked_rows`` is what the results page uses: the first rows in result order,
found without scoring or reading the body of every match (see there).
``matching``/``ordered`` give the whole answer as an Article queryset, ranking
every match the straightforward way; the tests hold the two to the same order.
"""

import json

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    StringAgg,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from articles.models import Article
from issues.models import Issue
from search import tokenizer
from search.backends import RowMatches, get_backend, provable_exclusions
from search.models import SearchDocument, SearchTerm
from search.query import SearchQuery, Term, parse

FIELD_WEIGHTS = {"title": 8, "meta": 4, "body": 2, "tail": 1}

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"
SORT_CHOICES = ((SORT_RELEVANCE, "按相关度"), (SORT_DATE, "按日期"))


def parse_query(text: str) -> SearchQuery:
    """Parse with the shipped terms and the archivists' dictionary (SearchTerm)."""
    return parse(text, tokenizer.segmenter(SearchTerm.objects.words()))


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


def _group_score(group: tuple[Term, ...], prefix: str) -> Case:
    """Weight of the best field holding the group. The row is already a confirmed
    match, so a group in neither title, meta nor tail is in the body: the large
    body column is read only to tell body from tail when both could hold it."""
    return Case(
        When(_in_field("title", group, prefix), then=Value(FIELD_WEIGHTS["title"])),
        When(_in_field("meta", group, prefix), then=Value(FIELD_WEIGHTS["meta"])),
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


def _tiers(query: SearchQuery) -> list[tuple[Q, Q | None, bool]]:
    """The matches of a one-group query, split by the weight of their best
    field as _group_score ranks them, as (cheap, costly, rank by relevance):
    title or meta (8 or 4, ranked in one query), body (2), tail (1).

    The cheap part reads the GIN indexes and the small text columns; the costly
    part reads the body text and is only tested on the rows about to be shown.
    Title and meta matches are found through their marked tokens (backends).
    """
    backend = get_backend()
    (group,) = query.groups
    head = Q(backend.matches(query, head=group))
    anywhere = Q(backend.matches(query))
    title, meta, tail, body = (
        _in_field(field, group) for field in ("title", "meta", "tail", "body")
    )
    rest = anywhere & ~title & ~meta
    if all(term.exact_in_index for term in group):
        # The tokens prove the match; the body is read only when the tail has it.
        in_body = (rest & (~tail | body), None, False)
    else:
        in_body = (rest, body, False)
    return [
        (head & (title | meta), None, True),
        in_body,
        (rest & tail & ~body, None, False),
    ]


def _two_group_tiers(query: SearchQuery) -> list[tuple[Q, Q | None, bool]]:
    """The matches of a two-group query as (cheap, costly, rank by relevance).

    With two groups a row holding either in its title or abstract scores at
    least 4 + 1 and any other row at most 2 + 2, and a row with both in the body
    beats one with a group only in its source: so these three tiers come out in
    result order, and the large middle one needs no scoring. (With three
    groups 4 + 1 + 1 ties 2 + 2 + 2; such queries rank every match.)
    """
    backend = get_backend()
    terms = tuple(term for group in query.groups for term in group)
    matched = Q(backend.matches(query))
    in_head = Q()
    in_body = Q()
    tail_only = Q()
    body_confirms = Q()
    confirms = Q()
    for group in query.groups:
        in_head |= _in_field("title", group) | _in_field("meta", group)
        tail, body = _in_field("tail", group), _in_field("body", group)
        tail_only |= tail & ~body
        if all(term.exact_in_index for term in group):
            in_body &= ~tail | body
        else:
            body_confirms &= body
            confirms &= _anywhere(group)
    # One GIN condition asks for a head term and for every group (a title
    # holding one group says nothing of the other), so the text check rejects
    # few of the head rows.
    head = Q(backend.matches(query, head=terms)) & in_head
    return [
        (head, confirms or None, True),
        (matched & ~in_head & in_body, body_confirms or None, False),
        (matched & ~in_head & tail_only, confirms or None, True),
    ]


def _all_matches(query: SearchQuery) -> tuple[Q, Q | None]:
    """Every match of query as (cheap, costly), see _tiers."""
    cheap = Q(get_backend().matches(query))
    costly = Q()
    for group in query.groups:
        if not all(term.exact_in_index for term in group):
            costly &= _anywhere(group)
    return cheap, costly or None


# Candidates fetched per needed row when a costly check may reject some: few
# rows fail the exact check of a term's own text, but an excluded word often
# goes with the searched one, and a second batch re-reads the first.
BATCH_FACTOR = 1.25
BATCH_FACTOR_EXCLUDING = 2
BATCH_SLACK = 20


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


def _confirmed(
    candidates: QuerySet, costly: Q | None, needed: int, factor: float = BATCH_FACTOR
) -> list[tuple]:
    """The first `needed` rows (RESULT_COLUMNS) of the ordered candidates that
    pass costly.

    Candidates are read a batch at a time and costly is tested on that batch
    only, so the body text of matches that will not be shown is never read.
    """
    candidate_rows = candidates.values_list(*RESULT_COLUMNS)
    if costly is None:
        return list(candidate_rows[:needed])
    found: list[tuple] = []
    offset = size = 0
    while len(found) < needed:
        # Twice the last batch at least, so that a check rejecting most rows
        # (an excluded word that goes with the searched one) takes few rounds.
        size = max(int((needed - len(found)) * factor) + BATCH_SLACK, 2 * size)
        batch = list(candidate_rows[offset : offset + size])
        if batch:
            passed = set(
                SearchDocument.objects.filter(
                    article_id__in=id_list([row[0] for row in batch])
                )
                .filter(costly)
                .values_list("article_id", flat=True)
            )
            found += [row for row in batch if row[0] in passed][: needed - len(found)]
        if len(batch) < size:
            break
        offset += size
    return found


def ranked_ids(query: SearchQuery, *, limit: int, **options) -> list[int]:
    """Ids of the first `limit` matching articles in result order (see
    ranked_rows for the options)."""
    return [row[0] for row in ranked_rows(query, limit=limit, **options)]


def ranked_rows(
    query: SearchQuery,
    *,
    limit: int,
    sort: str = SORT_RELEVANCE,
    include_unpublished: bool = False,
    within: QuerySet | None = None,
) -> list[tuple]:
    """The first `limit` matching articles in result order, as RESULT_COLUMNS.

    within (index rows, SearchDocument) narrows the matches, for the filters. A one-group query
    by relevance reads its weight tiers best first and stops once it has limit
    ids, so a word in most articles costs no more than a rare one; two groups
    do the same with the tiers of _two_group_tiers. Body text is read only for
    the rows returned (see _confirmed).
    """
    rows = SearchDocument.objects.all() if within is None else within
    if not include_unpublished:
        rows = rows.filter(published_issues())
    # The full-text condition leaves out what the index proves excluded.
    unproven = tuple(t for t in query.excluded if t not in provable_exclusions(query))
    excluded = ~_anywhere(unproven) if unproven else None
    keys = _order_keys(SearchDocument, SORT_RELEVANCE)[1:]

    def confirmed(candidates, costly, needed):
        if excluded is None:
            return _confirmed(candidates, costly, needed)
        costly = excluded if costly is None else costly & excluded
        return _confirmed(candidates, costly, needed, BATCH_FACTOR_EXCLUDING)

    if sort == SORT_RELEVANCE and len(query.groups) <= 2:
        tiers = _tiers(query) if len(query.groups) == 1 else _two_group_tiers(query)
        found: list[tuple] = []
        for cheap, costly, by_relevance in tiers:
            candidates = rows.filter(cheap)
            if by_relevance:
                candidates = ordered(candidates.annotate(relevance=relevance(query)))
            else:
                candidates = candidates.order_by(*keys)
            needed = limit - len(found)
            found += confirmed(candidates, costly, needed)
            if len(found) >= limit:
                break
        return found
    cheap, costly = _all_matches(query)
    candidates = rows.filter(cheap)
    if sort != SORT_DATE:
        candidates = candidates.annotate(relevance=relevance(query))
    return confirmed(ordered(candidates, sort), costly, limit)


def published_issues() -> Q:
    """The index row's issue is published, read live from the issues table.

    The ids go in as one constant array, which PostgreSQL hashes: a join with
    the issues table instead was planned as one index probe per matching row.
    """
    # The ids as one comma-separated string from the database: a thousand
    # Python ints cost more to build and send than the query.
    ids = Issue.objects.published().aggregate(
        ids=StringAgg(Cast("pk", CharField()), Value(","), default="")
    )["ids"]
    if connection.vendor == "postgresql":
        return Q(RowMatches("{row}.issue_id = ANY(%s::bigint[])", [f"{{{ids}}}"]))
    return Q(
        RowMatches("{row}.issue_id IN (SELECT value FROM json_each(%s))", [f"[{ids}]"])
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
    """The articles with these ids, in the order of ids (one query)."""
    articles = Article.objects.all() if articles is None else articles
    by_id = {article.pk: article for article in articles.filter(pk__in=id_list(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]
