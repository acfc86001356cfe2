"""A database that goes away (restart, failover) gives a 503, and the site recovers alone."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from bulletin.views import server_error


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("require_login", [False, True])
def test_an_unreachable_database_gets_a_503_then_the_site_recovers_by_itself(
    client, settings, require_login, reader
):
    # With login required the failure comes from the session lookup in middleware.
    settings.BULLETIN_REQUIRE_LOGIN = require_login
    client.force_login(reader)
    client.raise_request_exception = False
    saved = dict(connection.settings_dict)
    connection.close()
    # Point the connection somewhere no database answers: a real failure to connect.
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/bulletin.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        response = client.get(reverse("issues:home"))
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "数据库正在重启或维护" in response.content.decode()
    # The database is back: the next request reconnects without any restart.
    assert client.get(reverse("issues:home")).status_code == 200


def test_other_errors_get_the_plain_500_page():
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "出错了" in response.content.decode()
