"""Saved pages, written to the platforms' real structure, read as items."""

import datetime
from pathlib import Path

import pytest

from collect.extract import Refused, extract

PAGES = Path(__file__).parent / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


CHROME = (
    "阅读",
    "10万+",
    "编辑",
    "责编",
    "相关",
    "版权",
    "Copyright",
    "扫一扫",
    "首页",
)


def assert_clean(body: str) -> None:
    found = [word for word in CHROME if word in body]
    assert found == []
    assert "<script" not in body and "style=" not in body and "<img" not in body


def test_a_wechat_article_gives_the_account_its_publish_time_and_its_link():
    found = extract(page("wechat.html"))
    assert (found.title, found.source, found.author) == (
        "档案数字化转型的三个关键",
        "档案那些事",
        "李明",
    )
    # var ct = 1692518400 is 2023-08-20 16:00 in Beijing.
    assert found.source_date == datetime.date(2023, 8, 20)
    assert found.url == (
        "https://mp.weixin.qq.com/s?__biz=MzA3NjY0MTQ0MQ==&mid=2650000001&idx=1"
        "&sn=abc123"
    )
    assert found.is_wechat


def test_a_wechat_body_is_its_paragraphs_and_sub_headings_without_chrome():
    body = extract(page("wechat.html")).body
    assert body.startswith(
        "<p>近年来，各地档案馆加快推进馆藏档案数字化，数字档案馆建设进入快车道。</p>"
    )
    assert "<h3>一、统一标准是前提</h3>" in body
    assert "<h3>二、安全保密是底线</h3>" in body
    assert body.count("<p>") == 4
    assert "档案数字化转型的三个关键" not in body  # the title is not repeated
    assert_clean(body)
    assert "来源" not in body


def test_the_wechat_date_falls_back_to_the_publish_time_element():
    html = page("wechat.html").decode().replace('var ct = "1692518400";', "")
    html = html.replace('<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>',
                        '<em id="publish_time">2023-08-19 09:30</em>')  # fmt: skip
    assert extract(html.encode()).source_date == datetime.date(2023, 8, 19)


def test_a_news_page_with_a_source_line_gives_the_outlet_it_reprints():
    found = extract(
        page("people.html"), "http://society.people.com.cn/n1/2023/0818/c1008-1.html"
    )
    assert (found.title, found.source, found.source_date, found.author) == (
        "国家档案局部署开展档案安全检查",
        "新华社",
        datetime.date(2023, 8, 18),
        "",
    )
    assert found.url == "http://society.people.com.cn/n1/2023/0818/c1008-1.html"
    assert found.body.count("<p>") == 4
    assert found.body.startswith("<p>新华社北京8月17日电（记者张华）")
    assert_clean(found.body)
    assert "广告" not in found.body and "登录" not in found.body


def test_a_news_page_with_meta_tags_gives_its_canonical_link_and_date():
    found = extract(
        page("chinanews.html"), "https://m.chinanews.com/wap/detail/1.shtml"
    )
    assert (found.title, found.source, found.source_date, found.author, found.url) == (
        "图书馆古籍修复人才培养提速",
        "中国新闻网",
        datetime.date(2023, 8, 15),
        "赵敏",
        "https://www.chinanews.com.cn/cul/2023/08-15/10061234.shtml",
    )
    assert "<h3>师带徒模式传承技艺</h3>" in found.body
    assert found.body.count("<p>") == 4
    assert found.body.endswith("让古籍“活”起来。(完)</p>")
    assert "2023年08月15日" not in found.body
    assert_clean(found.body)
    assert found.text.splitlines()[0].startswith("中新网北京8月15日电")


def test_an_mhtml_file_is_read_from_its_html_part():
    found = extract(page("chinanews.mhtml"))
    assert (found.title, found.source, found.source_date, found.url) == (
        "图书馆古籍修复人才培养提速",
        "中国新闻网",
        datetime.date(2023, 8, 15),
        "https://www.chinanews.com.cn/cul/2023/08-15/10061234.shtml",
    )
    assert found.body == extract(page("chinanews.html")).body


def test_an_encoding_that_lies_is_detected():
    # Saved as GB18030 while its meta tag still says UTF-8.
    data = page("people.html").decode().encode("gb18030")
    assert b"charset=UTF-8" in data
    found = extract(data)
    assert (found.title, found.source) == ("国家档案局部署开展档案安全检查", "新华社")
    assert "国家档案局近日印发通知" in found.body


def test_a_page_declared_gbk_but_saved_as_utf8_is_read_as_utf8():
    data = page("chinanews.html").replace(b'charset="utf-8"', b'charset="gbk"')
    assert extract(data).title == "图书馆古籍修复人才培养提速"


def test_the_snapshot_is_the_sanitised_page_and_the_hash_of_the_bytes():
    import hashlib

    data = page("wechat.html")
    found = extract(data)
    assert found.sha256 == hashlib.sha256(data).hexdigest()
    assert "<script" not in found.snapshot_html
    assert "var ct" not in found.snapshot_html
    assert "档案数字化转型的三个关键" in found.snapshot_html
    assert "近年来，各地档案馆" in found.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("deleted_wechat.html", "该微信文章已被发布者删除。"),
        ("list.html", "该网页是链接列表，不是文章。"),
        ("login.html", "该网页要求登录，页面上没有文章。"),
    ],
)
def test_a_page_without_an_article_is_refused_naming_why(name, reason):
    with pytest.raises(Refused) as refused:
        extract(page(name))
    assert str(refused.value) == reason


def test_a_huge_page_is_refused_before_parsing(settings, monkeypatch):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 1000
    monkeypatch.setattr("collect.extract._decode", pytest.fail)
    with pytest.raises(Refused, match="网页过大"):
        extract(page("wechat.html"))


def test_bytes_that_are_no_page_are_refused():
    with pytest.raises(Refused):
        extract(b"\x00\x01\x02 not a page")


def test_a_canonical_link_that_is_no_web_address_is_not_taken():
    data = page("chinanews.html").replace(
        b'href="https://www.chinanews.com.cn/cul/2023/08-15/10061234.shtml"',
        b'href="javascript:alert(1)"',
    )
    found = extract(data, "https://www.chinanews.com.cn/a.shtml")
    assert found.url == "https://www.chinanews.com.cn/a.shtml"
