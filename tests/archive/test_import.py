"""Writing the sample to the database: counts, links, dedupe, re-import and dry run."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from archive.importers import ImportRefused
from archive.importers.txt_format import parse_txt
from archive.models import ImportMode
from archive.services import issue_import
from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from issues.models import BoardMember, Issue, IssueTransition, Publication, Section
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Publication,
            Section,
            Issue,
            Article,
            Source,
            PolicyDocument,
            ArticlePolicyDocument,
            BoardMember,
            IssueTransition,
        )
    }


def test_import_into_existing_catalogue(parsed_sample):
    publication = PublicationFactory()
    summary = issue_import(parsed_sample, publication=publication.slug)

    issue = Issue.objects.get(pk=summary.issue_id)
    assert issue.masthead_number == "2023 年 第八期（总第二十六期）"
    assert issue.status == Issue.Status.DRAFT
    assert issue.period_display == "2023.07.16-2023.08.15"
    assert [s.name for s in issue.ordered_sections()] == [
        "热点关注", "行业动向", "国际视野", "国内动态", "自贸专题", "国研专稿", "企业排行榜", "新书推荐",
    ]  # fmt: skip
    assert not any(section["created"] for section in summary.sections)
    assert issue.articles.count() == 62
    assert issue.articles.filter(needs_review=True).count() == 58
    assert list(
        issue.board_members.values_list("role", "name").order_by("role", "position")
    ) == [
        ("chief", "沈习春"),
        ("chief", "薛晓莹"),
        ("deputy", "张欣"),
        ("deputy", "朱丹丹"),
    ]

    toc = issue.table_of_contents()
    assert [len(articles) for _section, articles in toc] == [9, 9, 8, 20, 5, 3, 4, 4]
    first = toc[0][1][0]
    assert (first.source.name, first.source_date, first.print_page, first.position) == (
        "人民日报", datetime.date(2023, 7, 19), 1, 0,
    )  # fmt: skip
    assert [a.kind for a in toc[5][1]] == ["research"] * 3
    assert {a.kind for a in toc[6][1]} == {"ranking"}
    assert [a.book_title for a in toc[7][1]] == [
        "中国经济增长十年展望", "金融激荡 300年", "经济学入门 50讲", "新服务时代",
    ]  # fmt: skip
    assert all(not a.needs_review and a.kind == "book" for a in toc[7][1])

    journal = Source.objects.get(name="金融透视")
    assert journal.kind == Source.Kind.JOURNAL
    assert Source.objects.filter(name="Berita Satu").exists()

    assert PolicyDocument.objects.count() == 42
    two_under_one_link = Article.objects.get(issue=issue, source__name="文汇报")
    assert [
        (link.position, link.policy_document.url)
        for link in two_under_one_link.attachments.select_related("policy_document")
    ] == [
        (0, "https://mp.weixin.qq.com/s/2rLEJsmjjoruj-DEUPB8-Q"),
        (1, "https://mp.weixin.qq.com/s/2rLEJsmjjoruj-DEUPB8-Q"),
    ]
    assert "<h3>一、引言</h3>" in toc[5][1][2].body


INDEXED_FIELDS = ("title_text", "meta_text", "body_text", "tail_text")


def index_rows() -> list[tuple]:
    from search.models import SearchDocument

    return list(
        SearchDocument.objects.order_by("article_id").values_list(
            "article_id", *INDEXED_FIELDS
        )
    )


def test_an_import_indexes_each_item_once_with_what_a_reindex_writes(
    parsed_sample, django_assert_max_num_queries
):
    from search.models import SearchDocument

    with django_assert_max_num_queries(800):
        issue_import(parsed_sample)
    assert SearchDocument.objects.count() == 62
    imported = index_rows()
    call_command("reindex", verbosity=0)
    assert index_rows() == imported


def test_a_dry_run_leaves_the_index_alone(parsed_sample):
    from search.models import SearchDocument

    issue_import(parsed_sample, dry_run=True)
    assert not SearchDocument.objects.exists()


def test_masthead_creates_missing_publication(parsed_sample):
    summary = issue_import(parsed_sample)
    publication = Publication.objects.get(name="信息摘编")
    assert summary.publication_created
    assert publication.publisher == "天津港保税区文教局（图书档案馆、地方志编修办公室）"
    assert publication.phone_list == ["（022）84925879", "（022）84925819"]
    assert publication.address == "天津空港经济区东四道 8 号"
    assert publication.website == "http://www.taeacc.org.cn"
    assert publication.email == "zdd@adm.tjftz.gov.cn"
    assert (
        Section.objects.get(publication=publication, name="国研专稿").default_kind
        == "research"
    )
    assert (
        Section.objects.get(publication=publication, name="新书推荐").default_kind
        == "book"
    )
    # A new publication starts with the standard catalogue, so no column is "new".
    assert publication.sections.count() == 8
    assert not any("不在刊物的栏目目录中" in warning for warning in summary.warnings)
    assert publication.slug == "信息摘编"


def test_unknown_publication_option_is_refused(parsed_sample):
    with pytest.raises(ImportRefused, match="没有名称或网址标识为“不存在”的刊物"):
        issue_import(parsed_sample, publication="不存在")


def test_dry_run_writes_nothing(parsed_sample):
    before = table_counts()
    summary = issue_import(parsed_sample, dry_run=True)
    assert summary.dry_run and summary.article_count == 62
    assert len(summary.attachments_new) == 42
    assert table_counts() == before


def test_reimport_refused_without_replace(parsed_sample):
    PublicationFactory()
    issue_import(parsed_sample)
    before = table_counts()
    with pytest.raises(ImportRefused, match="不能重复导入"):
        issue_import(parsed_sample)
    assert table_counts() == before


def test_reimport_with_replace_updates_the_draft_in_place(parsed_sample):
    PublicationFactory()
    first = issue_import(parsed_sample)
    ids = set(Article.objects.values_list("pk", flat=True))
    before = table_counts()
    summary = issue_import(parsed_sample, mode=ImportMode.REPLACE)
    assert summary.replaced and summary.issue_id == first.issue_id
    assert table_counts() == before
    assert set(Article.objects.values_list("pk", flat=True)) == ids
    assert len(summary.items_kept) == 62
    assert summary.items_changed == summary.items_added == summary.items_removed == []
    assert len(summary.attachments_linked) == 42


def test_policy_documents_are_linked_across_issues(parsed_sample, sample_bytes):
    PublicationFactory()
    issue_import(parsed_sample)
    later = sample_bytes.decode().replace("2023 年 第八期", "2023 年 第九期", 1)
    later = later.replace("（总第二十六期）", "（总第二十七期）", 1)
    later = later.replace("2023.07.16-2023.08.15", "2023.08.16-2023.09.15", 1)
    summary = issue_import(parse_txt(later.encode()))
    assert summary.attachments_new == []
    assert len(summary.attachments_linked) == 42
    assert PolicyDocument.objects.count() == 42
    document = PolicyDocument.objects.get(title="关于促进民营经济发展壮大的意见")
    assert document.articles.count() == 2
    assert Issue.objects.count() == 2


def test_command_prints_summary(sample_file, capsys, chief):
    PublicationFactory()
    call_command("import_issue", str(sample_file), "--publish", "--user", "chief")
    out = capsys.readouterr().out
    assert "已导入：信息摘编 2023 年第八期（总第二十六期）" in out
    assert "国内动态：20 篇" in out
    assert "附件政策文件：新建 42 个，关联已有 0 个" in out
    assert "新建来源 36 个" in out
    assert "状态：已发布" in out
    assert Issue.objects.get().status == Issue.Status.PUBLISHED


def test_command_dry_run_and_refusal(sample_file, capsys):
    PublicationFactory()
    call_command("import_issue", str(sample_file), "--dry-run")
    assert "试导入（未写入）" in capsys.readouterr().out
    assert Issue.objects.count() == 0
    call_command("import_issue", str(sample_file))
    with pytest.raises(CommandError, match="不能重复导入.*--replace"):
        call_command("import_issue", str(sample_file))
    call_command("import_issue", str(sample_file), "--replace")
    assert Issue.objects.count() == 1 and Article.objects.count() == 62


def test_command_missing_file():
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_issue", "/nonexistent/issue.txt")
