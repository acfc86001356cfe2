"""Reading pages: the latest issue, the archive, one issue, one article, previews."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from articles.models import Article
from articles.views import ARTICLES_PER_PAGE
from bulletin import caching
from bulletin.files import send_stored_file
from bulletin.pages import cached_page
from issues import citations
from issues.access import can_preview, get_issue_for_user, moved_issue
from issues.models import Issue, Section


@cached_page
def home(request):
    issues = Issue.objects.published()
    latest = issues.with_masthead().order_by("-year", "-number").first()
    context = {
        "latest": latest,
        "toc": latest.table_of_contents() if latest else [],
        "archive": issues.select_related("publication").order_by("-year", "-number"),
    }
    return render(request, "issues/home.html", context)


@cached_page
def year_archive(request, year: int):
    """The issues published in one year, oldest first; 404 for a year without."""
    issues = list(
        Issue.objects.published()
        .filter(year=year)
        .select_related("publication")
        .order_by("number")
    )
    if not issues:
        raise Http404("No issue was published in this year.")
    return render(request, "issues/year.html", {"year": year, "issues": issues})


def _issue_body(issue: Issue) -> str:
    """The issue's masthead, contents and every article, rendered once per content change.

    Published issues are served from the cache; drafts are rendered fresh each time.
    """

    def render_body():
        return render_to_string(
            "issues/_issue_body.html",
            {
                "issue": issue,
                "issue_corrections": issue.corrections.shown_with_issue(),
                "toc": issue.table_of_contents(with_reading_details=True),
            },
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
            "citation": citations.for_issue(issue) if issue.is_published else None,
            "is_preview": not issue.is_published,
        },
    )
    if not issue.is_published:
        add_never_cache_headers(response)
    return response


@cached_page
def issue_detail(request, year: int, number: int):
    try:
        issue = get_issue_for_user(request.user, year=year, number=number)
    except Http404:
        moved = moved_issue(request.user, year, number)
        if moved is None:
            raise
        return redirect(moved, permanent=True)
    return _render_issue(request, issue)


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
            "issue_corrections": issue.corrections.shown_with_issue(),
            "article": article,
            "previous_article": previous_article,
            "next_article": next_article,
        },
    )
    citation = citations.for_article(article) if issue.is_published else None
    return {"title": article.title, "body": body, "citation": citation}


def _moved_article(user, pk: int, year: int | None = None, number: int | None = None):
    """Where an item lives now, if that issue is one the user may read. With an
    old address, only if the item really was there (its issue renumbered, or
    the item moved out of the issue that has this address)."""
    article = Article.objects.select_related("issue").filter(pk=pk).first()
    if article is not None and year is not None:
        issue_there = Issue.objects.filter(year=year, number=number).first()
        was_there = (
            issue_there is None and moved_issue(user, year, number) == article.issue
        ) or (
            issue_there is not None
            and article.history.filter(issue_id=issue_there.pk).exists()
        )
        if not was_there:
            return None
    if article is None or article.issue_id is None:
        return None
    if article.issue.is_published or can_preview(user):
        return article
    return None


def article_permalink(request, pk: int):
    """/items/<pk>/: an item's address that no renumbering changes."""
    article = _moved_article(request.user, pk)
    if article is None:
        raise Http404
    return redirect(article, permanent=True)


@cached_page
def article_detail(request, year: int, number: int, pk: int):
    try:
        issue = get_issue_for_user(request.user, year=year, number=number)
        if issue.is_published:
            page = caching.get_or_render(
                ("article", issue.pk, pk), lambda: _article_page(issue, pk)
            )
        else:
            page = _article_page(issue, pk)
    except Http404:
        # The issue was renumbered or the item moved: its old address still works.
        moved = _moved_article(request.user, pk, year, number)
        if moved is None:
            raise
        return redirect(moved, permanent=True)
    response = render(
        request,
        "issues/article_detail.html",
        {"issue": issue, "page": page, "is_preview": not issue.is_published},
    )
    if not issue.is_published:
        add_never_cache_headers(response)
    return response


def issue_cover(request, pk: int):
    """An issue's cover, under the issue's own rule (published, or editors)."""
    issue = get_issue_for_user(request.user, pk=pk)
    return send_stored_file(
        request,
        issue.cover,
        filename=_("%(publication)s-%(year)s-%(number)s-cover")
        % {
            "publication": issue.publication.name,
            "year": issue.year,
            "number": f"{issue.number:02d}",
        }
        + Path(issue.cover.name).suffix,
    )


@cached_page(query=("page",))
def section_detail(request, pk: int):
    """One column across every published issue, newest first."""
    section = get_object_or_404(Section.objects.select_related("publication"), pk=pk)
    articles = Article.objects.published().filter(section=section).for_listing()
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_list.html",
        {"heading": section.name, "kind": _("Section"), "page_obj": page},
    )


CITATION_FORMATS = {
    "ris": (citations.ris, "application/x-research-info-systems"),
    "bib": (citations.bibtex, "application/x-bibtex"),
}


def _citation_file(citation: citations.Citation, extension: str) -> HttpResponse:
    write, content_type = CITATION_FORMATS[extension]
    response = HttpResponse(
        write(citation), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{citation.key}.{extension}"'
    )
    return response


def _published_issue(request, year: int, number: int) -> Issue:
    """Citations are of published issues only, whoever asks (editors too)."""
    issue = get_issue_for_user(request.user, year=year, number=number)
    if not issue.is_published:
        raise Http404("Only published issues are cited.")
    return issue


def issue_citation(request, year: int, number: int, extension: str):
    """The issue's RIS or BibTeX file."""
    issue = _published_issue(request, year, number)
    return _citation_file(citations.for_issue(issue), extension)


def article_citation(request, year: int, number: int, pk: int, extension: str):
    """An item's RIS or BibTeX file."""
    issue = _published_issue(request, year, number)
    article = get_object_or_404(
        Article.objects.select_related("source", "issue__publication").filter(
            issue=issue
        ),
        pk=pk,
    )
    return _citation_file(citations.for_article(article), extension)
