"""The content version, which every cached page carries, changes with content."""

import pytest
from django.db import transaction

from bulletin import caching
from tests.factories import SourceFactory


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_again_once_a_change_is_committed():
    """A page cached between a write and its commit shows the old content: it must
    not outlive the commit."""
    before = caching.content_version()
    with transaction.atomic():
        SourceFactory(name="人民日报")
        during = caching.content_version()
        assert during != before
    assert caching.content_version() not in (before, during)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_second_bump():
    with pytest.raises(RuntimeError), transaction.atomic():
        SourceFactory(name="新华社")
        during = caching.content_version()
        raise RuntimeError
    assert caching.content_version() == during
