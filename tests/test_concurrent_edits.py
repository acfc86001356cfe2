"""Nothing lost: concurrent edits are refused, every change has a history, restore works."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from articles.models import Article
from bulletin.locking import StaleEdit
from issues.models import Issue
from tests.articles.test_admin import form_data
from tests.factories import ArticleFactory, IssueFactory, fill_issue, make_user
from tests.issues.test_admin import change_data, issue_post_data


@pytest.fixture
def second_editor(db):
    from bulletin import roles

    return make_user(roles.EDITOR, username="editor2")


def test_the_second_of_two_edits_to_an_article_is_refused_and_says_what_changed(
    client, editor, second_editor
):
    article = ArticleFactory(issue=None, title="原标题")
    url = reverse("admin:articles_article_change", args=[article.pk])
    first, second = client, client.__class__()
    first.force_login(editor)
    second.force_login(second_editor)
    # Both open the form at the same version.
    first_form = form_data(article, title="编辑甲改的标题")
    second_form = form_data(article, body="<p>编辑乙改的正文</p>")

    assert first.post(url, first_form).status_code == 302
    response = second.post(url, second_form)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "已被他人修改" in errors
    assert "editor" in errors and "原标题" in errors and "编辑甲改的标题" in errors
    article.refresh_from_db()
    assert article.title == "编辑甲改的标题"
    assert "编辑乙改的正文" not in article.body
    # Reopened, the second editor's change goes through on top of the first.
    second_form = form_data(article, body="<p>编辑乙改的正文</p>")
    assert second.post(url, second_form).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("编辑甲改的标题", "<p>编辑乙改的正文</p>")


def test_the_second_of_two_edits_to_an_issue_is_refused(client, editor, second_editor):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    first_fields, sections, articles = change_data(issue, publish_date="2023-08-20")
    second_fields, _, _ = change_data(issue, publish_date="2023-08-25")
    client.force_login(editor)
    assert (
        client.post(
            url, issue_post_data(first_fields, sections, [], articles)
        ).status_code
        == 302
    )

    other = client.__class__()
    other.force_login(second_editor)
    response = other.post(url, issue_post_data(second_fields, sections, [], articles))
    assert response.status_code == 200
    assert "已被他人修改" in str(response.context["adminform"].form.non_field_errors())
    issue.refresh_from_db()
    assert str(issue.publish_date) == "2023-08-20"


def test_a_stale_instance_cannot_overwrite_a_newer_save(db):
    article = ArticleFactory(title="原标题")
    mine, theirs = (
        Article.objects.get(pk=article.pk),
        Article.objects.get(pk=article.pk),
    )
    theirs.title = "他们的修改"
    theirs.save()
    mine.title = "我的修改"
    with pytest.raises(StaleEdit, match="已被他人修改"):
        mine.save()
    article.refresh_from_db()
    assert article.title == "他们的修改"


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_from_two_connections_let_exactly_one_win():
    article = ArticleFactory(title="原标题")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(title):
        try:
            mine = Article.objects.get(pk=article.pk)
            barrier.wait(timeout=10)
            mine.title = title
            with transaction.atomic():
                mine.save()
            outcomes.append("saved")
        except StaleEdit:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    article.refresh_from_db()
    assert article.title in ("甲", "乙")
    assert article.version == 2


def test_every_change_is_in_the_history_with_who_made_it(client, editor):
    article = ArticleFactory(issue=None, title="原标题")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(url, form_data(article, title="新标题"))
    records = list(article.history.order_by("history_date"))
    assert [r.title for r in records] == ["原标题", "新标题"]
    assert records[-1].history_user == editor
    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert page.status_code == 200
    assert "新标题" in page.content.decode() or "editor" in page.content.decode()


def test_the_history_marks_what_changed_character_by_character(client, editor):
    body = "<p>" + "前文" * 40 + "要求持续优化民营经济发展环境。" + "后文" * 40 + "</p>"
    article = ArticleFactory(issue=None, title="民营经济发展", body=body)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(
        url,
        form_data(
            article,
            title="民营企业发展",
            body=body.replace("民营经济发展环境", "民营企业发展环境"),
        ),
    )
    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    text = page.content.decode()
    assert "民营<del>经济</del>发展" in text and "民营<ins>企业</ins>发展" in text
    # The body is compared as the text readers see, around the change only.
    assert "<del>经济</del>发展环境" in text and "&lt;p&gt;" not in text
    assert "前文" * 40 not in text


def test_an_earlier_version_can_be_restored(client, editor):
    article = ArticleFactory(issue=None, title="第一版")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(url, form_data(article, title="第二版"))
    article.refresh_from_db()
    first = article.history.earliest("history_date")
    restore_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )
    page = client.get(restore_url)
    assert page.status_code == 200
    restored = form_data(Article.objects.get(pk=article.pk), title="第一版")
    # The restore form starts from today's version, not the historical one.
    loaded = page.context["adminform"].form.fields["loaded_version"].initial
    assert loaded == article.version
    restored["loaded_version"] = loaded
    assert client.post(restore_url, restored).status_code == 302
    article.refresh_from_db()
    assert article.title == "第一版"
    assert article.history.count() == 3


def test_issues_and_policy_documents_keep_a_history_too(db, chief):
    from issues import services

    issue = IssueFactory()
    fill_issue(issue)
    services.issue_transition(issue=issue, user=chief, name="submit")
    assert [r.status for r in issue.history.order_by("history_date")] == [
        "draft",
        "review",
    ]
    from tests.factories import PolicyDocumentFactory

    document = PolicyDocumentFactory(title="旧名")
    document.title = "新名"
    document.save()
    assert document.history.count() == 2


def test_deleting_a_draft_article_asks_first_and_keeps_its_history(client, editor):
    issue = IssueFactory()
    article = ArticleFactory(issue=issue, title="将被删除的条目")
    client.force_login(editor)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "将被删除的条目" in page.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()
    client.post(url, {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()
    deleted = Article.history.filter(id=article.pk).latest("history_date")
    assert deleted.history_type == "-"
    assert deleted.history_user == editor
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_a_change_posted_without_its_version_is_refused_like_a_conflict(
    client, editor, db
):
    from django.urls import reverse

    from articles.models import Article
    from tests.factories import ArticleFactory

    article = ArticleFactory(issue=None, title="原来的标题")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "title": "没有版本号的修改",
            "kind": article.kind,
            "position": article.position,
            "source": article.source_id,
            "source_date": "2023-07-19",
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "corrections-TOTAL_FORMS": 0,
            "corrections-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "缺少版本号" in str(response.context["adminform"].form.errors)
    assert Article.objects.get(pk=article.pk).title == "原来的标题"
