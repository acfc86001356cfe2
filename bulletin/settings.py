"""Settings for Bulletin, read from the environment in one place.

With nothing set, the site runs for development: DEBUG on, an SQLite file under
var/, media under var/media. In production set DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL; the site refuses to start without a real key.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import process_heading
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r}: use 1/0, true/false, yes/no or on/off"
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use 50+ random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    "simple_history",
    "axes",
    "django_filters",
    "adminsortable2",
    "django_prose_editor",
    "bulletin",
    "issues",
    "articles",
    "search",
    "archive",
    "editions",
    "notifications",
    "django_tasks_db",
    "desk",
    "api",
    "health_check",
    "oai",
    "collect",
    "repeats",
    "links",
    "feeds",
]

MIDDLEWARE = [
    "bulletin.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bulletin.auth.RemoteUserMiddleware",
    "bulletin.auth.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns lockouts into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bulletin.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "bulletin.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'bulletin.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # One writer at a time is SQLite's rule; waiting beats "database is locked".
    # WAL: readers never wait for the writer (web processes beside the worker).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: an in-memory shared-cache database locks whole tables
    # and ignores the timeout, unlike the file the site runs on. One file per test
    # run, so two runs on one checkout do not delete each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-bulletin-{os.getpid()}.sqlite3")
    }

# Feed entry ids are tag: URIs under this name (a domain the office owns); they
# must never change once feeds are out.
FEED_ID_AUTHORITY = os.environ.get("FEED_ID_AUTHORITY", "bulletin.intranet")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Code and templates are written in English (gettext msgids); the catalogues in
# locale/ and each app's locale/ make every screen Simplified Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# locale/packages: Chinese for the packages that ship none (see its header).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "packages"]
# Dates typed as 2023年8月20日 too (bulletin/formats/zh_Hans).
FORMAT_MODULE_PATH = ["bulletin.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site's root by whitenoise, before any login: favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "webroot"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# This host's search index (search/host_index.py), built from the database and
# kept in step with it; each host has its own, nothing is lost by deleting it.
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search-index"))

# Every file goes through the storage API, so production can swap in
# S3-compatible storage (django-storages) with configuration alone.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DEFAULT_FILE_STORAGE_BACKEND",
            "django.core.files.storage.FileSystemStorage",
        ),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# What reading one imported file may cost (archive/importers/limits.py); a file
# past any of these is refused with a message naming the limit.
IMPORT_LIMITS = {
    name: int(os.environ.get(f"IMPORT_MAX_{name.upper()}", default))
    for name, default in {
        "pages": 500,
        "paragraphs": 50_000,
        "characters": 5_000_000,
        "zip_entries": 1_000,
        "uncompressed_bytes": 100 * 1024 * 1024,
        "compression_ratio": 200,
        "stream_bytes": 20 * 1024 * 1024,
        # reading one file, in the background worker: a 500-page PDF takes ~21 s
        # on a 2-core machine (bench/import_limits.py)
        "seconds": 120,
    }.items()
}

# Stored files are sent by views that check access first (bulletin/files.py).
# Behind nginx: SENDFILE_BACKEND=django_sendfile.backends.nginx and
# SENDFILE_URL=/protected (an `internal` location aliased to MEDIA_ROOT); Apache:
# django_sendfile.backends.xsendfile. Empty: Django streams the file itself.
SENDFILE_BACKEND = os.environ.get("SENDFILE_BACKEND", "")
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = os.environ.get("SENDFILE_URL", "/protected")
# S3-compatible storage: files are handed out as signed URLs valid this long.
AWS_QUERYSTRING_EXPIRE = int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300"))

# Uploads: covers and policy documents stay small; anything bigger is refused.
MAX_IMAGE_UPLOAD_BYTES = int(os.environ.get("MAX_IMAGE_UPLOAD_BYTES", 10 * 1024 * 1024))
MAX_DOCUMENT_UPLOAD_BYTES = int(
    os.environ.get("MAX_DOCUMENT_UPLOAD_BYTES", 30 * 1024 * 1024)
)
MAX_IMPORT_UPLOAD_BYTES = int(
    os.environ.get("MAX_IMPORT_UPLOAD_BYTES", 50 * 1024 * 1024)
)

# Collecting links (python manage.py collect URL): off on an intranet; pages are
# limited as uploaded documents are (MAX_DOCUMENT_UPLOAD_BYTES).
COLLECT_FETCH = env_bool("COLLECT_FETCH", False)
COLLECT_TIMEOUT = float(os.environ.get("COLLECT_TIMEOUT", "20"))
COLLECT_MAX_REDIRECTS = int(os.environ.get("COLLECT_MAX_REDIRECTS", "5"))
# Feeds (feeds/): `poll_feeds --schedule` polls the active feeds every
# FEEDS_INTERVAL_MINUTES, collecting at most FEEDS_MAX_ENTRIES new entries of
# each feed a poll (the rest come next time). Needs COLLECT_FETCH.
FEEDS_INTERVAL_MINUTES = int(os.environ.get("FEEDS_INTERVAL_MINUTES", "60"))
FEEDS_MAX_ENTRIES = int(os.environ.get("FEEDS_MAX_ENTRIES", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body at all, refused from its Content-Length before it is
# read (bulletin.request_limits): room for the largest upload and a form beside it.
MAX_REQUEST_BYTES = int(
    os.environ.get(
        "MAX_REQUEST_BYTES",
        2 * max(MAX_IMPORT_UPLOAD_BYTES, MAX_DOCUMENT_UPLOAD_BYTES),
    )
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "issues:home"
LOGOUT_REDIRECT_URL = "issues:home"

# The intranet site is for staff only once it is deployed: every page asks for a
# login unless BULLETIN_REQUIRE_LOGIN=0 (static files are served before this).
BULLETIN_REQUIRE_LOGIN = env_bool("BULLETIN_REQUIRE_LOGIN", not DEBUG)

# OAI-PMH harvesting at /oai/ (oai/): the pages' rule above, or without a login
# harvesters on this allow-list of addresses/networks or presenting OAI_TOKEN
# (?token= or the X-OAI-Token header). Both empty: off.
OAI_HARVESTERS = env_list("OAI_HARVESTERS")
OAI_TOKEN = os.environ.get("OAI_TOKEN", "")
# Identify's adminEmail; empty: DEFAULT_FROM_EMAIL when it is a full address.
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "")
# Records per ListRecords/ListIdentifiers response; a resumptionToken follows.
OAI_PAGE_SIZE = 100

# Intranet single sign-on: a front proxy that authenticates users sets a header
# (e.g. REMOTE_USER or X-Remote-User); users it names are signed in, new ones as
# readers. Empty: off.
BULLETIN_REMOTE_USER_HEADER = os.environ.get("BULLETIN_REMOTE_USER_HEADER", "")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "bulletin.auth.RemoteUserBackend",
    "bulletin.auth.ModelBackend",
]

# Shared by all web workers: Redis when configured, else files under var/.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
        }
    }

# Background work (the PDF and Word editions). The database backend keeps queued
# tasks across restarts; `manage.py db_worker` runs them. Tests run them at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# /health/ (bulletin/health.py) fails when more tasks than this wait, or one has
# waited longer than this many minutes: the worker has stopped or falls behind.
HEALTH_TASK_QUEUE_MAX_READY = int(os.environ.get("HEALTH_TASK_QUEUE_MAX_READY", 200))
HEALTH_TASK_QUEUE_MAX_WAIT_MINUTES = int(
    os.environ.get("HEALTH_TASK_QUEUE_MAX_WAIT_MINUTES", 30)
)

# Link health (links/): `check_links` and the periodic task check items' original
# links and policy documents' links, LINKS_CONCURRENCY at a time, each request
# given LINKS_TIMEOUT seconds; a link is dead after LINKS_DEAD_AFTER failures in a
# row. The periodic run (`check_links --schedule`) checks LINKS_BATCH links due
# (unchecked for LINKS_STALE_HOURS) every LINKS_INTERVAL_MINUTES.
LINKS_CONCURRENCY = int(os.environ.get("LINKS_CONCURRENCY", 8))
LINKS_TIMEOUT = float(os.environ.get("LINKS_TIMEOUT", 10))
LINKS_MAX_REDIRECTS = int(os.environ.get("LINKS_MAX_REDIRECTS", 5))
LINKS_BODY_LIMIT = 64 * 1024
LINKS_DEAD_AFTER = int(os.environ.get("LINKS_DEAD_AFTER", 3))
LINKS_STALE_HOURS = float(os.environ.get("LINKS_STALE_HOURS", 24))
LINKS_BATCH = int(os.environ.get("LINKS_BATCH", 200))
LINKS_INTERVAL_MINUTES = int(os.environ.get("LINKS_INTERVAL_MINUTES", 60))
LINKS_USER_AGENT = os.environ.get(
    "LINKS_USER_AGENT", "Bulletin-LinkChecker/1.0 (link health of the digest)"
)  # the site's address (SITE_URL) is added, for the sites' webmasters

# The Word edition's contents carries page numbers laid out by LibreOffice
# (editions/libreoffice.py): the path of `soffice`, or empty for titles only.
EDITIONS_LIBREOFFICE = os.environ.get("EDITIONS_LIBREOFFICE", "")

# Mail (notifications/): sent by the background worker. In development the
# console backend prints each message (`make run` shows them in the worker's
# output); with DEBUG off it goes out through the SMTP server below.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A server that does not answer fails the task instead of holding the worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bulletin@localhost")

# Links in mail are absolute: the address staff reach the site at. Unset, the
# development server's, or with DEBUG off https:// and the first allowed host.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if DEBUG:
        SITE_URL = "http://127.0.0.1:8000"
    elif ALLOWED_HOSTS and ALLOWED_HOSTS[0][0] not in ".*":
        SITE_URL = f"https://{ALLOWED_HOSTS[0]}"
    else:
        raise ImproperlyConfigured(
            "SITE_URL must be set (e.g. https://bulletin.example.internal) when "
            "ALLOWED_HOSTS does not start with one plain host name"
        )

# Safe defaults when DEBUG is off; SECURE_SSL_REDIRECT can be turned off behind a
# proxy that already redirects.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers and compose probe /health/ over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the shared cache, written through to the database: a
# reader's cached page then costs no query for the session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Everything the pages load ships with the project: nothing from elsewhere, no
# inline script. The admin still sets a few inline style attributes. The one
# inline element is the rich-text editor's import map, which carries the
# request's nonce (the header names a nonce only on pages that use one).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The article body's editor (django-prose-editor; its extensions are defined in
# bulletin/text.py). Our Heading reads pasted headings of every level.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/rich-text-headings.js")],
        "extensions": {"Heading": process_heading},
    }
]

# Login throttling (django-axes): five failures for one username from one address
# lock that pair out for 15 minutes; a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 0.25))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", 0))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# LOG_FORMAT=json: one JSON object a line (python-json-logger) for a log
# collector; otherwise plain lines for people.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools report every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

TAGGIT_CASE_INSENSITIVE = True
