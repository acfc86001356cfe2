"""Check the links items and policy documents cite, or start the periodic check."""

import dataclasses

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.tasks.exceptions import InvalidTask
from django.utils import timezone
from django.utils.translation import gettext

from bulletin import periodic
from bulletin.progress import terminal_bar
from links.services import check_due_links
from links.tasks import check_links_periodically


class Command(BaseCommand):
    @property
    def help(self):
        return gettext(
            "Check the original links of items and the links of policy documents."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-hours",
            type=float,
            default=None,
            help=gettext("Check links last checked more than this many hours ago."),
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help=gettext("Queue the periodic check for the background worker instead."),
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            return self.schedule()
        stage = gettext("Checking links")
        with terminal_bar(self.stderr, {}) as report:
            result = check_due_links(
                stale_hours=options["stale_hours"],
                progress=lambda done, total: report(stage, done, total),
            )
        self.stdout.write(
            gettext(
                "Checked %(checked)s links: %(alive)s alive, %(failing)s failing; "
                "%(dead)s dead in all."
            )
            % dataclasses.asdict(result)
        )

    def schedule(self):
        try:
            waiting = periodic.start(
                check_links_periodically, minutes=settings.LINKS_INTERVAL_MINUTES
            )
        except InvalidTask as error:
            raise CommandError(
                gettext("The task queue cannot run tasks later (TASKS_BACKEND).")
            ) from error
        if waiting is None:
            message = gettext(
                "The periodic link check is queued: every %(minutes)s minutes "
                "while the worker runs."
            )
        else:
            message = gettext(
                "The periodic link check is already queued (next run %(when)s)."
            )
        self.stdout.write(
            message
            % {
                "minutes": settings.LINKS_INTERVAL_MINUTES,
                "when": waiting
                and timezone.localtime(waiting.run_after).strftime("%Y-%m-%d %H:%M"),
            }
        )
