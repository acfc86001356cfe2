"""The index never goes stale: saves, deletes, relations, the admin and reindex."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from bulletin import batching
from issues.models import Issue
from search import engine, indexing
from search.models import SearchDocument
from tests.articles.test_admin import form_data
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    IssueFactory,
    PolicyDocumentFactory,
    SourceFactory,
)
from tests.search.ranking import ranked_ids
from tests.search.test_search import titles


@pytest.fixture
def article(published_issue):
    return ArticleFactory(
        issue=published_issue,
        title="天津自贸试验区十周年",
        body="<p>持续优化营商环境。</p>",
        source=SourceFactory(name="天津日报"),
    )


def test_a_new_article_is_found_at_once(article):
    assert titles("营商环境") == [article.title]


def test_an_edited_article_is_found_by_its_new_text_only(article):
    article.title = "独立董事制度改革"
    article.body = "<p>提升履职能力。</p>"
    article.save()
    assert titles("履职能力") == [article.title]
    assert titles("营商环境") == []
    assert titles("自贸试验区") == []


def test_a_deleted_article_leaves_no_trace(article):
    pk = article.pk
    article.delete()
    assert titles("营商环境") == []
    assert not SearchDocument.objects.filter(article_id=pk).exists()


def test_renaming_a_source_reindexes_its_articles(article):
    source = article.source
    source.name = "滨海时报"
    source.save()
    assert titles("滨海时报") == [article.title]
    assert titles("天津日报") == []


def test_attaching_and_detaching_policy_documents_reindexes(article):
    document = PolicyDocumentFactory(title="关于促进民营经济发展壮大的意见")
    link = AttachmentFactory(article=article, policy_document=document)
    assert titles("促进民营经济") == [article.title]
    document.title = "关于加快推进数字经济的意见"
    document.save()
    assert titles("促进民营经济") == []
    assert titles("推进数字经济") == [article.title]
    link.delete()
    assert titles("推进数字经济") == []


def test_m2m_add_and_remove_of_policy_documents_reindexes(article):
    document = PolicyDocumentFactory(title="跨境电商综合试验区方案")
    article.policy_documents.add(document)
    assert titles("跨境电商") == [article.title]
    document.articles.remove(article)
    assert titles("跨境电商") == []


def test_tags_added_renamed_and_deleted_are_followed(article):
    article.tags.add("港口物流")
    assert titles("港口物流") == [article.title]
    tag = Tag.objects.get(name="港口物流")
    tag.name = "航运枢纽"
    tag.save()
    assert titles("航运枢纽") == [article.title]
    tag.delete()
    assert titles("航运枢纽") == []


def test_admin_edit_is_searchable_immediately(client, chief, draft_issue):
    article = ArticleFactory(issue=draft_issue, title="旧标题", body="<p>旧正文。</p>")
    client.force_login(chief)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(
        url, form_data(article, title="专精特新小巨人名单", body="<p>新正文。</p>")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    everything = Article.objects.all()
    assert titles("小巨人", everything) == ["专精特新小巨人名单"]
    assert titles("旧标题", everything) == []
    assert titles("旧正文", everything) == []


def test_admin_source_rename_is_searchable_immediately(client, chief, article):
    client.force_login(chief)
    url = reverse("admin:articles_source_change", args=[article.source_id])
    # The source is cited by a published item: the rename is a correction.
    response = client.post(
        url,
        {
            "name": "北方网",
            "kind": "website",
            "homepage": "",
            "correction_reason": "来源名称规范",
            # The page's (empty) alias rows.
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert titles("北方网") == [article.title]


def test_admin_delete_removes_the_article_from_results(client, chief, draft_issue):
    article = ArticleFactory(issue=draft_issue, title="待删除的营商环境条目")
    client.force_login(chief)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert titles("待删除", Article.objects.all()) == []


def test_updates_that_bypass_signals_are_caught_by_reindex(article):
    Article.objects.filter(pk=article.pk).update(title="新能源汽车出口")
    assert titles("新能源汽车") == []
    call_command("reindex", verbosity=0)
    assert titles("新能源汽车") == ["新能源汽车出口"]


def test_reindexing_an_issues_articles_rebuilds_them(article, published_issue):
    Article.objects.filter(pk=article.pk).update(title="综合保税区")
    ids = published_issue.articles.values_list("pk", flat=True)
    assert indexing.reindex_articles(ids) == 1
    assert titles("综合保税区") == ["综合保税区"]


def test_a_batch_indexes_once_at_the_end(published_issue):
    with batching.batch():
        first = ArticleFactory(issue=published_issue, title="碳达峰行动方案")
        assert titles("碳达峰") == []
        ArticleFactory(issue=published_issue, title="碳达峰试点城市")
    assert set(titles("碳达峰")) == {first.title, "碳达峰试点城市"}


def test_reindex_command_rebuilds_from_nothing(article):
    SearchDocument.objects.all().delete()
    assert titles("营商环境") == []
    call_command("reindex", verbosity=0)
    assert titles("营商环境") == [article.title]
    assert ranked_ids(engine.parse_query("营商环境"), limit=10) == [article.pk]


def test_reindex_outside_a_transaction_builds_this_hosts_index_anew(
    transactional_db, settings
):
    """The command as run from the shell (autocommit): an update behind the
    signals' back is found after it, in a new index directory that replaced
    the old one."""
    issue = IssueFactory()
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    article = ArticleFactory(issue=issue, title="营商环境优化")
    assert ranked_ids(engine.parse_query("营商环境"), limit=10) == [article.pk]
    old = list(settings.SEARCH_INDEX_DIR.glob("index-*"))
    Article.objects.filter(pk=article.pk).update(title="碳达峰行动")
    assert ranked_ids(engine.parse_query("碳达峰"), limit=10) == []
    call_command("reindex", verbosity=0)
    assert ranked_ids(engine.parse_query("碳达峰"), limit=10) == [article.pk]
    assert ranked_ids(engine.parse_query("营商环境"), limit=10) == []
    new = list(settings.SEARCH_INDEX_DIR.glob("index-*"))
    assert len(old) == len(new) == 1
    assert old != new


def index_size() -> int:
    """Bytes the index tables and their indexes take (free pages aside)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_searchdocument')")
        else:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name LIKE 'search_%')"
            )
        return cursor.fetchone()[0]


def test_reindexing_again_leaves_the_index_no_larger(transactional_db):
    """As the command runs from the shell (autocommit)."""
    published_issue = IssueFactory()
    Issue.objects.filter(pk=published_issue.pk).update(status=Issue.Status.PUBLISHED)
    body = "".join(
        f"<p>第{n}条：推动民营经济高质量发展，持续优化营商环境。</p>" for n in range(40)
    )
    ArticleFactory.create_batch(40, issue=published_issue, body=body)
    indexing.reindex_all()
    first = index_size()
    indexing.reindex_all()
    indexing.reindex_all()
    assert index_size() <= first
    assert len(titles("营商环境")) == 40


def test_publishing_and_withdrawing_an_issue_changes_what_readers_find(draft_issue):
    article = ArticleFactory(issue=draft_issue, title="氢能产业发展报告")
    query = engine.parse_query("氢能")
    assert ranked_ids(query, limit=10) == []
    assert ranked_ids(query, limit=10, include_unpublished=True) == [article.pk]

    draft_issue.status = Issue.Status.PUBLISHED
    draft_issue.save()
    assert ranked_ids(query, limit=10) == [article.pk]

    draft_issue.status = Issue.Status.DRAFT
    draft_issue.save()
    assert ranked_ids(query, limit=10) == []


def test_a_search_inside_a_transaction_leaves_its_changes_to_the_commit(
    published_issue,
):
    """What an open transaction wrote may be rolled back (and SQLite hands
    its ids out again): the host index takes changes only as committed."""
    query = engine.parse_query("氢能")
    assert ranked_ids(query, limit=10) == []
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(issue=published_issue, title="氢能产业发展报告")
        assert ranked_ids(query, limit=10) == []
        raise RuntimeError
    kept = ArticleFactory(issue=published_issue, title="氢能汽车示范")
    assert ranked_ids(query, limit=10) == [kept.pk]


def test_a_log_that_lost_the_last_change_applied_has_the_index_built_anew(
    published_issue,
):
    """A restore or another database behind the same settings: the log no
    longer holds what the index applied last, so the index is read again
    from the rows rather than left with what the rows no longer say."""
    from search.models import IndexChange

    article = ArticleFactory(issue=published_issue, title="氢能产业发展报告")
    query = engine.parse_query("氢能")
    assert ranked_ids(query, limit=10) == [article.pk]
    IndexChange.objects.all().delete()
    SearchDocument.objects.filter(pk=article.pk).delete()
    assert ranked_ids(query, limit=10) == []
