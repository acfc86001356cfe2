"""The reading site: what staff see on the issue, article, list and feed pages."""

import datetime
import subprocess
import sys

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from articles import corrections
from articles.models import Article, Correction
from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    IssueFactory,
    PolicyDocumentFactory,
    SourceFactory,
    arranged,
    fill_issue,
)


def publish(issue):
    Issue.objects.filter(pk=issue.pk).update(
        status=Issue.Status.PUBLISHED, publish_date=datetime.date(2023, 8, 20)
    )
    issue.refresh_from_db()
    return issue


@pytest.fixture
def published(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    first = issue.articles.in_print_order().first()
    first.tags.set(["民营经济"])
    AttachmentFactory(
        article=first, policy_document__title="关于促进民营经济发展壮大的意见"
    )
    return publish(issue)


def test_the_issue_page_is_the_whole_issue_in_reading_order(client, published):
    page = client.get(reverse("issues:detail", args=[2023, 8])).content.decode()
    assert "2023 年 第八期（总第二十六期）" in page
    assert "收录期：2023.07.16-2023.08.15" in page
    positions = [
        page.index(f'id="article-{a.pk}"') for a in published.articles.in_print_order()
    ]
    assert positions == sorted(positions)
    for section in published.ordered_sections():
        assert f'href="#section-{section.pk}"' in page
        assert f'id="section-{section.pk}"' in page
    assert "为促进民营经济发展壮大" in page  # bodies are on the page, not only titles
    assert "附：" in page and "《关于促进民营经济发展壮大的意见》" in page


def test_the_table_of_contents_shows_print_pages_when_known(client, published):
    article = published.articles.in_print_order().first()
    article.print_page = 17
    article.save()
    page = client.get(published.get_absolute_url()).content.decode()
    assert '<span class="page" title="印刷页码">17</span>' in page


def test_an_article_page_has_everything_about_the_item(client, published):
    article = published.articles.in_print_order().first()
    response = client.get(reverse("issues:article", args=[2023, 8, article.pk]))
    page = response.content.decode()
    assert f"<h1>{article.title}</h1>" in page
    assert article.section.name in page
    assert "人民日报" in page and "2023-07-19" in page
    assert article.original_url in page
    assert (
        reverse("articles:policy", args=[article.attachments.get().policy_document_id])
        in page
    )
    assert reverse("articles:tag", args=["民营经济"]) in page
    following = published.articles.in_print_order()[1]
    assert f'rel="next" href="{following.get_absolute_url()}"' in page
    assert 'rel="prev"' not in page


def test_a_research_paper_shows_its_abstract_and_keywords(client, published):
    paper = published.articles.get(kind=Article.Kind.RESEARCH)
    Article.objects.filter(pk=paper.pk).update(keywords="人工智能，文化创意产业，扬州")
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "摘要" in page and paper.abstract in page
    assert "人工智能，文化创意产业，扬州" in page


def test_a_book_recommendation_shows_its_fields(client, published):
    book = published.articles.get(kind=Article.Kind.BOOK)
    Article.objects.filter(pk=book.pk).update(
        book_publisher="中信出版集团",
        book_publication_date="2020-08",
        book_summary="本书以“战疫增长模式”为主题",
        book_reason="入选国家重点图书出版规划",
    )
    page = client.get(book.get_absolute_url()).content.decode()
    for text in (
        "中国经济增长十年展望/刘世锦",
        "中信出版集团/2020-08",
        "战疫增长模式",
        "入选国家重点图书",
    ):
        assert text in page


def test_a_correction_is_shown_with_its_date(client, published, chief):
    article = published.articles.first()
    Correction.objects.create(
        issue=published, article=article, user=chief, reason="来源日期有误"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "更正" in page and "来源日期有误" in page


def test_section_source_and_tag_lists_show_published_items_only(client, published):
    draft = IssueFactory(
        publication=published.publication, number=9, cumulative_number=27
    )
    fill_issue(draft)
    draft_article = draft.articles.first()
    draft_article.tags.set(["民营经济"])
    section = published.ordered_sections().first()
    source = SourceFactory(name="人民日报")
    for url in (
        reverse("issues:section", args=[section.pk]),
        reverse("articles:source", args=[source.pk]),
        reverse("articles:tag", args=["民营经济"]),
    ):
        page = client.get(url).content.decode()
        assert published.articles.in_print_order().first().title in page, url
        assert draft_article.title not in page, url


def test_the_policy_register_lists_documents_newest_first_with_their_citations(
    client, published
):
    older = PolicyDocumentFactory(title="较早的政策")
    newer = PolicyDocumentFactory(title="较新的政策")
    citing = published.articles.in_print_order()[1]
    with arranged():
        AttachmentFactory(article=citing, policy_document=older)
        AttachmentFactory(article=citing, policy_document=newer)
    uncited = PolicyDocumentFactory(title="只在草稿中引用的政策")
    draft = IssueFactory(
        publication=published.publication, number=9, cumulative_number=27
    )
    AttachmentFactory(article=ArticleFactory(issue=draft), policy_document=uncited)

    page = client.get(reverse("articles:policies")).content.decode()
    assert page.index("较新的政策") < page.index("较早的政策")
    assert citing.title in page and str(published) in page
    assert "只在草稿中引用的政策" not in page

    detail = client.get(reverse("articles:policy", args=[older.pk])).content.decode()
    assert citing.get_absolute_url() in detail


@pytest.mark.parametrize("name", ["issues", "articles"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_are_valid_and_list_published_content(client, published, name, kind):
    draft = IssueFactory(
        publication=published.publication, number=9, cumulative_number=27
    )
    fill_issue(draft)
    response = client.get(reverse(f"issues:feed-{name}-{kind}"))
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version.startswith(kind)
    titles = [entry.title for entry in feed.entries]
    if name == "issues":
        assert titles == ["信息摘编 2023 年 第八期（总第二十六期）"]
    else:
        assert set(titles) == set(published.articles.values_list("title", flat=True))


# Access -------------------------------------------------------------------------


def test_lists_and_feeds_never_show_draft_issues(client, db):
    draft = IssueFactory()
    fill_issue(draft)
    assert str(draft) not in client.get(reverse("issues:home")).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_with_login_required_readers_log_in_first(client, settings, published, reader):
    settings.BULLETIN_REQUIRE_LOGIN = True
    response = client.get(published.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"),
        {"username": "reader", "password": "pw", "next": published.get_absolute_url()},
    )
    assert response["Location"] == published.get_absolute_url()
    assert client.get(published.get_absolute_url()).status_code == 200


def test_login_is_required_by_default_when_debug_is_off():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='bulletin.settings';"
        "from django.conf import settings; print(settings.BULLETIN_REQUIRE_LOGIN)"
    )
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.internal",
        "PATH": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "True"


def test_single_sign_on_signs_in_the_user_the_proxy_names(client, settings, published):
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.BULLETIN_REMOTE_USER_HEADER = "X-Remote-User"
    response = client.get(published.get_absolute_url(), HTTP_X_REMOTE_USER="zhangsan")
    assert response.status_code == 200
    user = get_user_model().objects.get(username="zhangsan")
    assert list(user.groups.values_list("name", flat=True)) == ["读者"]
    assert not user.is_staff


def test_single_sign_on_is_off_unless_configured(client, settings, published):
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.BULLETIN_REMOTE_USER_HEADER = ""
    response = client.get(published.get_absolute_url(), HTTP_X_REMOTE_USER="zhangsan")
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="zhangsan").exists()


# Performance ------------------------------------------------------------------


def big_issue(articles: int) -> Issue:
    issue = IssueFactory(number=articles, cumulative_number=articles)
    sections = list(issue.ordered_sections())
    for index in range(articles):
        article = ArticleFactory(issue=issue, section=sections[index % len(sections)])
        article.tags.set([f"标签{index % 7}", "民营经济"])
        AttachmentFactory(article=article)
    return publish(issue)


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["issue", "article", "home", "section", "policies"])
def test_pages_run_the_same_number_of_queries_for_10_and_100_articles(client, db, page):
    counts = []
    for size in (10, 100):
        issue = big_issue(size)
        article = issue.articles.in_print_order()[size // 2]
        url = {
            "issue": issue.get_absolute_url(),
            "article": article.get_absolute_url(),
            "home": reverse("issues:home"),
            "section": reverse("issues:section", args=[article.section_id]),
            "policies": reverse("articles:policies"),
        }[page]
        from django.core.cache import cache

        cache.clear()
        counts.append(count_queries(client, url))
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    assert counts[0] == counts[1], counts


def test_the_issue_page_of_100_articles_runs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries
):
    issue = big_issue(100)
    # 1. issue + publication  2. board  3. sections  4. articles + sources
    # 5. attachments + documents  6. tags  7. item corrections
    # 8. corrections of the issue itself (masthead, board)
    with django_assert_num_queries(8):
        client.get(issue.get_absolute_url())
    # Served from the cache (bulletin/pages.py): no query for an anonymous visitor.
    with django_assert_num_queries(0):
        client.get(issue.get_absolute_url())


def test_the_cached_issue_page_changes_when_an_article_is_corrected(
    client, published, chief
):
    url = published.get_absolute_url()
    client.get(url)
    article = published.articles.first()
    article.title = "改过的标题"
    corrections.correct(
        user=chief, reason="标题有误", articles=[article], apply=article.save
    )
    assert "改过的标题" in client.get(url).content.decode()
    corrections.correct(
        user=chief,
        reason="补标签",
        articles=[article],
        apply=lambda: article.tags.set(["新标签"]),
    )
    assert "新标签" in client.get(url).content.decode()
    with pytest.raises((ValidationError, ProtectedError)):
        article.delete()
    assert "改过的标题" in client.get(url).content.decode()


def test_a_published_article_page_is_served_from_the_cache(
    client, db, django_assert_num_queries
):
    issue = big_issue(20)
    url = issue.articles.in_print_order()[5].get_absolute_url()
    # 1. issue + publication  2. board  3. article + source, section, issue
    # 4. attachments  5. tags  6. corrections  7. neighbours in print order
    # 8. corrections of the issue itself (masthead, board, section names)
    # 9. the original link's health (links)  10. the snapshot (collect)
    with django_assert_num_queries(10):
        client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_an_article_of_another_issue_is_not_found(client, published):
    other = IssueFactory(
        publication=published.publication, number=9, cumulative_number=27
    )
    fill_issue(other)
    publish(other)
    stray = other.articles.first()
    assert (
        client.get(reverse("issues:article", args=[2023, 8, stray.pk])).status_code
        == 404
    )


def test_the_same_number_in_two_publications_does_not_break_the_page(client, published):
    from tests.factories import PublicationFactory

    other = IssueFactory(
        publication=PublicationFactory(name="政策参考"), number=8, cumulative_number=1
    )
    fill_issue(other)
    publish(other)
    response = client.get(reverse("issues:detail", args=[2023, 8]))
    assert response.status_code == 200
    assert response.context["issue"] == published


def test_feed_entry_ids_survive_renumbering(client, published, chief):
    feed = feedparser.parse(client.get(reverse("issues:feed-articles-atom")).content)
    ids = {entry.id for entry in feed.entries}
    assert all(entry_id.startswith("tag:bulletin.intranet,") for entry_id in ids)
    with arranged():
        published.number = 12
        published.save()
    renumbered = feedparser.parse(
        client.get(reverse("issues:feed-articles-atom")).content
    )
    assert {entry.id for entry in renumbered.entries} == ids
    assert all("/2023/12/" in entry.link for entry in renumbered.entries)


def test_an_item_keeps_a_permanent_address(client, published):
    article = published.articles.first()
    response = client.get(reverse("issues:permalink", args=[article.pk]))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_a_year_page_lists_that_years_publisheds(client, published):
    draft = IssueFactory(
        publication=published.publication,
        year=published.year,
        number=published.number + 1,
        cumulative_number=published.cumulative_number + 1,
    )
    page = client.get(f"/{published.year}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert str(published) in text and published.get_absolute_url() in text
    assert draft.get_absolute_url() not in text
    assert client.get(f"/{published.year - 5}/").status_code == 404
    home = client.get("/").content.decode()
    assert f'href="/{published.year}/"' in home
