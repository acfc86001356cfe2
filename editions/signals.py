"""Editions follow the workflow's announcements: built when an issue is published,
rebuilt when a correction changes it."""

from django.dispatch import receiver

from articles.signals import content_corrected
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
