"""Chinese numerals as mastheads print them, read as cn2an reads them: for every
number 1-9999 in every form (units, 〇 and 零 digit by digit, 两, 廿, 卅), and an
issue marked 总第一〇八期 imports as number 108 from each file format."""

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.importers import parse_file
from archive.importers.txt_format import parse_txt
from archive.services import issue_import
from bulletin.text import chinese_number, parse_chinese_number
from issues.models import Issue
from tests.archive import test_formats
from tests.archive.test_formats import build_docx, build_pdf
from tests.factories import PublicationFactory

NUMBERS = st.integers(min_value=1, max_value=9999)


def digit_by_digit(value: int, zero: str) -> str:
    return "".join((zero + "一二三四五六七八九")[int(d)] for d in str(value))


def with_liang(value: int) -> str:
    """两 for a leading 二 before 千 or 百 (两千零二十三, 两百)."""
    text = cn2an.an2cn(value)
    for unit in "千百":
        if text.startswith("二" + unit):
            return "两" + text[1:]
    return text


def with_nian_sa(value: int) -> str:
    """廿 for 二十, 卅 for 三十 (廿六, 一百卅一)."""
    text = cn2an.an2cn(value)
    return text.replace("二十", "廿").replace("三十", "卅")


@given(NUMBERS)
def test_units_form_reads_as_cn2an_writes_it(value):
    assert parse_chinese_number(cn2an.an2cn(value)) == value


@given(NUMBERS, st.sampled_from("〇零"))
def test_digit_by_digit_reads_as_cn2an_does(value, zero):
    text = digit_by_digit(value, zero)
    assert parse_chinese_number(text) == cn2an.cn2an(text, "normal") == value


@given(NUMBERS)
def test_liang_reads_as_er(value):
    text = with_liang(value)
    assert parse_chinese_number(text) == cn2an.cn2an(text, "normal") == value


@given(NUMBERS)
def test_nian_and_sa_read_as_twenty_and_thirty(value):
    assert parse_chinese_number(with_nian_sa(value)) == value


@given(st.integers(min_value=1, max_value=999))
def test_masthead_form_reads_back(value):
    assert parse_chinese_number(chinese_number(value)) == value


@given(NUMBERS)
def test_arabic_digits_read_as_themselves(value):
    assert parse_chinese_number(str(value)) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("一〇八", 108), ("二六", 26), ("二〇二三", 2023), ("两百", 200), ("廿六", 26),
     ("卅", 30), ("十", 10), ("一百一十", 110), ("九九九九", 9999)],
)  # fmt: skip
def test_forms_the_old_parser_misread(text, value):
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "第八", "一点五", "负一", "abc", "一二百"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError, match="not a Chinese number"):
        parse_chinese_number(text)


@pytest.mark.django_db
def test_issue_marked_cumulative_108_imports_as_108(sample_bytes):
    PublicationFactory()
    text = sample_bytes.decode().replace("（总第二十六期）", "（总第一〇八期）", 1)
    summary = issue_import(parse_txt(text.encode()))
    issue = Issue.objects.get(pk=summary.issue_id)
    assert issue.cumulative_number == 108
    assert issue.masthead_number == "2023 年 第八期（总第一百零八期）"


@pytest.mark.django_db
def test_masthead_in_chinese_digits_imports_year_and_numbers(sample_bytes):
    PublicationFactory()
    text = (
        sample_bytes.decode()
        .replace("2023 年 第八期", "二〇二三年 第廿六期", 1)
        .replace("（总第二十六期）", "（总第两百零八期）", 1)
    )
    issue = Issue.objects.get(pk=issue_import(parse_txt(text.encode())).issue_id)
    assert (issue.year, issue.number, issue.cumulative_number) == (2023, 26, 208)


@pytest.mark.parametrize(
    ("name", "build"), [("issue.docx", build_docx), ("issue.pdf", build_pdf)]
)
def test_word_and_pdf_mastheads_read_digit_by_digit(name, build, monkeypatch):
    masthead = list(test_formats.MASTHEAD)
    masthead[1] = "（总第一〇八期）"
    monkeypatch.setattr(test_formats, "MASTHEAD", masthead)
    parsed = parse_file(name, build())
    assert (parsed.year, parsed.number, parsed.cumulative_number) == (2023, 9, 108)
