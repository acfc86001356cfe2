"""What each workflow mail says and to whom: one message per recipient.

Three steps are mailed: a submission for review (to every chief editor but the
submitter), a send-back (to whoever submitted the issue, with the chief's
comment) and a publication (the issue's contents, to those who subscribed).
Every message links to the preferences page that stops it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from issues.models import Issue, IssueTransition

Status = Issue.Status
# with_perm needs one backend named; ours all read permissions the same way.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _reachable(users: QuerySet) -> QuerySet:
    return users.filter(is_active=True).exclude(email="")


def _chief_editors(transition: IssueTransition) -> QuerySet:
    chiefs = get_user_model().objects.with_perm(
        "issues.approve_issue", backend=PERMISSION_BACKEND
    )
    return (
        _reachable(chiefs)
        .exclude(pk=transition.user_id)
        .exclude(mail_preferences__review_requests=False)
    )


def _submitter(transition: IssueTransition) -> QuerySet:
    """Whoever made the submission this send-back answers, unless they sent it back."""
    submission = (
        transition.issue.transitions.filter(
            to_status=Status.IN_REVIEW, pk__lt=transition.pk
        )
        .order_by("-pk")
        .first()
    )
    users = get_user_model().objects
    if submission is None or submission.user_id in (None, transition.user_id):
        return users.none()
    return _reachable(users.filter(pk=submission.user_id)).exclude(
        mail_preferences__sent_back=False
    )


def _subscribers(transition: IssueTransition) -> QuerySet:
    return _reachable(
        get_user_model().objects.filter(mail_preferences__published_issues=True)
    )


@dataclass(frozen=True)
class Mail:
    template: str
    subject: str
    recipients: Callable[[IssueTransition], QuerySet]
    html: bool = False


SUBMITTED = Mail(
    "submitted", _("%(publication)s %(issue)s awaits your review"), _chief_editors
)
SENT_BACK = Mail(
    "sent_back", _("%(publication)s %(issue)s was sent back for changes"), _submitter
)
PUBLISHED = Mail(
    "published", _("%(publication)s %(issue)s is published"), _subscribers, html=True
)


def mail_for(transition: IssueTransition) -> Mail | None:
    """The mail a workflow step sends, if any.

    Only the workflow's own publication is announced: a back issue published by
    an import is old news, and an import may publish hundreds at once.
    """
    if transition.to_status == Status.IN_REVIEW:
        return SUBMITTED
    if transition.to_status == Status.DRAFT and transition.from_status in (
        Status.IN_REVIEW,
        Status.APPROVED,
    ):
        return SENT_BACK
    if transition.to_status == Status.PUBLISHED and transition.from_status == (
        Status.APPROVED
    ):
        return PUBLISHED
    return None


def _contents(issue: Issue) -> list[tuple]:
    """[(section, [(article, absolute url), …]), …] for the published mail."""
    return [
        (section, [(a, absolute(a.get_absolute_url())) for a in articles])
        for section, articles in issue.table_of_contents()
        if section is not None and articles
    ]


def messages_for(transition: IssueTransition) -> list[EmailMultiAlternatives]:
    """One message per recipient, so no one sees who else was mailed."""
    mail = mail_for(transition)
    if mail is None:
        return []
    recipients = list(mail.recipients(transition).order_by("pk"))
    if not recipients:
        return []
    issue = transition.issue
    subject = mail.subject % {"publication": issue.publication, "issue": issue}
    preferences_url = absolute(reverse("notifications:preferences"))
    context = {
        "issue": issue,
        "transition": transition,
        "issue_url": absolute(
            issue.get_absolute_url()
            if mail is PUBLISHED
            else reverse("issues:preview", args=[issue.pk])
        ),
        "admin_url": absolute(reverse("admin:issues_issue_change", args=[issue.pk])),
        "preferences_url": preferences_url,
        "contents": _contents(issue) if mail.html else [],
    }
    messages = []
    for user in recipients:
        context["recipient"] = user.get_full_name() or user.get_username()
        message = EmailMultiAlternatives(
            subject=str(subject),
            body=render_to_string(f"notifications/mail/{mail.template}.txt", context),
            to=[user.email],
            headers={
                "Auto-Submitted": "auto-generated",
                "List-Unsubscribe": f"<{preferences_url}>",
            },
        )
        if mail.html:
            message.attach_alternative(
                render_to_string(f"notifications/mail/{mail.template}.html", context),
                "text/html",
            )
        messages.append(message)
    return messages
