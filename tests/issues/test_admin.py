"""The editors' admin: who sees which page, compiling an issue, the workflow buttons."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article
from issues.models import BoardMember, Issue
from tests.factories import ArticleFactory, IssueFactory, fill_issue

ROLES = ["anonymous", "reader", "editor", "chief", "archivist", "superuser"]


def client_for(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.fixture
def issue(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    return issue


def admin_pages(issue):
    article = issue.articles.first()
    return {
        # url: roles that get 200
        reverse("admin:index"): {"editor", "chief", "archivist", "superuser"},
        reverse("admin:issues_issue_changelist"): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:issues_issue_add"): {"editor", "chief", "superuser"},
        reverse("admin:issues_issue_change", args=[issue.pk]): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:issues_issue_preflight", args=[issue.pk]): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:issues_issue_delete", args=[issue.pk]): {"chief", "superuser"},
        reverse("admin:issues_publication_changelist"): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:issues_section_add"): {"chief", "superuser"},
        reverse("admin:issues_issuetransition_changelist"): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:articles_article_changelist"): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:articles_article_add"): {"editor", "chief", "superuser"},
        reverse("admin:articles_article_change", args=[article.pk]): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:articles_article_delete", args=[article.pk]): {
            "editor",
            "chief",
            "superuser",
        },
        reverse("admin:articles_source_changelist"): {
            "editor",
            "chief",
            "archivist",
            "superuser",
        },
        reverse("admin:articles_policydocument_add"): {"editor", "chief", "superuser"},
        reverse("admin:auth_user_changelist"): {"superuser"},
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_admin_page_renders_for_its_roles_and_is_refused_to_others(
    client, request, issue, role
):
    client = client_for(client, request, role)
    for url, allowed in admin_pages(issue).items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (url, role, response.status_code)
        elif role in ("anonymous", "reader"):
            # Not staff: sent to the admin login page.
            assert response.status_code == 302, (url, role)
            assert "/admin/login/" in response["Location"]
        else:
            assert response.status_code == 403, (url, role, response.status_code)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("reader", 403),
        ("archivist", 403),
        ("editor", 200),
        ("chief", 200),
    ],
)
def test_only_editors_preview_an_unpublished_issue(
    client, request, issue, role, status
):
    response = client_for(client, request, role).get(
        reverse("issues:preview", args=[issue.pk])
    )
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


@time_machine.travel(datetime.date(2023, 8, 20))
def test_the_add_page_suggests_the_next_numbers(client, editor, issue):
    client.force_login(editor)
    response = client.get(reverse("admin:issues_issue_add"))
    form = response.context["adminform"].form
    assert form.initial["publication"] == issue.publication.pk
    assert form.initial["number"] == 9
    assert form.initial["cumulative_number"] == 27
    assert form.initial["period_start"] == datetime.date(2023, 8, 16)


@time_machine.travel(datetime.date(2026, 12, 1))
def test_the_add_page_follows_the_latest_issue_not_the_calendar(client, editor, issue):
    """Compiled years later, the next issue is still 2023 第九期 after 第八期."""
    issue.board_members.all().delete()
    BoardMember.objects.create(
        issue=issue, role=BoardMember.Role.CHIEF_EDITOR, name="沈习春", position=0
    )
    BoardMember.objects.create(
        issue=issue, role=BoardMember.Role.DEPUTY_EDITOR, name="张欣", position=0
    )
    client.force_login(editor)
    response = client.get(reverse("admin:issues_issue_add"))
    form = response.context["adminform"].form
    assert (form.initial["year"], form.initial["number"]) == (2023, 9)
    assert form.initial["period_start"] == datetime.date(2023, 8, 16)
    board = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "board_members"
    )
    assert [(f.initial["role"], f.initial["name"]) for f in board.forms] == [
        (BoardMember.Role.CHIEF_EDITOR, "沈习春"),
        (BoardMember.Role.DEPUTY_EDITOR, "张欣"),
    ]


def issue_post_data(issue_fields, sections=(), board=(), articles=()):
    data = {**issue_fields}
    for prefix, rows in (
        ("section_links", sections),
        ("board_members", board),
        ("articles", articles),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = sum(1 for r in rows if r.get("id"))
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


def test_a_new_issue_gets_the_section_template(client, editor, issue):
    client.force_login(editor)
    data = issue_post_data(
        {
            "publication": issue.publication.pk,
            "year": 2023,
            "number": 9,
            "cumulative_number": 27,
            "period_start": "2023-08-16",
            "period_end": "2023-09-15",
        },
        board=[
            {"role": BoardMember.Role.CHIEF_EDITOR, "name": "沈习春", "position": 1}
        ],
    )
    response = client.post(reverse("admin:issues_issue_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = Issue.objects.get(number=9)
    assert new.ordered_sections().count() == 8
    assert [m.name for m in new.board_members.all()] == ["沈习春"]


def test_the_add_page_shows_the_section_template_to_edit(client, editor, issue):
    client.force_login(editor)
    url = reverse("admin:issues_issue_add") + f"?publication={issue.publication.pk}"
    page = client.get(url)
    sections = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.prefix == "section_links"
    )
    template = list(issue.publication.template_sections())
    assert [f.initial["section"] for f in sections.forms] == [s.pk for s in template]
    assert "热点关注" in page.content.decode()


def test_a_new_issue_keeps_the_sections_edited_on_its_add_form(client, editor, issue):
    template = list(issue.publication.template_sections())
    kept = [template[0], template[2]]
    client.force_login(editor)
    data = issue_post_data(
        {
            "publication": issue.publication.pk,
            "year": 2023,
            "number": 9,
            "cumulative_number": 27,
            "period_start": "2023-08-16",
            "period_end": "2023-09-15",
        },
        sections=[
            {"section": section.pk, "position": position}
            for position, section in enumerate(reversed(kept))
        ],
    )
    response = client.post(reverse("admin:issues_issue_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = Issue.objects.get(number=9)
    assert list(new.ordered_sections()) == list(reversed(kept))


def test_a_duplicate_number_gets_a_clear_message_not_an_error_page(
    client, editor, issue
):
    client.force_login(editor)
    data = issue_post_data(
        {
            "publication": issue.publication.pk,
            "year": 2023,
            "number": 8,
            "cumulative_number": 26,
            "period_start": "2023-08-16",
            "period_end": "2023-08-01",
        }
    )
    response = client.post(reverse("admin:issues_issue_add"), data)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors)
    assert "该刊物这一年已有这一期。" in errors
    assert "该刊物已有这一总期号。" in errors
    assert "收录截止日期不能早于起始日期。" in errors


def test_a_gap_in_numbering_is_saved_only_when_confirmed(client, editor, issue):
    client.force_login(editor)
    fields = {
        "publication": issue.publication.pk,
        "year": 2023,
        "number": 10,
        "cumulative_number": 27,
        "period_start": "2023-08-16",
        "period_end": "2023-09-15",
    }
    response = client.post(reverse("admin:issues_issue_add"), issue_post_data(fields))
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors)
    assert "期号不连续" in errors and "请勾选确认" in errors
    assert not Issue.objects.filter(number=10).exists()

    fields["accept_numbering_gap"] = "on"
    response = client.post(reverse("admin:issues_issue_add"), issue_post_data(fields))
    assert response.status_code == 302
    assert Issue.objects.filter(number=10).exists()


def test_starting_a_new_year_early_is_saved_only_when_confirmed(client, editor, issue):
    client.force_login(editor)
    fields = {
        "publication": issue.publication.pk,
        "year": 2024,
        "number": 1,
        "cumulative_number": 27,
        "period_start": "2023-08-16",
        "period_end": "2023-09-15",
    }
    response = client.post(reverse("admin:issues_issue_add"), issue_post_data(fields))
    assert response.status_code == 200
    assert "提前开始新的一年" in str(response.context["adminform"].form.errors)
    fields["accept_numbering_gap"] = "on"
    response = client.post(reverse("admin:issues_issue_add"), issue_post_data(fields))
    assert response.status_code == 302


def test_the_suggested_next_issue_needs_no_confirmation(client, editor, issue):
    client.force_login(editor)
    url = reverse("admin:issues_issue_add") + f"?publication={issue.publication.pk}"
    form = client.get(url).context["adminform"].form
    fields = {
        name: form.initial[name]
        for name in (
            "year",
            "number",
            "cumulative_number",
            "period_start",
            "period_end",
        )
    }
    fields["publication"] = issue.publication.pk
    response = client.post(reverse("admin:issues_issue_add"), issue_post_data(fields))
    assert response.status_code == 302


def change_data(issue, **extra):
    """The issue's change form as the browser would post it back, rows reordered."""
    sections = [
        {
            "id": link.pk,
            "issue": issue.pk,
            "section": link.section_id,
            "position": link.position,
        }
        for link in issue.section_links.all()
    ]
    articles = [
        {
            "id": a.pk,
            "issue": issue.pk,
            "position": a.position,
            "section": a.section_id,
            "title": a.title,
            "kind": a.kind,
            "source": a.source_id,
            "source_date": a.source_date.isoformat() if a.source_date else "",
            "loaded_version": a.version,
        }
        for a in issue.articles.all()
    ]
    fields = {
        "publication": issue.publication_id,
        "year": issue.year,
        "number": issue.number,
        "cumulative_number": issue.cumulative_number,
        "period_start": issue.period_start.isoformat(),
        "period_end": issue.period_end.isoformat(),
        "loaded_version": issue.version,
        **extra,
    }
    return fields, sections, articles


def test_editors_reorder_sections_and_articles_on_the_compile_screen(
    client, editor, issue
):
    client.force_login(editor)
    fields, sections, articles = change_data(issue)
    sections[0]["position"], sections[1]["position"] = 1, 0  # swap the first two
    section = issue.ordered_sections().first()
    extra = ArticleFactory(issue=issue, section=section, position=100)
    fields, _, articles = change_data(issue)
    for row in articles:
        if row["id"] == extra.pk:
            row["position"] = 0  # dragged to the top
    response = client.post(
        reverse("admin:issues_issue_change", args=[issue.pk]),
        issue_post_data(fields, sections, [], articles),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    toc = issue.table_of_contents()
    assert [s.name for s, _ in toc][:2] == ["行业动向", "热点关注"]
    assert toc[1][1][0] == extra


def test_editors_pull_items_in_from_the_pool(client, editor, issue):
    client.force_login(editor)
    pool = ArticleFactory.create_batch(2, issue=None)
    target = issue.ordered_sections().last()
    fields, sections, articles = change_data(
        issue, pool_articles=[a.pk for a in pool], pool_section=target.pk
    )
    response = client.post(
        reverse("admin:issues_issue_change", args=[issue.pk]),
        issue_post_data(fields, sections, [], articles),
    )
    assert response.status_code == 302
    assert set(issue.articles.filter(section=target)) >= set(pool)


def test_the_compile_screen_shows_the_table_of_contents(client, editor, issue):
    client.force_login(editor)
    response = client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
    content = response.content.decode()
    for article in issue.articles.all():
        assert article.title in content
    assert "发布前检查：全部通过" in content
    assert "提交审核" in content
    assert [t.name for t in response.context["transitions"]] == ["submit"]


def test_workflow_buttons_move_the_issue_and_show_the_record(
    client, editor, chief, issue
):
    client.force_login(editor)
    url = reverse("admin:issues_issue_transition", args=[issue.pk, "submit"])
    response = client.post(url, {"comment": "请审阅"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.IN_REVIEW

    # The editor may not approve: the button is refused with a message.
    response = client.post(
        reverse("admin:issues_issue_transition", args=[issue.pk, "approve"]),
        follow=True,
    )
    assert any("没有权限" in str(m) for m in get_messages(response.wsgi_request))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.IN_REVIEW

    client.force_login(chief)
    for name in ("approve", "publish"):
        client.post(reverse("admin:issues_issue_transition", args=[issue.pk, name]))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    page = client.get(
        reverse("admin:issues_issue_change", args=[issue.pk])
    ).content.decode()
    assert "请审阅" in page
    assert "撤回发布" in page


def test_publishing_an_incomplete_issue_lists_every_problem(client, chief, issue):
    issue.articles.filter(section__name__in=["国际视野", "国内动态"]).delete()
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.APPROVED)
    client.force_login(chief)
    response = client.post(
        reverse("admin:issues_issue_transition", args=[issue.pk, "publish"]),
        follow=True,
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "栏目“国际视野”没有条目。" in shown
    assert "栏目“国内动态”没有条目。" in shown
    issue.refresh_from_db()
    assert issue.status == Issue.Status.APPROVED


def test_transitions_only_accept_post(client, chief, issue):
    client.force_login(chief)
    response = client.get(
        reverse("admin:issues_issue_transition", args=[issue.pk, "submit"])
    )
    assert response.status_code == 405


@pytest.mark.parametrize("status", [Issue.Status.PUBLISHED, Issue.Status.APPROVED])
def test_a_frozen_issue_is_read_only_for_editors(client, editor, issue, status):
    Issue.objects.filter(pk=issue.pk).update(status=status)
    client.force_login(editor)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    fields, sections, articles = change_data(issue, number=99)
    response = client.post(url, issue_post_data(fields, sections, [], articles))
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.number == 8
    assert (
        client.get(reverse("admin:issues_issue_delete", args=[issue.pk])).status_code
        == 403
    )


def test_a_signed_off_issue_is_read_only_for_the_chief_too(client, chief, issue):
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.APPROVED)
    client.force_login(chief)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    assert not client.get(url).context["has_change_permission"]
    fields, sections, articles = change_data(issue, number=99)
    response = client.post(url, issue_post_data(fields, sections, [], articles))
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.number == 8


def test_the_chief_corrects_a_published_issue_only_with_a_reason(
    client, chief, issue, reader
):
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    old_url = issue.get_absolute_url()
    client.force_login(chief)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    page = client.get(url)
    assert page.context["has_change_permission"]
    fields, sections, articles = change_data(issue, number=9, cumulative_number=27)
    response = client.post(url, issue_post_data(fields, sections, [], articles))
    assert response.status_code == 200
    assert "请填写更正说明" in str(response.context["adminform"].form.errors)
    issue.refresh_from_db()
    assert issue.number == 8

    fields["correction_reason"] = "期号印错"
    response = client.post(url, issue_post_data(fields, sections, [], articles))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.number == 9
    correction = issue.corrections.get(article=None)
    assert correction.reason == "期号印错"
    assert "期号" in correction.fields_display
    admin_page = client.get(url).content.decode()
    assert "更正记录 1 条" in admin_page and "期号印错" in admin_page
    client.force_login(reader)
    moved = client.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == issue.get_absolute_url()
    assert "期号印错" in client.get(issue.get_absolute_url()).content.decode()


def test_the_article_list_filters_titles_needing_review(client, editor, issue):
    flagged = issue.articles.first()
    Article.objects.filter(pk=flagged.pk).update(needs_review=True)
    client.force_login(editor)
    response = client.get(
        reverse("admin:articles_article_changelist"), {"needs_review__exact": "1"}
    )
    assert list(response.context["cl"].result_list) == [flagged]
    # A warning, not the green tick of a boolean column.
    content = response.content.decode()
    assert "⚠ 待核" in content and "icon-yes.svg" not in content


def test_the_issue_list_counts_titles_needing_review(client, editor, issue):
    issue.articles.filter(pk__in=issue.articles.values("pk")[:2]).update(
        needs_review=True
    )
    client.force_login(editor)
    content = client.get(reverse("admin:issues_issue_changelist")).content.decode()
    assert f"issue__id__exact={issue.pk}&amp;needs_review__exact=1" in content


def post_with_row_removed(client, issue, prefix: str, row_object, **row_fields):
    """The issue's change form posted back with one inline row marked for
    removal, and that row's other fields set as given."""
    from tests.issues.test_permanence import change_form_data

    url = reverse("admin:issues_issue_change", args=[issue.pk])
    page = client.get(url)
    row = next(
        index
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
        for index, form in enumerate(inline.formset.forms)
        if form.instance.pk == row_object.pk
    )
    removed = {f"{prefix}-{row}-DELETE": "on", "_save": "1"}
    removed.update({f"{prefix}-{row}-{name}": v for name, v in row_fields.items()})
    return client.post(url, change_form_data(page, **removed))


def test_removing_an_item_row_returns_the_item_to_the_pool(client, editor, issue):
    article = issue.articles.in_print_order().first()
    client.force_login(editor)
    response = post_with_row_removed(client, issue, "articles", article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.issue_id, article.section_id) == (None, None)
    assert Article.objects.in_pool().filter(pk=article.pk).exists()


def test_a_published_issue_keeps_its_items_and_sections_when_rows_are_removed(
    client, chief, issue
):
    """The archive's promise: the compile screen's removals apply to drafts only."""
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    article = issue.articles.in_print_order().first()
    link = issue.section_links.order_by("position").first()
    client.force_login(chief)
    post_with_row_removed(client, issue, "articles", article)
    post_with_row_removed(client, issue, "section_links", link)
    article.refresh_from_db()
    assert (article.issue_id, article.section_id) == (issue.pk, link.section_id)
    assert issue.section_links.filter(pk=link.pk).exists()


def test_removing_a_section_with_items_asks_where_they_go(client, editor, issue):
    link = issue.section_links.order_by("position").first()
    count = issue.articles.filter(section=link.section).count()
    assert count
    client.force_login(editor)
    response = post_with_row_removed(client, issue, "section_links", link)
    assert response.status_code == 200
    assert (
        f"栏目“{link.section.name}”还有 {count} 个条目：请选择它们的去向"
        in response.content.decode()
    )
    assert issue.section_links.filter(pk=link.pk).exists()
    assert issue.articles.filter(section=link.section).count() == count


def test_a_removed_sections_items_move_to_the_chosen_section(client, editor, issue):
    first, second = issue.section_links.order_by("position")[:2]
    moving = list(
        issue.articles.filter(section=first.section).order_by("position", "id")
    )
    staying = list(issue.articles.filter(section=second.section))
    client.force_login(editor)
    response = post_with_row_removed(
        client, issue, "section_links", first, items_go_to=str(second.section_id)
    )
    assert response.status_code == 302
    assert not issue.section_links.filter(pk=first.pk).exists()
    in_print_order = list(
        issue.articles.filter(section=second.section).in_print_order()
    )
    assert in_print_order == [*staying, *moving]


def test_a_removed_sections_items_can_go_back_to_the_pool(client, editor, issue):
    link = issue.section_links.order_by("position").first()
    items = list(issue.articles.filter(section=link.section))
    client.force_login(editor)
    response = post_with_row_removed(
        client, issue, "section_links", link, items_go_to="pool"
    )
    assert response.status_code == 302
    assert set(Article.objects.in_pool()) >= set(items)
    assert not issue.section_links.filter(pk=link.pk).exists()


def test_the_tag_list_offers_no_untranslated_merge_that_bypasses_corrections(
    client, chief
):
    from django.urls import NoReverseMatch

    client.force_login(chief)
    page = client.get(reverse("admin:taggit_tag_changelist")).content.decode()
    assert "Merge selected tags" not in page
    with pytest.raises(NoReverseMatch):
        reverse("admin:taggit_tag_merge_tags")
