"""What running the site takes beside the pages: JSON log lines on request, a
favicon at the root, secrets kept out of the image, and a compose file whose
services share one cache and report their health."""

import json
from pathlib import Path

import pytest
import yaml
from PIL import Image

from tests.test_settings import manage

ROOT = Path(__file__).resolve().parent.parent
LOG_LINE = (
    "import logging; logging.getLogger('bulletin.ops').warning('已导入 %s 期', 108)"
)


def test_log_format_json_writes_one_json_object_a_line():
    result = manage("shell", "-c", LOG_LINE, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line]
    record = next(r for r in records if r["name"] == "bulletin.ops")
    assert record["message"] == "已导入 108 期"
    assert record["level"] == "WARNING"
    assert record["time"]


def test_plain_log_lines_by_default():
    result = manage("shell", "-c", LOG_LINE)
    assert result.returncode == 0, result.stderr
    assert "已导入 108 期" in result.stderr.splitlines()


def test_an_unknown_log_format_is_refused():
    result = manage("check", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT='xml': use text or json" in result.stderr


@pytest.mark.django_db
def test_favicon_ico_is_a_real_icon_served_without_a_login(client, settings):
    settings.BULLETIN_REQUIRE_LOGIN = True
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body == (ROOT / "webroot" / "favicon.ico").read_bytes()
    icon = Image.open(ROOT / "webroot" / "favicon.ico")
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]
    icon.size = (32, 32)
    # the SVG's blue tile with white lines
    assert icon.convert("RGB").getpixel((3, 16)) == (0x41, 0x76, 0x90)
    assert icon.convert("RGB").getpixel((16, 9)) == (255, 255, 255)


def test_secrets_in_env_files_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored


COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_compose_runs_the_site_its_worker_a_database_and_a_cache():
    assert set(SERVICES) == {"db", "cache", "web", "worker"}
    assert set(COMPOSE["volumes"]) == {"pgdata", "media", "search-index"}
    assert SERVICES["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert SERVICES["web"]["volumes"] == [
        "media:/app/var/media",
        "search-index:/app/var/search-index",
    ]
    assert SERVICES["worker"]["volumes"] == ["media:/app/var/media"]


def test_web_brings_its_search_index_up_to_date_before_serving():
    command = SERVICES["web"]["command"]
    assert (
        command.index("migrate")
        < command.index("manage.py search_index")
        < command.index("gunicorn")
    )


def test_web_and_worker_share_the_redis_cache():
    assert SERVICES["cache"]["image"].startswith("redis:")
    urls = {SERVICES[name]["environment"]["REDIS_URL"] for name in ("web", "worker")}
    assert urls == {"redis://cache:6379/0"}
    for name in ("web", "worker"):
        assert SERVICES[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "cache": {"condition": "service_healthy"},
        }


def test_every_service_has_a_healthcheck():
    for name, service in SERVICES.items():
        check = service["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert check["interval"] and check["retries"], name
    assert "/health/" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_the_lock_file_pins_every_dependency_with_hashes():
    """The image installs requirements.lock: a dependency added to pyproject.toml
    without `make lock` would be missing from it."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = Path(__file__).resolve().parent.parent
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    lock = (root / "requirements.lock").read_text()
    pinned = {}
    for block in lock.split("\n"):
        if "==" in block and not block.startswith((" ", "#")):
            name, version = block.split(" ")[0].split("==")
            pinned[canonicalize_name(name.split("[")[0])] = version
    assert pinned, "requirements.lock pins nothing"
    for line in declared["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in requirements.lock"
        assert requirement.specifier.contains(pinned[name]), (
            f"requirements.lock pins {name}=={pinned[name]}, outside {requirement}"
        )
    entries = [
        b for b in lock.split("\n") if "==" in b and not b.startswith((" ", "#"))
    ]
    assert all(e.endswith("\\") for e in entries), "every pin carries its hashes"
    assert lock.count("--hash=sha256:") >= len(entries)
