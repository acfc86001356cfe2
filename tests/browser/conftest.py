"""Browser fixtures: Debian's chromium driven by Playwright, and a published issue."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from issues.models import Issue
from tests.factories import AttachmentFactory, IssueFactory, fill_issue

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def watch_console(page) -> list[str]:
    """Errors the page reports from now on: script errors, CSP refusals, files
    that fail to load."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # by the tests themselves are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def published_issue(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue, per_section=2)
    first = issue.articles.in_print_order().first()
    AttachmentFactory(
        article=first, policy_document__title="关于促进民营经济发展壮大的意见"
    )
    first.tags.set(["民营经济"])
    Issue.objects.filter(pk=issue.pk).update(
        status=Issue.Status.PUBLISHED, publish_date=datetime.date(2023, 8, 20)
    )
    return issue


@pytest.fixture
def login_required(settings):
    settings.BULLETIN_REQUIRE_LOGIN = True
