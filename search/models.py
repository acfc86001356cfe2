"""The search index's rows and the archivists' dictionary of domain terms."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from search import tokenizer


class TokenVectorField(models.Field):
    """The tokens the PostgreSQL GIN index reads, as a tsvector. On SQLite the
    FTS5 table holds them and this text column stays empty (search/backends.py
    says what goes in)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    """One article's searchable text, as unit sequences per field.

    The *_text columns hold tokenizer.match_text(...) so a LIKE can confirm an exact
    unit sequence and tell which field matched. The full-text part depends on
    the database (see search/backends.py): the tsvector column ``vector`` on
    PostgreSQL, written with the row so each save writes the row once, and the
    FTS5 table ``search_fts`` beside this table on SQLite.
    ``issue``, ``issue_year``, ``issue_number`` and ``source_date`` are copies, so
    that matching, visibility and result order never read the (large) articles
    table, and result order can walk an index on this table; ``publication``,
    ``section``, ``source``, ``kind`` and ``has_policy`` are copies too, so that
    the rows found carry what the facets count (host_index.RESULT_COLUMNS). On PostgreSQL the
    vector also holds the title and abstract/keywords tokens a second time,
    marked, so that the best-ranked matches are found in the same GIN index,
    and the issue's year and decades, so that results are read newest years
    first in it (backends.YearWindow).
    Rows are written only by search/indexing.py.
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
    vector = TokenVectorField(default="", editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        # PostgreSQL's indexes of this table are raw SQL (migrations 0005, 0010):
        # the GIN index of `vector`, a tsvector there and text on SQLite, and the
        # two result-order indexes, whose DESC NULLS LAST columns SQLite refuses
        # in an index (it sorts NULLs last in DESC order anyway).

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
