"""A published issue whose items change gets its editions rebuilt."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, ArticlePolicyDocument
from editions.services import schedule_editions


@receiver(post_save, sender=Article, dispatch_uid="editions_article_saved")
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.issue_id and instance.is_published:
        schedule_editions(instance.issue)


@receiver(
    post_save, sender=ArticlePolicyDocument, dispatch_uid="editions_attachment_saved"
)
@receiver(
    post_delete,
    sender=ArticlePolicyDocument,
    dispatch_uid="editions_attachment_deleted",
)
def attachment_changed(sender, instance, raw=False, **kwargs):
    article = (
        Article.objects.filter(pk=instance.article_id).select_related("issue").first()
    )
    if not raw and article is not None and article.issue_id and article.is_published:
        schedule_editions(article.issue)
