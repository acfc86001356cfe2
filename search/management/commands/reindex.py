"""Rebuild the search index from the articles table."""

import time

from django.core.management.base import BaseCommand

from search.indexing import reindex_all


class Command(BaseCommand):
    help = "重建检索索引（全部条目）。"

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(done, total):
            if options["verbosity"] >= 2:
                self.stdout.write(f"{done}/{total}")

        done = reindex_all(progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建检索索引：{done} 个条目，用时 {elapsed:.1f} 秒。"
            )
        )
