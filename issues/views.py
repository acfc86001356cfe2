"""Reading pages: the latest issue, one issue, one article, and editors' previews."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from articles.models import Article
from issues.models import Issue


def can_preview(user) -> bool:
    return user.is_authenticated and user.has_perm("issues.change_issue")


def get_issue_for_user(user, **lookup) -> Issue:
    """The issue if the user may read it: readers see published issues, editors all."""
    issues = Issue.objects.with_masthead()
    if not can_preview(user):
        issues = issues.published()
    return get_object_or_404(issues, **lookup)


def home(request):
    issues = Issue.objects.published().select_related("publication")
    latest = issues.with_masthead().order_by("-year", "-number").first()
    context = {
        "latest": latest,
        "toc": latest.table_of_contents() if latest else [],
        "archive": issues.order_by("-year", "-number"),
    }
    return render(request, "issues/home.html", context)


def _render_issue(request, issue: Issue):
    response = render(
        request,
        "issues/issue_detail.html",
        {
            "issue": issue,
            "toc": issue.table_of_contents(),
            "is_preview": not issue.is_published,
        },
    )
    if not issue.is_published:
        add_never_cache_headers(response)
    return response


def issue_detail(request, year: int, number: int):
    return _render_issue(
        request, get_issue_for_user(request.user, year=year, number=number)
    )


@staff_member_required
def issue_preview(request, pk: int):
    """Any issue as staff will read it, for editors before publication."""
    if not can_preview(request.user):
        raise PermissionDenied
    return _render_issue(request, get_issue_for_user(request.user, pk=pk))


def article_detail(request, year: int, number: int, pk: int):
    issue = get_issue_for_user(request.user, year=year, number=number)
    article = get_object_or_404(
        Article.objects.filter(issue=issue)
        .select_related("source", "section")
        .prefetch_related("attachments__policy_document", "tags", "corrections"),
        pk=pk,
    )
    response = render(
        request,
        "issues/article_detail.html",
        {"issue": issue, "article": article, "is_preview": not issue.is_published},
    )
    if not issue.is_published:
        add_never_cache_headers(response)
    return response
