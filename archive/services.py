"""Writing a parsed back issue into the database, all or nothing.

The import touches publications, sections, issues, board, sources, articles and
policy documents at once, so it lives here rather than on one model. Callers (the
management command, the admin upload page, tests) parse first, then call
`issue_import`; a dry run does the same work inside a transaction it rolls back,
so its summary is exactly what a real import would do.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.text import slugify

from archive.importers import ImportRefused
from archive.importers.structure import (
    BOOK_SECTION_NAME,
    KNOWN_SECTION_KINDS,
    ParsedIssue,
)
from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from issues.models import (
    BoardMember,
    Issue,
    IssueSection,
    IssueTransition,
    Publication,
    Section,
)

IMPORT_COMMENT = "导入往期"


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do), for people and for JSON."""

    issue_label: str
    publication: str
    dry_run: bool
    issue_id: int | None = None
    replaced: bool = False
    published: bool = False
    publication_created: bool = False
    sections: list[dict] = field(default_factory=list)
    attachments_new: list[str] = field(default_factory=list)
    attachments_linked: list[str] = field(default_factory=list)
    sources_created: list[str] = field(default_factory=list)
    needs_review: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def article_count(self) -> int:
        return sum(section["articles"] for section in self.sections)

    def as_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        """The summary as printed by the command and shown in the admin."""
        verb = "试导入（未写入）" if self.dry_run else "已导入"
        out = [f"{verb}：{self.publication} {self.issue_label}"]
        if self.publication_created:
            out.append(f"新建刊物：{self.publication}")
        if self.replaced:
            out.append("已替换此前导入的同一期。")
        out.append(f"栏目 {len(self.sections)} 个，条目 {self.article_count} 篇：")
        for section in self.sections:
            mark = "（新建栏目）" if section["created"] else ""
            out.append(f"  {section['name']}：{section['articles']} 篇{mark}")
        out.append(
            f"附件政策文件：新建 {len(self.attachments_new)} 个，"
            f"关联已有 {len(self.attachments_linked)} 个"
        )
        for title in self.attachments_linked:
            out.append(f"  关联已有：《{title}》")
        out.append(f"新建来源 {len(self.sources_created)} 个")
        if self.sources_created:
            out.append("  " + "、".join(self.sources_created))
        out.append(f"标题待核的条目 {self.needs_review} 篇")
        if self.published:
            out.append("状态：已发布")
        out.append(f"警告 {len(self.warnings)} 条")
        out.extend(f"  {warning}" for warning in self.warnings)
        return out


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def issue_import(
    parsed: ParsedIssue,
    *,
    publication: str = "",
    replace: bool = False,
    publish: bool = False,
    dry_run: bool = False,
    user=None,
) -> ImportSummary:
    """Store a parsed issue atomically; ImportRefused explains any clash."""
    summary = None
    try:
        with transaction.atomic():
            summary = _write(parsed, publication, replace, publish, dry_run, user)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except ValidationError as error:
        raise ImportRefused("；".join(error.messages)) from error
    except IntegrityError as error:
        raise ImportRefused(f"数据库拒绝写入：{error}") from error
    return summary


def _write(parsed, publication_name, replace, publish, dry_run, user):
    publication, created = _publication(parsed, publication_name)
    summary = ImportSummary(
        issue_label=parsed.label,
        publication=publication.name,
        dry_run=dry_run,
        publication_created=created,
        warnings=[str(warning) for warning in parsed.warnings],
    )
    summary.replaced = _clear_existing(parsed, publication, replace)
    issue = Issue(
        publication=publication,
        year=parsed.year,
        number=parsed.number,
        cumulative_number=parsed.cumulative_number,
        period_start=parsed.period_start,
        period_end=parsed.period_end,
    )
    issue.full_clean(validate_unique=False, validate_constraints=False)
    issue.save()
    summary.issue_id = issue.pk
    _write_board(issue, parsed)
    sources: dict[str, Source] = {}
    for position, parsed_section in enumerate(parsed.sections):
        section, section_created = _section(publication, parsed_section, summary)
        IssueSection.objects.create(issue=issue, section=section, position=position)
        summary.sections.append(
            {
                "name": section.name,
                "articles": len(parsed_section.items),
                "created": section_created,
            }
        )
        for item_position, item in enumerate(parsed_section.items):
            _write_article(issue, section, item_position, item, sources, summary, user)
    if publish:
        _publish(issue)
        summary.published = True
    return summary


def _publication(parsed: ParsedIssue, wanted: str) -> tuple[Publication, bool]:
    if wanted:
        match = Publication.objects.filter(Q(name=wanted) | Q(slug=wanted)).first()
        if match is None:
            raise ImportRefused(f"没有名称或网址标识为“{wanted}”的刊物。")
        return match, False
    if not parsed.publication_name:
        raise ImportRefused("刊头没有读到刊物名称，请指定要导入到哪个刊物。")
    existing = Publication.objects.filter(name=parsed.publication_name).first()
    if existing:
        return existing, False
    publication = Publication(
        name=parsed.publication_name,
        slug=_unique_slug(parsed.publication_name),
        publisher=parsed.publisher or parsed.publication_name,
        phones="\n".join(parsed.phones),
        website=parsed.website,
        email=parsed.email,
        address=parsed.address,
    )
    publication.full_clean()
    publication.save()
    publication.add_standard_sections()
    return publication, True


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True) or "publication"
    slug, counter = base, 1
    while Publication.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def _clear_existing(parsed, publication, replace) -> bool:
    """Refuse a second import of the same issue, or delete the old one on --replace."""
    clashes = Issue.objects.filter(publication=publication).filter(
        Q(year=parsed.year, number=parsed.number)
        | Q(cumulative_number=parsed.cumulative_number)
    )
    if not clashes.exists():
        return False
    if not replace:
        existing = clashes.first()
        raise ImportRefused(
            f"{publication.name}已有{existing.masthead_number}，不能重复导入"
            f" {parsed.year} 年第 {parsed.number} 期（总第 {parsed.cumulative_number} 期）；"
            "如要用本文件替换它，请选择“替换”（命令行用 --replace）。"
        )
    Article.objects.filter(issue__in=clashes).delete()
    clashes.delete()
    return True


def _write_board(issue, parsed) -> None:
    BoardMember.objects.bulk_create(
        [
            BoardMember(issue=issue, role=role, name=name, position=position)
            for role, names in (
                (BoardMember.Role.CHIEF_EDITOR, parsed.chief_editors),
                (BoardMember.Role.DEPUTY_EDITOR, parsed.deputy_editors),
            )
            for position, name in enumerate(names)
        ]
    )


def _section(publication, parsed_section, summary) -> tuple[Section, bool]:
    section = publication.sections.filter(name=parsed_section.name).first()
    if section:
        return section, False
    if parsed_section.name == BOOK_SECTION_NAME:
        section = publication.sections.filter(
            default_kind=Section.DefaultKind.BOOK
        ).first()
        if section:
            return section, False
    kinds = Counter(item.kind for item in parsed_section.items if item.kind)
    default_kind = KNOWN_SECTION_KINDS.get(parsed_section.name) or (
        kinds.most_common(1)[0][0] if kinds else Section.DefaultKind.NEWS
    )
    last = publication.sections.aggregate(m=Max("default_position"))["m"]
    section = Section.objects.create(
        publication=publication,
        name=parsed_section.name,
        slug=_section_slug(publication, parsed_section.name),
        default_position=(last or 0) + 1,
        default_kind=default_kind,
    )
    summary.warnings.append(
        f"第 {parsed_section.line} 行：栏目“{parsed_section.name}”不在刊物的栏目目录中，已新建。"
    )
    return section, True


def _section_slug(publication, name: str) -> str:
    base = slugify(name, allow_unicode=True)[:40] or "section"
    slug, counter = base, 1
    while publication.sections.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def _write_article(issue, section, position, item, sources, summary, user) -> None:
    source = None
    if item.source:
        source = sources.get(item.source)
        if source is None:
            source, created = Source.get_or_create_normalised(item.source)
            sources[item.source] = source
            if created:
                summary.sources_created.append(source.name)
    article = Article.objects.create(
        issue=issue,
        section=section,
        position=position,
        kind=item.kind or section.default_kind,
        title=item.title[:300],
        needs_review=item.title_is_provisional,
        body=item.body_html,
        abstract=item.abstract,
        keywords=item.keywords[:300],
        source=source,
        source_date=item.source_date,
        print_page=item.print_page,
        book_title=item.book_title[:200],
        book_author=item.book_author[:200],
        book_publisher=item.book_publisher[:200],
        book_publication_date=item.book_publication_date,
        book_summary=item.book_summary,
        book_reason=item.book_reason,
        created_by=user,
    )
    if item.title_is_provisional:
        summary.needs_review += 1
    attached = set()
    for attachment in item.attachments:
        document = PolicyDocument.find_existing(attachment.title, attachment.url)
        if document is None:
            document = PolicyDocument.objects.create(
                title=attachment.title[:300], url=attachment.url
            )
            summary.attachments_new.append(document.title)
        else:
            if attachment.url and not document.url:
                document.url = attachment.url
                document.save(update_fields=["url"])
            summary.attachments_linked.append(document.title)
        if document.pk in attached:
            continue
        attached.add(document.pk)
        ArticlePolicyDocument.objects.create(
            article=article, policy_document=document, position=len(attached) - 1
        )


def _publish(issue: Issue) -> None:
    """Mark an archived issue published, recorded like any workflow step."""
    from_status = issue.status
    issue.status = Issue.Status.PUBLISHED
    issue.save(update_fields=["status", "updated_at"])
    IssueTransition.objects.create(
        issue=issue,
        from_status=from_status,
        to_status=Issue.Status.PUBLISHED,
        user=None,
        comment=IMPORT_COMMENT,
    )
