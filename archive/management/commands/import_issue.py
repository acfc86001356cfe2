"""python manage.py import_issue FILE: bring one back issue (txt, pdf, docx) into the CMS."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.importers import READING, WRITING, IssueImportError, parse_file
from archive.models import ImportMode
from archive.services import DEFAULT_REASON, issue_import
from bulletin.progress import terminal_bar
from issues.models import Publication, Section

STAGE_LABELS = {
    READING: gettext_lazy("Reading the file"),
    WRITING: gettext_lazy("Writing items"),
}


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a real string, not a lazy one.
        return _(
            "Import one back issue (.txt, .pdf or .docx) and print the import "
            "summary; shows a progress bar on a terminal."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the file to import"))
        parser.add_argument(
            "--publication",
            default="",
            help=_("import into this publication (name or slug)"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("only parse and report, write nothing to the database"),
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "replace the draft of the same issue imported before with this file "
                "(items keep their ids where they can)"
            ),
        )
        existing.add_argument(
            "--corrections",
            action="store_true",
            help=_(
                "record where this file differs from the same issue, published, as "
                "corrections (needs --user)"
            ),
        )
        parser.add_argument(
            "--reason",
            default=str(DEFAULT_REASON),
            # argparse fills in %(default)s.
            help=_("the correction note --corrections records (default “%(default)s”)"),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=_("publish after importing (needs --user)"),
        )
        parser.add_argument(
            "--user",
            default="",
            help=_("import, publish or correct as this user (username)"),
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        user = acting_user(options)
        mode = ImportMode.NEW
        if options["replace"]:
            mode = ImportMode.REPLACE
        elif options["corrections"]:
            mode = ImportMode.CORRECTIONS
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read the file %(path)s: %(error)s")
                % {"path": path, "error": error.strerror}
            ) from error
        labels = {stage: str(label) for stage, label in STAGE_LABELS.items()}
        try:
            with terminal_bar(self.stderr, labels) as progress:
                parsed = parse_file(
                    path.name,
                    data,
                    known_sections=known_section_names(options["publication"]),
                    progress=progress,
                )
                summary = issue_import(
                    parsed,
                    publication=options["publication"],
                    mode=mode,
                    publish=options["publish"],
                    dry_run=options["dry_run"],
                    user=user,
                    reason=options["reason"],
                    progress=progress,
                )
        except IssueImportError as error:
            raise CommandError(
                _("%(file)s: %(error)s") % {"file": path.name, "error": error}
            ) from error
        for line in summary.lines():
            self.stdout.write(line)


def acting_user(options):
    """The --user to act as; publishing and correcting need one, by name."""
    username = options["user"]
    if not username:
        for flag in ("publish", "corrections"):
            if options[flag]:
                raise CommandError(
                    _(
                        "--%(flag)s needs --user to say which user to act as, for "
                        "example --user chief; that user needs the permission."
                    )
                    % {"flag": flag}
                )
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            _("No active user has the username “%(username)s” (--user).")
            % {"username": username}
        )
    return user


def known_section_names(publication: str) -> list[str]:
    """Catalogue names to recognise as headings: the chosen publication's, or all."""
    sections = Section.objects.all()
    if publication:
        publications = Publication.objects.filter(
            name=publication
        ) | Publication.objects.filter(slug=publication)
        sections = sections.filter(publication__in=publications)
    return list(sections.values_list("name", flat=True))
