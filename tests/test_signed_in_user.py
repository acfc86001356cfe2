"""The signed-in user is read from the database only after the row changed
(bulletin.auth.ModelBackend), and never outlives a change to it."""

from django.contrib.auth.models import Group
from django.urls import reverse

from bulletin.auth import _stamp_key
from bulletin.roles import EDITOR
from tests.factories import make_user

ADMIN_ISSUES = reverse("admin:issues_issue_changelist")


def test_a_repeat_request_reads_neither_session_nor_user(
    client, db, django_assert_num_queries
):
    from django.contrib.auth import get_user

    reader = make_user("读者")
    client.force_login(reader)
    request = client.get("/").wsgi_request
    assert request.user == reader
    with django_assert_num_queries(0):
        request = client.get("/").wsgi_request
        assert request.user.pk == reader.pk
        assert get_user(request).username == reader.username


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, db):
    editor = make_user(EDITOR)
    client.force_login(editor)
    assert client.get(ADMIN_ISSUES).status_code == 200
    editor.is_active = False
    editor.save()
    assert client.get(ADMIN_ISSUES).status_code == 302


def test_a_renamed_user_is_seen_under_the_new_name(client, db):
    reader = make_user("读者")
    client.force_login(reader)
    assert client.get("/").wsgi_request.user.username == "读者"
    reader.username = "新名字"
    reader.save()
    assert client.get("/").wsgi_request.user.username == "新名字"


def test_permissions_taken_away_apply_to_the_next_request(client, db):
    editor = make_user(EDITOR)
    client.force_login(editor)
    assert client.get(ADMIN_ISSUES).status_code == 200
    editor.groups.remove(Group.objects.get(name=EDITOR))
    assert client.get(ADMIN_ISSUES).status_code == 403


def test_a_change_renews_the_stamp_again_when_it_commits(
    db, django_capture_on_commit_callbacks
):
    """A process that read the row before the commit kept it under the stamp
    that the commit then replaces."""
    from django.core.cache import cache

    reader = make_user("读者")
    with django_capture_on_commit_callbacks() as callbacks:
        reader.save()
        during = cache.get(_stamp_key(reader.pk))
    assert during
    for callback in callbacks:
        callback()
    assert cache.get(_stamp_key(reader.pk)) not in (None, during)
