from django.apps import AppConfig
from django.db.models import signals
from django.utils.translation import pgettext_lazy


class RepeatsConfig(AppConfig):
    name = "repeats"
    verbose_name = pgettext_lazy("application name", "Repeats by content")

    def ready(self):
        """Every saved item gets its signature; the item admin and the preflight
        ask this app for content repeats through articles.signals."""
        from articles.models import Article
        from articles.signals import content_repeats_wanted
        from bulletin import batching
        from repeats import matching

        signals.post_save.connect(
            matching.article_saved, Article, dispatch_uid="repeats.article_saved"
        )
        # A deleted item's signature goes with it (on_delete=CASCADE); the LSH
        # index of each process notices by the signatures' count (matching._index).
        batching.created_in_bulk.connect(
            matching.articles_created_in_bulk,
            sender=Article,
            dispatch_uid="repeats.articles_created_in_bulk",
        )
        content_repeats_wanted.connect(
            matching.content_repeats_wanted,
            sender=Article,
            dispatch_uid="repeats.content_repeats_wanted",
        )
