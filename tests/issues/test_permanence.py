"""A published issue stays as published: it changes only through a recorded
correction that readers see, whatever admin screen or role tries otherwise."""

import datetime
import re

import pytest
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.html import strip_tags
from taggit.models import Tag

from articles import corrections
from articles.models import Article, Correction, PolicyDocument, Source
from issues import services
from issues.models import Issue, Publication, Section
from tests.factories import (
    AttachmentFactory,
    IssueFactory,
    arranged,
    fill_issue,
    make_user,
)

ROLES = ["editor", "chief", "archivist", "superuser"]
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
PAGER = re.compile(r'<nav class="pager".*?</nav>', re.S)


@pytest.fixture
def published(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    articles = fill_issue(issue)
    AttachmentFactory(article=articles[0])
    articles[0].tags.set(["民营经济"])
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    return issue


def reader_pages(client, reader, issue) -> dict[str, str]:
    """Every page of the issue as a reader gets it."""
    client.force_login(reader)
    urls = [issue.get_absolute_url()] + [
        a.get_absolute_url() for a in issue.articles.select_related("issue")
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # The logout form's CSRF token changes with each login.
        pages[url] = CSRF_TOKEN.sub("", response.content.decode())
    client.logout()
    return pages


def _post_value(value):
    if value is None or isinstance(value, FieldFile):
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def change_form_data(response, **changes) -> dict:
    """The admin change form as a browser would post it back, with changes."""
    data = {}

    def add(form):
        for bound in form:
            value = _post_value(bound.value())
            if value is not None:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    inlines = response.context.get("inline_admin_formsets") or []
    for inline in inlines:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edits(issue):
    """(admin change URL, field changes) for every record a published page shows."""
    article = issue.articles.in_print_order().first()
    attachment = article.attachments.first()
    document = attachment.policy_document
    board = issue.board_members.first()
    section = issue.ordered_sections().first()
    return [
        ("articles_article", article.pk, {"title": "改过的标题", "position": "99"}),
        (
            "articles_article",
            article.pk,
            {"attachments-0-DELETE": "on"},
        ),
        (
            "articles_policydocument",
            document.pk,
            {"title": "改过的政策名", "document_number": "津政发〔2023〕1号"},
        ),
        ("articles_source", article.source_id, {"name": "改过的来源"}),
        ("taggit_tag", Tag.objects.get(name="民营经济").pk, {"name": "改过的标签"}),
        ("issues_section", section.pk, {"name": "改过的栏目"}),
        ("issues_publication", issue.publication_id, {"publisher": "改过的编印单位"}),
        ("issues_publication", issue.publication_id, {"sections-0-name": "改名栏目"}),
        ("issues_issue", issue.pk, {"period_end": "2023-08-20"}),
        ("issues_issue", issue.pk, {"board_members-0-name": f"{board.name}改"}),
    ]


def locked_edits(issue):
    """Edits the compile screen would make that no correction may make."""
    return [
        ("issues_issue", issue.pk, {"articles-0-position": "77"}),
        ("issues_issue", issue.pk, {"section_links-0-DELETE": "on"}),
        ("issues_issue", issue.pk, {"section_links-0-position": "99"}),
        ("articles_article", issue.articles.first().pk, {"issue": "", "section": ""}),
        ("articles_article", issue.articles.first().pk, {"print_page": "42"}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_form_changes_a_published_page_without_a_correction(
    client, published, role, request
):
    reader = make_user("读者", username="reader")
    admin_user = make_user(superuser=True, username="inspector")
    before = reader_pages(client, reader, published)
    user = request.getfixturevalue(role)
    every_edit = edits(published) + locked_edits(published)
    for model, pk, changes in every_edit:
        url = reverse(f"admin:{model}_change", args=[pk])
        client.force_login(admin_user)
        data = change_form_data(client.get(url), **changes)
        client.force_login(user)
        # Follow the redirect, so a refusal's message is read here and not later.
        response = client.post(url, data, follow=True)
        assert response.status_code in (200, 403), (model, response.status_code)
        assert reader_pages(client, reader, published) == before, (role, model)
    assert not Correction.objects.exists()


@pytest.mark.parametrize("index", range(5))
def test_the_compile_screen_cannot_rearrange_a_published_issue_even_with_a_reason(
    client, published, chief, index
):
    reader = make_user("读者", username="reader")
    admin_user = make_user(superuser=True, username="inspector")
    before = reader_pages(client, reader, published)
    model, pk, changes = locked_edits(published)[index]
    url = reverse(f"admin:{model}_change", args=[pk])
    client.force_login(admin_user)
    data = change_form_data(client.get(url), **changes)
    client.force_login(chief)
    client.post(url, {**data, "correction_reason": "调整顺序"}, follow=True)
    assert reader_pages(client, reader, published) == before, (model, changes)


@pytest.mark.parametrize("index", range(10))
def test_each_correction_by_the_chief_is_recorded_and_shown(
    client, published, chief, index
):
    reader = make_user("读者", username="reader")
    admin_user = make_user(superuser=True, username="inspector")
    model, pk, changes = edits(published)[index]
    before = reader_pages(client, reader, published)
    url = reverse(f"admin:{model}_change", args=[pk])
    client.force_login(admin_user)
    data = change_form_data(client.get(url), **changes)
    client.force_login(chief)
    response = client.post(url, {**data, "correction_reason": "核对原文后更正"})
    assert response.status_code == 302, (model, changes)
    after = reader_pages(client, reader, published)
    assert after != before, (model, changes)
    # Links to the previous and next item follow their titles; anything else
    # that changed on a page is announced on that page.
    changed = [
        url for url in after if PAGER.sub("", after[url]) != PAGER.sub("", before[url])
    ]
    assert all("核对原文后更正" in after[url] for url in changed), (model, changed)
    assert Correction.objects.filter(reason="核对原文后更正").exists()


@pytest.mark.parametrize("model", ["article", "source", "policydocument", "tag"])
def test_delete_actions_leave_published_content_alone(client, published, chief, model):
    reader = make_user("读者", username="reader")
    before = reader_pages(client, reader, published)
    article = published.articles.in_print_order().first()
    pk = {
        "article": article.pk,
        "source": article.source_id,
        "policydocument": article.attachments.first().policy_document_id,
        "tag": Tag.objects.get(name="民营经济").pk,
    }[model]
    app = "taggit" if model == "tag" else "articles"
    client.force_login(make_user(superuser=True, username="boss"))
    client.post(
        reverse(f"admin:{app}_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        follow=True,
    )
    assert reader_pages(client, reader, published) == before


def test_an_editor_renaming_a_cited_source_is_refused_naming_the_issue(
    client, published, editor
):
    source = published.articles.first().source
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_source_change", args=[source.pk]),
        {
            "name": "人民日报社",
            "kind": source.kind,
            "homepage": "",
            # The page's (empty) alias rows.
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
        },
        follow=True,
    )
    source.refresh_from_db()
    assert source.name == "人民日报"
    shown = [str(m) for m in response.context["messages"]]
    assert any("已发布的期刊只能通过更正修改：2023 年第八期" in m for m in shown)


def test_renaming_a_source_as_a_correction_marks_every_published_item_citing_it(
    published, chief
):
    source = published.articles.first().source
    citing = set(published.articles.filter(source=source).values_list("pk", flat=True))
    source.name = "人民日报社"
    records = corrections.correct(
        user=chief,
        reason="来源名称规范",
        articles=source.articles.all(),
        apply=source.save,
    )
    assert {c.article_id for c in records} == citing
    assert all(
        c.changes == [{"field": "来源", "before": "人民日报", "after": "人民日报社"}]
        for c in records
    )


def test_a_policy_document_cited_by_a_published_item_refuses_a_silent_rename(
    published,
):
    document = PolicyDocument.objects.get(attachments__article__issue=published)
    document.title = "悄悄改过的标题"
    with pytest.raises(Exception, match="已发布的期刊只能通过更正修改"):
        document.save()


def test_the_guard_names_the_record_and_the_rule(published):
    section = published.ordered_sections().first()
    section.name = "新栏目名"
    with pytest.raises(Exception) as refusal:
        section.save()
    assert str(refusal.value.messages[0]) == (
        f"栏目“{section.name}”：已发布的期刊只能通过更正修改：2023 年第八期"
    )


def test_a_signed_off_issue_is_frozen_until_sent_back(client, editor, chief, db):
    issue = IssueFactory()
    fill_issue(issue)
    services.issue_transition(issue=issue, user=editor, name="submit")
    services.issue_transition(issue=issue, user=chief, name="approve")
    article = issue.articles.first()
    for user in (editor, chief):
        client.force_login(user)
        url = reverse("admin:articles_article_change", args=[article.pk])
        assert client.post(url, {"title": "签发后改的"}).status_code == 403
    article.refresh_from_db()
    assert article.title != "签发后改的"
    article.title = "签发后改的"
    with pytest.raises(Exception, match="已签发的期刊须先由主编退回才能修改"):
        article.save()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.APPROVED
    services.issue_transition(issue=issue, user=chief, name="send_back", comment="再改")
    article.refresh_from_db()
    article.title = "退回后改的"
    article.save()


def test_whoever_submits_may_not_also_approve(db):
    chief = make_user("主编", username="solo")
    issue = IssueFactory()
    fill_issue(issue)
    services.issue_transition(issue=issue, user=chief, name="submit")
    with pytest.raises(services.TransitionRefused, match="须由另一位主编签发"):
        services.issue_transition(issue=issue, user=chief, name="approve")
    Publication.objects.filter(pk=issue.publication_id).update(separate_duties=False)
    issue.refresh_from_db()
    services.issue_transition(issue=issue, user=chief, name="approve")
    assert issue.status == Issue.Status.APPROVED


def _versions(article):
    return list(article.history.order_by("history_date", "history_id"))


@pytest.fixture
def corrected_item(published, chief):
    """A published item that came from the pool, was placed, and was corrected."""
    article = Article.objects.create(
        title="候选库中的条目",
        source=Source.objects.first(),
        source_date=datetime.date(2023, 7, 20),
        body="<p>最初的正文。</p>",
    )
    section = published.ordered_sections().first()
    with arranged():
        article.issue, article.section, article.position = published, section, 50
        article.save()
    article.body = "<p>更正后的正文。</p>"
    corrections.correct(
        user=chief, reason="正文有误", articles=[article], apply=article.save
    )
    return article


def test_restoring_a_version_from_before_the_issue_is_refused(
    client, chief, corrected_item
):
    pool_version = _versions(corrected_item)[0]
    client.force_login(chief)
    url = reverse(
        "admin:articles_article_simple_history",
        args=[corrected_item.pk, pool_version.history_id],
    )
    response = client.post(url, {"correction_reason": "还原"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("不能把它移出所在的期刊或栏目" in m for m in shown)
    corrected_item.refresh_from_db()
    assert corrected_item.issue_id is not None
    assert corrected_item.body == "<p>更正后的正文。</p>"


def test_an_editor_cannot_restore_a_published_item(client, editor, corrected_item):
    placed_version = _versions(corrected_item)[1]
    client.force_login(editor)
    url = reverse(
        "admin:articles_article_simple_history",
        args=[corrected_item.pk, placed_version.history_id],
    )
    assert client.post(url, {"title": corrected_item.title}).status_code == 403
    corrected_item.refresh_from_db()
    assert corrected_item.body == "<p>更正后的正文。</p>"


def test_restoring_a_published_item_is_a_correction_with_a_reason(
    client, chief, corrected_item, superuser
):
    placed_version = _versions(corrected_item)[1]
    url = reverse(
        "admin:articles_article_simple_history",
        args=[corrected_item.pk, placed_version.history_id],
    )
    client.force_login(superuser)
    data = change_form_data(client.get(url))
    data.pop("correction_reason", None)
    client.force_login(chief)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请填写更正说明" in str(response.context["adminform"].form.errors)

    response = client.post(url, {**data, "correction_reason": "恢复原正文"})
    assert response.status_code == 302
    corrected_item.refresh_from_db()
    assert corrected_item.body == "<p>最初的正文。</p>"
    assert corrected_item.issue_id is not None
    restore = Correction.objects.get(reason="恢复原正文")
    assert restore.changes[0]["field"] == "正文"
    assert (
        "恢复原正文" in client.get(corrected_item.get_absolute_url()).content.decode()
    )


def test_the_history_page_speaks_chinese(client, chief, corrected_item, published):
    client.force_login(chief)
    page = client.get(
        reverse("admin:articles_article_history", args=[corrected_item.pk])
    ).content.decode()
    assert "不可还原" in page
    document = PolicyDocument.objects.filter(attachments__article__issue=published)
    for url in (
        reverse("admin:articles_article_history", args=[corrected_item.pk]),
        reverse("admin:issues_issue_history", args=[published.pk]),
        reverse("admin:articles_policydocument_history", args=[document.first().pk]),
    ):
        page = client.get(url).content.decode()
        for english in ("CHANGES", "Changes", "None", "Deleted", "Historical"):
            assert english not in page, (url, english)
    version = _versions(corrected_item)[1]
    form = client.get(
        reverse(
            "admin:articles_article_simple_history",
            args=[corrected_item.pk, version.history_id],
        )
    ).content.decode()
    # What a person reads: the editor's configuration names its extensions
    # ("History", undo) in an attribute, which nobody sees.
    text = strip_tags(form)
    for english in ("Revert", "History", "Home", "Historical"):
        assert english not in text, english


def test_a_section_used_by_a_published_issue_keeps_its_name(published, editor, client):
    section = published.ordered_sections().first()
    client.force_login(make_user("主编", username="boss"))
    client.post(
        reverse("admin:issues_section_change", args=[section.pk]),
        {
            "publication": section.publication_id,
            "name": "悄悄改名",
            "slug": section.slug,
            "default_position": section.default_position,
            "default_kind": section.default_kind,
            "in_template": "on",
        },
    )
    assert Section.objects.get(pk=section.pk).name == section.name


def test_unpublishing_keeps_items_corrections_and_history(published, chief, client):
    article = published.articles.first()
    article.title = "更正后的标题"
    corrections.correct(
        user=chief, reason="标题有误", articles=[article], apply=article.save
    )
    items = set(published.articles.values_list("pk", flat=True))
    with pytest.raises(Exception, match="必须填写说明"):
        services.issue_transition(issue=published, user=chief, name="unpublish")
    services.issue_transition(
        issue=published, user=chief, name="unpublish", comment="发现版权问题"
    )
    published.refresh_from_db()
    assert published.status == Issue.Status.DRAFT
    assert set(published.articles.values_list("pk", flat=True)) == items
    assert published.corrections.get().reason == "标题有误"
    step = published.transitions.latest()
    assert (step.user, step.comment) == (chief, "发现版权问题")
    client.force_login(make_user("读者", username="reader"))
    assert client.get(published.get_absolute_url()).status_code == 404


def test_taking_an_item_out_of_a_published_issue_is_a_correction_of_that_issue(
    client, published, chief
):
    item = published.articles.in_print_order().first()
    corrections.correct(
        user=chief,
        reason="原文已撤稿",
        apply=item.leave_issue,
        articles=[item],
    )
    item.refresh_from_db()
    assert item.issue_id is None
    correction = Correction.objects.get(reason="原文已撤稿")
    assert correction.issue_id == published.pk and correction.article_id == item.pk
    client.force_login(chief)
    assert "原文已撤稿" in client.get(published.get_absolute_url()).content.decode()
