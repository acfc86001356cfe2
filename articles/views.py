from django.shortcuts import get_object_or_404, render

from articles.models import Article, PolicyDocument


def policy_detail(request, pk: int):
    """A policy document and the published items that cited it."""
    document = get_object_or_404(PolicyDocument, pk=pk)
    citing = (
        Article.objects.published()
        .filter(attachments__policy_document=document)
        .select_related("issue", "source")
        .order_by("-issue__year", "-issue__number", "position")
    )
    return render(
        request, "articles/policy_detail.html", {"document": document, "citing": citing}
    )
