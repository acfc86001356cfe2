"""Reading pages are compressed, carry validators, answer 304, and are never one
reader's page served to another."""

import datetime
import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date

from articles import corrections
from editions.models import Edition
from issues import services
from issues.models import Issue
from tests.factories import (
    AttachmentFactory,
    IssueFactory,
    arranged,
    fill_issue,
    make_user,
)
from tests.issues.test_reading import publish


@pytest.fixture
def published(db):
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    AttachmentFactory(
        article=issue.articles.in_print_order().first(),
        policy_document__title="关于促进民营经济发展壮大的意见",
    )
    return publish(issue)


PAGES = ["issue", "item", "section", "policies", "policy", "feed", "home", "source"]


def url_of(page: str, issue: Issue) -> str:
    article = issue.articles.in_print_order().first()
    return {
        "issue": issue.get_absolute_url(),
        "item": article.get_absolute_url(),
        "section": reverse("issues:section", args=[article.section_id]),
        "policies": reverse("articles:policies"),
        "policy": reverse(
            "articles:policy", args=[article.attachments.first().policy_document_id]
        ),
        "feed": reverse("issues:feed-articles-atom"),
        "home": reverse("issues:home"),
        "source": reverse("articles:source", args=[article.source_id]),
    }[page]


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_gzipped_for_clients_that_accept_it(client, published, page):
    url = url_of(page, published)
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert int(packed["Content-Length"]) < len(plain.content)
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"] and "Cookie" in packed["Vary"]


@pytest.mark.parametrize("page", PAGES)
def test_a_repeat_visit_with_the_etag_gets_304_and_no_body(
    client, published, reader, page
):
    client.force_login(reader)
    url = url_of(page, published)
    first = client.get(url)
    assert first["ETag"].startswith('W/"')
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    # The same validator whatever the encoding: one page, two representations.
    packed = client.get(
        url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert packed.status_code == 304


@pytest.mark.parametrize("page", PAGES)
def test_if_modified_since_gets_304_where_the_page_is_the_same_for_everyone(
    client, published, page, time_machine
):
    time_machine.move_to(
        datetime.datetime(2026, 3, 1, 9, 0, 0, tzinfo=datetime.UTC), tick=False
    )
    url = url_of(page, published)
    client.get(url)
    time_machine.move_to(
        datetime.datetime(2026, 3, 1, 9, 0, 5, tzinfo=datetime.UTC), tick=False
    )
    response = client.get(url)
    last_modified = response["Last-Modified"]
    assert last_modified == http_date(
        datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC).timestamp()
    )
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 304 and again.content == b""


def test_a_page_cached_this_second_has_no_last_modified_yet(client, published):
    """A change later in the same second would not move a one-second date."""
    assert not client.get(published.get_absolute_url()).has_header("Last-Modified")


def test_feeds_have_last_modified_for_logged_in_readers_too(
    client, published, reader, time_machine
):
    time_machine.move_to(
        datetime.datetime(2026, 3, 1, 9, 0, 0, tzinfo=datetime.UTC), tick=False
    )
    client.force_login(reader)
    url = reverse("issues:feed-issues-rss")
    client.get(url)
    time_machine.move_to(
        datetime.datetime(2026, 3, 1, 9, 0, 5, tzinfo=datetime.UTC), tick=False
    )
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # A page that shows who is logged in has no date another reader could send.
    assert not client.get(published.get_absolute_url()).has_header("Last-Modified")


@pytest.mark.parametrize("page", ["issue", "item", "section", "feed", "home"])
def test_a_correction_changes_the_validator(client, published, chief, page):
    url = url_of(page, published)
    etag = client.get(url)["ETag"]
    article = published.articles.in_print_order().first()
    article.title = "改过的标题"
    corrections.correct(
        user=chief, reason="标题有误", articles=[article], apply=article.save
    )
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "改过的标题" in response.content.decode()


@pytest.mark.parametrize("page", ["home", "feed"])
def test_a_new_publication_changes_the_validator(client, published, page):
    url = url_of(page, published)
    etag = client.get(url)["ETag"]
    newer = IssueFactory(
        publication=published.publication, number=9, cumulative_number=27
    )
    fill_issue(newer)
    newer.articles.update(title="第九期的条目")
    publish(newer)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "第九期" in response.content.decode()


def test_an_unpublished_issue_is_not_found_even_with_its_old_etag(
    client, published, chief, reader
):
    client.force_login(reader)
    url = published.get_absolute_url()
    etag = client.get(url)["ETag"]
    services.issue_transition(
        issue=published, user=chief, name="unpublish", comment="有误，撤回"
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404
    assert client.get(url).status_code == 404


def test_a_renumbered_issue_redirects_even_with_its_old_etag(client, published):
    url = published.get_absolute_url()
    etag = client.get(url)["ETag"]
    with arranged():
        published.number = 12
        published.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 301
    assert response["Location"] == "/2023/12/"


def test_a_new_edition_changes_the_issue_page_validator(client, published, chief):
    client.force_login(chief)
    url = published.get_absolute_url()
    etag = client.get(url)["ETag"]
    Edition.objects.create(
        issue=published,
        kind=Edition.Kind.PDF,
        status=Edition.Status.FAILED,
        generated_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_another_reader_gets_neither_the_304_nor_the_cached_page(
    client, published, reader
):
    url = published.get_absolute_url()
    client.force_login(reader)
    etag = client.get(url)["ETag"]
    other = Client()
    other.force_login(make_user("读者", username="another-reader"))
    response = other.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    page = response.content.decode()
    assert "退出（another-reader）" in page and "退出（reader）" not in page
    # Anonymous visitors neither.
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "another-reader" not in response.content.decode()


def test_an_editor_and_a_reader_each_get_the_page_for_their_permissions(
    client, published, reader, chief
):
    url = published.get_absolute_url()
    client.force_login(chief)
    assert "重新生成" in client.get(url).content.decode()
    client.force_login(reader)
    assert "重新生成" not in client.get(url).content.decode()


def test_a_reader_given_new_permissions_gets_a_new_page(client, published, reader):
    from django.contrib.auth.models import Group

    from bulletin import roles

    url = published.get_absolute_url()
    client.force_login(reader)
    etag = client.get(url)["ETag"]
    reader.groups.add(Group.objects.get(name=roles.CHIEF_EDITOR))
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "重新生成" in response.content.decode()


def test_the_logout_form_of_a_cached_page_still_works(published, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    url = published.get_absolute_url()
    client.get(url)
    cached = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached).group(1)
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_with_login_required_a_cached_page_still_asks_for_a_login(
    client, settings, published, reader
):
    settings.BULLETIN_REQUIRE_LOGIN = True
    url = published.get_absolute_url()
    client.force_login(reader)
    etag = client.get(url)["ETag"]
    client.logout()
    for headers in ({}, {"HTTP_IF_NONE_MATCH": etag}):
        response = Client().get(url, **headers)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_with_login_required_even_anonymous_pages_stay_private(
    client, settings, published, reader
):
    settings.BULLETIN_REQUIRE_LOGIN = True
    client.force_login(reader)
    assert "private" in client.get(reverse("issues:feed-issues-rss"))["Cache-Control"]


def test_draft_previews_are_neither_cached_nor_validated(client, editor, db):
    draft = IssueFactory(number=9, cumulative_number=27)
    fill_issue(draft)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert "no-cache" in response["Cache-Control"]
    draft.articles.filter(pk=draft.articles.first().pk).update(title="草稿里改过")
    assert "草稿里改过" in client.get(draft.get_absolute_url()).content.decode()


def test_a_page_with_a_message_to_show_is_not_the_cached_one(client, published, reader):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    client.force_login(reader)
    url = published.get_absolute_url()
    client.get(url)
    # A message waiting in its cookie, as after a redirect.
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "已保存的提示")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get(url)
    assert "已保存的提示" in page.content.decode()
    assert "已保存的提示" not in client.get(url).content.decode()


def test_only_the_page_parameter_reaches_the_key_of_a_list(client, published):
    url = url_of("section", published)
    etag = client.get(url)["ETag"]
    assert client.get(url, {"utm": "x"})["ETag"] == etag
    assert client.get(url, {"page": "2"})["ETag"] != etag


def test_a_cached_page_costs_a_reader_no_query(
    client, published, reader, django_assert_num_queries
):
    client.force_login(reader)
    url = published.get_absolute_url()
    client.get(url)
    # The session comes from the cache, the user from this process's copy and
    # the permissions are read once per content version.
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_cached_page_costs_an_anonymous_visitor_no_query(
    client, published, django_assert_num_queries
):
    url = published.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
