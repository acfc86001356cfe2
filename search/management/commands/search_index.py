"""Bring this host's search index up to date with the database."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from bulletin.progress import terminal_bar
from search.host_index import host_index


class Command(BaseCommand):
    @property
    def help(self):
        return gettext(
            "Build this host's search index, or apply the changes made since it "
            "last looked (run before starting the web server)."
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        with terminal_bar(self.stderr, {}) as report:
            state = host_index().catch_up(
                progress=lambda done, total: report(
                    gettext("Building this host's index"), done, total
                )
            )
        if state is None:
            self.stderr.write(
                gettext("Another process is writing this host's index; try again.")
            )
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS(
                gettext("This host's search index is up to date (%(seconds).1f s).")
                % {"seconds": time.perf_counter() - started}
            )
        )
