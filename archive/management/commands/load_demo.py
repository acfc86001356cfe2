"""Demo data for a new machine: the real sample issue, imported and published.

Idempotent: run it again and nothing is duplicated. It refuses to run with DEBUG
off, because it creates users with published passwords.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from archive import SAMPLE_ISSUE_PATH
from archive.importers import parse_file
from archive.services import issue_import
from bulletin import roles
from issues.catalogue import STANDARD_SECTIONS
from issues.models import Issue
from issues.services import DEMO_LOADER

DEMO_USERS = [
    ("editor", "demo-editor-pass", roles.EDITOR),
    ("chief", "demo-chief-pass", roles.CHIEF_EDITOR),
    ("archivist", "demo-archivist-pass", roles.ARCHIVIST),
    ("reader", "demo-reader-pass", roles.READER),
]


class Command(BaseCommand):
    help = "Import and publish the sample issue (2023 年第八期) and create demo users (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates users with known passwords; it runs only with DEBUG on."
            )
        with transaction.atomic():
            issue = Issue.objects.filter(year=2023, number=8).first()
            if issue is None:
                parsed = parse_file(
                    SAMPLE_ISSUE_PATH.name,
                    SAMPLE_ISSUE_PATH.read_bytes(),
                    known_sections=[name for name, _ in STANDARD_SECTIONS],
                )
                # The masthead names the publication; the importer creates it.
                # Published like any back issue, by the declared demo loader.
                summary = issue_import(parsed, publish=True, user=DEMO_LOADER)
                issue = Issue.objects.get(pk=summary.issue_id)
                self.stdout.write(
                    _("Sample issue imported: %(count)s items")
                    % {"count": summary.article_count}
                )
            self._users()
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data ready: %(publication)s %(issue)s (%(status)s)")
                % {
                    "publication": issue.publication,
                    "issue": issue,
                    "status": issue.get_status_display(),
                }
            )
        )
        self.stdout.write(_("Demo accounts (for development on this machine only):"))
        for username, password, role in DEMO_USERS:
            self.stdout.write(
                "  "
                + _("%(role)-4s username %(username)-10s password %(password)s")
                % {"role": role, "username": username, "password": password}
            )

    def _users(self):
        User = get_user_model()
        for username, password, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": role in roles.STAFF_ROLES}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role))
