"""python manage.py import_issue FILE: bring one back issue (txt, pdf, docx) into the CMS."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from archive.importers import READING, WRITING, IssueImportError, parse_file
from archive.models import ImportMode
from archive.services import DEFAULT_REASON, issue_import
from bulletin.progress import terminal_bar
from issues.models import Publication, Section

STAGE_LABELS = {READING: "读取文件", WRITING: "写入条目"}


class Command(BaseCommand):
    help = "导入一期往期期刊（.txt、.pdf 或 .docx），打印导入摘要；在终端上显示进度条。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument(
            "--publication", default="", help="导入到这个刊物（名称或网址标识）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只解析并报告，不写入数据库"
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--replace",
            action="store_true",
            help="用本文件替换已导入的同一期草稿（条目尽量保留编号）",
        )
        existing.add_argument(
            "--corrections",
            action="store_true",
            help="把本文件与已发布的同一期的差异登记为更正（须同时指定 --user）",
        )
        parser.add_argument(
            "--reason",
            default=DEFAULT_REASON,
            help=f"--corrections 登记的更正说明（默认“{DEFAULT_REASON}”）",
        )
        parser.add_argument(
            "--publish", action="store_true", help="导入后发布（须同时指定 --user）"
        )
        parser.add_argument(
            "--user",
            default="",
            help="以这个用户的名义导入、发布或更正（用户名）",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        user = acting_user(options)
        mode = ImportMode.NEW
        if options["replace"]:
            mode = ImportMode.REPLACE
        elif options["corrections"]:
            mode = ImportMode.CORRECTIONS
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from error
        try:
            with terminal_bar(self.stderr, STAGE_LABELS) as progress:
                parsed = parse_file(
                    path.name,
                    data,
                    known_sections=known_section_names(options["publication"]),
                    progress=progress,
                )
                summary = issue_import(
                    parsed,
                    publication=options["publication"],
                    mode=mode,
                    publish=options["publish"],
                    dry_run=options["dry_run"],
                    user=user,
                    reason=options["reason"],
                    progress=progress,
                )
        except IssueImportError as error:
            raise CommandError(f"{path.name}：{error}") from error
        for line in summary.lines():
            self.stdout.write(line)


def acting_user(options):
    """The --user to act as; publishing and correcting need one, by name."""
    username = options["user"]
    if not username:
        for flag in ("publish", "corrections"):
            if options[flag]:
                raise CommandError(
                    f"--{flag} 须用 --user 指明以哪位用户的名义操作，"
                    "例如 --user chief；该用户须有相应权限。"
                )
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有用户名为“{username}”的有效用户（--user）。")
    return user


def known_section_names(publication: str) -> list[str]:
    """Catalogue names to recognise as headings: the chosen publication's, or all."""
    sections = Section.objects.all()
    if publication:
        publications = Publication.objects.filter(
            name=publication
        ) | Publication.objects.filter(slug=publication)
        sections = sections.filter(publication__in=publications)
    return list(sections.values_list("name", flat=True))
