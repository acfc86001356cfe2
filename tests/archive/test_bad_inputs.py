"""Files that are not a clean UTF-8 issue: clear messages, or a correct import, never a traceback."""

import pytest
from django.core.management import CommandError, call_command

from archive.importers import ParseError, parse_file
from archive.importers.txt_format import parse_txt
from articles.models import Article, PolicyDocument, Source
from issues.models import Issue, Publication

pytestmark = pytest.mark.django_db


def nothing_written():
    return not (
        Issue.objects.exists()
        or Article.objects.exists()
        or Publication.objects.exists()
        or Source.objects.exists()
        or PolicyDocument.objects.exists()
    )


def run_command(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    call_command("import_issue", str(path))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "第 1 行：应为期刊的文本内容，实际是“空文件”"),
        ("blank.txt", b"\n \n\r\n", "第 1 行：应为期刊的文本内容"),
        ("junk.txt", bytes(range(256)) * 40, "应为UTF-8 或 GB18030 编码的文本文件"),
        ("junk.pdf", b"%PDF-1.4 not really", "应为有效的 PDF 文件"),
        ("junk.docx", b"PK\x03\x04 not a zip", "应为有效的 Word（.docx）文件"),
        ("issue.rtf", b"{\\rtf1}", "应为扩展名为 .txt、.pdf 或 .docx 的文件"),
        (
            "no-masthead.txt",
            "热点关注\n\n人民日报 2023-07-19\n\n正文。\n".encode(),
            "第 1 行：应为刊头的年份和期号（如“2023 年 第八期”）",
        ),
        (
            "no-sections.txt",
            "2023 年 第八期\n（总第二十六期）\n2023.07.16-2023.08.15\n随便一段话。\n".encode(),
            "应为栏目标题（如“热点关注”）",
        ),
    ],
)
def test_unusable_files_name_line_and_expectation(tmp_path, name, data, message):
    with pytest.raises(
        CommandError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        run_command(tmp_path, name, data)
    assert nothing_written()


def test_parse_error_carries_line_and_expectation():
    data = "2023 年 第八期\n（总第二十六期）\n热点关注\n人民日报 2023-07-19\n正文。\n"
    with pytest.raises(ParseError) as caught:
        parse_txt(data.encode())
    assert caught.value.line == 1
    assert "收录期间" in caught.value.expected


def test_bad_date_in_source_line_names_the_line():
    data = (
        "2023 年 第八期\n（总第二十六期）\n2023.07.16-2023.08.15\n"
        "热点关注\n人民日报 2023-13-40\n正文。\n"
    )
    with pytest.raises(ParseError, match="第 5 行：应为有效日期"):
        parse_txt(data.encode())


def test_gb18030_sample_imports_the_same(sample_bytes, parsed_sample):
    gb = sample_bytes.decode("utf-8").encode("gb18030")
    parsed = parse_txt(gb)
    assert [len(s.items) for s in parsed.sections] == [
        len(s.items) for s in parsed_sample.sections
    ]
    assert parsed.items[0].body_html == parsed_sample.items[0].body_html
    assert [str(w) for w in parsed.warnings] == [
        "文件为 GB18030 编码，已按 GB18030 读取。"
    ]


def test_windows_line_endings_import_the_same(sample_bytes, parsed_sample, tmp_path):
    crlf = sample_bytes.replace(b"\n", b"\r\n")
    parsed = parse_file("issue.txt", crlf)
    assert [item.body_html for item in parsed.items] == [
        item.body_html for item in parsed_sample.items
    ]
    assert [item.print_page for item in parsed.items] == [
        item.print_page for item in parsed_sample.items
    ]
    run_command(tmp_path, "issue.txt", crlf)
    assert Article.objects.count() == 62


def test_utf8_bom_is_accepted(sample_bytes):
    parsed = parse_txt(b"\xef\xbb\xbf" + sample_bytes)
    assert parsed.number == 8 and len(parsed.items) == 62


def test_truncated_file_imports_what_is_there_and_says_so(
    sample_bytes, tmp_path, capsys
):
    cut = sample_bytes[: int(len(sample_bytes) * 0.4)]
    parsed = parse_txt(cut)
    assert [s.name for s in parsed.sections] == [
        "热点关注",
        "行业动向",
        "国际视野",
        "国内动态",
    ]
    messages = [str(w) for w in parsed.warnings]
    assert any("目录有 59 个页码" in m for m in messages)
    assert any("可能不完整" in m or "可能被截断" in m for m in messages)
    # Without a matching TOC the pages come from the text's own page breaks.
    assert [item.print_page for item in parsed.items[:4]] == [1, 2, 3, 3]
    run_command(tmp_path, "truncated.txt", cut)
    out = capsys.readouterr().out
    assert "目录有 59 个页码" in out
    assert Issue.objects.count() == 1


def test_truncated_inside_masthead_is_an_error(sample_bytes, tmp_path):
    with pytest.raises(CommandError, match="总期号|年份和期号|栏目标题"):
        run_command(tmp_path, "head.txt", sample_bytes[:300])
    assert nothing_written()


def test_failure_while_writing_rolls_everything_back(parsed_sample, monkeypatch):
    from archive import services
    from issues.services import DEMO_LOADER

    def explode(**kwargs):
        raise services.ImportRefused("模拟写入失败")

    # Publishing is the last step: everything before it goes too.
    monkeypatch.setattr(services, "issue_transition", explode)
    with pytest.raises(services.ImportRefused):
        services.issue_import(parsed_sample, publish=True, user=DEMO_LOADER)
    assert nothing_written()
