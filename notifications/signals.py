"""Mail follows the workflow's announcements: issues knows nothing of it."""

from django.dispatch import receiver

from issues.signals import issue_transitioned
from notifications.mail import mail_for
from notifications.tasks import send_transition_mail


@receiver(issue_transitioned, dispatch_uid="notifications_issue_transitioned")
def issue_was_moved(sender, issue, transition, **kwargs):
    if mail_for(transition) is not None:
        send_transition_mail.enqueue(transition_id=transition.pk)
