"""Who may read which issue: the one rule every page, file and download applies.

Readers see published issues; editors (who may change issues) also see drafts,
as previews. Search and editions ask here too, so the rule is written once.
"""

from django.http import Http404

from issues.models import Issue, IssueAddress


def can_preview(user) -> bool:
    return user.is_authenticated and user.has_perm("issues.change_issue")


def get_issue_for_user(user, **lookup) -> Issue:
    """The issue if the user may read it: readers see published issues, editors all."""
    issues = Issue.objects.with_masthead()
    if not can_preview(user):
        issues = issues.published()
    # Readable URLs (/2023/8/) carry no publication: with several publications the
    # first one created owns them, rather than the page failing on a clash.
    issue = issues.filter(**lookup).order_by("publication_id").first()
    if issue is None:
        raise Http404("No issue matches the given query.")
    return issue


def moved_issue(user, year: int, number: int) -> Issue | None:
    """The readable issue that once had this address, if it was renumbered."""
    addresses = IssueAddress.objects.filter(year=year, number=number).order_by(
        "publication_id"
    )
    for address in addresses.select_related("issue"):
        if address.issue.is_published or can_preview(user):
            return address.issue
    return None
