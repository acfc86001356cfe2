"""Narrowing search results (django-filter) and counting them per filter (facets)."""

from dataclasses import dataclass

import django_filters
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticlePolicyDocument, Source
from bulletin.text import chinese_number
from issues.models import Issue, Publication, Section

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

    def without(self, name: str):
        """The results filtered by everything except `name` (its facet's base)."""
        data = self.data.copy()
        data.pop(name, None)
        return type(self)(data, queryset=self.queryset, request=self.request).qs

    def facets(self) -> list["Facet"]:
        return [
            self._grouped(
                "publication", "issue__publication", "issue__publication__name"
            ),
            self._grouped(
                "year", "issue__year", "issue__year", label=lambda y: f"{y} 年"
            ),
            self._issue_facet(),
            self._grouped("section", "section", "section__name"),
            self._grouped("source", "source", "source__name"),
            self._grouped(
                "kind", "kind", "kind", label=lambda k: Article.Kind(k).label
            ),
            self._grouped("tag", "tags__name", "tags__name"),
            self._has_policy_facet(),
        ]

    def _grouped(self, name, key, label_field, label=None):
        rows = (
            self.without(name)
            .exclude(**{f"{key}__isnull": True})
            .values(key, label_field)
            .annotate(count=Count("pk"))
            .order_by("-count", label_field)[:FACET_LIMIT]
        )
        return Facet(
            name,
            self.filters[name].label,
            [
                FacetValue(
                    str(row[key]),
                    label(row[label_field]) if label else row[label_field],
                    row["count"],
                )
                for row in rows
            ],
        )

    def _issue_facet(self):
        rows = (
            self.without("issue")
            .exclude(issue__isnull=True)
            .values("issue", "issue__year", "issue__number")
            .annotate(count=Count("pk"))
            .order_by("-count", "-issue__year", "-issue__number")[:FACET_LIMIT]
        )
        return Facet(
            "issue",
            self.filters["issue"].label,
            [
                FacetValue(
                    str(row["issue"]),
                    f"{row['issue__year']} 年第{chinese_number(row['issue__number'])}期",
                    row["count"],
                )
                for row in rows
            ],
        )

    def _has_policy_facet(self):
        attached = Exists(ArticlePolicyDocument.objects.filter(article=OuterRef("pk")))
        count = self.without("has_policy").filter(attached).count()
        values = [FacetValue("true", _("有附件"), count)] if count else []
        return Facet("has_policy", self.filters["has_policy"].label, values)


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
