"""Rebuild the search index from the articles table."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from bulletin.progress import terminal_bar
from search.host_index import host_index
from search.indexing import reindex_all


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a real string, not a lazy one.
        return gettext("Rebuild the search index (all items).")

    def handle(self, *args, **options):
        started = time.perf_counter()
        with terminal_bar(self.stderr, {}) as report:
            done = reindex_all(
                progress=lambda done, total: report(
                    gettext("Rebuilding the index"), done, total
                )
            )
            host_index().rebuild(
                progress=lambda done, total: report(
                    gettext("Building this host's index"), done, total
                )
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "Search index rebuilt: %(count)s items in %(seconds).1f seconds."
                )
                % {"count": done, "seconds": elapsed}
            )
        )
