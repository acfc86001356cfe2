"""A real SMTP server on 127.0.0.1 that the site sends to, and mail-ready users."""

import email
import email.policy
import logging
import socket
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from bulletin import roles
from tests.factories import IssueFactory, fill_issue, make_user
from tests.tasks import DATABASE_QUEUE

SITE_URL = "https://bulletin.example.internal"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str | None:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None


class Inbox:
    """aiosmtpd handler: keeps every message as the server received it."""

    def __init__(self):
        self.received: list[Received] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(
                recipients=list(envelope.rcpt_tos),
                message=email.message_from_bytes(
                    envelope.original_content, policy=email.policy.default
                ),
            )
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


@pytest.fixture(autouse=True)
def _mail_through_the_queue(settings):
    """Production's path: the database queue, the SMTP backend, absolute links."""
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens here unless `inbox` runs
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "bulletin@example.internal"
    settings.SITE_URL = SITE_URL


@pytest.fixture
def inbox(settings):
    # aiosmtpd logs every SMTP command at INFO.
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    yield handler
    controller.stop()
    server_log.setLevel(level)


def with_email(user, address=None):
    user.email = address or f"{user.username}@example.internal"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def office(editor, chief, reader):
    """An editor, two chief editors and a reader, each with an address."""
    return {
        "editor": with_email(editor),
        "chief": with_email(chief),
        "deputy": with_email(make_user(roles.CHIEF_EDITOR, username="deputy")),
        "reader": with_email(reader),
    }


@pytest.fixture
def draft(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    return issue
