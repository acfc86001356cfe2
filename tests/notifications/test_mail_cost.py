"""Building a step's mail costs the same few queries however many are mailed."""

from django.utils import translation

from bulletin import roles
from issues.models import Issue, IssueTransition
from notifications.mail import messages_for
from notifications.models import MailPreferences
from tests.factories import make_user
from tests.notifications.conftest import with_email


def test_the_published_mail_for_many_subscribers_takes_three_queries(
    draft, django_assert_max_num_queries
):
    for n in range(20):
        user = with_email(make_user(roles.READER, username=f"reader{n}"))
        MailPreferences.objects.create(user=user, published_issues=True)
    record = IssueTransition.objects.create(
        issue=draft, from_status=Issue.Status.APPROVED, to_status=Issue.Status.PUBLISHED
    )
    # as the task reads it
    transition = IssueTransition.objects.select_related("issue__publication").get(
        pk=record.pk
    )

    # subscribers, the issue's sections, its items with their sources
    with django_assert_max_num_queries(3), translation.override("zh-hans"):
        messages = messages_for(transition)

    assert len(messages) == 20
    assert all(len(message.to) == 1 for message in messages)
    assert len({message.to[0] for message in messages}) == 20
