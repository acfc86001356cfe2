"""What an import costs and what it leaves behind: a fixed number of statements
however many items the file has, nothing of a dry run in the index or the cache,
every item searchable and in its history as soon as the import returns."""

import copy
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from archive.models import ImportMode
from archive.services import issue_import
from articles.models import Article, Correction, PolicyDocument
from bulletin import caching
from bulletin.text import html_to_text
from issues.models import Issue
from search import engine
from search.models import SearchDocument

pytestmark = pytest.mark.django_db

# Statements of one import of the sample (62 items) on SQLite and PostgreSQL:
# the publication and its catalogue, the issue, board and section links, then
# one lookup and one insert per kind of row, however many rows; the index is
# built once when the import's batch ends.
MAX_NEW_IMPORT = 45
MAX_DRY_RUN = 35
MAX_UNCHANGED_REPLACE = 30
# Well after the opening of the sample's first item, so the item still matches.
BODY_PHRASE = "要求持续优化民营经济发展环境"
EDITED_PHRASE = "要求持续优化民营企业发展环境"
# A file with far fewer items may skip an insert or two, never cost per item.
MAX_DIFFERENCE = 4


def shortened(parsed):
    """The sample with only the first item of each section (8 items of 62)."""
    short = copy.deepcopy(parsed)
    for section in short.sections:
        del section.items[1:]
    return short


def index_rows() -> list[tuple]:
    return list(
        SearchDocument.objects.order_by("article_id").values_list(
            "article_id", "title_text", "body_text", "tail_text"
        )
    )


def statements(assert_max, bound, parsed, **options) -> int:
    """The import's statements, run in a savepoint rolled back afterwards so
    that imports to compare start from the same database."""
    with transaction.atomic():
        with assert_max(bound) as captured:
            issue_import(parsed, **options)
        transaction.set_rollback(True)
    return len(captured)


def test_a_new_import_costs_the_same_statements_for_8_items_as_for_62(
    parsed_sample, django_assert_max_num_queries
):
    full = statements(django_assert_max_num_queries, MAX_NEW_IMPORT, parsed_sample)
    short = statements(
        django_assert_max_num_queries, MAX_NEW_IMPORT, shortened(parsed_sample)
    )
    assert abs(full - short) <= MAX_DIFFERENCE


def test_a_dry_run_costs_the_same_statements_for_8_items_as_for_62(
    parsed_sample, django_assert_max_num_queries
):
    full = statements(
        django_assert_max_num_queries, MAX_DRY_RUN, parsed_sample, dry_run=True
    )
    short = statements(
        django_assert_max_num_queries,
        MAX_DRY_RUN,
        shortened(parsed_sample),
        dry_run=True,
    )
    assert abs(full - short) <= MAX_DIFFERENCE


def test_replacing_a_draft_with_the_same_file_reads_and_writes_nothing_per_item(
    parsed_sample, django_assert_max_num_queries
):
    issue_import(parsed_sample)
    statements(
        django_assert_max_num_queries,
        MAX_UNCHANGED_REPLACE,
        parsed_sample,
        mode=ImportMode.REPLACE,
    )


def test_a_dry_run_leaves_the_index_and_the_cache_version_alone(parsed_sample):
    issue_import(parsed_sample)
    version, rows = caching.content_version(), index_rows()
    changed = copy.deepcopy(parsed_sample)
    first = changed.sections[0].items[0]
    first.body_html = first.body_html.replace(BODY_PHRASE, EDITED_PHRASE)
    del changed.sections[1].items[-1]

    summary = issue_import(changed, mode=ImportMode.REPLACE, dry_run=True)

    assert summary.items_changed and summary.items_removed
    assert caching.content_version() == version
    assert index_rows() == rows


def test_a_first_dry_run_leaves_the_cache_version_alone(parsed_sample):
    version = caching.content_version()
    issue_import(parsed_sample, dry_run=True)
    assert caching.content_version() == version
    assert not SearchDocument.objects.exists()


def test_an_import_renews_the_cache_version_once_it_is_written(parsed_sample):
    version = caching.content_version()
    issue_import(parsed_sample)
    assert caching.content_version() != version


def distinctive(article: Article) -> str:
    """Six Chinese characters in a row from the item's text."""
    text = html_to_text(article.body) or article.book_summary or article.title
    return re.search(r"[\u4e00-\u9fff]{6}", text).group()


def found(text: str) -> set[int]:
    query = engine.parse_query(text)
    matches = engine.matching(Article.objects.all(), query)
    return set(matches.values_list("pk", flat=True))


def test_every_imported_item_is_searchable_as_soon_as_the_import_returns(
    parsed_sample,
):
    issue_import(parsed_sample)
    articles = list(Article.objects.all())
    assert len(articles) == SearchDocument.objects.count() == 62
    missing = [a.title for a in articles if a.pk not in found(distinctive(a))]
    assert missing == []
    imported = index_rows()
    call_command("reindex", verbosity=0)
    assert index_rows() == imported


def test_every_imported_item_and_document_has_its_creation_in_its_history(
    parsed_sample,
):
    issue_import(parsed_sample)
    for model in (Article, PolicyDocument):
        records = model.history.values_list("id", "history_type")
        assert sorted(records) == sorted(
            (pk, "+") for pk in model.objects.values_list("pk", flat=True)
        )
    article = Article.objects.order_by("pk").first()
    record = article.history.get()
    assert (record.title, record.body, record.version) == (
        article.title,
        article.body,
        1,
    )


def test_replacing_a_draft_adds_history_only_for_the_items_it_changed(parsed_sample):
    issue_import(parsed_sample)
    changed = copy.deepcopy(parsed_sample)
    first = changed.sections[0].items[0]
    first.body_html = first.body_html.replace(BODY_PHRASE, EDITED_PHRASE)

    summary = issue_import(changed, mode=ImportMode.REPLACE)

    [item] = summary.items_changed
    edited = Article.objects.get(title=item["title"])
    assert list(edited.history.values_list("history_type", flat=True)) == ["~", "+"]
    assert Article.history.count() == 63
    assert EDITED_PHRASE in edited.body
    assert edited.pk in found(EDITED_PHRASE)


def test_a_board_changed_by_corrections_is_written_in_bulk_and_recorded(
    parsed_sample, chief
):
    """The board of a published issue is rewritten with one check of the freeze
    guard, which lets the correction service through."""
    issue_id = issue_import(parsed_sample, publish=True, user=chief).issue_id
    changed = copy.deepcopy(parsed_sample)
    changed.deputy_editors = ["张欣", "李雷"]

    summary = issue_import(changed, mode=ImportMode.CORRECTIONS, user=chief)

    assert summary.corrected
    issue = Issue.objects.get(pk=issue_id)
    assert list(
        issue.board_members.filter(role="deputy")
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["张欣", "李雷"]
    [correction] = Correction.objects.filter(issue=issue, article=None)
    assert any("李雷" in change["after"] for change in correction.changes)
