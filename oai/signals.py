"""The record table follows the domain signals: publishing, unpublishing and
corrections (issues and articles never call this app)."""

from django.dispatch import receiver

from articles.signals import content_corrected
from issues.signals import issue_published, issue_unpublished
from oai import records
from oai.models import Record


@receiver(issue_published, dispatch_uid="oai_issue_published")
def issue_was_published(sender, issue, **kwargs):
    records.sync_issue(issue)


@receiver(issue_unpublished, dispatch_uid="oai_issue_unpublished")
def issue_was_unpublished(sender, issue, **kwargs):
    records.withdraw_issue(issue)


@receiver(content_corrected, dispatch_uid="oai_content_corrected")
def content_was_corrected(sender, issues, corrections, **kwargs):
    touched = {
        (Record.Kind.ITEM, c.article_id)
        if c.article_id
        else (Record.Kind.ISSUE, c.issue_id)
        for c in corrections
    }
    for issue in issues:
        records.sync_issue(issue, touched=touched)
