"""python manage.py orphan_files [--delete]: stored files no record points to."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from archive.backup import orphan_files


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a real string, not a lazy one.
        return _(
            "List (with --delete, delete) the stored files no record points to, "
            "such as replaced covers."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help=_("delete these files (by default they are only listed)"),
        )

    def handle(self, *args, **options):
        orphans = orphan_files()
        for name in orphans:
            if options["delete"]:
                default_storage.delete(name)
            self.stdout.write(name)
        report = (
            _("Deleted %(count)s files no record points to.")
            if options["delete"]
            else _("Found %(count)s files no record points to.")
        )
        self.stdout.write(report % {"count": len(orphans)})
