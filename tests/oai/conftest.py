import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from lxml import etree
from sickle import Sickle

from issues import services
from issues.models import Issue
from tests.factories import AttachmentFactory, IssueFactory, fill_issue

SCHEMAS = Path(__file__).resolve().parents[2] / "oai" / "schemas"
SHANGHAI = ZoneInfo("Asia/Shanghai")
TOKEN = "harvest-secret"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@pytest.fixture(scope="session")
def schema():
    """The shipped OAI-PMH schema with the oai_dc schema its <metadata> needs."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "harvest.xsd")))


@pytest.fixture
def valid(schema):
    """Parse a response body, failing the test unless the schema accepts it."""

    def check(body: bytes):
        document = etree.fromstring(body)
        schema.assertValid(document)
        return document

    return check


@pytest.fixture
def oai_settings(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.OAI_TOKEN = TOKEN
    settings.OAI_HARVESTERS = []
    settings.OAI_ADMIN_EMAIL = "archive@example.org"
    return settings


@pytest.fixture
def responses():
    """Every body the harvester received, in order."""
    return []


@pytest.fixture
def harvester(oai_settings, live_server, valid, responses):
    """sickle against the live server, presenting the token; every response is
    validated against the shipped schema before sickle reads it."""

    def validate(response, *args, **kwargs):
        responses.append(valid(response.content))

    return Sickle(
        live_server.url + "/oai/",
        headers={"X-OAI-Token": TOKEN},
        hooks={"response": validate},
    )


def publish(issue, user, at: datetime.datetime):
    """Through the workflow, so the domain signals are sent (on commit)."""
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.APPROVED)
    issue.refresh_from_db()
    with time_machine.travel(at, tick=False):
        services.issue_transition(issue=issue, user=user, name="publish")
    issue.refresh_from_db()
    return issue


def made_issue(number: int, *, year=2023):
    issue = IssueFactory(number=number, year=year, cumulative_number=18 + number)
    articles = fill_issue(issue)
    first = articles[0]
    first.keywords = "民营经济，营商环境"
    first.author = "张三"
    first.abstract = "意见的要点。"
    first.save()
    first.tags.set(["政策解读"])
    AttachmentFactory(
        article=first, policy_document__title="关于促进民营经济发展壮大的意见"
    )
    return issue


@pytest.fixture
def two_issues(chief):
    """Issue 2023/8 published on 1 September 2023, 2024/1 on 1 February 2024."""
    first = publish(
        made_issue(8), chief, datetime.datetime(2023, 9, 1, 8, tzinfo=SHANGHAI)
    )
    second = publish(
        made_issue(1, year=2024),
        chief,
        datetime.datetime(2024, 2, 1, 8, tzinfo=SHANGHAI),
    )
    return first, second
