"""Narrowing search results (django-filter) and counting them per filter (facets)."""

from dataclasses import dataclass

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItem

from articles.models import Article, ArticlePolicyDocument, Source
from bulletin.text import chinese_number
from issues.models import Issue, Publication, Section
from search.engine import id_list

FACET_LIMIT = 20


def _visible_issues(request):
    from search.views import may_include_unpublished

    issues = Issue.objects.all()
    if request is None or not may_include_unpublished(request.user):
        issues = issues.published()
    return issues


class ArticleSearchFilter(django_filters.FilterSet):
    publication = django_filters.ModelChoiceFilter(
        field_name="issue__publication",
        queryset=Publication.objects.all(),
        label=_("刊物"),
    )
    year = django_filters.NumberFilter(field_name="issue__year", label=_("年份"))
    issue = django_filters.ModelChoiceFilter(queryset=_visible_issues, label=_("期"))
    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(), label=_("栏目")
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(), label=_("来源")
    )
    kind = django_filters.ChoiceFilter(choices=Article.Kind.choices, label=_("类型"))
    tag = django_filters.CharFilter(
        field_name="tags__name", lookup_expr="iexact", label=_("标签")
    )
    date_from = django_filters.DateFilter(
        field_name="source_date", lookup_expr="gte", label=_("来源日期自")
    )
    date_to = django_filters.DateFilter(
        field_name="source_date", lookup_expr="lte", label=_("来源日期至")
    )
    has_policy = django_filters.BooleanFilter(
        method="filter_has_policy", label=_("附政策文件")
    )

    class Meta:
        model = Article
        fields = ()

    def filter_has_policy(self, queryset, name, value):
        attached = Exists(ArticlePolicyDocument.objects.filter(article=OuterRef("pk")))
        return queryset.filter(attached) if value else queryset.exclude(attached)

    # Facets -----------------------------------------------------------------

    def facets(self, ids: list[int]) -> list["Facet"]:
        """Counts per filter value over the articles ids (the first results of
        the query before the filters); each facet applies the other filters.

        Two queries read what every filter looks at, and the counting happens
        here: the same rules as the filters above, on at most RESULT_LIMIT rows.
        """
        rows = _facet_rows(ids)
        chosen = {}
        if self.is_bound:
            self.form.is_valid()  # invalid values are left out, as the filters do
            chosen = self.form.cleaned_data

        active = {
            name: value
            for name, value in chosen.items()
            if name in FILTER_TESTS and value not in (None, "")
        }
        failed = [
            {
                name
                for name, value in active.items()
                if not FILTER_TESTS[name](row, value)
            }
            for row in rows
        ]

        def base(name):
            """The rows that pass every filter but name's own."""
            return [
                row for row, fails in zip(rows, failed, strict=True) if fails <= {name}
            ]

        def grouped(name, key, label):
            return self._facet(name, _count(base(name), key, label))

        issue_rows = _count(
            base("issue"),
            "issue",
            lambda row: (
                f"{row['issue__year']} 年第{chinese_number(row['issue__number'])}期"
            ),
            order=lambda row: (-row["issue__year"], -row["issue__number"]),
        )
        attached = sum(1 for row in base("has_policy") if row["has_policy"])
        return [
            grouped(
                "publication",
                "issue__publication",
                lambda row: row["issue__publication__name"],
            ),
            grouped("year", "issue__year", lambda row: f"{row['issue__year']} 年"),
            self._facet("issue", issue_rows),
            grouped("section", "section", lambda row: row["section__name"]),
            grouped("source", "source", lambda row: row["source__name"]),
            grouped("kind", "kind", lambda row: Article.Kind(row["kind"]).label),
            self._facet("tag", _count_tags(base("tag"))),
            self._facet(
                "has_policy",
                [FacetValue("true", _("有附件"), attached)] if attached else [],
            ),
        ]

    def _facet(self, name, values):
        return Facet(name, self.filters[name].label, values)


def _facet_rows(ids: list[int]) -> list[dict]:
    attached = Exists(ArticlePolicyDocument.objects.filter(article=OuterRef("pk")))
    rows = list(
        Article.objects.filter(pk__in=id_list(ids))
        .order_by()
        .annotate(has_policy=attached)
        .values(
            "pk",
            "issue__publication",
            "issue__publication__name",
            "issue__year",
            "issue",
            "issue__number",
            "section",
            "section__name",
            "source",
            "source__name",
            "kind",
            "source_date",
            "has_policy",
        )
    )
    tags: dict[int, list[str]] = {}
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=id_list(ids),
    )
    for pk, name in tagged.values_list("object_id", "tag__name"):
        tags.setdefault(pk, []).append(name)
    for row in rows:
        row["tags"] = tags.get(row["pk"], [])
    return rows


def _same_pk(value, instance) -> bool:
    return value == instance.pk


def _has_tag(row, name) -> bool:
    return name.casefold() in {tag.casefold() for tag in row["tags"]}


# ArticleSearchFilter's filters, as tests on one facet row (filter name -> test).
FILTER_TESTS = {
    "publication": lambda row, v: _same_pk(row["issue__publication"], v),
    "year": lambda row, v: row["issue__year"] == v,
    "issue": lambda row, v: _same_pk(row["issue"], v),
    "section": lambda row, v: _same_pk(row["section"], v),
    "source": lambda row, v: _same_pk(row["source"], v),
    "kind": lambda row, v: row["kind"] == v,
    "tag": _has_tag,
    "date_from": lambda row, v: (
        row["source_date"] is not None and row["source_date"] >= v
    ),
    "date_to": lambda row, v: (
        row["source_date"] is not None and row["source_date"] <= v
    ),
    "has_policy": lambda row, v: row["has_policy"] == v,
}


def _count(rows, key, label, order=None) -> list["FacetValue"]:
    counts: dict = {}
    for row in rows:
        if row[key] is not None:
            counts.setdefault(row[key], [0, row])[0] += 1
    ranked = sorted(
        counts.items(),
        key=lambda item: (-item[1][0], *(order or (lambda r: (label(r),)))(item[1][1])),
    )
    return [
        FacetValue(str(value), label(row), count)
        for value, (count, row) in ranked[:FACET_LIMIT]
    ]


def _count_tags(rows) -> list["FacetValue"]:
    counts: dict[str, int] = {}
    for row in rows:
        for name in row["tags"]:
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(name, name, count) for name, count in ranked[:FACET_LIMIT]]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool = False
    url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]
