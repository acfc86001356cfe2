"""The feeds against RFC 4287 (Atom) and RSS 2.0, element by element, read with
lxml, and with feedparser's well-formedness check (bozo)."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from lxml import etree

from articles.models import Article
from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    SourceFactory,
    arranged,
    fill_issue,
)
from tests.issues.test_reading import publish

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def filled_issue():
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    return issue


@pytest.fixture
def awkward(db):
    """A published issue whose items lack what feeds used to leave empty: an item
    with no author, no source, no date and no text; a book with only a synopsis;
    and an issue without a publication date."""
    issue = publish(filled_issue())
    Issue.objects.filter(pk=issue.pk).update(publish_date=None)
    with arranged():
        bare = issue.articles.in_print_order().first()
        Article.objects.filter(pk=bare.pk).update(
            author="", source=None, source_date=None, body="", abstract=""
        )
        ArticleFactory(
            issue=issue,
            kind=Article.Kind.BOOK,
            body="",
            author="",
            source=None,
            source_date=None,
            book_title="中国经济增长十年展望",
            book_summary="一部展望未来十年经济增长的书。",
        )
        ArticleFactory(
            issue=issue, author="张三", source=SourceFactory(name="光明日报")
        )
    return issue


def parse(client, name: str, kind: str):
    response = client.get(reverse(f"issues:feed-{name}-{kind}"))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return etree.fromstring(response.content)


def text_of(element, tag: str) -> str:
    found = element.find(ATOM + tag)
    assert found is not None, f"<{tag}> missing in <{etree.QName(element).localname}>"
    return (found.text or "").strip()


def assert_atom_date(value: str):
    # RFC 3339 date-time, as RFC 4287 3.3 requires.
    assert datetime.datetime.fromisoformat(value).tzinfo is not None, value


@pytest.mark.parametrize("name", ["issues", "articles"])
def test_every_atom_feed_and_entry_has_what_rfc_4287_requires(client, awkward, name):
    feed = parse(client, name, "atom")
    assert feed.tag == ATOM + "feed"
    # 4.1.1: id, title, updated; author (or one in every entry); link alternate.
    assert text_of(feed, "id")
    assert text_of(feed, "title")
    assert_atom_date(text_of(feed, "updated"))
    feed_author = feed.find(ATOM + "author")
    assert feed_author is not None and text_of(feed_author, "name")
    assert feed.find(f"{ATOM}link[@rel='alternate']") is not None

    entries = feed.findall(ATOM + "entry")
    assert len(entries) == (1 if name == "issues" else Article.objects.count())
    ids = []
    for entry in entries:
        ids.append(text_of(entry, "id"))
        assert text_of(entry, "title")
        assert_atom_date(text_of(entry, "updated"))
        assert_atom_date(text_of(entry, "published"))
        author = entry.find(ATOM + "author")
        assert author is not None, "every entry names its author (3.2: a name)"
        assert text_of(author, "name")
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href")
        summary = entry.find(ATOM + "summary")
        if summary is not None:
            assert (summary.text or "").strip(), "no empty summaries"
    assert len(set(ids)) == len(ids)


def test_entries_name_the_author_else_the_outlet_else_the_office(client, awkward):
    feed = parse(client, "articles", "atom")
    authors = {
        text_of(entry, "title"): text_of(entry.find(ATOM + "author"), "name")
        for entry in feed.findall(ATOM + "entry")
    }
    publisher = awkward.publication.publisher
    bare = Article.objects.get(source=None, kind=Article.Kind.NEWS)
    assert authors[bare.title] == publisher
    assert authors[Article.objects.get(author="张三").title] == "张三"
    sourced = Article.objects.exclude(source=None).exclude(author="张三").first()
    assert authors[sourced.title] == sourced.source.name


def test_an_item_without_text_has_no_summary_and_a_book_its_synopsis(client, awkward):
    feed = parse(client, "articles", "atom")
    summaries = {
        text_of(entry, "title"): entry.find(ATOM + "summary")
        for entry in feed.findall(ATOM + "entry")
    }
    bare = Article.objects.get(source=None, kind=Article.Kind.NEWS)
    assert summaries[bare.title] is None
    book = Article.objects.get(book_summary__startswith="一部")
    assert summaries[book.title].text == "一部展望未来十年经济增长的书。"


def test_an_issue_entry_carries_its_publication_date(client, db):
    issue = publish(filled_issue())
    feed = parse(client, "issues", "atom")
    entry = feed.find(ATOM + "entry")
    assert text_of(entry, "published").startswith("2023-08-20T08:00:00")
    assert text_of(entry.find(ATOM + "author"), "name") == issue.publication.publisher


@pytest.mark.parametrize("name", ["issues", "articles"])
def test_every_rss_item_has_a_title_link_guid_date_and_creator(client, awkward, name):
    rss = parse(client, name, "rss")
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    for tag in ("title", "link", "description"):
        assert (channel.findtext(tag) or "").strip(), tag
    items = channel.findall("item")
    assert items
    for item in items:
        for tag in ("title", "link", "guid", "pubDate"):
            assert (item.findtext(tag) or "").strip(), tag
        assert (item.findtext(DC + "creator") or "").strip()
        description = item.find("description")
        if description is not None:
            assert (description.text or "").strip()
