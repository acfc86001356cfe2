"""The whole published archive's metadata in one file, for systems that take it
whole: Dublin Core XML (each record the oai_dc element harvesters get) and CSV
(one Dublin Core element a column). Both are read from oai.metadata, so the
file, the harvest and the citations say the same thing.
"""

import csv
import io
from collections.abc import Callable, Iterator

from lxml import etree

from oai import metadata
from oai.models import Record
from oai.protocol import utc

CHUNK = 500
# Several values of one element share its cell, apart.
SEPARATOR = " | "
ELEMENTS = (
    "identifier",
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "date",
    "type",
    "source",
    "relation",
    "language",
)
COLUMNS = ("kind", "datestamp", *(f"dc:{name}" for name in ELEMENTS))

Progress = Callable[[int, int], None]


def published_records(progress: Progress | None = None) -> Iterator[tuple]:
    """(record, oai_dc element) of every published item and issue, issue by
    issue (the issue first, then its items), read CHUNK records at a time."""
    ids = list(
        Record.objects.filter(deleted=False)
        .order_by("issue_ref", "kind", "object_id")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK):
        wanted = ids[start : start + CHUNK]
        by_pk = Record.objects.in_bulk(wanted)
        chunk = [by_pk[pk] for pk in wanted]
        found = metadata.load(chunk)
        for record in chunk:
            target = found.get((record.kind, record.object_id))
            if target is not None:
                yield record, metadata.oai_dc(record.kind, target)
        if progress:
            progress(start + len(chunk), len(ids))


def write_xml(stream, progress: Progress | None = None) -> int:
    """Write to a binary stream; the number of records written."""
    written = 0
    with etree.xmlfile(stream, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("records"):
            for record, dc in published_records(progress):
                attributes = {"kind": record.kind, "datestamp": utc(record.datestamp)}
                with xml.element("record", attributes):
                    xml.write(dc)
                written += 1
    return written


def write_csv(stream, progress: Progress | None = None) -> int:
    """Write to a text stream (open it with newline=""); the number of rows."""
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    written = 0
    for record, dc in published_records(progress):
        values: dict[str, list[str]] = {name: [] for name in ELEMENTS}
        for element in dc:
            values[etree.QName(element).localname].append(element.text or "")
        writer.writerow(
            [
                record.kind,
                utc(record.datestamp),
                *(SEPARATOR.join(values[name]) for name in ELEMENTS),
            ]
        )
        written += 1
    return written


FORMATS = ("xml", "csv")


def write(format: str, stream, progress: Progress | None = None) -> int:
    """Write the archive in format (FORMATS) to a binary stream; the number of
    records. CSV starts with a byte-order mark, so that spreadsheet programs
    read it as UTF-8."""
    if format != "csv":
        return write_xml(stream, progress)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        return write_csv(text, progress)
    finally:
        text.flush()
        text.detach()
