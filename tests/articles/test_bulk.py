"""Work on many items at once: the title-checking screen and the item list's
bulk actions (tags, source, moving to an issue), under the rules of single edits."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, Correction
from issues.models import Issue
from tests.factories import ArticleFactory, IssueFactory, SourceFactory, fill_issue

TITLES = reverse("admin:articles_article_titles")
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def draft(db):
    return IssueFactory(number=9, cumulative_number=27)


@pytest.fixture
def flagged(draft):
    """Five items of a draft with titles the importer made up."""
    return [
        ArticleFactory(
            issue=draft,
            title=f"临时标题{n}",
            needs_review=True,
            body=f"<p>第{n}条正文的首段。</p><p>第二段。</p>",
        )
        for n in range(5)
    ]


@pytest.fixture
def published(db):
    issue = IssueFactory(number=7, cumulative_number=25)
    fill_issue(issue)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    Article.objects.filter(issue=issue).update(needs_review=True)
    issue.refresh_from_db()
    return issue


def screen_data(response, titles=None, reviewed=(), reason=None):
    """The screen's form as the browser posts it, with these rows edited."""
    titles = titles or {}
    formset = response.context["formset"]
    data = {
        f"form-{key}": value for key, value in formset.management_form.initial.items()
    }
    for form in formset.forms:
        article = form.instance
        data[form.add_prefix("id")] = article.pk
        data[form.add_prefix("loaded_version")] = article.version
        data[form.add_initial_prefix("title")] = article.title
        data[form.add_prefix("title")] = titles.get(article.pk, article.title)
        if article.pk in reviewed:
            data[form.add_prefix("reviewed")] = "on"
    if reason is not None:
        data["correction_reason"] = reason
    return data


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_screen_shows_each_flagged_item_with_its_first_paragraph(
    client, editor, flagged
):
    ArticleFactory(title="已核对的标题", needs_review=False)
    client.force_login(editor)
    page = client.get(TITLES).content.decode()
    for n in range(5):
        assert f'value="临时标题{n}"' in page
        assert f"第{n}条正文的首段。" in page
    assert "第二段" not in page
    assert "已核对的标题" not in page
    assert "人民日报" in page and "2023-07-19" in page
    assert str(flagged[0].issue) in page and flagged[0].section.name in page


def test_the_screen_pages_through_25_rows_at_a_time(client, editor, draft):
    for n in range(30):
        ArticleFactory(issue=draft, title=f"待核{n:02d}", needs_review=True)
    client.force_login(editor)
    first = client.get(TITLES)
    assert len(first.context["formset"].forms) == 25
    second = client.get(TITLES + "?page=2")
    assert len(second.context["formset"].forms) == 5
    assert "第 2 页，共 2 页" in second.content.decode()


def test_the_screens_queries_do_not_grow_with_its_rows(
    client, editor, draft, django_assert_max_num_queries
):
    client.force_login(editor)
    ArticleFactory.create_batch(3, issue=draft, needs_review=True)
    # session, user, user and group permissions, the count, the page's rows
    with django_assert_max_num_queries(6) as few:
        client.get(TITLES)
    ArticleFactory.create_batch(22, issue=draft, needs_review=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(TITLES)
    assert len(response.context["formset"].forms) == 25


def test_saving_clears_the_flags_of_changed_and_ticked_rows_only(
    client, editor, flagged
):
    client.force_login(editor)
    page = client.get(TITLES)
    first, second, third = flagged[:3]
    response = client.post(
        TITLES,
        screen_data(
            page,
            titles={first.pk: "促进民营经济发展壮大", second.pk: "  数字经济新动能 "},
            reviewed={third.pk},
        ),
        follow=True,
    )
    assert "已核对 3 个标题。" in shown_messages(response)
    for article in flagged:
        article.refresh_from_db()
    assert (first.title, first.needs_review) == ("促进民营经济发展壮大", False)
    assert (second.title, second.needs_review) == ("数字经济新动能", False)
    assert (third.title, third.needs_review) == ("临时标题2", False)
    assert [a.needs_review for a in flagged[3:]] == [True, True]
    assert first.history.first().history_user == editor
    assert not Correction.objects.exists()


def test_an_error_names_the_row_and_the_field_and_nothing_is_saved(
    client, editor, flagged
):
    client.force_login(editor)
    page = client.get(TITLES)
    response = client.post(
        TITLES,
        screen_data(page, titles={flagged[0].pk: "新标题", flagged[1].pk: ""}),
    )
    assert response.status_code == 200
    assert "“临时标题1”，标题：这个字段是必填项。" in response.content.decode()
    flagged[0].refresh_from_db()
    assert (flagged[0].title, flagged[0].needs_review) == ("临时标题0", True)


def test_a_check_of_a_field_the_screen_does_not_show_names_it_on_the_row(
    client, editor, draft
):
    book = ArticleFactory(
        issue=draft, kind=Article.Kind.BOOK, title="临时书名", needs_review=True
    )
    client.force_login(editor)
    page = client.get(TITLES)
    response = client.post(TITLES, screen_data(page, titles={book.pk: "新书推荐"}))
    assert "“临时书名”：书名：图书推荐必须填写书名。" in response.content.decode()
    book.refresh_from_db()
    assert book.needs_review


def test_a_published_title_changes_only_with_a_reason_as_a_correction(
    client, chief, published
):
    article = published.articles.in_print_order().first()
    client.force_login(chief)
    page = client.get(TITLES)
    assert "correction_reason" in page.content.decode()
    refused = client.post(
        TITLES, screen_data(page, titles={article.pk: "更正后的标题"})
    )
    text = refused.content.decode()
    assert "请填写更正说明：以下标题属于已发布的条目：" in text
    assert article.title in text
    article.refresh_from_db()
    assert article.needs_review and article.title != "更正后的标题"
    assert not Correction.objects.exists()

    saved = client.post(
        TITLES,
        screen_data(page, titles={article.pk: "更正后的标题"}, reason="导入时标题有误"),
        follow=True,
    )
    assert "其中 1 条已记为更正。" in shown_messages(saved)
    article.refresh_from_db()
    assert (article.title, article.needs_review) == ("更正后的标题", False)
    correction = Correction.objects.get(article=article)
    assert correction.reason == "导入时标题有误" and correction.user == chief
    assert [c["field"] for c in correction.changes] == ["标题"]
    assert correction.changes[0]["after"] == "更正后的标题"


def test_ticking_a_published_title_as_right_is_no_correction(client, chief, published):
    article = published.articles.in_print_order().first()
    client.force_login(chief)
    page = client.get(TITLES)
    client.post(TITLES, screen_data(page, reviewed={article.pk}))
    article.refresh_from_db()
    assert not article.needs_review
    assert not Correction.objects.exists()


def test_an_editor_sees_published_rows_read_only_and_cannot_post_them(
    client, editor, published
):
    article = published.articles.in_print_order().first()
    client.force_login(editor)
    page = client.get(TITLES)
    text = page.content.decode()
    assert "已发布：只有主编可以更正此标题。" in text
    assert "correction_reason" not in text
    response = client.post(TITLES, screen_data(page, titles={article.pk: "偷改的标题"}))
    assert f"“{article.title}”：已发布：只有主编可以更正此标题。" in (
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.title != "偷改的标题" and article.needs_review


def test_a_signed_off_issues_rows_are_read_only_even_for_the_chief(
    client, chief, flagged, draft
):
    Issue.objects.filter(pk=draft.pk).update(status=Issue.Status.APPROVED)
    client.force_login(chief)
    page = client.get(TITLES)
    assert "已签发：须先退回修改，才能更改此标题。" in page.content.decode()
    client.post(TITLES, screen_data(page, reviewed={flagged[0].pk}))
    flagged[0].refresh_from_db()
    assert flagged[0].needs_review


def test_a_row_someone_else_saved_meanwhile_is_refused_not_overwritten(
    client, editor, chief, flagged
):
    client.force_login(editor)
    page = client.get(TITLES)
    other = Article.objects.get(pk=flagged[0].pk)
    other.title = "主编改的标题"
    other._history_user = chief
    other.save()
    response = client.post(
        TITLES,
        screen_data(
            page, titles={flagged[0].pk: "编辑改的标题", flagged[1].pk: "另一个标题"}
        ),
    )
    text = response.content.decode()
    assert "“临时标题0”：" in text and "已被他人修改" in text
    assert "主编改的标题" in text
    for article in flagged[:2]:
        article.refresh_from_db()
    assert flagged[0].title == "主编改的标题"
    assert flagged[1].title == "临时标题1"  # all or nothing


def test_a_row_someone_else_fixed_does_not_block_the_rows_this_editor_changed(
    client, editor, flagged
):
    client.force_login(editor)
    page = client.get(TITLES)
    other = Article.objects.get(pk=flagged[0].pk)
    other.title, other.needs_review = "别人改好的标题", False
    other.save()
    client.post(TITLES, screen_data(page, titles={flagged[1].pk: "我改的标题"}))
    for article in flagged[:2]:
        article.refresh_from_db()
    assert flagged[0].title == "别人改好的标题"
    assert (flagged[1].title, flagged[1].needs_review) == ("我改的标题", False)


def test_the_item_list_links_to_the_screen_with_the_count(
    client, editor, archivist, flagged
):
    client.force_login(editor)
    assert "核对标题（5）" in client.get(CHANGELIST).content.decode()
    client.force_login(archivist)
    assert "核对标题" not in client.get(CHANGELIST).content.decode()


@pytest.mark.parametrize("role", ["archivist", "reader"])
def test_only_those_who_may_change_items_use_the_screen(client, request, flagged, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(TITLES)
    if role == "reader":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == 403
    data = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-0-id": flagged[0].pk,
        "form-0-loaded_version": flagged[0].version,
        "initial-form-0-title": flagged[0].title,
        "form-0-title": "改掉",
    }
    assert client.post(TITLES, data).status_code in (302, 403)
    flagged[0].refresh_from_db()
    assert flagged[0].title == "临时标题0"


def run_action(client, action, articles, **fields):
    """Post the action from the item list, then (with fields) its page's form."""
    data = {"action": action, "_selected_action": [a.pk for a in articles]}
    if fields:
        data.update(fields, apply="1")
    return client.post(CHANGELIST, data, follow=True)


def test_adding_tags_asks_for_them_then_tags_every_selected_item(
    client, editor, flagged
):
    client.force_login(editor)
    page = run_action(client, "add_tags", flagged[:2])
    assert page.templates[0].name == "admin/articles/article/bulk_action.html"
    assert "要添加的标签" in page.content.decode()
    done = run_action(client, "add_tags", flagged[:2], tags="民营经济，数字经济")
    assert "已为 2 个条目添加标签：数字经济、民营经济。" in shown_messages(done)
    for article in flagged[:2]:
        assert sorted(t.name for t in article.tags.all()) == ["数字经济", "民营经济"]
    assert not flagged[2].tags.exists()


def test_setting_the_source_changes_every_selected_item(client, editor, flagged):
    source = SourceFactory(name="新华社", kind="agency")
    client.force_login(editor)
    page = run_action(client, "set_source", flagged[:2])
    assert "admin/js/autocomplete.js" in page.content.decode()
    done = run_action(client, "set_source", flagged[:2], source=source.pk)
    assert "已将 2 个条目的来源设为新华社。" in shown_messages(done)
    assert {
        a.source_id
        for a in Article.objects.filter(pk__in=[flagged[0].pk, flagged[1].pk])
    } == {source.pk}
    flagged[2].refresh_from_db()
    assert flagged[2].source.name == "人民日报"


def test_moving_places_pool_items_and_items_of_another_draft_at_the_sections_end(
    client, editor, draft, flagged
):
    target = IssueFactory(
        publication=draft.publication, number=10, cumulative_number=28
    )
    section = target.ordered_sections()[1]
    already = ArticleFactory(issue=target, section=section, position=40)
    pooled = ArticleFactory(issue=None)
    client.force_login(editor)
    page = run_action(client, "move_to_issue", [pooled, flagged[0]])
    choices = page.context["form"].fields["place"].choices
    assert str(target) in [label for label, _options in choices[1:]]
    done = run_action(
        client,
        "move_to_issue",
        [pooled, flagged[0]],
        place=f"{target.pk}:{section.pk}",
    )
    assert f"已将 2 个条目移至{target}“{section.name}”栏目。" in shown_messages(done)
    for article in (pooled, flagged[0]):
        article.refresh_from_db()
        assert (article.issue_id, article.section_id) == (target.pk, section.pk)
        assert article.position > already.position


def test_moving_offers_no_signed_off_or_published_issue(
    client, editor, published, flagged
):
    client.force_login(editor)
    page = run_action(client, "move_to_issue", flagged[:1])
    labels = [label for label, _options in page.context["form"].fields["place"].choices]
    assert str(published) not in labels
    section = published.ordered_sections().first()
    refused = run_action(
        client, "move_to_issue", flagged[:1], place=f"{published.pk}:{section.pk}"
    )
    assert refused.templates[0].name == "admin/articles/article/bulk_action.html"
    flagged[0].refresh_from_db()
    assert flagged[0].issue_id != published.pk


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("add_tags", {"tags": "民营经济"}),
        ("set_source", {"source": "new"}),
        ("move_to_issue", {"place": "draft"}),
    ],
)
def test_every_action_refuses_frozen_items_naming_them(
    client, editor, published, flagged, draft, action, fields
):
    frozen = published.articles.in_print_order().first()
    if fields.get("source") == "new":
        fields = {"source": SourceFactory(name="新华社").pk}
    if fields.get("place") == "draft":
        fields = {"place": f"{draft.pk}:{draft.ordered_sections().first().pk}"}
    client.force_login(editor)
    for posted in ({}, fields):
        response = run_action(client, action, [frozen, flagged[0]], **posted)
        errors = shown_messages(response)
        assert any("未做任何修改" in m and f"“{frozen.title}”" in m for m in errors)
    frozen.refresh_from_db()
    flagged[0].refresh_from_db()
    assert frozen.issue_id == published.pk and frozen.source.name == "人民日报"
    assert not frozen.tags.exists() and not flagged[0].tags.exists()
    assert flagged[0].source.name == "人民日报"


@pytest.mark.parametrize("role", ["archivist", "reader"])
@pytest.mark.parametrize("action", ["add_tags", "set_source", "move_to_issue"])
def test_archivists_and_readers_cannot_run_the_actions(
    client, request, flagged, draft, role, action
):
    client.force_login(request.getfixturevalue(role))
    fields = {
        "add_tags": {"tags": "民营经济"},
        "set_source": {"source": SourceFactory(name="新华社").pk},
        "move_to_issue": {"place": f"{draft.pk}:{draft.ordered_sections()[1].pk}"},
    }[action]
    run_action(client, action, flagged[:1], **fields)
    flagged[0].refresh_from_db()
    assert not flagged[0].tags.exists()
    assert flagged[0].source.name == "人民日报"
    assert flagged[0].section_id == draft.ordered_sections().first().pk
