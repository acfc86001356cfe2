"""Each workflow step that concerns someone mails them, through a real SMTP
server, one message per recipient, in Chinese, with absolute links."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from bulletin import roles
from issues import services
from issues.models import Issue, IssueTransition
from notifications.models import MailPreferences
from tests.factories import make_user
from tests.notifications.conftest import SITE_URL, with_email
from tests.tasks import run_worker

# The real worker runs the queued tasks, and closes its connection when done.
pytestmark = pytest.mark.django_db(transaction=True)

PREFERENCES_URL = SITE_URL + "/accounts/mail/"
OPT_OUT_LINE = "如不想再收到此类邮件，请在邮件提醒设置中关闭"


def step(issue, user, name, comment=""):
    services.issue_transition(issue=issue, user=user, name=name, comment=comment)
    run_worker()


def to_status(issue, status):
    Issue.objects.filter(pk=issue.pk).update(status=status)
    issue.refresh_from_db()


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.hrefs = {}
        self._href = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs)["href"]

    def handle_data(self, data):
        if self._href and data.strip():
            self.hrefs[data.strip()] = self._href
            self._href = None


def test_submitting_mails_each_chief_editor_their_own_message(inbox, office, draft):
    make_user(roles.CHIEF_EDITOR, username="no-address")
    retired = with_email(make_user(roles.CHIEF_EDITOR, username="retired"))
    retired.is_active = False
    retired.save()

    step(draft, office["editor"], "submit", comment="请重点看国研专稿")

    assert sorted(r.recipients[0] for r in inbox.received) == [
        "chief@example.internal",
        "deputy@example.internal",
    ]
    for received in inbox.received:
        assert len(received.recipients) == 1
        assert received.message["To"] == received.recipients[0]
        assert received.message["Cc"] is None and received.message["Bcc"] is None
        assert received.message["From"] == "bulletin@example.internal"
        assert received.subject == "《信息摘编》2023 年第八期已提交，待您审核"
        assert received.html is None
    text = inbox.to("deputy@example.internal")[0].text
    assert text.startswith("deputy，您好：")
    assert "editor 提交了《信息摘编》2023 年第八期，请审核。" in text
    assert "请重点看国研专稿" in text
    assert f"{SITE_URL}/admin/issues/issue/{draft.pk}/change/" in text
    assert f"{SITE_URL}/preview/{draft.pk}/" in text
    assert OPT_OUT_LINE in text and PREFERENCES_URL in text


def test_the_submitter_is_not_mailed_about_their_own_submission(inbox, office, draft):
    step(draft, office["chief"], "submit")

    assert [r.recipients for r in inbox.received] == [["deputy@example.internal"]]
    assert "chief 提交了" in inbox.received[0].text


def test_a_chief_editor_who_opted_out_gets_no_review_requests(inbox, office, draft):
    MailPreferences.objects.create(user=office["deputy"], review_requests=False)

    step(draft, office["editor"], "submit")

    assert [r.recipients for r in inbox.received] == [["chief@example.internal"]]


def test_sending_back_mails_the_submitter_the_chiefs_comment(inbox, office, draft):
    step(draft, office["editor"], "submit")
    inbox.received.clear()

    step(
        draft,
        office["chief"],
        "send_back",
        comment="第二栏目缺少来源，请补充后再提交。",
    )

    assert [r.recipients for r in inbox.received] == [["editor@example.internal"]]
    received = inbox.received[0]
    assert received.subject == "《信息摘编》2023 年第八期被退回修改"
    text = received.text
    assert "chief 退回了您提交的《信息摘编》2023 年第八期，请修改。" in text
    assert "主编意见：\n第二栏目缺少来源，请补充后再提交。" in text
    assert f"{SITE_URL}/admin/issues/issue/{draft.pk}/change/" in text
    assert OPT_OUT_LINE in text and PREFERENCES_URL in text


def test_an_editor_who_opted_out_is_not_mailed_when_sent_back(inbox, office, draft):
    MailPreferences.objects.create(user=office["editor"], sent_back=False)
    step(draft, office["editor"], "submit")
    inbox.received.clear()

    step(draft, office["chief"], "send_back", comment="请补充来源")

    assert inbox.received == []


def test_publishing_mails_subscribers_the_contents_in_html_and_text(
    inbox, office, draft
):
    MailPreferences.objects.create(user=office["reader"], published_issues=True)
    MailPreferences.objects.create(user=office["editor"], published_issues=True)
    to_status(draft, Issue.Status.APPROVED)

    step(draft, office["chief"], "publish")

    assert sorted(r.recipients for r in inbox.received) == [
        ["editor@example.internal"],
        ["reader@example.internal"],
    ]
    received = inbox.to("reader@example.internal")[0]
    assert received.subject == "《信息摘编》2023 年第八期已发布"
    assert received.message.get_content_type() == "multipart/alternative"
    articles = list(draft.articles.in_print_order().select_related("section"))
    expected = {a.title: f"{SITE_URL}/2023/8/{a.pk}/" for a in articles} | {
        "信息摘编 2023 年 第八期（总第二十六期）": f"{SITE_URL}/2023/8/"
    }
    hrefs = Links(received.html).hrefs
    assert {title: hrefs.get(title) for title in expected} == expected
    assert hrefs["如不想再收到此类邮件，请在邮件提醒设置中关闭。"] == PREFERENCES_URL
    html = received.html
    for section in {a.section.name for a in articles}:
        assert f">{section}</h2>" in html
    text = received.text
    assert "reader，您好：" in text
    for article in articles:
        assert f"- {article.title}\n  {SITE_URL}/2023/8/{article.pk}/" in text
    assert f"阅读本期全文：\n{SITE_URL}/2023/8/" in text
    assert OPT_OUT_LINE in text and PREFERENCES_URL in text
    assert not re.search(r"&(amp|lt|gt|quot|#\d+);", text)


def test_published_issues_are_mailed_only_to_those_who_subscribed(inbox, office, draft):
    MailPreferences.objects.create(user=office["editor"], published_issues=False)
    to_status(draft, Issue.Status.APPROVED)

    step(draft, office["chief"], "publish")

    assert inbox.received == []


def test_signing_off_mails_nobody(inbox, office, draft):
    to_status(draft, Issue.Status.IN_REVIEW)

    step(draft, office["chief"], "approve")

    assert inbox.received == []
    assert not DBTaskResult.objects.exists()


def test_a_mail_server_that_is_down_neither_breaks_nor_undoes_the_step(office, draft):
    # No `inbox`: nothing listens on EMAIL_PORT.
    services.issue_transition(issue=draft, user=office["editor"], name="submit")
    run_worker()

    draft.refresh_from_db()
    assert draft.status == Issue.Status.IN_REVIEW
    assert IssueTransition.objects.get().user == office["editor"]
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    assert "ConnectionRefusedError" in task.traceback


def test_a_failing_mail_server_does_not_break_a_step_run_in_the_request(
    settings, client, office, draft
):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
    client.force_login(office["editor"])

    response = client.post(
        reverse("admin:issues_issue_transition", args=[draft.pk, "submit"])
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Issue.Status.IN_REVIEW
