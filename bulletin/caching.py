"""Cached rendering of published content, invalidated on any content change.

One content version for the whole site: any save or delete of content bumps it,
and every cached fragment carries it in its key. Edits are rare (a monthly
digest) and reads are many, so precision per issue is not worth its bookkeeping;
correctness is one key that cannot be forgotten.
"""

import uuid

from django.apps import apps as global_apps
from django.core.cache import cache
from django.db import transaction

from bulletin import batching

VERSION_KEY = "bulletin:content-version"
TIMEOUT = 24 * 60 * 60


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


class PerVersion:
    """A value built in this process once per content version: rebuilt by
    factory on first use after any content change."""

    def __init__(self, factory):
        self.factory = factory
        self._state = ("", None)

    def get(self):
        version = content_version()
        if self._state[0] != version:
            self._state = (version, self.factory())
        return self._state[1]


def invalidate(sender=None, **kwargs) -> None:
    """Signal receiver: any change to content makes every cached fragment stale;
    inside a batch, once when it ends (never for a dry run rolled back in it).

    Writes by migrations are left alone: they go through historical models (the
    migration's own app registry: data migrations, and the groups synced after
    migrate), and `migrate` must run before the cache is up or reachable.
    """
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.apps is not global_apps:
        return
    if not batching.postpone(_new_version, [VERSION_KEY]):
        _new_version()


def _new_version(keys=()) -> None:
    _bump()
    # A reader between the write and its commit still sees the old content and
    # may cache it under the new version: bump again once the change is visible.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def get_or_render(key_parts: tuple, render) -> str:
    key = (
        "bulletin:"
        + ":".join(str(part) for part in key_parts)
        + ":"
        + content_version()
    )
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TIMEOUT)
    return html
