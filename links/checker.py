"""Checking links over HTTP: a few at a time, each with a timeout, HEAD first and
GET when HEAD is refused, redirects followed up to a limit, and never more of a
body read than a small limit (only to recognise a "deleted" page)."""

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Answers that say the page is gone, or the server broken; anything else from
# 400 up (401, 403, 429 ...) is a server that is there and guards the page.
FAILING_STATUSES = {404, 410}
# WeChat answers 200 for a deleted article: its pages are always read (GET).
READ_HOSTS = {"mp.weixin.qq.com"}
GONE_MARKERS = ("该内容已被发布者删除", "此内容因违规无法查看", "内容已被删除")


@dataclass(frozen=True)
class Result:
    url: str
    alive: bool
    status_code: int | None = None
    # Lazy: translated by whoever records it, not in the worker thread.
    error: str | Promise = ""


def _failing(status: int) -> bool:
    return status in FAILING_STATUSES or status >= 500


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = f"{settings.LINKS_USER_AGENT} +{settings.SITE_URL}"
    session.max_redirects = settings.LINKS_MAX_REDIRECTS
    return session


def _read_start(response: requests.Response) -> bytes:
    """At most LINKS_BODY_LIMIT bytes of the body; the rest is never fetched."""
    limit = settings.LINKS_BODY_LIMIT
    data = b""
    for chunk in response.iter_content(chunk_size=8192):
        data += chunk
        if len(data) >= limit:
            break
    return data[:limit]


def _get(session: requests.Session, url: str) -> Result:
    timeout = settings.LINKS_TIMEOUT
    with session.get(url, timeout=timeout, stream=True) as response:
        status = response.status_code
        if _failing(status):
            return Result(url, alive=False, status_code=status)
        start = _read_start(response).decode(response.encoding or "utf-8", "replace")
        if any(marker in start for marker in GONE_MARKERS):
            return Result(url, False, status, _("The page says it was deleted."))
        return Result(url, alive=True, status_code=status)


def check_url(url: str) -> Result:
    """One link's health: HEAD, then GET when HEAD is refused or fails."""
    session = _session()
    try:
        if urlsplit(url).hostname not in READ_HOSTS:
            try:
                head = session.head(
                    url, timeout=settings.LINKS_TIMEOUT, allow_redirects=True
                )
                head.close()
                if head.status_code < 400:
                    return Result(url, alive=True, status_code=head.status_code)
            except requests.Timeout:
                raise
            except requests.TooManyRedirects:
                raise
            except requests.RequestException:
                pass  # some servers drop HEAD: try GET
        return _get(session, url)
    except requests.Timeout:
        return Result(url, alive=False, error=_("Timed out."))
    except requests.TooManyRedirects:
        return Result(url, alive=False, error=_("Too many redirects."))
    except requests.ConnectionError:
        return Result(url, alive=False, error=_("Could not connect to the server."))
    except requests.RequestException:
        return Result(url, alive=False, error=_("The request failed."))
    finally:
        session.close()


def check_urls(
    urls: Iterable[str], progress: Callable[[int, int], None] | None = None
) -> list[Result]:
    """Check the links, LINKS_CONCURRENCY at a time; results in the urls' order."""
    urls = list(urls)
    results = []
    with ThreadPoolExecutor(max_workers=settings.LINKS_CONCURRENCY) as pool:
        for result in pool.map(check_url, urls):
            results.append(result)
            if progress:
                progress(len(results), len(urls))
    return results
