"""A page becomes a candidate item in the pool, with its snapshot beside it."""

from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, Source
from articles.signals import content_repeats
from collect.extract import Page, Refused, extract
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
    """The outlet on file under the page's name for it (as Source.normalise
    writes names, case aside), or a new one: a WeChat account is one."""
    name, kind = Source.normalise(page.source)
    found = Source.objects.filter(name__iexact=name).order_by("id").first()
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
