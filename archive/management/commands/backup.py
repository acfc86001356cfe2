"""python manage.py backup [FILE]: every record and every stored file in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from archive.backup import backup_to


class Command(BaseCommand):
    help = "把全部数据和文件备份为一个 .tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="备份文件路径（默认 bulletin-backup-<时间>.tar.gz）",
        )

    def handle(self, *args, **options):
        output = Path(
            options["output"]
            or f"bulletin-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        )
        summary = backup_to(output)
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份 {summary.records} 条记录、{summary.files} 个文件到 {output}"
            )
        )
