"""Narrowing search results (django-filter) and counting them per filter (facets)."""

import datetime
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import pgettext, pgettext_lazy
from taggit.models import TaggedItem

from articles.models import Article, Source
from bulletin import caching
from bulletin.sql import id_list
from bulletin.text import issue_label
from issues.access import can_preview
from issues.models import Issue, Publication, Section
from search.models import SearchDocument

FACET_LIMIT = 20


def _visible_issues(request):
    issues = Issue.objects.all()
    if request is None or not can_preview(request.user):
        issues = issues.published()
    return issues


# What an unset filter says: every filter starts at "any".
ANY = pgettext_lazy("search filter", "Any")


class AnyYesNo(forms.NullBooleanSelect):
    """Yes / no, or (the default) any."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", ANY),
            ("true", pgettext_lazy("search filter", "Yes")),
            ("false", pgettext_lazy("search filter", "No")),
        ]


class ArticleSearchFilter(django_filters.FilterSet):
    """The filters, on the index rows: they carry copies of what every filter
    but the tag looks at, so a filtered search reads no other table."""

    publication = django_filters.ModelChoiceFilter(
        queryset=Publication.objects.all(),
        label=pgettext_lazy("search filter", "Publication"),
        empty_label=ANY,
    )
    year = django_filters.NumberFilter(
        field_name="issue_year", label=pgettext_lazy("search filter", "Year")
    )
    issue = django_filters.ModelChoiceFilter(
        queryset=_visible_issues,
        label=pgettext_lazy("search filter", "Issue"),
        empty_label=ANY,
    )
    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(),
        label=pgettext_lazy("search filter", "Section"),
        empty_label=ANY,
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(),
        label=pgettext_lazy("search filter", "Source"),
        empty_label=ANY,
    )
    kind = django_filters.ChoiceFilter(
        choices=Article.Kind.choices,
        label=pgettext_lazy("search filter", "Type"),
        empty_label=ANY,
    )
    tag = django_filters.CharFilter(
        method="filter_tag", label=pgettext_lazy("search filter", "Tag")
    )
    date_from = django_filters.DateFilter(
        field_name="source_date",
        lookup_expr="gte",
        label=pgettext_lazy("search filter", "Source date from"),
    )
    date_to = django_filters.DateFilter(
        field_name="source_date",
        lookup_expr="lte",
        label=pgettext_lazy("search filter", "Source date to"),
    )
    has_policy = django_filters.BooleanFilter(
        label=pgettext_lazy("search filter", "With policy documents"),
        widget=AnyYesNo,
    )

    class Meta:
        model = SearchDocument
        fields = ()

    def filter_tag(self, queryset, name, value):
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            tag__name__iexact=value,
        )
        return queryset.filter(article__in=tagged.values("object_id"))

    # Facets -----------------------------------------------------------------

    def described(self, results: list[tuple]) -> list["FacetRow"]:
        """results (host_index.RESULT_COLUMNS) with their tags: what every filter
        looks at, for facets() and passing()."""
        if not results:
            return []
        tags: dict[int, list[str]] = {}
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id__in=id_list([row[0] for row in results]),
        )
        for pk, name in tagged.values_list("object_id", "tag__name"):
            tags.setdefault(pk, []).append(name)
        return [FacetRow(*row, tuple(tags.get(row[0], ()))) for row in results]

    def passing(self, rows: list["FacetRow"]) -> list["FacetRow"]:
        """The rows the active filters allow, by the rules of FILTER_TESTS: a
        complete unfiltered result narrowed here needs no second search."""
        active = self._active_filters()
        return [
            row
            for row in rows
            if all(FILTER_TESTS[name](row, value) for name, value in active.items())
        ]

    def facets(self, rows: list["FacetRow"]) -> list["Facet"]:
        """Counts per filter value over rows (described() of the first results
        of the query before the filters); each facet applies the other filters.

        The counting happens here, by the same rules as the filters above, on
        at most RESULT_LIMIT rows. Names are looked up only for the values
        counted (see _LABELS).
        """
        base = _rows_for_facet(rows, self._active_filters())
        counts = {name: _count(base(name), name) for name in COUNTED}
        counts["tag"] = Counter(name for row in base("tag") for name in row.tags)
        names = _LABELS.names({model: counts[name] for name, model in NAMED.items()})
        numbers = {row.issue: (row.year, row.number) for row in rows}
        labels = {
            **{name: names[model].__getitem__ for name, model in NAMED.items()},
            "year": lambda year: (
                pgettext("search facet value", "year %(year)s") % {"year": year}
            ),
            "issue": lambda issue: issue_label(*numbers[issue]),
            "kind": lambda kind: Article.Kind(kind).label,
            "tag": str,
        }
        newest = {issue: (-year, -number) for issue, (year, number) in numbers.items()}
        newest_first = {"issue": newest.__getitem__}
        attached = sum(1 for row in base("has_policy") if row.has_policy)
        return [
            *(
                self._facet(
                    name, _ranked(counts[name], labels[name], newest_first.get(name))
                )
                for name in (*COUNTED, "tag")
            ),
            self._facet(
                "has_policy",
                [
                    FacetValue(
                        "true",
                        pgettext("search facet value", "With attachments"),
                        attached,
                    )
                ]
                if attached
                else [],
            ),
        ]

    def _active_filters(self) -> dict:
        """The filters in use with their cleaned values; invalid values are left
        out, as the filters themselves do."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name in FILTER_TESTS and value not in (None, "")
        }

    def _facet(self, name, values):
        return Facet(name, self.filters[name].label, values)


class FacetRow(NamedTuple):
    """What the filters look at in one article: host_index.RESULT_COLUMNS and the tags."""

    pk: int
    publication: int | None
    year: int | None
    issue: int | None
    number: int | None
    section: int | None
    source: int | None
    kind: str
    source_date: datetime.date | None
    has_policy: bool
    tags: tuple[str, ...]


def _rows_for_facet(rows: list[FacetRow], active: dict):
    """A function giving, for a filter name, the rows that pass every active
    filter but that one's own (so a facet still offers its other values)."""
    if not active:
        return lambda name: rows
    failed = [
        {name for name, value in active.items() if not FILTER_TESTS[name](row, value)}
        for row in rows
    ]
    passing = [row for row, fails in zip(rows, failed, strict=True) if not fails]

    def base(name):
        if name not in active:
            return passing
        return [row for row, fails in zip(rows, failed, strict=True) if fails <= {name}]

    return base


def _same_pk(value, instance) -> bool:
    return value == instance.pk


def _has_tag(row, name) -> bool:
    return name.casefold() in {tag.casefold() for tag in row.tags}


# Facets counted on one FacetRow field of the same name, in the page's order
# (the tag facet follows them), and those whose labels are names of a model.
COUNTED = ("publication", "year", "issue", "section", "source", "kind")
NAMED = {"publication": Publication, "section": Section, "source": Source}

# ArticleSearchFilter's filters, as tests on one facet row (filter name -> test).
FILTER_TESTS = {
    "publication": lambda row, v: _same_pk(row.publication, v),
    "year": lambda row, v: row.year == v,
    "issue": lambda row, v: _same_pk(row.issue, v),
    "section": lambda row, v: _same_pk(row.section, v),
    "source": lambda row, v: _same_pk(row.source, v),
    "kind": lambda row, v: row.kind == v,
    "tag": _has_tag,
    "date_from": lambda row, v: row.source_date is not None and row.source_date >= v,
    "date_to": lambda row, v: row.source_date is not None and row.source_date <= v,
    "has_policy": lambda row, v: row.has_policy == v,
}


def _count(rows: list[FacetRow], field: str) -> Counter:
    """How many rows have each value of field (rows without one are not counted)."""
    counts = Counter(map(itemgetter(FacetRow._fields.index(field)), rows))
    counts.pop(None, None)
    return counts


def _ranked(counts: Counter, label, order=None) -> list["FacetValue"]:
    """The most frequent values first, ties by label (or by order(value)), at
    most FACET_LIMIT."""
    ranked = sorted(
        counts.items(),
        key=lambda item: (-item[1], *(order(item[0]) if order else (label(item[0]),))),
    )
    return [
        FacetValue(str(value), label(value), count)
        for value, count in ranked[:FACET_LIMIT]
    ]


class _Labels:
    """Names of publications, sections and sources by pk, kept in this process
    while the content version (bulletin.caching) stays the same: any save or
    delete of those models changes it. A pk not seen yet is read on demand."""

    def __init__(self):
        self._known = caching.PerVersion(dict)

    def names(self, wanted: dict) -> dict:
        """{model: {pk: name}} for the pks wanted of each model ("" for a row
        deleted meanwhile)."""
        known = self._known.get()
        found = {}
        for model, pks in wanted.items():
            names = known.setdefault(model, {})
            missing = [pk for pk in pks if pk is not None and pk not in names]
            if missing:
                names.update(
                    model.objects.filter(pk__in=missing).values_list("pk", "name")
                )
            found[model] = {pk: names.get(pk, "") for pk in pks}
        return found


_LABELS = _Labels()


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
