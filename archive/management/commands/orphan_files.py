"""python manage.py orphan_files [--delete]: stored files no record points to."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from archive.backup import orphan_files


class Command(BaseCommand):
    help = "列出（加 --delete 则删除）存储中没有任何记录引用的文件，如被替换的封面。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="删除这些文件（默认只列出）"
        )

    def handle(self, *args, **options):
        orphans = orphan_files()
        for name in orphans:
            if options["delete"]:
                default_storage.delete(name)
            self.stdout.write(name)
        verb = "已删除" if options["delete"] else "发现"
        self.stdout.write(f"{verb}无人引用的文件 {len(orphans)} 个。")
