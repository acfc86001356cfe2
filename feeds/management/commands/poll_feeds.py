"""Poll the active feeds now, or start the periodic polling."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.tasks.exceptions import InvalidTask
from django.utils import timezone
from django.utils.translation import gettext

from bulletin import periodic
from bulletin.progress import terminal_bar
from collect.extract import Refused
from feeds.services import poll_active_feeds
from feeds.tasks import poll_feeds_periodically


class Command(BaseCommand):
    @property
    def help(self):
        return gettext("Collect the new entries of the active feeds into the pool.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help=gettext(
                "Queue the periodic polling for the background worker instead."
            ),
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            return self.schedule()
        try:
            with terminal_bar(self.stderr, {}) as report:
                reports = poll_active_feeds(progress=report)
        except Refused as error:
            raise CommandError(str(error)) from error
        for polled in reports:
            self.report(polled)

    def report(self, polled):
        feed = polled.feed
        if polled.error:
            self.stdout.write(
                gettext("%(feed)s: cannot be read: %(error)s")
                % {"feed": feed, "error": polled.error}
            )
            return
        if polled.not_modified:
            self.stdout.write(gettext("%(feed)s: not changed.") % {"feed": feed})
            return
        self.stdout.write(
            gettext("%(feed)s: %(collected)s collected, %(refused)s refused.")
            % {
                "feed": feed,
                "collected": len(polled.collected),
                "refused": len(polled.refused),
            }
        )
        for article in polled.collected:
            fields = (
                article.title,
                article.source or "",
                article.source_date or "",
                article.original_url,
            )
            self.stdout.write("  + " + " | ".join(str(f) for f in fields))
        for link, reason in polled.refused:
            self.stdout.write(f"  - {link}: {reason}")

    def schedule(self):
        try:
            waiting = periodic.start(
                poll_feeds_periodically, minutes=settings.FEEDS_INTERVAL_MINUTES
            )
        except InvalidTask as error:
            raise CommandError(
                gettext("The task queue cannot run tasks later (TASKS_BACKEND).")
            ) from error
        if waiting is None:
            message = gettext(
                "The periodic polling of feeds is queued: every %(minutes)s "
                "minutes while the worker runs."
            )
        else:
            message = gettext(
                "The periodic polling of feeds is already queued (next run %(when)s)."
            )
        self.stdout.write(
            message
            % {
                "minutes": settings.FEEDS_INTERVAL_MINUTES,
                "when": waiting
                and timezone.localtime(waiting.run_after).strftime("%Y-%m-%d %H:%M"),
            }
        )
