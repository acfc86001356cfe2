"""Each user changes their own mail preferences on the reading site."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import MailPreferences
from tests.notifications.conftest import with_email

URL = reverse("notifications:preferences")


CHECKBOX = re.compile(r'<input type="checkbox" name="(\w+)"[^>]*?( checked)?>')


def checkboxes(page: str) -> dict[str, bool]:
    return {name: bool(checked) for name, checked in CHECKBOX.findall(page)}


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("reader", {"published_issues"}),
        ("archivist", {"published_issues"}),
        ("editor", {"sent_back", "published_issues"}),
        ("chief", {"review_requests", "sent_back", "published_issues"}),
    ],
)
def test_each_role_is_offered_the_mails_it_can_receive(request, client, role, offered):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert set(response.context["form"].fields) == offered


def test_the_page_is_in_chinese_and_starts_from_the_defaults(client, chief):
    client.force_login(with_email(chief))
    page = client.get(URL).content.decode()
    assert "<h1" in page and "邮件提醒</h1>" in page
    assert "邮件发送至 chief@example.internal。" in page
    assert checkboxes(page) == {
        "review_requests": True,
        "sent_back": True,
        "published_issues": False,
    }
    assert "有期刊提交审核" in page and "新一期发布" in page
    assert not MailPreferences.objects.exists()  # looking writes nothing


def test_a_user_without_an_address_is_told_no_mail_reaches_them(client, reader):
    client.force_login(reader)
    assert "您的账号没有填写电子邮箱" in client.get(URL).content.decode()


def test_saving_changes_only_the_signed_in_users_own_preferences(client, editor, chief):
    MailPreferences.objects.create(user=chief, review_requests=True)
    client.force_login(editor)

    response = client.post(
        URL, {"published_issues": "on", "user": chief.pk, "review_requests": ""}
    )

    assert response.status_code == 302 and response["Location"] == URL
    mine = MailPreferences.objects.get(user=editor)
    assert (mine.published_issues, mine.sent_back) == (True, False)
    theirs = MailPreferences.objects.get(user=chief)
    assert (theirs.review_requests, theirs.published_issues) == (True, False)
    assert "邮件提醒设置已保存。" in client.get(URL).content.decode()


def test_a_chief_can_turn_review_requests_off_and_on_again(client, chief):
    client.force_login(chief)
    client.post(URL, {"sent_back": "on"})
    assert MailPreferences.objects.get(user=chief).review_requests is False
    client.post(URL, {"review_requests": "on", "sent_back": "on"})
    assert MailPreferences.objects.get(user=chief).review_requests is True
    assert MailPreferences.objects.count() == 1


def test_a_post_without_the_csrf_token_is_refused(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(URL, {"published_issues": "on"})
    assert response.status_code == 403
    assert not MailPreferences.objects.exists()


def test_the_header_links_signed_in_users_to_the_page(client, reader):
    assert URL not in client.get(reverse("issues:home")).content.decode()
    client.force_login(reader)
    assert f'href="{URL}"' in client.get(reverse("issues:home")).content.decode()


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_editors_and_chiefs_find_the_page_in_the_admin_too(request, client, role):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{URL}">邮件提醒</a>' in page
