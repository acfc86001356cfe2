"""Background work: `manage.py db_worker` runs these in production."""

from django.tasks import task

from editions.models import Edition
from issues.models import Issue


@task
def generate_editions(issue_id: int) -> list[str]:
    """Build the PDF and Word editions of a published issue (skipped if unpublished
    again or already current); returns the kinds that are ready."""
    from editions.services import build_edition

    issue = Issue.objects.with_masthead().filter(pk=issue_id).first()
    if issue is None or not issue.is_published:
        return []
    return [build_edition(issue, kind).kind for kind in Edition.Kind.values]
