"""Reading pages: the latest issue, the archive, one issue, one article, previews."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from articles.models import Article
from issues import caching
from issues.models import Issue, Section

ARTICLES_PER_PAGE = 30


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


def home(request):
    issues = Issue.objects.published()
    latest = issues.with_masthead().order_by("-year", "-number").first()
    context = {
        "latest": latest,
        "toc": latest.table_of_contents() if latest else [],
        "archive": issues.select_related("publication").order_by("-year", "-number"),
    }
    return render(request, "issues/home.html", context)


def _issue_body(issue: Issue) -> str:
    """The issue's masthead, contents and every article, rendered once per content change.

    Published issues are served from the cache; drafts are rendered fresh each time.
    """

    def render_body():
        return render_to_string(
            "issues/_issue_body.html",
            {"issue": issue, "toc": issue.table_of_contents(with_reading_details=True)},
        )

    if not issue.is_published:
        return render_body()
    return caching.get_or_render(("issue", issue.pk), render_body)


def _render_issue(request, issue: Issue):
    response = render(
        request,
        "issues/issue_detail.html",
        {
            "issue": issue,
            "issue_body": _issue_body(issue),
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


@login_required
def issue_preview(request, pk: int):
    """Any issue as staff will read it, for editors before publication."""
    if not can_preview(request.user):
        raise PermissionDenied
    return _render_issue(request, get_issue_for_user(request.user, pk=pk))


def _article_page(issue: Issue, pk: int) -> dict:
    """The article's title and rendered content; Http404 if it is not in the issue."""
    article = get_object_or_404(
        Article.objects.for_reading().filter(issue=issue), pk=pk
    )
    previous_article, next_article = article.neighbours()
    body = render_to_string(
        "issues/_article_body.html",
        {
            "issue": issue,
            "article": article,
            "previous_article": previous_article,
            "next_article": next_article,
        },
    )
    return {"title": article.title, "body": body}


def article_detail(request, year: int, number: int, pk: int):
    issue = get_issue_for_user(request.user, year=year, number=number)
    if issue.is_published:
        page = caching.get_or_render(
            ("article", issue.pk, pk), lambda: _article_page(issue, pk)
        )
    else:
        page = _article_page(issue, pk)
    response = render(
        request,
        "issues/article_detail.html",
        {"issue": issue, "page": page, "is_preview": not issue.is_published},
    )
    if not issue.is_published:
        add_never_cache_headers(response)
    return response


def section_detail(request, pk: int):
    """One column across every published issue, newest first."""
    section = get_object_or_404(Section.objects.select_related("publication"), pk=pk)
    articles = Article.objects.published().filter(section=section).for_listing()
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_list.html",
        {"heading": section.name, "kind": "栏目", "page_obj": page},
    )
