from django.db import models
from django.utils.translation import gettext_lazy as _


class Signature(models.Model):
    """The MinHash signature of an item's text (repeats.matching.signature),
    rebuilt whenever the item is saved."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="content_signature",
        verbose_name=_("item"),
    )
    minhash = models.BinaryField(_("MinHash signature"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("content signature")
        verbose_name_plural = _("content signatures")
        ordering = ("article",)
        get_latest_by = "updated_at"

    def __str__(self):
        return str(self.article_id)
