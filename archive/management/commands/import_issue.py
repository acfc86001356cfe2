"""python manage.py import_issue FILE: bring one back issue (txt, pdf, docx) into the CMS."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.importers import IssueImportError, parse_file
from archive.services import issue_import
from issues.models import Publication, Section


class Command(BaseCommand):
    help = "导入一期往期期刊（.txt、.pdf 或 .docx），打印导入摘要。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument(
            "--publication", default="", help="导入到这个刊物（名称或网址标识）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只解析并报告，不写入数据库"
        )
        parser.add_argument("--replace", action="store_true", help="替换已导入的同一期")
        parser.add_argument("--publish", action="store_true", help="导入后标记为已发布")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from error
        try:
            parsed = parse_file(
                path.name,
                data,
                known_sections=known_section_names(options["publication"]),
            )
            summary = issue_import(
                parsed,
                publication=options["publication"],
                replace=options["replace"],
                publish=options["publish"],
                dry_run=options["dry_run"],
            )
        except IssueImportError as error:
            raise CommandError(f"{path.name}：{error}") from error
        for line in summary.lines():
            self.stdout.write(line)


def known_section_names(publication: str) -> list[str]:
    """Catalogue names to recognise as headings: the chosen publication's, or all."""
    sections = Section.objects.all()
    if publication:
        publications = Publication.objects.filter(
            name=publication
        ) | Publication.objects.filter(slug=publication)
        sections = sections.filter(publication__in=publications)
    return list(sections.values_list("name", flat=True))
