"""Hostile files made to measure (no Django needed): for the limit tests and
bench/import_limits.py."""

import io
import zipfile
import zlib

MB = 1024 * 1024
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
    '.org/package/2006/content-types"/>'
)


def docx_with(document_xml_chunks) -> bytes:
    """A Word-shaped zip whose main part is written chunk by chunk (deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        with archive.open("word/document.xml", "w") as part:
            for chunk in document_xml_chunks:
                part.write(chunk)
    return buffer.getvalue()


def deflate_bomb() -> bytes:
    """About 150 MB of XML in well under 1 MB."""
    return docx_with(b" " * MB for _ in range(150))


def million_paragraphs(count=2_000_000) -> bytes:
    head = b'<w:document xmlns:w="w"><w:body>'
    return docx_with([head, b"<w:p/>" * count, b"</w:body></w:document>"])


def pdf_with_stream(inflated_size: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated_size` bytes."""
    stream = zlib.compress(b"0 0 m " * (inflated_size // 6), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()
