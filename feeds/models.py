"""RSS and Atom feeds of outlets the pool is subscribed to, and what came of
each of their entries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Feed(models.Model):
    url = models.URLField(_("feed address"), max_length=500, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.ForeignKey(
        "articles.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feeds",
        verbose_name=_("source"),
        help_text=_("Entries whose page names no outlet are attributed to it."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Only active feeds are polled."),
    )
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The validators of the last answer, sent back so an unchanged feed is a 304.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    modified = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        ordering = ("title",)

    def __str__(self):
        return self.title


class FeedEntry(models.Model):
    """An entry seen in a feed: collected once, into the item made, or refused
    with the reason; either way not fetched again."""

    feed = models.ForeignKey(
        Feed, on_delete=models.CASCADE, related_name="entries", verbose_name=_("feed")
    )
    key = models.CharField(_("entry id"), max_length=500)  # its guid, else its link
    link = models.URLField(_("link"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feed_entries",
        verbose_name=_("item"),
    )
    refusal = models.TextField(_("refused because"), blank=True)
    seen_at = models.DateTimeField(_("seen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feed entry")
        verbose_name_plural = _("feed entries")
        ordering = ("-seen_at", "-id")
        get_latest_by = "seen_at"
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "key"], name="feeds_entry_once_per_feed"
            )
        ]

    def __str__(self):
        return self.title or self.link or self.key
