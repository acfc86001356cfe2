"""The search index's rows and the archivists' dictionary of domain terms."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from search import tokenizer


class SearchDocument(models.Model):
    """One article's searchable text, as unit sequences per field.

    The *_text columns hold tokenizer.match_text(...) of each field
    (search.ranking): what each host's index is built from (search.host_index),
    and what the reference confirms with a LIKE (search.engine). The other
    columns are copies of what the filters, result order and the facets read
    (host_index.RESULT_COLUMNS), so that neither ever reads the (large)
    articles table. Rows are written only by search/indexing.py, which logs
    each write in IndexChange.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issue_year = models.PositiveSmallIntegerField(null=True, blank=True)
    issue_number = models.PositiveSmallIntegerField(null=True, blank=True)
    source_date = models.DateField(null=True, blank=True)
    publication = models.ForeignKey(
        "issues.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    section = models.ForeignKey(
        "issues.Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    source = models.ForeignKey(
        "articles.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
    )
    kind = models.CharField(max_length=20, blank=True)
    has_policy = models.BooleanField(default=False)
    title_text = models.TextField(blank=True)
    meta_text = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    tail_text = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self):
        return str(self.article_id)


class SearchTermQuerySet(models.QuerySet):
    def words(self) -> list[str]:
        return list(self.values_list("term", flat=True))


class SearchTerm(models.Model):
    """A domain term the segmenter must keep whole (专精特新, 自贸试验区 …)."""

    term = models.CharField(
        _("term"),
        max_length=50,
        unique=True,
        help_text=_(
            "Searches keep this term whole when they cut the text into words, "
            "for example “specialised and innovative” or “pilot free trade zone”. "
            "It applies to new searches as soon as it is saved, with no reindexing: "
            "the index records single characters and pairs of adjacent ones, "
            "whatever the dictionary says."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("added by"),
    )
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = SearchTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("search dictionary term")
        verbose_name_plural = _("search dictionary")
        ordering = ("term",)

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = tokenizer.normalise_term(self.term) or self.term.strip()
        super().save(*args, **kwargs)


class IndexChange(models.Model):
    """One write to the index rows (an article indexed again or removed): the
    log from which every host's embedded index catches up (search/host_index.py).

    Written only by search/indexing.py, in the transaction that writes the row,
    so the log says exactly what the database holds.
    """

    id = models.BigAutoField(primary_key=True)
    # No foreign key: a removed article's change must outlive it.
    article_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self):
        return f"{self.pk}: {self.article_id}"
