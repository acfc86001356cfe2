"""The page an item was collected from, kept beside it for when the link dies."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The page as collected: sanitised HTML (nothing that runs), its plain text,
    the SHA-256 of the bytes received and where they came from."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="snapshot",
        verbose_name=_("item"),
    )
    html = models.TextField(_("archived page"))
    text = models.TextField(_("plain text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    url = models.URLField(_("address"), max_length=500, blank=True)
    collected_at = models.DateTimeField(_("collected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("archived original")
        verbose_name_plural = _("archived originals")

    def __str__(self):
        return str(self.article)

    def get_absolute_url(self):
        return reverse("collect:snapshot", kwargs={"pk": self.article_id})
