"""python manage.py export_metadata [--format xml|csv] [--output FILE]: the whole
published archive's metadata in one file (oai/export.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.progress import terminal_bar
from oai import export


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a real string, not a lazy one.
        return _(
            "Export the metadata of every published item and issue as Dublin Core "
            "XML or CSV."
        )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=export.FORMATS, default="xml")
        parser.add_argument(
            "--output",
            help=_("path of the file (default bulletin-metadata-<time>.<format>)"),
        )

    def handle(self, *args, **options):
        fmt = options["format"]
        output = Path(
            options["output"]
            or f"bulletin-metadata-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}"
        )
        labels = {"records": _("Records")}
        with terminal_bar(self.stderr, labels) as bar:

            def progress(done, total):
                bar("records", done, total)

            with output.open("wb") as stream:
                written = export.write(fmt, stream, progress)
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote the metadata of %(count)s records to %(path)s")
                % {"count": written, "path": output}
            )
        )
