"""Fetching a link, where the server may reach the internet (COLLECT_FETCH)."""

from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from collect.extract import Refused

USER_AGENT = (
    "BulletinCollector/1.0 (+an editorial digest collecting one article at a time)"
)


@dataclass(frozen=True)
class Fetched:
    data: bytes  # empty when not modified
    url: str
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""


def fetch(url: str) -> tuple[bytes, str]:
    """The page's bytes and the address they came from after redirects; Refused
    on an error status, a timeout, too many redirects or too many bytes (counted
    while they arrive, so a huge page is never held in memory)."""
    fetched = fetch_conditional(url)
    return fetched.data, fetched.url


def fetch_conditional(url: str, *, etag: str = "", modified: str = "") -> Fetched:
    """fetch, asking the server to answer 304 Not Modified when the validators
    of the last answer (ETag, Last-Modified) still hold; feeds poll this way."""
    if not settings.COLLECT_FETCH:
        raise Refused(_("Fetching links is turned off on this server (COLLECT_FETCH)."))
    limit = settings.MAX_DOCUMENT_UPLOAD_BYTES
    session = requests.Session()
    session.max_redirects = settings.COLLECT_MAX_REDIRECTS
    session.headers["User-Agent"] = USER_AGENT
    if etag:
        session.headers["If-None-Match"] = etag
    if modified:
        session.headers["If-Modified-Since"] = modified
    try:
        with session.get(
            url, stream=True, timeout=settings.COLLECT_TIMEOUT, allow_redirects=True
        ) as response:
            if response.status_code == 304 and (etag or modified):
                return Fetched(b"", response.url, not_modified=True)
            if response.status_code != 200:
                raise Refused(
                    _("The link answered with HTTP status %(status)d.")
                    % {"status": response.status_code}
                )
            if int(response.headers.get("Content-Length") or 0) > limit:
                raise Refused(_too_large(limit))
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise Refused(_too_large(limit))
                chunks.append(chunk)
            return Fetched(
                b"".join(chunks),
                response.url,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except requests.TooManyRedirects as error:
        raise Refused(
            _("The link redirects more than %(max)d times.")
            % {"max": settings.COLLECT_MAX_REDIRECTS}
        ) from error
    except requests.Timeout as error:
        raise Refused(_("The link did not answer in time.")) from error
    except requests.RequestException as error:
        raise Refused(
            _("The link cannot be fetched: %(error)s") % {"error": error}
        ) from error
    finally:
        session.close()


def _too_large(limit: int) -> str:
    return _("The page is larger than the limit of %(max)d bytes.") % {"max": limit}
