"""Editions follow the workflow's announcements: built when an issue is published,
rebuilt when a correction changes it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.signals import content_corrected
from bulletin import caching
from editions.models import Edition
from editions.tasks import schedule_editions
from issues.signals import issue_published


@receiver(issue_published, dispatch_uid="editions_issue_published")
def issue_was_published(sender, issue, **kwargs):
    schedule_editions(issue)


@receiver(content_corrected, dispatch_uid="editions_content_corrected")
def content_was_corrected(sender, issues, **kwargs):
    for issue in issues:
        if issue.is_published:
            schedule_editions(issue)


# The issue page lists the editions built so far (to those who may see them).
post_save.connect(caching.invalidate, sender=Edition, dispatch_uid="cache-save-Edition")
post_delete.connect(
    caching.invalidate, sender=Edition, dispatch_uid="cache-del-Edition"
)
