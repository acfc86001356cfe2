"""Lists across issues: by source, by tag, and the register of policy documents."""

from pathlib import Path

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from bulletin.files import send_stored_file
from bulletin.pages import cached_page

ARTICLES_PER_PAGE = 30


def _article_list(request, heading: str, kind: str, articles):
    page = Paginator(articles.for_listing(), ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "articles/article_list.html",
        {"heading": heading, "kind": kind, "page_obj": page},
    )


@cached_page(query=("page",))
def source_detail(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    return _article_list(
        request,
        str(source),
        _("Source"),
        Article.objects.published().filter(source=source),
    )


@cached_page(query=("page",))
def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    return _article_list(
        request, tag.name, _("Tag"), Article.objects.published().filter(tags=tag)
    )


def _citations():
    """Published citations with their article and issue, for the register (one query)."""
    return Prefetch(
        "attachments",
        queryset=ArticlePolicyDocument.objects.filter(
            article__issue__status="published"
        )
        .select_related("article__issue")
        .order_by(
            "-article__issue__year", "-article__issue__number", "article__position"
        ),
        to_attr="published_citations",
    )


@cached_page(query=("page",))
def policy_list(request):
    """Every policy document cited by a published item, newest first (editors: all)."""
    documents = (
        PolicyDocument.objects.visible_to(request.user)
        .prefetch_related(_citations())
        .order_by("-created_at", "-id")
    )
    page = Paginator(documents, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/policy_list.html", {"page_obj": page})


def _visible_document(request, pk: int) -> PolicyDocument:
    return get_object_or_404(
        PolicyDocument.objects.visible_to(request.user).prefetch_related(_citations()),
        pk=pk,
    )


@cached_page
def policy_detail(request, pk: int):
    """A policy document and the published items that cited it."""
    document = _visible_document(request, pk)
    return render(request, "articles/policy_detail.html", {"document": document})


def policy_file(request, pk: int):
    """The document's uploaded file, under the rule of its page."""
    document = _visible_document(request, pk)
    name = document.file.name if document.file else ""
    return send_stored_file(
        request,
        document.file,
        filename=f"{document.title[:80]}{Path(name).suffix}",
        as_attachment=True,
    )
