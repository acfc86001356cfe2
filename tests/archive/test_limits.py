"""Hostile files are refused within set limits, with a message that names the limit,
before they cost the process memory or time; nothing is left half done."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.importers import IssueImportError, parse_file
from archive.importers.limits import LimitExceeded
from archive.models import ImportRun
from issues.models import Issue
from tests.archive.hostile_files import (
    deflate_bomb,
    million_paragraphs,
    pdf_with_stream,
)
from tests.tasks import run_worker

MB = 1024 * 1024


def refused(name: str, data: bytes) -> tuple[str, int]:
    """The refusal's message and the peak memory Python allocated reading the file."""
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as refusal:
            parse_file(name, data)
        return str(refusal.value), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_deflate_bomb_is_refused_before_it_is_unpacked():
    bomb = deflate_bomb()
    assert len(bomb) < MB
    message, peak = refused("bomb.docx", bomb)
    assert "解压后的大小" in message and "uncompressed_bytes" in message
    assert peak < 20 * MB


def test_a_bomb_whose_header_lies_about_its_size_is_still_refused(settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "compression_ratio": 10**9}
    bomb = bytearray(deflate_bomb())
    # The central directory says the main part is 1000 bytes.
    record = _central_record(bytes(bomb), b"word/document.xml")
    bomb[record + 24 : record + 28] = (1000).to_bytes(4, "little")
    tracemalloc.start()
    try:
        with pytest.raises(IssueImportError) as refusal:
            parse_file("bomb.docx", bytes(bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Word" in str(refusal.value) or "解压后的大小" in str(refusal.value)
    assert peak < 20 * MB


def _central_record(data: bytes, name: bytes) -> int:
    """Where the central directory record of the entry `name` starts."""
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + length] == name:
            return start
        start += 4
    raise AssertionError(name)


def test_millions_of_paragraphs_are_counted_before_parsing(settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "compression_ratio": 10**9}
    message, peak = refused("paragraphs.docx", million_paragraphs())
    assert "段落数超过上限 50000（设置 IMPORT_LIMITS['paragraphs']）" in message
    assert peak < 20 * MB


def test_a_text_file_of_too_many_lines_names_the_paragraph_limit(
    settings, sample_bytes
):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "paragraphs": 100}
    message, _peak = refused("sample.txt", sample_bytes)
    assert "段落（行）数超过上限 100（设置 IMPORT_LIMITS['paragraphs']）" in message


def test_a_pdf_with_a_huge_stream_is_refused():
    message, peak = refused("stream.pdf", pdf_with_stream(30 * MB))
    assert "第 1 页内容流" in message and "stream_bytes" in message
    assert peak < 20 * MB


def test_a_pdf_with_too_many_pages_is_refused(settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "pages": 0}
    message, _peak = refused("pages.pdf", pdf_with_stream(1000))
    assert "页数为 1，上限是 0" in message


def test_a_text_file_past_the_character_limit_is_refused(settings, sample_bytes):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "characters": 10_000}
    message, _peak = refused("sample.txt", sample_bytes)
    assert "字数" in message and "characters" in message


def test_the_command_refuses_a_bomb_with_the_limit_and_no_traceback(tmp_path, db):
    path = tmp_path / "bomb.docx"
    path.write_bytes(deflate_bomb())
    with pytest.raises(CommandError, match="uncompressed_bytes"):
        call_command("import_issue", str(path), "--dry-run")
    assert not Issue.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("name", "data", "limit"),
    [
        ("bomb.docx", deflate_bomb, "uncompressed_bytes"),
        ("paragraphs.docx", million_paragraphs, "paragraphs"),
        ("stream.pdf", lambda: pdf_with_stream(30 * MB), "stream_bytes"),
    ],
)
def test_the_admin_refuses_a_bomb_and_leaves_no_pending_run(
    client, settings, archivist, name, data, limit
):
    # Let the paragraph count, not the ratio, stop the paragraphs file.
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "compression_ratio": 10**9}
    client.force_login(archivist)
    response = client.post(
        reverse("admin:archive_importrun_add"),
        {"file": SimpleUploadedFile(name, data()), "mode": "new", "reason": "x"},
    )
    assert response.status_code == 302
    # The request stored the file and read none of it.
    assert ImportRun.objects.get().status == ImportRun.Status.QUEUED
    run_worker()
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert f"IMPORT_LIMITS[&#x27;{limit}&#x27;]" in response.content.decode()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert not Issue.objects.exists()


def test_a_file_that_takes_too_long_to_read_is_refused(settings, sample_bytes):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "seconds": 0}
    message, _peak = refused("sample.txt", sample_bytes)
    assert "解析用时超过上限 0 秒（设置 IMPORT_LIMITS['seconds']）" in message
