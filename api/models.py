"""Tokens that let programs read the API: only a hash of each is stored."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# "bltn_" + 43 URL-safe characters (32 random bytes): recognisable in a leaked
# log or config file, and long enough that a plain SHA-256 is a safe hash (no
# salt or slow hash needed for a random secret, unlike a password).
TOKEN_PREFIX = "bltn_"  # noqa: S105 (a public marker, not a secret)
# last_used_at is written at most this often per token, not on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_token(self, token: str) -> "ApiToken | None":
        """The token's record, with its owner, if the token is known and its
        owner may sign in."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        return (
            self.select_related("owner")
            .filter(token_hash=hash_token(token), owner__is_active=True)
            .first()
        )


class ApiToken(models.Model):
    """A secret that reads the API as its owner would read the pages."""

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What uses this token, e.g. “archive harvester”."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("owner"),
        help_text=_("The API answers as this user: what they may read, it may read."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so a token in use can be matched to its record.
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(
        _("last used at"), null=True, blank=True, editable=False
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.name}（{self.hint}…）"

    def generate(self) -> str:
        """Give the record a new secret and return it: it is shown once, never stored."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.hint = token[: len(TOKEN_PREFIX) + 4]
        return token

    def mark_used(self) -> None:
        """Record the use, writing at most once per LAST_USED_PRECISION."""
        now = timezone.now()
        if self.last_used_at and now - self.last_used_at < LAST_USED_PRECISION:
            return
        self.last_used_at = now
        ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
