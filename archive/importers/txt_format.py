"""Plain-text layers of printed issues (as pdftotext or a copy from a PDF reader gives).

What is left of the layout: one printed line per text line (often with a blank
line between), a leading space on the first line of each new page, and now and
then a bare page number.
"""

from archive.importers import ParseError, limits
from archive.importers.assemble import IssueAssembler
from archive.importers.lines import Line

CONTROL_CHARACTERS = {chr(code) for code in range(32)} - {"\n", "\r", "\t", "\f"}


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM) or GB18030; returns the text and notes for the user."""
    notes = []
    if not data.strip():
        raise ParseError(1, "期刊的文本内容", found="空文件")
    if b"\x00" in data[:4096]:
        raise ParseError(1, "UTF-8 或 GB18030 编码的文本文件", found="二进制数据")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            text = data[: error.start].decode("utf-8-sig")
            notes.append("文件末尾有不完整的字符，已去掉；文件可能被截断。")
        else:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                line = data[: error.start].count(b"\n") + 1
                raise ParseError(
                    line, "UTF-8 或 GB18030 编码的文字", found="无法识别的字节"
                ) from None
            notes.append("文件为 GB18030 编码，已按 GB18030 读取。")
    sample = text[:20000]
    junk = sum(1 for char in sample if char in CONTROL_CHARACTERS or char == "\ufffd")
    if junk > max(3, len(sample) // 100):
        raise ParseError(1, "UTF-8 或 GB18030 编码的文本文件", found="二进制数据")
    return text, notes


def text_to_lines(text: str, progress=None) -> list[Line]:
    """Number the lines; a line that starts with a space right after text opens a page."""
    lines = []
    budget = limits.Budget.start(progress)
    previous_blank = True
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(raw_lines, start=1):
        budget.reached(number, len(raw_lines))
        raw = raw.replace("\f", " ")
        stripped = raw.strip()
        if not stripped:
            previous_blank = True
            continue
        budget.count(stripped)
        lines.append(
            Line(
                text=stripped,
                number=number,
                page_break_before=raw[:1].isspace() and not previous_blank,
            )
        )
        previous_blank = False
    return lines


def parse_txt(data: bytes, known_sections=(), progress=None):
    text, notes = decode_text(data)
    issue = IssueAssembler(
        text_to_lines(text, progress), known_sections=known_sections, count_pages=True
    ).parse()
    for note in notes:
        issue.warn(0, note)
    return issue
