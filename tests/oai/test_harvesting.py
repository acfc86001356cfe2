"""Harvesting /oai/ with sickle, a real OAI-PMH client, from a live server; every
response body is validated against the shipped OAI-PMH and oai_dc schemas."""

import datetime

import pytest
import time_machine
from sickle import oaiexceptions
from sickle.iterator import OAIResponseIterator

from articles import corrections
from issues import services
from issues.models import Issue
from tests.oai.conftest import NS, SHANGHAI

pytestmark = pytest.mark.usefixtures("oai_settings")


def ask(harvester, **arguments):
    """One request through sickle's iterator, which raises the error it reads."""
    return next(OAIResponseIterator(harvester, arguments))


def headers_by_id(harvester, **arguments):
    return {
        h.identifier: h
        for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", **arguments)
    }


def test_identify_describes_a_repository_that_keeps_deletions(
    harvester, two_issues, live_server
):
    identify = harvester.Identify()
    assert identify.baseURL == live_server.url + "/oai/"
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.adminEmail == "archive@example.org"
    assert identify.repositoryName == "信息摘编"
    assert identify.earliestDatestamp == "2023-09-01T00:00:00Z"  # 08:00 in Shanghai


def test_list_metadata_formats_offers_oai_dc(harvester, two_issues):
    formats = list(harvester.ListMetadataFormats())
    assert [f.metadataPrefix for f in formats] == ["oai_dc"]
    assert formats[0].metadataNamespace == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    issue = two_issues[0]
    identifier = f"oai:localhost:issue/{issue.pk}"
    assert [
        f.metadataPrefix for f in harvester.ListMetadataFormats(identifier=identifier)
    ] == ["oai_dc"]


def test_list_sets_names_publications_sections_and_years(harvester, two_issues):
    issue = two_issues[0]
    sets = {s.setSpec: s.setName for s in harvester.ListSets()}
    assert sets[f"publication:{issue.publication.slug}"] == "信息摘编"
    assert sets["year:2023"] == "2023" and sets["year:2024"] == "2024"
    for section in issue.ordered_sections():
        # Chinese slugs are not valid setSpecs: the section's number stands in.
        assert sets[f"section:{section.pk}"] == section.name


def test_list_records_describes_every_published_item_and_issue(
    harvester, two_issues, live_server
):
    first, second = two_issues
    draft = Issue.objects.create(
        publication=first.publication, year=2024, number=2, cumulative_number=40,
        period_start=datetime.date(2024, 1, 16), period_end=datetime.date(2024, 2, 15),
    )  # fmt: skip
    records = {
        r.header.identifier: r for r in harvester.ListRecords(metadataPrefix="oai_dc")
    }
    articles = [*first.articles.all(), *second.articles.all()]
    assert set(records) == {f"oai:localhost:item/{a.pk}" for a in articles} | {
        f"oai:localhost:issue/{first.pk}",
        f"oai:localhost:issue/{second.pk}",
    }
    assert f"oai:localhost:issue/{draft.pk}" not in records

    item = first.articles.get(author="张三")
    dc = records[f"oai:localhost:item/{item.pk}"].metadata
    assert dc["title"] == [item.title]
    assert dc["creator"] == ["张三", "人民日报"]
    assert dc["publisher"] == [first.publication.publisher]
    assert dc["date"] == ["2023-07-19", first.publish_date.isoformat()]
    assert dc["subject"] == ["民营经济", "营商环境", "政策解读"]
    assert dc["description"] == ["意见的要点。"]
    assert dc["identifier"] == [f"{live_server.url}/items/{item.pk}/"]
    assert dc["language"] == ["zh"]
    document = item.policy_documents.get()
    assert dc["relation"] == [
        f"{live_server.url}/2023/8/",
        f"{live_server.url}/policies/{document.pk}/",
    ]
    header = records[f"oai:localhost:item/{item.pk}"].header
    assert header.datestamp == "2023-09-01T00:00:00Z"
    assert f"section:{item.section_id}" in header.setSpecs
    assert "year:2023" in header.setSpecs

    issue_dc = records[f"oai:localhost:issue/{second.pk}"].metadata
    assert issue_dc["title"] == [f"信息摘编 {second.masthead_number}"]
    assert issue_dc["identifier"] == [f"{live_server.url}/2024/1/"]
    assert issue_dc["date"] == ["2024-02-01"]


def test_a_long_list_is_harvested_across_pages(
    harvester, two_issues, responses, settings
):
    settings.OAI_PAGE_SIZE = 3
    total = sum(issue.articles.count() + 1 for issue in two_issues)
    identifiers = [
        h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc")
    ]
    assert len(identifiers) == len(set(identifiers)) == total
    tokens = [r.find("oai:ListIdentifiers/oai:resumptionToken", NS) for r in responses]
    assert len(responses) == -(-total // 3)
    assert [t.get("cursor") for t in tokens] == [str(n) for n in range(0, total, 3)]
    assert {t.get("completeListSize") for t in tokens} == {str(total)}
    assert tokens[-1].text is None  # the last page's token is empty


def test_get_record_returns_one_record(harvester, two_issues):
    item = two_issues[1].articles.first()
    record = harvester.GetRecord(
        identifier=f"oai:localhost:item/{item.pk}", metadataPrefix="oai_dc"
    )
    assert record.metadata["title"] == [item.title]
    assert not record.deleted


def test_sets_select_what_is_harvested(harvester, two_issues):
    first, second = two_issues
    section = first.ordered_sections()[0]
    in_section = headers_by_id(harvester, set=f"section:{section.pk}")
    assert set(in_section) == {
        f"oai:localhost:item/{a.pk}" for a in section.articles.all()
    }
    in_2024 = headers_by_id(harvester, set="year:2024")
    assert set(in_2024) == {
        f"oai:localhost:item/{a.pk}" for a in second.articles.all()
    } | {f"oai:localhost:issue/{second.pk}"}
    everything = headers_by_id(harvester, set=f"publication:{first.publication.slug}")
    assert len(everything) == first.articles.count() + second.articles.count() + 2


def test_from_and_until_select_by_datestamp_at_day_and_second(harvester, two_issues):
    first, second = two_issues
    first_ids = {f"oai:localhost:item/{a.pk}" for a in first.articles.all()} | {
        f"oai:localhost:issue/{first.pk}"
    }
    assert set(headers_by_id(harvester, until="2023-09-01")) == first_ids
    assert set(headers_by_id(harvester, until="2023-09-01T00:00:00Z")) == first_ids
    assert (
        not set(headers_by_id(harvester, **{"from": "2023-09-01T00:00:01Z"}))
        & first_ids
    )
    later = headers_by_id(harvester, **{"from": "2024-01-31", "until": "2024-02-01"})
    assert len(later) == second.articles.count() + 1


def test_an_unpublished_issue_is_reported_as_deleted(
    harvester, two_issues, chief, responses
):
    first, _second = two_issues
    at = datetime.datetime(2024, 3, 1, 8, tzinfo=SHANGHAI)
    with time_machine.travel(at, tick=False):
        services.issue_transition(
            issue=first, user=chief, name="unpublish", comment="撤回重排"
        )
    headers = headers_by_id(harvester, set="year:2023")
    assert len(headers) == first.articles.count() + 1
    assert all(h.deleted for h in headers.values())
    assert {h.datestamp for h in headers.values()} == {"2024-03-01T00:00:00Z"}
    item = first.articles.first()
    record = harvester.GetRecord(
        identifier=f"oai:localhost:item/{item.pk}", metadataPrefix="oai_dc"
    )
    assert record.deleted
    assert responses[-1].find(".//oai:metadata", NS) is None
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", set="year:2023"))
    assert all(r.deleted for r in records)


def test_republishing_brings_the_records_back(harvester, two_issues, chief):
    first, _second = two_issues
    services.issue_transition(issue=first, user=chief, name="unpublish", comment="撤回")
    Issue.objects.filter(pk=first.pk).update(status=Issue.Status.APPROVED)
    services.issue_transition(issue=first, user=chief, name="publish")
    headers = headers_by_id(harvester, set="year:2023")
    assert headers and not any(h.deleted for h in headers.values())


def test_a_correction_moves_only_the_corrected_records_datestamp(
    harvester, two_issues, chief
):
    first, _second = two_issues
    item = first.articles.first()
    item.title = "更正后的标题"
    with time_machine.travel(
        datetime.datetime(2024, 5, 6, 10, 30, 5, tzinfo=SHANGHAI), tick=False
    ):
        corrections.correct(
            user=chief, reason="标题有误", articles=[item], apply=item.save
        )
    changed = list(
        harvester.ListRecords(
            metadataPrefix="oai_dc", **{"from": "2024-05-06T02:30:05Z"}
        )
    )
    assert [r.header.identifier for r in changed] == [f"oai:localhost:item/{item.pk}"]
    assert changed[0].header.datestamp == "2024-05-06T02:30:05Z"
    assert changed[0].metadata["title"] == ["更正后的标题"]


def test_post_requests_are_answered_too(oai_settings, live_server, two_issues, valid):
    import requests

    response = requests.post(
        live_server.url + "/oai/",
        data={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
        headers={"X-OAI-Token": "harvest-secret"},
        timeout=10,
    )
    document = valid(response.content)
    assert len(document.findall("oai:ListIdentifiers/oai:header", NS)) > 2


ERRORS = [
    ("badVerb", oaiexceptions.BadVerb, {"verb": "ListEverything"}),
    ("badArgument", oaiexceptions.BadArgument, {"verb": "GetRecord", "metadataPrefix": "oai_dc"}),
    ("badResumptionToken", oaiexceptions.BadResumptionToken, {"verb": "ListRecords", "resumptionToken": "forged"}),
    ("cannotDisseminateFormat", oaiexceptions.CannotDisseminateFormat, {"verb": "ListRecords", "metadataPrefix": "marc21"}),
    ("idDoesNotExist", oaiexceptions.IdDoesNotExist, {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:localhost:item/999999"}),
    ("noRecordsMatch", oaiexceptions.NoRecordsMatch, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "year:1999"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "exception", "arguments"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_each_protocol_error_is_reported_by_its_code(
    harvester, two_issues, responses, code, exception, arguments
):
    with pytest.raises(exception):
        ask(harvester, **arguments)
    assert responses[-1].find("oai:error", NS).get("code") == code


def test_an_empty_repository_has_no_set_hierarchy(harvester, responses):
    with pytest.raises(oaiexceptions.NoSetHierarchy):
        ask(harvester, verb="ListSets")
    assert responses[-1].find("oai:error", NS).get("code") == "noSetHierarchy"


def test_a_deleted_record_has_no_metadata_formats(
    harvester, two_issues, chief, responses
):
    first = two_issues[0]
    services.issue_transition(issue=first, user=chief, name="unpublish", comment="撤回")
    # sickle looks for a class NoMetadataFormats, names it NoMetadataFormat, and
    # falls back to its generic error.
    with pytest.raises(oaiexceptions.OAIError):
        ask(
            harvester,
            verb="ListMetadataFormats",
            identifier=f"oai:localhost:issue/{first.pk}",
        )
    assert responses[-1].find("oai:error", NS).get("code") == "noMetadataFormats"
