"""python manage.py collect FILE_OR_URL [...]: saved pages or links into the pool."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collect.extract import Refused
from collect.services import collect_page


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
                article, repeats = collect_page(name)
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
            for message in repeats:
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
