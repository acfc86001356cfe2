"""Which saves make cached pages stale: every model whose content a page shows."""

from bulletin import caching


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from taggit.models import Tag, TaggedItem

    from articles.models import (
        Article,
        ArticlePolicyDocument,
        Correction,
        PolicyDocument,
        Source,
    )
    from issues.models import BoardMember, Issue, IssueSection, Publication, Section

    content_models = (
        Publication, Section, Issue, IssueSection, BoardMember, Article,
        ArticlePolicyDocument, PolicyDocument, Source, Correction, Tag, TaggedItem,
    )  # fmt: skip
    for model in content_models:
        post_save.connect(
            caching.invalidate,
            sender=model,
            dispatch_uid=f"cache-save-{model.__name__}",
        )
        post_delete.connect(
            caching.invalidate, sender=model, dispatch_uid=f"cache-del-{model.__name__}"
        )
    m2m_changed.connect(caching.invalidate, dispatch_uid="cache-m2m")
