"""The article editor: repeat warnings, corrections, tags, and what is locked."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, Correction
from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    IssueFactory,
    PolicyDocumentFactory,
    SourceFactory,
    arranged,
    fill_issue,
)


def form_data(article, **changes):
    data = {
        "issue": article.issue_id or "",
        "section": article.section_id or "",
        "position": article.position,
        "kind": article.kind,
        "title": article.title,
        "source": article.source_id or "",
        "source_date": article.source_date.isoformat() if article.source_date else "",
        "original_url": article.original_url,
        "body": article.body,
        "abstract": article.abstract,
        "keywords": article.keywords,
        "book_title": article.book_title,
        "loaded_version": article.version if article.pk else "",
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
        "attachments-MIN_NUM_FORMS": 0,
        "attachments-MAX_NUM_FORMS": 1000,
        "corrections-TOTAL_FORMS": 0,
        "corrections-INITIAL_FORMS": 0,
        "corrections-MIN_NUM_FORMS": 0,
        "corrections-MAX_NUM_FORMS": 0,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def published(db):
    issue = IssueFactory(number=7, cumulative_number=25)
    fill_issue(issue)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    return issue


def test_an_item_already_in_another_issue_is_warned_about(client, editor, published):
    earlier = published.articles.first()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(
            ArticleFactory.build(
                source=SourceFactory(), original_url=earlier.original_url
            ),
            source=SourceFactory().pk,
        ),
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("与往期重复" in m and str(published) in m for m in shown), shown
    new = Article.objects.latest("created_at")
    assert new.created_by == editor
    page = client.get(
        reverse("admin:articles_article_change", args=[new.pk])
    ).content.decode()
    assert "摘编不应重复" in page


def test_a_new_item_without_repeats_saves_quietly(client, editor, db):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(
            ArticleFactory.build(source=SourceFactory()), source=SourceFactory().pk
        ),
        follow=True,
    )
    assert not any("重复" in str(m) for m in get_messages(response.wsgi_request))


def test_editors_cannot_change_items_of_a_published_issue(client, editor, published):
    article = published.articles.first()
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert not client.get(url).context["has_change_permission"]
    response = client.post(url, form_data(article, title="偷偷修改"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "偷偷修改"


def test_a_chief_editors_correction_needs_a_reason_and_is_recorded(
    client, chief, published
):
    article = published.articles.first()
    client.force_login(chief)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, form_data(article, title="更正后的标题"))
    assert response.status_code == 200
    assert "请填写更正说明。" in str(response.context["adminform"].form.errors)
    article.refresh_from_db()
    assert article.title != "更正后的标题"

    response = client.post(
        url, form_data(article, title="更正后的标题", correction_reason="原标题有错字")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "更正后的标题"
    correction = Correction.objects.get(article=article)
    assert (correction.user, correction.reason, correction.fields_display) == (
        chief,
        "原标题有错字",
        "标题",
    )
    assert correction.changes[0]["after"] == "更正后的标题"


def test_readers_see_the_correction_with_its_date(client, chief, published):
    article = published.articles.first()
    Correction.objects.create(
        issue=published, article=article, user=chief, reason="原标题有错字"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "更正" in page
    assert "原标题有错字" in page


@pytest.mark.parametrize("role", ["editor", "chief", "superuser"])
def test_items_of_a_published_issue_cannot_be_deleted(client, request, published, role):
    article = published.articles.first()
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_policy_document_cited_by_a_published_item_cannot_be_deleted(
    client, chief, published
):
    with arranged():
        attachment = AttachmentFactory(article=published.articles.first())
    client.force_login(chief)
    url = reverse(
        "admin:articles_policydocument_delete", args=[attachment.policy_document.pk]
    )
    assert client.post(url, {"post": "yes"}).status_code == 403


def test_tags_are_picked_by_autocomplete_and_new_ones_typed(client, editor, db):
    existing = ArticleFactory(issue=None)
    existing.tags.set(["民营经济", "营商环境"])
    client.force_login(editor)
    found = client.get(
        reverse("admin:articles_article_tag_autocomplete"),
        {
            "term": "民营",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "tags",
        },
    ).json()
    assert found["results"] == [{"id": "民营经济", "text": "民营经济"}]

    article = ArticleFactory(issue=None)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {**form_data(article), "tags": ["民营经济", "专精特新"]},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(article.tags.names()) == ["专精特新", "民营经济"]
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'value="专精特新" selected' in page.content.decode()


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "expected"),
    [
        ("article", "source", "人民", "人民日报"),
        (
            "articlepolicydocument",
            "policy_document",
            "民营",
            "关于促进民营经济发展壮大的意见",
        ),
    ],
)
def test_sources_and_policy_documents_have_autocomplete(
    client, editor, db, model_name, field_name, term, expected
):
    SourceFactory(name="人民日报")
    PolicyDocumentFactory(title="关于促进民营经济发展壮大的意见")
    client.force_login(editor)
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "articles",
            "model_name": model_name,
            "field_name": field_name,
        },
    ).json()
    assert [r["text"] for r in found["results"]] == [
        expected if model_name == "article" else f"《{expected}》"
    ]


def test_a_section_needs_an_issue(client, editor, published):
    client.force_login(editor)
    section = published.ordered_sections().first()
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(
            ArticleFactory.build(source=SourceFactory()),
            source=SourceFactory().pk,
            section=section.pk,
        ),
    )
    assert response.status_code == 200
    assert "候选库中的条目不能指定栏目" in str(
        response.context["adminform"].form.errors
    )


def test_an_item_cannot_be_added_to_a_published_issue(client, editor, published):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(
            ArticleFactory.build(source=SourceFactory()),
            source=SourceFactory().pk,
            issue=published.pk,
            section=published.ordered_sections().first().pk,
        ),
    )
    assert response.status_code == 200
    assert "不能把条目加入已发布的期刊" in str(
        response.context["adminform"].form.errors
    )
