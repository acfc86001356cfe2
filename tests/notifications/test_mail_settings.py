"""Mail settings come from the environment, with the project's pattern for DEBUG."""

from tests.test_settings import STRONG_KEY, manage

PRINT_MAIL_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.SITE_URL, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)"
)


def test_development_prints_mail_and_links_to_the_development_server():
    result = manage("shell", "--no-imports", "-c", PRINT_MAIL_SETTINGS, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "http://127.0.0.1:8000",
        "localhost",
        "25",
        "False",
    ]


def test_production_sends_through_the_smtp_server_it_is_given():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_MAIL_SETTINGS,
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="bulletin.example.internal,localhost",
        EMAIL_HOST="smtp.example.internal",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "https://bulletin.example.internal",
        "smtp.example.internal",
        "587",
        "True",
    ]


def test_production_without_a_site_address_it_can_tell_refuses_to_start():
    result = manage(
        "check", DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS=".example.internal"
    )
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
