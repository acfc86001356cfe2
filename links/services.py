"""Checking the links that are due, and recording what they answered."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from bulletin import caching
from links.checker import check_urls
from links.models import CheckedLink


@dataclass(frozen=True)
class CheckReport:
    checked: int
    alive: int
    failing: int
    dead: int  # dead links after this run, checked now or not


def check_due_links(
    stale_hours: float | None = None, limit: int | None = None, progress=None
) -> CheckReport:
    """Track every cited link, then check those not checked for stale_hours
    (oldest first, at most limit); progress(done, total) after each."""
    if stale_hours is None:
        stale_hours = settings.LINKS_STALE_HOURS
    CheckedLink.objects.track_cited()
    due = CheckedLink.objects.due(stale_hours).order_by("checked_at", "pk")
    links = list(due[:limit] if limit else due)
    results = check_urls([link.url for link in links], progress=progress)
    now = timezone.now()
    changed = False
    with translation.override(settings.LANGUAGE_CODE):
        for link, result in zip(links, results, strict=True):
            changed |= link.record(result, now)
    fields = [
        "status_code",
        "error",
        "checked_at",
        "last_alive_at",
        "consecutive_failures",
        "failing_since",
    ]
    CheckedLink.objects.bulk_update(links, fields, batch_size=500)
    if changed:
        # Reading pages note a dead original link: they are stale now.
        caching.invalidate()
    alive = sum(result.alive for result in results)
    return CheckReport(
        checked=len(results),
        alive=alive,
        failing=len(results) - alive,
        dead=CheckedLink.objects.dead().count(),
    )
