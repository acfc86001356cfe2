"""python manage.py backup [FILE]: every record and every stored file in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.backup import backup_to


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a real string, not a lazy one.
        return _("Back up all data and files into one .tar.gz file.")

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help=_("path of the backup file (default bulletin-backup-<time>.tar.gz)"),
        )

    def handle(self, *args, **options):
        output = Path(
            options["output"]
            or f"bulletin-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        )
        summary = backup_to(output)
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up %(records)s records and %(files)s files to %(path)s")
                % {"records": summary.records, "files": summary.files, "path": output}
            )
        )
