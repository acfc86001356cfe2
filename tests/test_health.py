"""/health/ for load balancers: 200 while the database, cache, storage and task
queue work, 500 when one does not; no login, never cached, JSON when asked;
and compose's healthchecks pass against a running site and a database migrated
from zero without the cache (`migrate` never touches it)."""

import datetime
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
import yaml
from django.urls import reverse

from bulletin import roles
from notifications.tasks import send_transition_mail
from tests.test_settings import manage

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _login_required_and_database_queue(settings):
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def health(client, **headers):
    return client.get(
        reverse("health"), headers={"accept": "application/json", **headers}
    )


def test_a_healthy_site_answers_200_without_a_login(client):
    response = health(client)
    assert response.status_code == 200
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "Storage(alias='default')": "OK",
        "TaskQueue(max_ready=200, max_wait=datetime.timedelta(seconds=1800))": "OK",
    }
    assert "no-cache" in response["Cache-Control"]
    assert "Accept" in response["Vary"]


def test_other_pages_still_ask_for_a_login(client):
    assert client.get("/").status_code == 302


def test_a_worker_that_fell_behind_fails_the_check(client):
    send_transition_mail.enqueue(0)
    assert health(client).status_code == 200
    with time_machine.travel(datetime.timedelta(minutes=31)):
        response = health(client)
    assert response.status_code == 500
    assert (
        "Unavailable: The oldest task has waited too long" in response.json().values()
    )


def test_too_many_waiting_tasks_fail_the_check(client, settings):
    settings.HEALTH_TASK_QUEUE_MAX_READY = 1
    send_transition_mail.enqueue(0)
    assert health(client).status_code == 200
    send_transition_mail.enqueue(0)
    response = health(client)
    assert response.status_code == 500
    assert "Unavailable: 2 tasks waiting" in response.json().values()


def test_an_unreachable_cache_fails_without_naming_its_address(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = health(client)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Connection Error" in body
    assert "127.0.0.1" not in body and ":9" not in body
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def test_unwritable_storage_fails_without_naming_its_path(client, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked
    response = health(client)
    assert response.status_code == 500
    assert response.json()["Storage(alias='default')"] != "OK"
    assert str(tmp_path) not in response.content.decode()


def test_the_html_page_is_the_default(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def compose_test(service: str) -> list[str]:
    test = COMPOSE["services"][service]["healthcheck"]["test"]
    assert test[0] == "CMD"
    return test[1:]


def test_compose_web_healthcheck_passes_against_a_running_site(live_server):
    command = compose_test("web")
    command = [part.replace("127.0.0.1:8000", live_server.url[7:]) for part in command]
    assert command[0] == "python"
    env = {**os.environ, "ALLOWED_HOSTS": "localhost,bulletin.example.internal"}
    result = subprocess.run(
        [sys.executable, *command[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_compose_web_healthcheck_fails_when_the_site_is_unhealthy(
    live_server, settings
):
    settings.HEALTH_TASK_QUEUE_MAX_READY = 0
    send_transition_mail.enqueue(0)
    command = compose_test("web")
    command = [part.replace("127.0.0.1:8000", live_server.url[7:]) for part in command]
    result = subprocess.run(
        [sys.executable, *command[1:]],
        env={**os.environ, "ALLOWED_HOSTS": "localhost"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "HTTP Error 500" in result.stderr


def test_compose_worker_healthcheck_runs_the_checks_in_its_container(
    tmp_path, migrated_without_cache
):
    command = compose_test("worker")
    assert command[:2] == ["python", "manage.py"]
    unmigrated = manage(
        *command[2:],
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert unmigrated.returncode == 1
    assert "Unavailable: The task queue cannot be read" in unmigrated.stdout
    healthy = manage(*command[2:], **migrated_without_cache)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert healthy.stdout.count(": OK") == 4


@pytest.fixture(scope="session")
def migrated_without_cache(tmp_path_factory) -> dict:
    """A database migrated from zero while REDIS_URL points at a port nothing
    listens on; the environment that reaches it (a file cache of its own)."""
    folder = tmp_path_factory.mktemp("migrated")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'fresh.sqlite3'}",
        "CACHE_DIR": str(folder / "cache"),
        "MEDIA_ROOT": str(folder / "media"),
    }
    result = manage("migrate", "--no-input", REDIS_URL="redis://127.0.0.1:9/0", **env)
    assert result.returncode == 0, result.stderr[-3000:]
    return env


def test_migrate_from_zero_needs_no_cache(migrated_without_cache):
    """Every migration and what runs after migrate (the groups synced) succeed
    without the cache."""
    database = migrated_without_cache["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        groups = connection.execute("SELECT count(*) FROM auth_group").fetchone()[0]
    assert groups == len(roles.GROUP_PERMISSIONS)
