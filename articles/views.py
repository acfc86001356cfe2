"""Lists across issues: by source, by tag, and the register of policy documents."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from issues.views import ARTICLES_PER_PAGE


def _article_list(request, heading: str, kind: str, articles):
    page = Paginator(articles.for_listing(), ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "articles/article_list.html",
        {"heading": heading, "kind": kind, "page_obj": page},
    )


def source_detail(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    return _article_list(
        request, str(source), "来源", Article.objects.published().filter(source=source)
    )


def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    return _article_list(
        request, tag.name, "标签", Article.objects.published().filter(tags=tag)
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


def policy_list(request):
    """Every policy document cited by a published item, newest first."""
    documents = (
        PolicyDocument.objects.annotate(
            published_total=Count(
                "attachments", filter=Q(attachments__article__issue__status="published")
            )
        )
        .filter(published_total__gt=0)
        .prefetch_related(_citations())
        .order_by("-created_at", "-id")
    )
    page = Paginator(documents, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/policy_list.html", {"page_obj": page})


def policy_detail(request, pk: int):
    """A policy document and the published items that cited it."""
    document = get_object_or_404(
        PolicyDocument.objects.prefetch_related(_citations()), pk=pk
    )
    return render(request, "articles/policy_detail.html", {"document": document})
