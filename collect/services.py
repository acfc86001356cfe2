"""A page becomes a candidate item in the pool, with its snapshot beside it."""

import os

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, Source
from articles.signals import content_repeats
from collect.extract import Page, Refused, extract
from collect.fetch import fetch
from collect.models import Snapshot


def collect(data: bytes, url: str = "", *, user=None) -> Article:
    """Extract the page and store it as an item in the pool, all or nothing."""
    page = extract(data, url)
    with transaction.atomic():
        article = Article(
            title=page.title,
            body=page.body,
            source=match_source(page) if page.source else None,
            source_date=page.source_date,
            author=page.author,
            original_url=page.url,
            created_by=user,
        )
        if not article.title:
            raise Refused(_("The page has no title."))
        article.save()
        Snapshot.objects.create(
            article=article,
            html=page.snapshot_html,
            text=page.text,
            sha256=page.sha256,
            url=url or page.url,
        )
    return article


def match_source(page: Page) -> Source:
    """The outlet on file under the page's name for it, by name or alias (as
    Source.normalise writes names, case aside), or a new one: a WeChat account
    is one."""
    name, kind = Source.normalise(page.source)
    found = Source.objects.find_named(name)
    if found is not None:
        return found
    if page.is_wechat:
        kind = Source.Kind.WECHAT
    source, _created = Source.objects.get_or_create(
        name=name, defaults={"kind": kind or Source.guess_kind(name)}
    )
    return source


def repeats(article: Article) -> list[str]:
    """What is said of the item's repeats in back issues: the same link or title
    (articles), and the same text (whichever app answers content_repeats)."""
    messages = [
        _("Same link or title as %(issue)s “%(title)s”.")
        % {"issue": other.issue, "title": other.title}
        for other in Article.objects.repeats_of(article)
    ]
    for repeat in content_repeats([article]).get(article.pk, []):
        messages.append(repeat.message)
    return messages


def collect_page(page, *, user=None) -> tuple[Article, list[str]]:
    """Collect one page, the one path of the command and the admin's batches: a
    link (fetched), a saved page's path, or an open stored file; the item made
    (in its own transaction) and what is said of its repeats. Refused with the
    reason when the page cannot be had or holds no article."""
    if isinstance(page, str) and page.startswith(("http://", "https://")):
        data, url = fetch(page)
    else:
        data, url = _read(page), ""
    article = collect(data, url, user=user)
    return article, repeats(article)


def _read(page) -> bytes:
    """The bytes of a path or a stored file, its size checked before a byte is read."""
    limit = settings.MAX_DOCUMENT_UPLOAD_BYTES
    try:
        size = os.path.getsize(page) if isinstance(page, str) else page.size
        if size > limit:
            raise Refused(
                _("The page is too large (%(size)d bytes); the limit is %(max)d bytes.")
                % {"size": size, "max": limit}
            )
        if isinstance(page, str):
            with open(page, "rb") as file:
                return file.read()
        with page.open("rb") as file:
            return file.read()
    except OSError as error:
        raise Refused(
            _("The file cannot be read: %(error)s") % {"error": error.strerror or error}
        ) from error
