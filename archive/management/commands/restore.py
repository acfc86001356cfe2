"""python manage.py restore FILE: load a backup into a new, migrated, empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import RestoreRefused, restore_from


class Command(BaseCommand):
    help = "把 backup 生成的备份恢复到一个新建并已执行 migrate 的空数据库。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 生成的 .tar.gz 文件")

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"找不到备份文件 {path}")
        try:
            summary = restore_from(path)
        except RestoreRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {summary.records} 条记录、{summary.files} 个文件，并重建了检索索引；"
                f"已发布的期刊 {summary.published} 期已登记恢复，排队重新生成版本。"
            )
        )
