import pytest

from bulletin import roles
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SENDFILE_ROOT = str(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def _search_index_dir(settings, tmp_path):
    """Each test's host index is built from its own database on first search."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty in-memory cache."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return make_user(roles.EDITOR, username="editor")


@pytest.fixture
def chief(db):
    return make_user(roles.CHIEF_EDITOR, username="chief")


@pytest.fixture
def archivist(db):
    return make_user(roles.ARCHIVIST, username="archivist")


@pytest.fixture
def reader(db):
    return make_user(roles.READER, username="reader")


@pytest.fixture
def superuser(db):
    return make_user(superuser=True)
