"""The shared cache in Redis (REDIS_URL): the machine's Redis at 127.0.0.1:6379
holds what web and worker share. (`migrate` never needs it: tests/test_health.py.)"""

import uuid

import pytest
import redis
from django.core.cache import cache

from bulletin import caching
from tests.issues.test_reading import published  # noqa: F401  (fixture)

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache(settings):
    """The site's cache in the machine's Redis, under a prefix of this test's own
    (other runs share the server): its keys are deleted afterwards, and the
    cache is locmem again before conftest's clear() could empty the server."""
    prefix = f"test-ops-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(REDIS_URL)
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def keys(client, prefix, pattern="*") -> list[str]:
    return sorted(k.decode() for k in client.scan_iter(f"{prefix}:*:{pattern}"))


def test_values_set_are_read_back_through_redis(redis_cache):
    client, prefix = redis_cache
    cache.set("greeting", {"text": "你好"}, 60)
    assert cache.get("greeting") == {"text": "你好"}
    assert keys(client, prefix) == [f"{prefix}:1:greeting"]
    assert cache.add("counter", 1)
    assert cache.incr("counter") == 2


def test_the_content_version_lives_in_redis_and_changes_on_write(redis_cache):
    client, prefix = redis_cache
    version = caching.content_version()
    assert keys(client, prefix, caching.VERSION_KEY)
    caching.invalidate()
    assert caching.content_version() != version


def test_a_reading_page_is_cached_in_redis_and_served_from_it(
    redis_cache,
    client,
    published,  # noqa: F811
    django_assert_num_queries,
):
    client_, prefix = redis_cache
    url = published.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert keys(client_, prefix, "bulletin:page:*")
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
