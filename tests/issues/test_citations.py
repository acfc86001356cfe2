"""Citing an item or an issue: GB/T 7714-2015 text with a copy button, RIS and
BibTeX files beside the page, citation_* and DC.* meta tags, a canonical link and
feed autodiscovery; all from issues/citations.py."""

import datetime

import bibtexparser
import lxml.html
import pytest
import rispy
from django.urls import reverse

from articles.models import Article, Source
from issues import citations
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    SourceFactory,
    arranged,
    fill_issue,
)
from tests.issues.test_reading import publish


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://bulletin.example.internal"
    settings.BULLETIN_REQUIRE_LOGIN = False
    return settings.SITE_URL


@pytest.fixture
def issue(db, site_url):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    return publish(issue)


@pytest.fixture
def item(issue):
    """A newspaper item with an author, reprinted with its original link."""
    with arranged():
        return ArticleFactory(
            issue=issue,
            title="民营经济发展壮大",
            author="张三、李四",
            source=SourceFactory(name="人民日报", kind=Source.Kind.NEWSPAPER),
            source_date=datetime.date(2023, 8, 1),
            original_url="https://paper.people.com.cn/rmrb/html/2023-08/01/nw.htm",
            abstract="意见的要点。",
            keywords="民营经济，营商环境",
            print_page=5,
        )


def reading(article):
    return Article.objects.for_reading().get(pk=article.pk)


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def metas(page, name):
    return [m.get("content") for m in page.xpath(f"//head/meta[@name='{name}']")]


def test_a_reprinted_newspaper_item_is_cited_as_the_newspaper_online(item):
    assert citations.gbt7714(citations.for_article(reading(item))) == (
        "张三, 李四. 民营经济发展壮大[N/OL]. 人民日报, 2023-08-01. "
        "https://paper.people.com.cn/rmrb/html/2023-08/01/nw.htm."
    )


def test_a_website_item_is_an_electronic_resource_and_many_authors_end_in_deng(item):
    with arranged():
        Article.objects.filter(pk=item.pk).update(
            author="甲 乙 丙 丁",
            source=SourceFactory(name="中国政府网", kind="website"),
        )
    assert citations.gbt7714(citations.for_article(reading(item))) == (
        "甲, 乙, 丙, 等. 民营经济发展壮大[EB/OL]. 中国政府网, 2023-08-01. "
        "https://paper.people.com.cn/rmrb/html/2023-08/01/nw.htm."
    )


def test_an_item_of_our_own_is_an_article_of_the_digest_at_its_permanent_address(
    item, site_url
):
    with arranged():
        Article.objects.filter(pk=item.pk).update(
            author="", source=None, source_date=None, original_url=""
        )
    assert citations.gbt7714(citations.for_article(reading(item))) == (
        f"民营经济发展壮大[J/OL]. 信息摘编, 2023(8): 5. {site_url}/items/{item.pk}/."
    )


def test_an_issue_is_cited_as_one_issue_of_the_serial(issue, site_url):
    publisher = issue.publication.publisher
    assert citations.gbt7714(citations.for_issue(issue)) == (
        f"{publisher}. 信息摘编[J/OL]. 2023(8). {publisher}, 2023-08-20. "
        f"{site_url}/2023/8/."
    )


def test_the_item_page_offers_the_citation_to_copy_and_download(client, item):
    page = head_of(client, item.get_absolute_url())
    (block,) = page.xpath("//section[@class='citation']")
    assert block.xpath("h2")[0].text == "引用"
    text = block.xpath(".//p[@id='citation-text']")[0].text_content()
    assert text == citations.gbt7714(citations.for_article(reading(item)))
    (button,) = block.xpath(".//button[@data-copy-target='citation-text']")
    assert button.text == "复制"
    links = {a.text_content(): a.get("href") for a in block.xpath(".//a")}
    assert links == {
        "下载 RIS": f"/2023/8/{item.pk}/citation.ris",
        "下载 BibTeX": f"/2023/8/{item.pk}/citation.bib",
    }
    # The copy script is a static file (CSP forbids inline scripts).
    (script,) = page.xpath("//script[contains(@src, 'copy-citation.js')]")
    assert not page.xpath("//script[not(@src)]")
    assert script.get("defer") is not None


def test_the_item_page_carries_highwire_and_dublin_core_tags(client, item, site_url):
    page = head_of(client, item.get_absolute_url())
    assert metas(page, "citation_title") == ["民营经济发展壮大"]
    assert metas(page, "citation_author") == ["张三", "李四"]
    assert metas(page, "citation_publication_date") == ["2023/08/20"]
    assert metas(page, "citation_journal_title") == ["信息摘编"]
    assert metas(page, "citation_issue") == ["8"]
    assert metas(page, "citation_firstpage") == ["5"]
    assert metas(page, "citation_language") == ["zh"]
    assert metas(page, "DC.title") == ["民营经济发展壮大"]
    assert metas(page, "DC.creator") == ["张三", "李四"]
    assert metas(page, "DC.date") == ["2023-08-01"]
    assert metas(page, "DC.source") == ["人民日报"]
    assert metas(page, "DC.subject") == ["民营经济", "营商环境"]
    assert metas(page, "DC.identifier") == [f"{site_url}/items/{item.pk}/"]
    (canonical,) = page.xpath("//head/link[@rel='canonical']")
    assert canonical.get("href") == f"{site_url}/items/{item.pk}/"


def test_the_issue_page_carries_its_tags_and_citation(client, issue, site_url):
    page = head_of(client, issue.get_absolute_url())
    assert metas(page, "citation_title") == ["信息摘编 2023 年 第八期（总第二十六期）"]
    assert metas(page, "citation_author") == [issue.publication.publisher]
    assert metas(page, "citation_issue") == ["8"]
    assert metas(page, "DC.date") == ["2023-08-20"]
    assert page.xpath("//head/link[@rel='canonical']/@href") == [f"{site_url}/2023/8/"]
    text = page.xpath("//p[@id='citation-text']")[0].text_content()
    assert text == citations.gbt7714(citations.for_issue(issue))
    assert page.xpath("//section[@class='citation']//a/@href") == [
        "/2023/8/citation.ris",
        "/2023/8/citation.bib",
    ]


@pytest.mark.parametrize("page", ["home", "year", "issue", "item", "section"])
def test_every_reading_page_announces_the_atom_feeds(client, item, page):
    url = {
        "home": reverse("issues:home"),
        "year": reverse("issues:year", args=[2023]),
        "issue": item.issue.get_absolute_url(),
        "item": item.get_absolute_url(),
        "section": reverse("issues:section", args=[item.section_id]),
    }[page]
    feeds = head_of(client, url).xpath(
        "//head/link[@rel='alternate'][@type='application/atom+xml']/@href"
    )
    assert feeds == [
        reverse("issues:feed-articles-atom"),
        reverse("issues:feed-issues-atom"),
    ]


def test_the_ris_file_reads_back_as_the_newspaper_item(client, item):
    response = client.get(f"/2023/8/{item.pk}/citation.ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert response["Content-Disposition"].endswith(f'-2023-08-{item.pk}.ris"')
    (record,) = rispy.loads(response.content.decode())
    assert record["type_of_reference"] == "NEWS"
    assert record["title"] == "民营经济发展壮大"
    assert record["authors"] == ["张三", "李四"]
    assert record["secondary_title"] == "人民日报"
    assert record["date"] == "2023/08/01"
    assert record["urls"] == [item.original_url]
    assert record["keywords"] == ["民营经济", "营商环境"]
    # The digest's number and publisher are not the newspaper's.
    assert "number" not in record and "publisher" not in record


def test_the_bibtex_file_reads_back_as_the_issue(client, issue, site_url):
    response = client.get("/2023/8/citation.bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "periodical"
    assert entry["title"] == "信息摘编 2023 年 第八期（总第二十六期）"
    assert entry["author"] == "{" + issue.publication.publisher + "}"
    assert entry["number"] == "8"
    assert entry["date"] == "2023-08-20"
    assert entry["url"] == f"{site_url}/2023/8/"


def test_braces_in_a_title_cannot_break_the_bibtex_entry(client, item):
    with arranged():
        Article.objects.filter(pk=item.pk).update(title="注释{未闭合")
    library = bibtexparser.parse_string(
        client.get(f"/2023/8/{item.pk}/citation.bib").content.decode()
    )
    assert not library.failed_blocks
    assert library.entries[0]["title"] == "注释(未闭合"


def test_a_citation_download_costs_three_queries(
    client, item, django_assert_num_queries
):
    # the issue; its board (the masthead's prefetch); the item with its source
    with django_assert_num_queries(3):
        assert client.get(f"/2023/8/{item.pk}/citation.ris").status_code == 200


def test_drafts_are_never_cited_not_even_for_editors(client, db, site_url, chief):
    draft = IssueFactory(number=9)
    (article, *_) = fill_issue(draft)
    client.force_login(chief)
    assert client.get(reverse("issues:preview", args=[draft.pk])).status_code == 200
    preview = client.get(reverse("issues:preview", args=[draft.pk])).content.decode()
    assert 'class="citation"' not in preview and "citation_title" not in preview
    for url in (
        "/2023/9/citation.ris",
        "/2023/9/citation.bib",
        f"/2023/9/{article.pk}/citation.ris",
    ):
        assert client.get(url).status_code == 404


def test_an_item_of_another_issue_is_not_found_under_this_one(client, item):
    other = IssueFactory(number=7)
    (elsewhere, *_) = fill_issue(other)
    publish(other)
    assert client.get(f"/2023/8/{elsewhere.pk}/citation.ris").status_code == 404
    assert client.get(f"/2023/7/{elsewhere.pk}/citation.ris").status_code == 200


def test_with_login_required_citations_need_a_login_too(client, item, settings):
    settings.BULLETIN_REQUIRE_LOGIN = True
    response = client.get(f"/2023/8/{item.pk}/citation.bib")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_item_without_a_source_date_has_no_empty_time_element(client, issue):
    book = issue.articles.get(kind=Article.Kind.BOOK)
    with arranged():
        Article.objects.filter(pk=book.pk).update(source_date=None, source=None)
    issue_page = client.get(issue.get_absolute_url()).content.decode()
    assert 'datetime=""' not in issue_page
    assert '<time datetime="2023-07-19">' in issue_page  # the other items' dates
    book_page = head_of(client, book.get_absolute_url())
    assert book_page.xpath("//p[@class='byline']")
    assert not book_page.xpath("//time[not(@datetime) or @datetime='']")
    assert not book_page.xpath("//p[@class='byline']/time")
