"""Edition history: each published and each corrected state of an issue keeps its own
file; the latest is served, staff reach the earlier ones, unpublishing hides them."""

import datetime
import io
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import corrections
from editions.models import Edition
from editions.services import build_edition
from issues import services
from issues.models import Issue
from tests.editions.helpers import pdf_pages, printable_issue

SHANGHAI = ZoneInfo("Asia/Shanghai")
PUBLISHED_AT = datetime.datetime(2023, 9, 1, 8, 0, tzinfo=SHANGHAI)
CORRECTED_AT = datetime.datetime(2023, 9, 5, 10, 30, tzinfo=SHANGHAI)


@pytest.fixture
def published(chief, django_capture_on_commit_callbacks):
    """Published on 1 September 2023 at 08:00, its two editions built."""
    issue = printable_issue(per_section=1)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.APPROVED)
    with (
        time_machine.travel(PUBLISHED_AT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.issue_transition(issue=issue, user=chief, name="publish")
    return Issue.objects.get(pk=issue.pk)


@pytest.fixture
def corrected(published, chief, django_capture_on_commit_callbacks):
    """The issue after one correction on 5 September, of an item's title and of the
    issue's own publish date: a second edition of each kind."""
    article = published.articles.in_print_order().first()
    article.title = "更正后的标题"
    published.publish_date = datetime.date(2023, 9, 2)

    def apply():
        article.save()
        published.save()

    with (
        time_machine.travel(CORRECTED_AT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        corrections.correct(
            user=chief,
            reason="标题有误",
            articles=[article],
            issues=[published],
            apply=apply,
        )
    return published


def _pdf_text(edition: Edition) -> str:
    with edition.file.open("rb") as handle:
        return "\n".join(pdf_pages(handle.read()))


def _editions(issue, kind):
    return list(Edition.objects.filter(issue=issue, kind=kind).history())


def test_a_correction_keeps_the_previous_edition_and_adds_a_new_one(corrected):
    for kind in Edition.Kind.values:
        latest, earlier = _editions(corrected, kind)
        prefix = f"editions/{corrected.year}-{corrected.number:02d}-{corrected.pk}"
        assert earlier.file.name == f"{prefix}-20230901-080000.{kind}"
        assert latest.file.name == f"{prefix}-20230905-103000.{kind}"
        assert earlier.file.storage.exists(earlier.file.name)
        assert latest.generated_at > earlier.generated_at
        assert Edition.objects.latest_ready(corrected, kind) == latest
        assert latest.is_current and not earlier.is_current

    latest, earlier = _editions(corrected, Edition.Kind.PDF)
    assert "更正后的标题" in _pdf_text(latest)
    assert "更正后的标题" not in _pdf_text(earlier)


def test_an_unchanged_issue_adds_no_edition(corrected):
    build_edition(corrected, Edition.Kind.PDF)
    assert len(_editions(corrected, Edition.Kind.PDF)) == 2


def test_a_failed_build_is_recorded_and_the_last_good_edition_stays(
    published, monkeypatch
):
    good = Edition.objects.latest_ready(published, Edition.Kind.PDF)
    monkeypatch.setattr(
        "editions.services.current_fingerprint", lambda issue: "changed"
    )

    def broken(issue, kind):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr("editions.services.render_edition", broken)

    with pytest.raises(RuntimeError):
        build_edition(published, Edition.Kind.PDF)

    failed = Edition.objects.filter(status=Edition.Status.FAILED).get()
    assert (failed.issue, failed.kind, failed.error) == (published, "pdf", "字体缺失")
    assert Edition.objects.latest_ready(published, Edition.Kind.PDF) == good
    assert good.file.storage.exists(good.file.name)


def test_the_download_url_serves_the_latest_edition(client, reader, corrected):
    client.force_login(reader)
    response = client.get(
        reverse("editions:pdf", args=[corrected.year, corrected.number])
    )
    content = b"".join(response.streaming_content)
    assert "更正后的标题" in "\n".join(pdf_pages(content))
    assert len(_editions(corrected, Edition.Kind.PDF)) == 2, "nothing rebuilt"


def test_readers_get_only_the_latest_file(client, reader, corrected):
    latest, earlier = _editions(corrected, Edition.Kind.PDF)
    client.force_login(reader)
    response = client.get(latest.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-cache" in response["Cache-Control"]
    assert client.get(earlier.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["editor", "chief", "archivist"])
def test_staff_get_an_earlier_file(client, request, role, corrected):
    _latest, earlier = _editions(corrected, Edition.Kind.DOCX)
    client.force_login(request.getfixturevalue(role))
    response = client.get(earlier.get_absolute_url())
    assert response.status_code == 200
    assert "20230901-0800.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "更正后的标题" not in [p.text for p in document.paragraphs]


def test_a_failed_build_has_no_file_to_download(client, editor, published):
    failed = Edition.objects.create(
        issue=published, kind="pdf", status=Edition.Status.FAILED, error="x"
    )
    client.force_login(editor)
    assert client.get(failed.get_absolute_url()).status_code == 404


def test_unpublishing_hides_every_edition_from_readers(
    client, reader, archivist, editor, chief, published
):
    latest = Edition.objects.latest_ready(published, Edition.Kind.PDF)
    services.issue_transition(
        issue=published, user=chief, name="unpublish", comment="封面有误，撤回重印"
    )

    client.force_login(reader)
    download = reverse("editions:pdf", args=[published.year, published.number])
    assert client.get(download).status_code == 404
    assert client.get(latest.get_absolute_url()).status_code == 404

    client.force_login(archivist)
    assert client.get(latest.get_absolute_url()).status_code == 404

    client.force_login(editor)
    assert client.get(latest.get_absolute_url()).status_code == 200


def test_the_issue_page_lists_the_editions_for_staff(
    client, editor, archivist, corrected
):
    history = list(Edition.objects.filter(issue=corrected).history())
    assert len(history) == 4
    for user in (editor, archivist):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(corrected.get_absolute_url()).content.decode()
        assert "历次印刷版" in page
        links = [page.index(f'href="{e.get_absolute_url()}"') for e in history]
        assert links == sorted(links), "newest first"
        assert "2023-09-01 08:00" in page
        assert f"{history[-1].page_count} 页" in page
        # One query for the whole history, whatever its length.
        assert sum("editions_edition" in q["sql"] for q in queries) == 1


def test_readers_see_only_the_current_downloads(client, reader, corrected):
    client.force_login(reader)
    page = client.get(corrected.get_absolute_url()).content.decode()
    assert reverse("editions:pdf", args=[corrected.year, corrected.number]) in page
    assert "历次印刷版" not in page
    for edition in Edition.objects.filter(issue=corrected):
        assert edition.get_absolute_url() not in page


def test_the_pdf_of_a_corrected_issue_ends_with_a_corrections_page(corrected):
    latest, earlier = _editions(corrected, Edition.Kind.PDF)
    pages = pdf_pages(latest.file.read())
    assert pages[-1].startswith("信息摘编 · 更正\n更正\n")
    assert "本期（2023-09-05）\n更正说明：标题有误\n更正项：出版日期" in pages[-1]
    assert "更正后的标题（2023-09-05）\n更正说明：标题有误\n更正项：标题" in pages[-1]
    assert "更正说明" not in _pdf_text(earlier)


def test_the_word_file_of_a_corrected_issue_ends_with_a_corrections_section(
    corrected,
):
    latest, earlier = _editions(corrected, Edition.Kind.DOCX)
    document = docx.Document(io.BytesIO(latest.file.read()))
    texts = [p.text for p in document.paragraphs]
    at = texts.index("更正")
    assert document.paragraphs[at].style.name == "Heading 1"
    assert document.sections[-1].header.paragraphs[0].text == "更正"
    assert set(texts[at + 1 :]) == {
        "本期（2023-09-05）",
        "更正后的标题（2023-09-05）",
        "更正说明：标题有误",
        "更正项：出版日期",
        "更正项：标题",
    }
    earlier_texts = [
        p.text for p in docx.Document(io.BytesIO(earlier.file.read())).paragraphs
    ]
    assert "更正" not in earlier_texts


def test_the_admin_links_the_file_through_its_download_view(
    client, superuser, published
):
    edition = Edition.objects.latest_ready(published, Edition.Kind.PDF)
    client.force_login(superuser)
    page = client.get(reverse("admin:editions_edition_change", args=[edition.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{edition.get_absolute_url()}"' in html
    assert edition.file.url not in html
