"""Running a parsed query against articles: match, exclude, rank, sort.

The backend narrows the articles to those holding every index token; the exact
unit sequences are then confirmed here with LIKE on SearchDocument's text
columns, which also tells which field matched. Ranking uses only those fields,
so both databases return the same articles in the same order:

    per query group: title 8 > abstract/keywords/tags 4 > body 2 > source/attachments 1

summed over the groups; newer issues, then newer source dates, break ties.
"""

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from search import tokenizer
from search.backends import get_backend
from search.models import SearchTerm
from search.query import SearchQuery, Term, parse

FIELD_WEIGHTS = {"title": 8, "meta": 4, "body": 2, "tail": 1}

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"
SORT_CHOICES = ((SORT_RELEVANCE, "按相关度"), (SORT_DATE, "按日期"))


def parse_query(text: str) -> SearchQuery:
    """Parse with the shipped terms and the archivists' dictionary (SearchTerm)."""
    return parse(text, tokenizer.segmenter(SearchTerm.objects.words()))


def _in_field(field: str, terms) -> Q:
    q = Q()
    for term in terms:
        q |= Q(**{f"search_document__{field}_text__contains": term.pattern})
    return q


def _anywhere(terms: tuple[Term, ...]) -> Q:
    q = Q()
    for field in FIELD_WEIGHTS:
        q |= _in_field(field, terms)
    return q


def _group_score(group: tuple[Term, ...]) -> Case:
    """Weight of the best field holding the group; body is assumed when the tokens
    matched and the group is in neither title, meta nor tail (saves a body scan)."""
    return Case(
        When(_in_field("title", group), then=Value(FIELD_WEIGHTS["title"])),
        When(_in_field("meta", group), then=Value(FIELD_WEIGHTS["meta"])),
        When(~_in_field("tail", group), then=Value(FIELD_WEIGHTS["body"])),
        When(_in_field("body", group), then=Value(FIELD_WEIGHTS["body"])),
        default=Value(FIELD_WEIGHTS["tail"]),
        output_field=IntegerField(),
    )


def matching(articles: QuerySet, query: SearchQuery) -> QuerySet:
    """The articles that match query, annotated with ``relevance``."""
    sql, params = get_backend().candidates_sql(query)
    # The SQL is fixed text from the backend; the query travels only in params.
    articles = articles.filter(pk__in=RawSQL(sql, params))  # noqa: S611
    for group in query.groups:
        if not all(term.exact_in_index for term in group):
            articles = articles.filter(_anywhere(group))
    if query.excluded:
        articles = articles.exclude(_anywhere(query.excluded))
    relevance = sum((_group_score(group) for group in query.groups), start=Value(0))
    return articles.annotate(relevance=relevance)


def ordered(articles: QuerySet, sort: str = SORT_RELEVANCE) -> QuerySet:
    newest_issue = (
        F("issue__year").desc(nulls_last=True),
        F("issue__number").desc(nulls_last=True),
    )
    newest_source = F("source_date").desc(nulls_last=True)
    if sort == SORT_DATE:
        return articles.order_by(newest_source, *newest_issue, "-pk")
    return articles.order_by("-relevance", *newest_issue, newest_source, "-pk")
