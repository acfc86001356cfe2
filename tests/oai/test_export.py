"""The whole published archive's metadata as one file, from a command and from
the admin (written by the worker)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from articles.models import Article
from oai.models import MetadataExport
from tests.factories import IssueFactory, fill_issue, make_user
from tests.oai.conftest import NS, SCHEMAS
from tests.tasks import run_worker

OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"


@pytest.fixture(scope="module")
def dc_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "oai_dc.xsd")))


# Publishing announces the issue on commit (the records are written then), and
# the admin's export is queued on commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(two_issues):
    """Two published issues and a draft whose items must not appear."""
    draft = IssueFactory(number=9, cumulative_number=27)
    fill_issue(draft)
    Article.objects.filter(issue=draft).update(title="草稿里的条目")
    return two_issues


def published_items():
    return Article.objects.published().count()


def test_the_xml_export_holds_every_published_record_as_valid_oai_dc(
    archive, tmp_path, dc_schema, settings
):
    settings.SITE_URL = "https://bulletin.example.org"
    output = tmp_path / "archive.xml"
    out = io.StringIO()
    call_command("export_metadata", "--output", str(output), stdout=out)
    records = etree.parse(str(output)).getroot().findall("record")
    assert len(records) == published_items() + 2
    assert f"{len(records)} 条记录" in out.getvalue()
    for record in records:
        (dc,) = record
        assert dc.tag == OAI_DC
        dc_schema.assertValid(etree.ElementTree(dc))
    identifiers = [r.find(".//dc:identifier", NS).text for r in records]
    assert len(set(identifiers)) == len(records)
    assert all(i.startswith("https://bulletin.example.org/") for i in identifiers)
    titles = etree.tostring(output.read_bytes() and etree.parse(str(output)))
    assert "草稿里的条目".encode() not in titles
    first = next(
        r
        for r in records
        if r.find(".//dc:creator", NS) is not None
        and r.find(".//dc:creator", NS).text == "张三"
    )
    subjects = [s.text for s in first.findall(".//dc:subject", NS)]
    assert {"民营经济", "营商环境", "政策解读"} <= set(subjects)


def test_the_csv_export_has_one_row_a_record_and_opens_as_utf8(archive, tmp_path):
    output = tmp_path / "archive.csv"
    call_command("export_metadata", "--format", "csv", "--output", str(output))
    raw = output.read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheet programs read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == published_items() + 2
    assert {row["kind"] for row in rows} == {"issue", "item"}
    by_creator = {row["dc:creator"]: row for row in rows}
    first = next(row for creator, row in by_creator.items() if "张三" in creator)
    assert "民营经济 | 营商环境" in first["dc:subject"]
    assert all(row["dc:language"] == "zh" for row in rows)
    assert not any("草稿里的条目" in row["dc:title"] for row in rows)


def test_an_archivist_exports_from_the_admin_and_downloads_the_file(archive, client):
    archivist = make_user("档案员")
    client.force_login(archivist)
    add = reverse("admin:oai_metadataexport_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"format": "csv"})
    job = MetadataExport.objects.get()
    assert response.url == reverse("admin:oai_metadataexport_change", args=[job.pk])
    assert '<meta http-equiv="refresh"' in client.get(response.url).content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.status == MetadataExport.Status.DONE, job.error
    assert job.requested_by == archivist and job.done == published_items() + 2
    page = client.get(response.url).content.decode()
    assert job.filename in page and "http-equiv" not in page
    download = client.get(reverse("admin:oai_metadataexport_file", args=[job.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert download["Content-Disposition"].startswith("attachment")
    assert len(list(csv.DictReader(io.StringIO(body)))) == job.done


def test_a_running_export_page_refreshes_itself(db, client):
    archivist = make_user("档案员")
    job = MetadataExport.objects.create(
        requested_by=archivist,
        status=MetadataExport.Status.RUNNING,
        done=500,
        total=2000,
    )
    client.force_login(archivist)
    page = client.get(reverse("admin:oai_metadataexport_change", args=[job.pk]))
    html = page.content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert '<progress max="2000" value="500">' in html and "正在导出" in html


@pytest.mark.parametrize("role", ["编辑", "主编"])
def test_only_archivists_export(db, client, role):
    job = MetadataExport.objects.create(status=MetadataExport.Status.DONE)
    client.force_login(make_user(role))
    assert client.get(reverse("admin:oai_metadataexport_add")).status_code == 403
    file = reverse("admin:oai_metadataexport_file", args=[job.pk])
    assert client.get(file).status_code == 403
