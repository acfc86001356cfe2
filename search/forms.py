"""The search box and the advanced search form, both read from the URL."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from search.engine import SORT_CHOICES, SORT_RELEVANCE

# Generous: the parser gives the reader a clear message above its own limit.
MAX_FIELD_LENGTH = 10_000


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search terms"), required=False, max_length=MAX_FIELD_LENGTH
    )
    all_words = forms.CharField(
        label=_("All of these words"), required=False, max_length=MAX_FIELD_LENGTH
    )
    phrase = forms.CharField(
        label=_("This exact phrase"), required=False, max_length=MAX_FIELD_LENGTH
    )
    any_words = forms.CharField(
        label=_("Any of these words"), required=False, max_length=MAX_FIELD_LENGTH
    )
    none_words = forms.CharField(
        label=_("None of these words"), required=False, max_length=MAX_FIELD_LENGTH
    )
    sort = forms.ChoiceField(
        label=pgettext_lazy("search form", "Sort by"),
        choices=SORT_CHOICES,
        required=False,
        initial=SORT_RELEVANCE,
    )
    unpublished = forms.BooleanField(
        label=_("Include unpublished issues"), required=False
    )

    def query_text(self) -> str:
        """The advanced fields written in the query language, after the box's text."""
        data = self.cleaned_data if self.is_valid() else {}
        parts = [data.get("q", ""), data.get("all_words", "")]
        phrase = data.get("phrase", "").replace('"', " ").strip()
        if phrase:
            parts.append(f'"{phrase}"')
        any_words = data.get("any_words", "").split()
        if any_words:
            parts.append(" OR ".join(any_words))
        parts += [f"-{word}" for word in data.get("none_words", "").split()]
        return " ".join(part.strip() for part in parts if part.strip())

    @property
    def sort_order(self) -> str:
        return (
            self.cleaned_data.get("sort") if self.is_valid() else ""
        ) or SORT_RELEVANCE
