"""Which mails each user wants."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailPreferences(models.Model):
    """One user's choices; a user without a row gets the field defaults.

    Rows are written only when a user saves the preferences page, so nobody
    needs one made for them when their account is created.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_preferences",
        verbose_name=_("user"),
    )
    review_requests = models.BooleanField(
        _("issues submitted for review"),
        default=True,
        help_text=_("A mail when an editor submits an issue for you to review."),
    )
    sent_back = models.BooleanField(
        _("my issues sent back for changes"),
        default=True,
        help_text=_(
            "A mail with the chief editor's comment when an issue you submitted "
            "is sent back."
        ),
    )
    published_issues = models.BooleanField(
        _("newly published issues"),
        default=False,
        help_text=_("The contents of each new issue, with links to read it."),
    )
    updated_at = models.DateTimeField(_("modified at"), auto_now=True)

    class Meta:
        verbose_name = _("mail preferences")
        verbose_name_plural = _("mail preferences")
        ordering = ("user",)

    def __str__(self):
        return _("Mail preferences of %(user)s") % {"user": self.user}

    @classmethod
    def of(cls, user) -> "MailPreferences":
        """The user's saved preferences, or unsaved defaults to show and save."""
        return cls.objects.filter(user=user).first() or cls(user=user)
