"""Mail goes out from the background worker, never from the request that made
the step: a slow or absent mail server cannot hold up or undo a transition."""

from django.conf import settings
from django.core.mail import get_connection
from django.tasks import task
from django.utils import translation

from issues.models import IssueTransition
from notifications.mail import messages_for


@task
def send_transition_mail(transition_id: int) -> int:
    """Mail everyone a workflow step concerns; returns how many messages went out.

    If the server refuses, the task fails and the worker records why; the step
    itself is long committed.
    """
    transition = (
        IssueTransition.objects.select_related("issue__publication", "user")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        messages = messages_for(transition)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
