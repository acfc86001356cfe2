"""Importing a file for an issue that is already stored never destroys anything.

A draft is rewritten in place (its items matched to the file's keep their ids), a
published issue changes only through recorded corrections, a signed-off one not
at all, and a file whose numbers contradict the stored issues is refused.
"""

import copy
import datetime

import pytest
from django.core.management import CommandError, call_command

from archive.importers import ImportRefused
from archive.importers.structure import ParsedItem
from archive.importers.txt_format import parse_txt
from archive.models import ImportMode
from archive.services import issue_import
from articles import corrections
from articles.models import Article, ArticlePolicyDocument, Correction, PolicyDocument
from issues.models import BoardMember, Issue, IssueSection, IssueTransition

pytestmark = pytest.mark.django_db

# In the body of the first item (人民日报 2023-07-19), well after its opening.
BODY_PHRASE = "要求持续优化民营经济发展环境"
EDITED_PHRASE = "要求持续优化民营企业发展环境"
# The opening of the second item (环球网 2023-07-19): changing it breaks the match.
SECOND_OPENING = "今年是自贸试验区建设十周年。"


def everything() -> dict:
    """Every row an import could touch, as stored."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Issue,
            IssueSection,
            BoardMember,
            IssueTransition,
            Article,
            ArticlePolicyDocument,
            PolicyDocument,
            Correction,
        )
    }


def edited(sample_bytes: bytes, *replacements) -> bytes:
    text = sample_bytes.decode()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode()


def write(tmp_path, data: bytes):
    path = tmp_path / "xinxi-zhaibian-2023-08.txt"
    path.write_bytes(data)
    return str(path)


@pytest.fixture
def published(sample_file, chief):
    call_command("import_issue", str(sample_file), "--publish", "--user", "chief")
    return Issue.objects.get()


def first_article(issue) -> Article:
    return issue.articles.in_print_order().first()


def test_replace_over_a_published_issue_is_refused_and_changes_nothing(
    published, sample_file
):
    before = everything()
    with pytest.raises(CommandError, match="已发布：导入不能替换或撤回.*--corrections"):
        call_command("import_issue", str(sample_file), "--replace")
    with pytest.raises(CommandError, match="已发布.*--corrections"):
        call_command("import_issue", str(sample_file))
    published.refresh_from_db()
    assert published.is_published
    assert everything() == before


def test_corrections_record_the_changed_item_and_keep_every_page(
    published, sample_bytes, tmp_path, client, reader, chief, capsys
):
    issue = published
    article = first_article(issue)
    others = list(issue.articles.exclude(pk=article.pk).in_print_order())
    # An earlier correction: an editor checked one title; the file only guesses it.
    checked = others[3]

    def check_title():
        checked.title, checked.needs_review = "编辑核对过的标题", False
        checked.save()

    corrections.correct(
        user=chief, reason="核对标题", apply=check_title, articles=[checked]
    )
    transitions = list(IssueTransition.objects.values())
    earlier = list(Correction.objects.values())
    urls = [a.get_absolute_url() for a in issue.articles.select_related("issue")]
    path = write(tmp_path, edited(sample_bytes, (BODY_PHRASE, EDITED_PHRASE)))
    capsys.readouterr()

    before = everything()
    call_command("import_issue", path, "--corrections", "--user", "chief", "--dry-run")
    out = capsys.readouterr().out
    assert "试更正（未写入）：信息摘编 2023 年第八期（总第二十六期）" in out
    assert "更正 1 处，未变的条目 61 篇" in out
    assert f"  《{article.title}》\n    正文：“" in out
    assert "民营经济发展环境" in out and "民营企业发展环境" in out
    assert everything() == before

    call_command(
        "import_issue",
        path,
        "--corrections",
        "--user",
        "chief",
        "--reason",
        "更正正文错字",
    )
    correction = Correction.objects.get(article=article)
    assert (correction.user, correction.reason, correction.issue) == (
        chief,
        "更正正文错字",
        issue,
    )
    assert [change["field"] for change in correction.changes] == ["正文"]
    assert EDITED_PHRASE in correction.changes[0]["after"]
    article.refresh_from_db()
    assert EDITED_PHRASE in article.body
    assert (article.issue, article.section.name, article.position) == (
        issue,
        "热点关注",
        0,
    )
    checked.refresh_from_db()
    assert checked.title == "编辑核对过的标题"
    assert Correction.objects.count() == 2
    assert list(Correction.objects.exclude(pk=correction.pk).values()) == earlier
    assert list(IssueTransition.objects.values()) == transitions
    issue.refresh_from_db()
    assert issue.is_published and issue.articles.count() == 62
    client.force_login(reader)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_corrections_list_what_they_cannot_apply(
    published, sample_bytes, tmp_path, chief
):
    data = edited(sample_bytes, (SECOND_OPENING, "二〇二三年是自贸试验区建设十周年。"))
    before = everything()
    summary = issue_import(parse_txt(data), mode=ImportMode.CORRECTIONS, user=chief)
    assert len(summary.not_in_issue) == 1 and len(summary.not_in_file) == 1
    assert summary.not_in_issue[0].startswith("二〇二三年是自贸试验区")
    assert summary.not_in_file[0].startswith("今年是自贸试验区")
    assert not summary.corrected
    text = "\n".join(summary.lines())
    assert "未应用（更正只修改已有的条目，不增删、不移动条目）" in text
    assert "文件中有、本期没有：《二〇二三年是自贸试验区" in text
    assert "本期有、文件中没有：《今年是自贸试验区" in text
    assert everything() == before


def test_corrections_by_a_user_who_may_not_correct_are_refused(
    published, sample_bytes, tmp_path, archivist
):
    path = write(tmp_path, edited(sample_bytes, (BODY_PHRASE, EDITED_PHRASE)))
    before = everything()
    with pytest.raises(
        CommandError,
        match="不能以 archivist 的名义更正 2023 年第八期：已发布的内容只能由主编（chief）",
    ):
        call_command("import_issue", path, "--corrections", "--user", "archivist")
    assert everything() == before


def test_corrections_are_only_for_published_issues(parsed_sample, chief):
    with pytest.raises(
        ImportRefused, match="还没有 2023 年第八期（总第二十六期），没有可更正的内容"
    ):
        issue_import(parsed_sample, mode=ImportMode.CORRECTIONS, user=chief)
    issue_import(parsed_sample)
    with pytest.raises(ImportRefused, match="尚未发布（编辑中）.*--replace"):
        issue_import(parsed_sample, mode=ImportMode.CORRECTIONS, user=chief)
    with pytest.raises(ImportRefused, match="不能同时选择发布"):
        issue_import(
            parsed_sample, mode=ImportMode.CORRECTIONS, user=chief, publish=True
        )


def test_a_signed_off_issue_is_neither_replaced_nor_corrected(parsed_sample, chief):
    summary = issue_import(parsed_sample)
    Issue.objects.filter(pk=summary.issue_id).update(status=Issue.Status.APPROVED)
    before = everything()
    with pytest.raises(ImportRefused, match="2023 年第八期已签发.*须先由主编退回"):
        issue_import(parsed_sample, mode=ImportMode.REPLACE)
    with pytest.raises(ImportRefused, match="尚未发布（已签发）"):
        issue_import(parsed_sample, mode=ImportMode.CORRECTIONS, user=chief)
    assert everything() == before


def test_replacing_a_draft_keeps_the_ids_of_matched_items(parsed_sample, editor):
    first = issue_import(parsed_sample)
    issue = Issue.objects.get(pk=first.issue_id)
    stored = {a.title: a.pk for a in issue.articles.all()}
    transition = IssueTransition.objects.create(
        issue=issue, from_status="draft", to_status="review", user=editor
    )
    IssueTransition.objects.create(
        issue=issue, from_status="review", to_status="draft", comment="退回"
    )
    kept = issue.articles.get(title__startswith="国家医保局")
    old = Correction.objects.create(
        issue=issue, article=kept, reason="上次发布时的更正"
    )

    parsed = copy.deepcopy(parsed_sample)
    hot = parsed.sections[0].items
    # Change a body past its opening; drop a section's last item (nothing moves up).
    changed, removed = hot[1], hot[-1]
    assert "综合试验平台" in changed.body_html
    changed.body_html = changed.body_html.replace("综合试验平台", "综合性试验平台", 1)
    hot.remove(removed)
    new = ParsedItem(
        kind="",
        line=1,
        title="新增的一条",
        title_is_provisional=False,
        source="人民日报",
        source_date=datetime.date(2023, 8, 1),
        body_html="<p>文件里多出来的一条。</p>",
    )
    parsed.sections[3].items.append(new)

    dry = issue_import(parsed, mode=ImportMode.REPLACE, dry_run=True)
    assert (len(dry.items_kept), len(dry.items_added), len(dry.items_removed)) == (
        60,
        1,
        1,
    )
    assert [item["title"] for item in dry.items_changed] == [changed.title]
    assert dry.items_changed[0]["changes"][0]["field"] == "正文"
    assert dry.items_removed == [removed.title] and dry.items_added == ["新增的一条"]
    assert Article.objects.count() == 62

    summary = issue_import(parsed, mode=ImportMode.REPLACE)
    assert summary.issue_id == issue.pk
    after = {a.title: a.pk for a in Issue.objects.get(pk=issue.pk).articles.all()}
    assert after.pop("新增的一条") not in stored.values()
    assert removed.title not in after
    assert after == {t: pk for t, pk in stored.items() if t != removed.title}
    assert "综合性试验平台" in Article.objects.get(pk=stored[changed.title]).body
    assert Article.objects.get(title="新增的一条").section.name == "国内动态"
    assert issue.transitions.count() == 2 and transition in issue.transitions.all()
    assert list(Correction.objects.all()) == [old]


def test_replacing_keeps_titles_editors_checked(parsed_sample):
    issue = Issue.objects.get(pk=issue_import(parsed_sample).issue_id)
    article = first_article(issue)
    article.title, article.needs_review = "编辑核对过的标题", False
    article.save()
    summary = issue_import(parsed_sample, mode=ImportMode.REPLACE)
    article.refresh_from_db()
    assert (article.title, article.needs_review) == ("编辑核对过的标题", False)
    assert len(summary.items_kept) == 62


def test_replacing_a_draft_whose_sections_moved_reorders_them(parsed_sample):
    issue = Issue.objects.get(pk=issue_import(parsed_sample).issue_id)
    parsed = copy.deepcopy(parsed_sample)
    parsed.sections.reverse()
    issue_import(parsed, mode=ImportMode.REPLACE)
    names = [section.name for section in issue.ordered_sections()]
    assert names == [section.name for section in parsed.sections]
    assert Article.objects.count() == 62


def test_an_item_with_corrections_is_not_removed(parsed_sample):
    issue = Issue.objects.get(pk=issue_import(parsed_sample).issue_id)
    article = first_article(issue)
    Correction.objects.create(issue=issue, article=article, reason="旧更正")
    parsed = copy.deepcopy(parsed_sample)
    del parsed.sections[0].items[0]
    before = everything()
    with pytest.raises(ImportRefused, match=f"条目《{article.title}》登记过更正"):
        issue_import(parsed, mode=ImportMode.REPLACE)
    assert everything() == before


def test_replace_without_a_stored_issue_imports_it(parsed_sample):
    summary = issue_import(parsed_sample, mode=ImportMode.REPLACE)
    assert not summary.replaced and Article.objects.count() == 62


@pytest.mark.parametrize("mode", ImportMode.values)
def test_a_cumulative_number_used_by_another_issue_is_refused(
    parsed_sample, sample_bytes, chief, mode
):
    issue_import(parsed_sample)
    data = edited(sample_bytes, ("2023 年 第八期", "2023 年 第五期"))
    before = everything()
    with pytest.raises(ImportRefused) as refused:
        issue_import(parse_txt(data), mode=mode, user=chief)
    assert str(refused.value) == (
        "总期号矛盾：文件为 2023 年第五期（总第二十六期），"
        "而信息摘编的总第二十六期已是 2023 年第八期；请核对文件的刊头。"
    )
    assert everything() == before


@pytest.mark.parametrize("mode", ImportMode.values)
def test_a_cumulative_number_contradicting_the_stored_issue_is_refused(
    parsed_sample, sample_bytes, chief, mode
):
    issue_import(parsed_sample)
    data = edited(sample_bytes, ("（总第二十六期）", "（总第二十七期）"))
    before = everything()
    with pytest.raises(ImportRefused) as refused:
        issue_import(parse_txt(data), mode=mode, user=chief)
    assert str(refused.value) == (
        "总期号矛盾：文件为 2023 年第八期（总第二十七期），"
        "而信息摘编已有的 2023 年第八期 是总第二十六期；请核对文件的刊头。"
    )
    assert everything() == before


def test_the_command_names_the_contradiction(parsed_sample, sample_bytes, tmp_path):
    issue_import(parsed_sample)
    path = write(
        tmp_path, edited(sample_bytes, ("（总第二十六期）", "（总第二十七期）"))
    )
    with pytest.raises(
        CommandError, match="总期号矛盾：文件为 2023 年第八期（总第二十七期）"
    ):
        call_command("import_issue", path, "--replace")
