"""Rebuild the search index from the articles table."""

import time

from django.core.management.base import BaseCommand

from bulletin.progress import terminal_bar
from search.indexing import reindex_all


class Command(BaseCommand):
    help = "重建检索索引（全部条目）。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        with terminal_bar(self.stderr, {}) as report:
            done = reindex_all(
                progress=lambda done, total: report("重建索引", done, total)
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建检索索引：{done} 个条目，用时 {elapsed:.1f} 秒。"
            )
        )
