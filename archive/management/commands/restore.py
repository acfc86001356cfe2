"""python manage.py restore FILE: load a backup into a new, migrated, empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.backup import RestoreRefused, restore_from


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a real string, not a lazy one.
        return _(
            "Restore a backup made by backup into a new, empty database that "
            "migrate has set up."
        )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("the .tar.gz file made by backup"))
        parser.add_argument(
            "--unverified",
            action="store_true",
            help=_(
                "restore a backup that has no checksum list (made before checksums "
                "were added)"
            ),
        )

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(_("Backup file not found: %(path)s") % {"path": path})
        try:
            summary = restore_from(path, verified=not options["unverified"])
        except RestoreRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(records)s records and %(files)s files and rebuilt the "
                    "search index; the restore of %(published)s published issues was "
                    "recorded, and their editions are queued to be rebuilt."
                )
                % {
                    "records": summary.records,
                    "files": summary.files,
                    "published": summary.published,
                }
            )
        )
