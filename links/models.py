"""The health of the links items cite: each item's original link and each policy
document's link, checked now and then (checker.py); dead after several failures
in a row, never on the first transient error."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, PolicyDocument


def cited_urls() -> set[str]:
    """Every link an item or a policy document cites; two queries."""
    items = Article.objects.exclude(original_url="").values_list(
        "original_url", flat=True
    )
    documents = PolicyDocument.objects.exclude(url="").values_list("url", flat=True)
    return set(items) | set(documents)


class CheckedLinkQuerySet(models.QuerySet):
    def dead(self):
        return self.filter(consecutive_failures__gte=settings.LINKS_DEAD_AFTER)

    def due(self, stale_hours: float):
        """Never checked, or last checked more than stale_hours ago; oldest first."""
        cutoff = timezone.now() - datetime.timedelta(hours=stale_hours)
        return self.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=cutoff))

    def track_cited(self) -> int:
        """A row for every cited link not tracked yet; returns how many were added."""
        known = set(self.values_list("url", flat=True))
        new = [CheckedLink(url=url) for url in cited_urls() - known]
        self.bulk_create(new, ignore_conflicts=True)
        return len(new)

    def dead_items(self):
        """Items whose original link is dead, with `link_dead_since`; one query."""
        dead = self.dead().filter(url=OuterRef("original_url"))
        return (
            Article.objects.filter(original_url__in=self.dead().values("url"))
            .annotate(link_dead_since=Subquery(dead.values("failing_since")[:1]))
            .select_related("issue")
            .order_by("link_dead_since", "pk")
        )

    def dead_documents(self):
        """Policy documents whose link is dead, with `link_dead_since`; one query."""
        dead = self.dead().filter(url=OuterRef("url"))
        return (
            PolicyDocument.objects.filter(url__in=self.dead().values("url"))
            .annotate(link_dead_since=Subquery(dead.values("failing_since")[:1]))
            .order_by("link_dead_since", "pk")
        )


class CheckedLink(models.Model):
    """One link as last checked: what it answered, and since when it fails."""

    url = models.URLField(_("link"), max_length=500, unique=True)
    status_code = models.PositiveSmallIntegerField(
        _("status code"), null=True, blank=True
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    last_alive_at = models.DateTimeField(_("last seen alive"), null=True, blank=True)
    consecutive_failures = models.PositiveSmallIntegerField(
        _("consecutive failures"), default=0
    )
    # The first failure of the current run of failures: "dead since".
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    objects = CheckedLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("checked link")
        verbose_name_plural = _("checked links")
        ordering = ("url",)
        indexes = [
            # check_links picks the links due for a check by this.
            models.Index(fields=["checked_at"], name="links_checked_at"),
        ]

    def __str__(self):
        return self.url

    @property
    def is_dead(self) -> bool:
        return self.consecutive_failures >= settings.LINKS_DEAD_AFTER

    def record(self, result, when: datetime.datetime) -> bool:
        """Take in one check's result (unsaved); returns whether the link went
        dead or came back to life with it."""
        was_dead = self.is_dead
        self.status_code = result.status_code
        self.error = str(result.error)[:300]
        self.checked_at = when
        if result.alive:
            self.last_alive_at = when
            self.consecutive_failures = 0
            self.failing_since = None
        else:
            if not self.consecutive_failures:
                self.failing_since = when
            self.consecutive_failures = min(self.consecutive_failures + 1, 32767)
        return was_dead != self.is_dead
