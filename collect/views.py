"""原文存档: the page an item was collected from, as it was then."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from collect.models import Snapshot


def snapshot(request, pk: int):
    """The item's archived original, under the item's own rule: readers see
    those of published items, staff who may view items in the admin any."""
    snapshot = get_object_or_404(
        Snapshot.objects.select_related("article__issue", "article__source"),
        article_id=pk,
    )
    article = snapshot.article
    staff = request.user.is_staff and request.user.has_perm("articles.view_article")
    if not article.is_published and not staff:
        raise Http404("No archived original matches the given query.")
    response = render(
        request, "collect/snapshot.html", {"snapshot": snapshot, "article": article}
    )
    if not article.is_published:
        add_never_cache_headers(response)
    return response
