from django.apps import AppConfig
from django.db.models import signals
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = pgettext_lazy("application name", "Search")

    def ready(self):
        """Every change that alters an article's searchable text reindexes it."""
        from taggit.models import Tag, TaggedItem

        from articles.models import (
            Article,
            ArticlePolicyDocument,
            PolicyDocument,
            Source,
        )
        from bulletin import caching
        from issues.models import Issue
        from search import indexing
        from search.models import SearchTerm

        def connect(signal, receiver, sender):
            signal.connect(receiver, sender, dispatch_uid=f"search.{receiver.__name__}")

        connect(signals.post_save, indexing.article_saved, Article)
        connect(signals.post_delete, indexing.article_deleted, Article)
        connect(signals.post_save, indexing.issue_saved, Issue)
        connect(signals.post_save, indexing.source_saved, Source)
        connect(signals.post_save, indexing.policy_document_changed, PolicyDocument)
        connect(signals.post_save, indexing.attachment_changed, ArticlePolicyDocument)
        connect(signals.post_delete, indexing.attachment_changed, ArticlePolicyDocument)
        connect(signals.post_save, indexing.tag_saved, Tag)
        connect(signals.post_delete, indexing.tagged_item_deleted, TaggedItem)
        for through in (Article.tags.through, Article.policy_documents.through):
            connect(signals.m2m_changed, indexing.article_relation_changed, through)
        # Searches read the dictionary once per content version (engine).
        connect(signals.post_save, caching.invalidate, SearchTerm)
        connect(signals.post_delete, caching.invalidate, SearchTerm)
