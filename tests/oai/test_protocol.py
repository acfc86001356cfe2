"""The protocol's edges through Django's test client: who may harvest, the
arguments refused, the query count of a page; every body schema-validated."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import corrections
from oai.models import Record
from tests.factories import ArticleFactory
from tests.oai.conftest import NS, SHANGHAI, TOKEN, made_issue, publish


@pytest.fixture
def oai(settings, client, valid):
    settings.SITE_URL = "https://bulletin.example.internal"
    settings.BULLETIN_REQUIRE_LOGIN = False
    settings.OAI_TOKEN = TOKEN
    settings.OAI_HARVESTERS = []

    def get(**params):
        response = client.get("/oai/", params)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        return valid(response.content)

    return get


@pytest.fixture
def published(chief, django_capture_on_commit_callbacks):
    at = datetime.datetime(2023, 9, 1, 8, tzinfo=SHANGHAI)
    # The signals are sent when the capture ends: still on 1 September.
    with (
        time_machine.travel(at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return publish(made_issue(8), chief, at)


def error_code(document) -> str:
    return document.find("oai:error", NS).get("code")


# Access ------------------------------------------------------------------


def test_harvesting_needs_a_login_when_the_pages_do(
    client, settings, published, reader
):
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.OAI_TOKEN = ""
    settings.OAI_HARVESTERS = []
    response = client.get("/oai/", {"verb": "Identify"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(reader)
    assert client.get("/oai/", {"verb": "Identify"}).status_code == 200


def test_a_harvester_with_the_token_needs_no_login(client, settings, published):
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.OAI_TOKEN = TOKEN
    settings.OAI_HARVESTERS = []
    as_query = client.get("/oai/", {"verb": "Identify", "token": TOKEN})
    as_header = client.get(
        "/oai/", {"verb": "Identify"}, headers={"X-OAI-Token": TOKEN}
    )
    wrong = client.get("/oai/", {"verb": "Identify", "token": "guess"})
    assert (as_query.status_code, as_header.status_code) == (200, 200)
    assert wrong.status_code == 302


def test_a_harvester_on_the_allow_list_needs_no_login(client, settings, published):
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.OAI_TOKEN = ""
    settings.OAI_HARVESTERS = ["10.1.0.0/16", "192.0.2.7"]
    assert (
        client.get("/oai/", {"verb": "Identify"}, REMOTE_ADDR="10.1.4.2").status_code
        == 200
    )
    assert (
        client.get("/oai/", {"verb": "Identify"}, REMOTE_ADDR="192.0.2.7").status_code
        == 200
    )
    assert (
        client.get("/oai/", {"verb": "Identify"}, REMOTE_ADDR="192.0.2.8").status_code
        == 302
    )


def test_drafts_are_never_harvested(oai, published, chief):
    draft = made_issue(9)
    ArticleFactory(issue=draft, title="草稿中的条目")
    document = oai(verb="ListRecords", metadataPrefix="oai_dc")
    titles = [t.text for t in document.iterfind(".//dc:title", NS)]
    assert titles and "草稿中的条目" not in titles
    assert not Record.objects.filter(issue_ref=draft.pk).exists()


# Arguments ---------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},  # illegal argument
        {"verb": "ListRecords"},  # missing metadataPrefix
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2023-13-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2023-09-01T08:00:00+08:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2023-09-02", "until": "2023-09-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2023-09-01", "until": "2023-09-02T00:00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "section:信息"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_without_echoing_them(oai, published, params):
    document = oai(**params)
    assert error_code(document) == "badArgument"
    assert document.find("oai:request", NS).attrib == {}


def test_a_repeated_argument_is_refused(client, oai, published, valid):
    response = client.get(
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc"
    )
    assert error_code(valid(response.content)) == "badArgument"


def test_a_repeated_or_missing_verb_is_a_bad_verb(client, oai, published, valid):
    assert error_code(oai()) == "badVerb"
    response = client.get("/oai/?verb=Identify&verb=Identify")
    assert error_code(valid(response.content)) == "badVerb"


def test_a_token_of_another_verb_is_refused(oai, published, settings):
    settings.OAI_PAGE_SIZE = 1
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS).text
    assert (
        error_code(oai(verb="ListRecords", resumptionToken=token))
        == "badResumptionToken"
    )
    tampered = signing.dumps({"verb": "ListIdentifiers"}, salt="another")
    assert (
        error_code(oai(verb="ListIdentifiers", resumptionToken=tampered))
        == "badResumptionToken"
    )
    following = oai(verb="ListIdentifiers", resumptionToken=token)
    assert following.find(".//oai:resumptionToken", NS).get("cursor") == "1"


def test_the_request_element_echoes_good_arguments(oai, published):
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="year:2023")
    request = document.find("oai:request", NS)
    assert request.text == "https://bulletin.example.internal/oai/"
    assert request.attrib == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
        "set": "year:2023",
    }


def test_post_is_answered_like_get(client, oai, published, valid):
    response = client.post("/oai/", {"verb": "ListSets"})
    assert valid(response.content).find("oai:ListSets/oai:set", NS) is not None


# Records -----------------------------------------------------------------


def test_an_item_moved_to_another_section_changes_its_sets_and_datestamp(
    oai, published, chief, django_capture_on_commit_callbacks
):
    item, other = published.articles.in_print_order()[:2]
    before = Record.objects.get(kind="item", object_id=other.pk).datestamp
    item.section = other.section
    with django_capture_on_commit_callbacks(execute=True):
        corrections.correct(
            user=chief, reason="栏目有误", articles=[item], apply=item.save
        )
    document = oai(
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier=f"oai:bulletin.example.internal:item/{item.pk}",
    )
    specs = [s.text for s in document.iterfind(".//oai:setSpec", NS)]
    assert f"section:{other.section_id}" in specs
    assert Record.objects.get(kind="item", object_id=item.pk).datestamp > before
    assert Record.objects.get(kind="item", object_id=other.pk).datestamp == before


def test_an_item_no_longer_in_a_published_issue_becomes_a_tombstone(published):
    from oai import records

    item = published.articles.first()
    published.articles.filter(pk=item.pk).update(issue=None, section=None)
    records.sync_issue(published)
    assert Record.objects.get(kind="item", object_id=item.pk).deleted
    assert not Record.objects.get(kind="issue", object_id=published.pk).deleted


def test_a_page_of_records_takes_the_same_queries_however_many_items(
    oai, published, chief, django_capture_on_commit_callbacks
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            oai(verb="ListRecords", metadataPrefix="oai_dc")
        return len(queries)

    few = count()
    with django_capture_on_commit_callbacks(execute=True):
        for number in (9, 10):
            publish(
                made_issue(number),
                chief,
                datetime.datetime(2023, 10, number, tzinfo=SHANGHAI),
            )
    assert Record.objects.count() > 2 * published.articles.count()
    # count, the page, its items, their tags, their attachments, the issues
    assert count() == few == 6


def test_the_migration_records_what_was_published_before_the_app(db):
    import importlib

    from django.apps import apps

    from issues.models import Issue

    issue = made_issue(8)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    made_issue(9)  # a draft
    migration = importlib.import_module(
        "oai.migrations.0002_records_of_published_issues"
    )
    migration.create_records(apps, None)
    records = Record.objects.filter(deleted=False)
    assert {r.issue_ref for r in records} == {issue.pk}
    assert records.count() == issue.articles.count() + 1


def test_announcing_a_published_issue_again_keeps_its_datestamps(published):
    from issues.signals import issue_published

    before = dict(Record.objects.values_list("pk", "datestamp"))
    with time_machine.travel(datetime.datetime(2025, 1, 1, tzinfo=SHANGHAI)):
        issue_published.send(sender=type(published), issue=published, transition=None)
    assert dict(Record.objects.values_list("pk", "datestamp")) == before
    assert set(before.values()) == {datetime.datetime(2023, 9, 1, tzinfo=datetime.UTC)}
