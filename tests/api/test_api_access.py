"""Who may read the API: the pages' login rule, with tokens for programs."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, hash_token


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_with_login_required_an_anonymous_caller_gets_401_not_a_login_page(
    client, published, login_required
):
    for url in ("/api/issues/", f"/api/issues/{published.pk}/", "/api/items/"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json() == {"detail": "Unauthorized"}
    # the pages themselves still send readers to log in
    assert client.get(published.get_absolute_url()).status_code == 302


def test_with_login_required_a_token_reads_the_api(
    client, published, token, login_required
):
    response = client.get("/api/issues/", **bearer(token))
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_with_login_required_a_signed_in_session_reads_the_api(
    client, published, reader, login_required
):
    client.force_login(reader)
    assert client.get("/api/issues/").status_code == 200


def test_without_login_required_anyone_reads_the_api(client, published, settings):
    settings.BULLETIN_REQUIRE_LOGIN = False
    assert client.get("/api/issues/").json()["count"] == 1


@pytest.mark.parametrize("login", [True, False])
def test_an_unknown_or_revoked_token_is_refused(
    client, published, token, settings, login
):
    settings.BULLETIN_REQUIRE_LOGIN = login
    assert client.get("/api/issues/", **bearer(token + "x")).status_code == 401
    assert client.get("/api/issues/", **bearer("")).status_code == 401
    ApiToken.objects.get().delete()
    assert client.get("/api/issues/", **bearer(token)).status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(
    client, published, token, harvester, login_required
):
    harvester.is_active = False
    harvester.save()
    assert client.get("/api/issues/", **bearer(token)).status_code == 401


def test_only_a_hash_of_the_token_is_stored_and_its_use_is_recorded(
    client, published, token, login_required
):
    record = ApiToken.objects.get()
    assert record.token_hash == hash_token(token) != token
    assert token.startswith(record.hint)
    assert record.last_used_at is None
    client.get("/api/issues/", **bearer(token))
    record.refresh_from_db()
    first_use = record.last_used_at
    assert first_use is not None
    # within a few minutes another use writes nothing
    client.get("/api/items/", **bearer(token))
    record.refresh_from_db()
    assert record.last_used_at == first_use
    ApiToken.objects.update(last_used_at=first_use - datetime.timedelta(hours=1))
    client.get("/api/items/", **bearer(token))
    record.refresh_from_db()
    assert record.last_used_at > first_use - datetime.timedelta(minutes=1)
    assert record.last_used_at <= timezone.now()


def test_the_schema_is_readable_without_a_login(client, login_required):
    """It describes the API, not the content, and tells a program how to sign in."""
    schema = client.get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenOrSession"] == {"type": "http", "scheme": "bearer"}


def test_a_superuser_creates_a_token_in_the_admin_and_sees_it_once(
    client, superuser, harvester
):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"name": "方志馆采集", "owner": harvester.pk},
        follow=True,
    )
    assert response.status_code == 200
    messages = " ".join(str(m) for m in response.context["messages"])
    (token,) = re.findall(r"bltn_[\w-]{43}", messages)
    record = ApiToken.objects.get()
    assert record.owner == harvester and record.token_hash == hash_token(token)
    page = client.get(reverse("admin:api_apitoken_change", args=[record.pk]))
    assert token not in page.content.decode()
    assert (
        "API 令牌"
        in client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    )


def test_editors_cannot_manage_tokens(client, chief, token):
    client.force_login(chief)
    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 403
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403


def test_a_token_answers_as_its_owner(rf, token, harvester):
    from api.auth import TokenOrSession

    request = rf.get("/api/issues/", **bearer(token))
    request.user = AnonymousUser()
    assert TokenOrSession()(request) == harvester
    assert request.user == harvester
