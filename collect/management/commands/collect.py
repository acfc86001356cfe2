"""python manage.py collect FILE_OR_URL [...]: saved pages or links into the pool."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collect.extract import Refused
from collect.fetch import fetch
from collect.services import collect, repeats


class Command(BaseCommand):
    help = _(
        "Collect saved web pages (HTML or MHTML) or links as candidate items in the "
        "pool, each with its archived original."
    )

    def add_arguments(self, parser):
        parser.add_argument("pages", nargs="+", metavar="FILE_OR_URL")

    def handle(self, *args, pages, **options):
        refused = 0
        for name in pages:
            try:
                article = collect(*self._read(name))
            except Refused as error:
                refused += 1
                self.stderr.write(
                    _("%(page)s: refused: %(reason)s") % {"page": name, "reason": error}
                )
                continue
            self.stdout.write(
                _("%(page)s: collected “%(title)s” (%(source)s, %(date)s) %(link)s")
                % {
                    "page": name,
                    "title": article.title,
                    "source": article.source or _("no source"),
                    "date": article.source_date or _("no date"),
                    "link": article.original_url or _("no link"),
                }
            )
            for message in repeats(article):
                self.stdout.write(
                    "  " + _("Repeat: %(message)s") % {"message": message}
                )
        if refused:
            raise CommandError(
                ngettext(
                    "%(count)d page was refused.",
                    "%(count)d pages were refused.",
                    refused,
                )
                % {"count": refused}
            )

    def _read(self, name: str) -> tuple[bytes, str]:
        if name.startswith(("http://", "https://")):
            return fetch(name)
        try:
            # The size is checked before a byte is read.
            if os.path.getsize(name) > settings.MAX_DOCUMENT_UPLOAD_BYTES:
                raise Refused(
                    _(
                        "The page is too large (%(size)d bytes); the limit is %(max)d bytes."
                    )
                    % {
                        "size": os.path.getsize(name),
                        "max": settings.MAX_DOCUMENT_UPLOAD_BYTES,
                    }
                )
            with open(name, "rb") as file:
                return file.read(), ""
        except OSError as error:
            raise Refused(
                _("The file cannot be read: %(error)s") % {"error": error.strerror}
            ) from error
