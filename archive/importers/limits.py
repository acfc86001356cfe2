"""What reading one imported file may cost, so a hostile file is refused early.

A zip or compression bomb, a DOCX of millions of empty paragraphs or a PDF with a
huge stream is stopped before the parser would hold it in memory: a Word file's
archive is measured (entries, declared sizes, compression ratio) and its main
part streamed through a counter; a PDF's page count and content streams are
measured before any text is extracted. While parsing, pages, paragraphs,
characters and time are counted against a budget. Every limit is a setting
(`IMPORT_LIMITS`), and a refusal names the limit, what the file had and where to
change it.
"""

import io
import time
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from archive.importers import (
    LINE,
    PAGE,
    PARAGRAPH,
    READING,
    IssueImportError,
    ParseError,
    Progress,
)

CHUNK = 64 * 1024
# What the paragraph limit counts: a text file's lines are its paragraphs.
PARAGRAPH_COUNTS = {
    LINE: gettext_lazy("number of paragraphs (lines)"),
    PARAGRAPH: gettext_lazy("number of paragraphs"),
}


class LimitExceeded(IssueImportError):
    """The file is larger or costlier to read than the import allows."""

    def __init__(self, what: str, limit, setting: str, found=None):
        self.setting = setting
        params = {"what": what, "found": found, "limit": limit, "setting": setting}
        if found is not None:
            message = gettext(
                "The file exceeds an import limit: %(what)s is %(found)s, the limit "
                "is %(limit)s (setting IMPORT_LIMITS['%(setting)s'])."
            )
        else:
            message = gettext(
                "The file exceeds an import limit: %(what)s exceeds the limit of "
                "%(limit)s (setting IMPORT_LIMITS['%(setting)s'])."
            )
        super().__init__(message % params)


@dataclass
class Budget:
    """The running count of one parse, checked as it goes, and told to whoever
    follows the import's progress; `unit` is what the file's paragraphs are."""

    started: float
    progress: Progress | None = None
    unit: str = LINE
    paragraphs: int = 0
    characters: int = 0

    @classmethod
    def start(cls, progress: Progress | None = None, unit: str = LINE) -> "Budget":
        return cls(started=time.monotonic(), progress=progress, unit=unit)

    def reached(self, done: int, total: int) -> None:
        """The parser is at line, paragraph or page `done` of `total`."""
        if self.progress is not None:
            self.progress(READING, done, total)

    def count(self, text: str) -> None:
        self.paragraphs += 1
        self.characters += len(text)
        if self.paragraphs > limit("paragraphs"):
            raise LimitExceeded(
                PARAGRAPH_COUNTS.get(self.unit, PARAGRAPH_COUNTS[PARAGRAPH]),
                limit("paragraphs"),
                "paragraphs",
            )
        if self.characters > limit("characters"):
            raise LimitExceeded(
                gettext("number of characters"), limit("characters"), "characters"
            )
        self.check_time()

    def check_time(self) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > limit("seconds"):
            raise LimitExceeded(
                gettext("parsing time"),
                gettext("%(seconds)s seconds") % {"seconds": limit("seconds")},
                "seconds",
            )


def limit(name: str) -> int:
    return settings.IMPORT_LIMITS[name]


def check_docx_archive(data: bytes) -> None:
    """Measure a Word file's zip archive before python-docx unpacks it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # the parser says the file is not a Word file
    with archive:
        entries = archive.infolist()
        if len(entries) > limit("zip_entries"):
            raise LimitExceeded(
                gettext("number of files in the archive"),
                limit("zip_entries"),
                "zip_entries",
                len(entries),
            )
        declared = sum(entry.file_size for entry in entries)
        if declared > limit("uncompressed_bytes"):
            raise LimitExceeded(
                gettext("uncompressed size"),
                _bytes(limit("uncompressed_bytes")),
                "uncompressed_bytes",
                _bytes(declared),
            )
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > CHUNK and ratio > limit("compression_ratio"):
                raise LimitExceeded(
                    gettext("compression ratio of “%(name)s”")
                    % {"name": entry.filename},
                    f"{limit('compression_ratio')}:1",
                    "compression_ratio",
                    f"{ratio:.0f}:1",
                )
        if "word/document.xml" in archive.namelist():
            try:
                _count_paragraphs(archive, "word/document.xml")
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise ParseError(
                    0,
                    gettext("a valid Word (.docx) file"),
                    found=str(error),
                    unit=PARAGRAPH,
                ) from None


def _bytes(size: int) -> str:
    return gettext("%(bytes)s bytes") % {"bytes": size}


def _count_paragraphs(archive: zipfile.ZipFile, name: str) -> None:
    """Stream the part through a counter: its real size (headers can lie) and its
    paragraphs, before any XML parser builds a tree of them."""
    size = paragraphs = 0
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            size += len(chunk)
            if size > limit("uncompressed_bytes"):
                raise LimitExceeded(
                    gettext("uncompressed size of “%(name)s”") % {"name": name},
                    _bytes(limit("uncompressed_bytes")),
                    "uncompressed_bytes",
                )
            window = tail + chunk
            paragraphs += _paragraph_tags(window) - _paragraph_tags(tail)
            tail = window[-5:]
            if paragraphs > limit("paragraphs"):
                raise LimitExceeded(
                    PARAGRAPH_COUNTS[PARAGRAPH], limit("paragraphs"), "paragraphs"
                )


def _paragraph_tags(xml: bytes) -> int:
    return sum(xml.count(tag) for tag in (b"<w:p>", b"<w:p ", b"<w:p/>"))


def check_pdf(pdf) -> None:
    """Measure a PDF (pdfplumber) before its text is extracted: the page count from
    the page tree, and each page's content streams decompressed through a cap."""
    from pdfminer.pdftypes import resolve1

    pages = resolve1(pdf.doc.catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else 0
    if isinstance(count, int) and count > limit("pages"):
        raise LimitExceeded(gettext("number of pages"), limit("pages"), "pages", count)
    budget = Budget.start(unit=PAGE)
    for page in pdf.pages:
        for stream in page.page_obj.contents:
            _check_stream(resolve1(stream), page.page_number)
        budget.check_time()


def _inflated_size(raw: bytes, cap: int) -> int:
    """How large deflated data becomes, counted a chunk at a time (nothing kept),
    stopping just past `cap`."""
    inflater, size, pending = zlib.decompressobj(), 0, raw
    try:
        while pending and size <= cap:
            size += len(inflater.decompress(pending, CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return len(raw)  # not valid deflate: pdfminer will say what is wrong
    return size


def _check_stream(stream, page_number: int) -> None:
    raw = getattr(stream, "rawdata", None)
    if raw is None:
        return
    filters = stream.get_filters() if hasattr(stream, "get_filters") else []
    names = [str(getattr(f, "name", f)).strip("/'") for f, _params in filters]
    cap = limit("stream_bytes")
    size = (
        _inflated_size(raw, cap) if names[:1] in (["FlateDecode"], ["Fl"]) else len(raw)
    )
    if size > cap:
        raise LimitExceeded(
            gettext("uncompressed size of the content stream of page %(page)s")
            % {"page": page_number},
            _bytes(cap),
            "stream_bytes",
        )
