"""Published reading pages served from the cache: rendered and compressed once per
content version and reader, with an ETag so that a repeat visit costs a 304.

What a page shows depends on three things, and each is part of its key and of its
ETag: the content (the content version, which every write bumps: bulletin/caching.py),
the address (path, the query parameters the view reads, host, language), and the
reader (who they are, their permissions, their CSRF secret, which the logout form's
token is made from; nothing for anonymous readers and for pages the same for
everyone, such as feeds). So a change shows at once, no reader is given another's
page, and the ETag is known before anything is rendered. Access is checked before
the view is reached (LoginRequiredMiddleware), so before any cached body is sent.

BREACH: a compressed body is only attackable if it reflects something the attacker
chose beside a secret. A cached page reflects nothing of the request but the query
parameters its key names (a page number, parsed as one), and gzip bodies carry
Django's random-length filename all the same (GZipMiddleware's mitigation).
"""

import time
from functools import partial, wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.crypto import salted_hmac
from django.utils.http import http_date
from django.utils.text import compress_string
from django.utils.translation import get_language

from bulletin import caching

# What Django's GZipMiddleware adds to each gzip body against BREACH.
MAX_RANDOM_BYTES = GZipMiddleware.max_random_bytes
_gzip = GZipMiddleware(lambda request: None)


def cached_page(view=None, *, query: tuple[str, ...] = (), shared: bool = False):
    """Serve the view's 200 responses from the cache, compressed, with an ETag.

    query names the GET parameters the view reads (others do not reach the key).
    shared: the page is the same for every reader who may see it (feeds), so it
    also gets a Last-Modified. Responses the view marks with its own
    Cache-Control (previews of drafts), or that set cookies, are not cached.
    """
    if view is None:
        return partial(cached_page, query=query, shared=shared)

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or len(get_messages(request)):
            # Messages are shown once: such a page is not the cached one.
            return _gzip.process_response(request, view(request, *args, **kwargs))
        per_reader = not shared and request.user.is_authenticated
        version = caching.content_version()
        tag = _tag(request, version, query, per_reader)
        etag = f'W/"{tag}"'
        if request.META.get("HTTP_IF_NONE_MATCH"):
            not_modified = get_conditional_response(
                request, etag=etag, response=_validators(request, etag)
            )
            if not_modified.status_code == 304:
                return not_modified
        encoding = (
            "gzip"
            if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            else ""
        )
        entry = cache.get(_key(tag, encoding))
        if entry is None:
            response = view(request, *args, **kwargs)
            if not _is_cacheable(request, response, per_reader):
                return _gzip.process_response(request, response)
            if per_reader:
                # The logout form's token is made from the secret the response
                # hands out (a new one if the reader had none): keep it under that.
                tag = _tag(request, version, query, per_reader)
                etag = f'W/"{tag}"'
            entry = _entry(response, encoding)
            cache.set(_key(tag, encoding), entry, caching.TIMEOUT)
        # Entries made this second may yet be followed by a change within it.
        last_modified = None
        if not per_reader and int(entry["created"]) < int(time.time()):
            last_modified = int(entry["created"])
        response = _validators(request, etag, last_modified)
        response.content = entry["body"]
        response["Content-Type"] = entry["content_type"]
        if encoding and entry["compressed"]:
            response["Content-Encoding"] = encoding
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    return serve


def _key(tag: str, encoding: str) -> str:
    return f"bulletin:page:{tag}:{encoding}"


def _tag(request, version: str, query: tuple[str, ...], per_reader: bool) -> str:
    parts = [
        version,
        request.get_host(),
        request.scheme,
        request.path,
        *(f"{name}={request.GET.get(name, '')}" for name in query),
        get_language(),
    ]
    if per_reader:
        user = request.user
        parts += [
            str(user.pk),
            user.get_username(),
            str(user.is_staff),
            str(user.is_superuser),
            _permissions(user, version),
            request.META.get("CSRF_COOKIE") or "",
        ]
    return salted_hmac("bulletin.pages", "\n".join(parts)).hexdigest()[:32]


_known_permissions = ("", {})


def _permissions(user, version: str) -> str:
    """The user's permissions, read once per content version in this process (two
    queries saved on every page): any change of a user's groups or a group's
    permissions bumps the version (m2m_changed, and deleting a group or permission:
    bulletin/apps.py)."""
    global _known_permissions
    if _known_permissions[0] != version:
        _known_permissions = (version, {})
    known = _known_permissions[1]
    if user.pk not in known:
        known[user.pk] = ",".join(sorted(user.get_all_permissions()))
    return known[user.pk]


def _validators(request, etag: str, last_modified: int | None = None) -> HttpResponse:
    """An empty response with the headers every answer to this page carries,
    a 304 included."""
    response = HttpResponse()
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    # Revalidate every time (a 304 is cheap); pages behind a login stay out of
    # shared caches.
    if request.user.is_authenticated or settings.BULLETIN_REQUIRE_LOGIN:
        patch_cache_control(response, no_cache=True, private=True)
    else:
        patch_cache_control(response, no_cache=True)
    return response


def _is_cacheable(request, response, per_reader: bool) -> bool:
    """A plain 200 that sets nothing for this client alone; a page for everyone
    must not hold a CSRF token (it is made from one client's secret)."""
    return (
        (per_reader or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        and response.status_code == 200
        and not response.streaming
        and not response.has_header("Cache-Control")
        and not response.cookies
        and not request.session.modified
    )


def _entry(response, encoding: str) -> dict:
    body = response.content
    compressed = bool(encoding) and len(body) >= 200
    if compressed:
        body = compress_string(body, max_random_bytes=MAX_RANDOM_BYTES)
    return {
        "body": body,
        "content_type": response["Content-Type"],
        "compressed": compressed,
        "created": time.time(),
    }
