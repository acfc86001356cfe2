"""Throughput and latency of the reading pages, against a static file of the same size.

    .venv/bin/python bench/pages.py [--seconds 10] [--concurrency 4] [--workers 2]

Builds a throwaway SQLite site with the sample issue imported and published,
serves it with gunicorn (production settings, DEBUG=0, the file cache), and
measures the issue page and an article page for a logged-in reader (who logs in
through the login form) and for an anonymous visitor, compressed (Accept-Encoding:
gzip, as browsers ask) and not, and a repeat visit (If-None-Match: 304). The
baseline is the same issue page's HTML saved as a static file (with the .gz beside
it that collectstatic would make) and served by the same gunicorn through
whitenoise, in the same run: the ratio to it is the figure that matters, not the
absolute numbers.
"""

import argparse
import gzip
import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from support import ROOT, SAMPLE, free_port, wait_for


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def fetch(port: int, path: str, headers=None, expect=200):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    if response.status != expect:
        raise RuntimeError(f"GET {path} -> {response.status}")
    return body, response


def cookies_of(response, cookies=None) -> dict:
    cookies = dict(cookies or {})
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    return cookies


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def log_in(port: int, username: str, password: str) -> dict:
    """The reader's cookies after the login form, as a browser would have them."""
    body, response = fetch(port, "/accounts/login/")
    cookies = cookies_of(response)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.decode(),
            "username": username,
            "password": password,
        }
    )
    connection.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
        },
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"log-in as {username} -> {response.status}")
    return cookies_of(response, cookies)


def load(
    port: int, path: str, seconds: float, concurrency: int, headers: dict, expect: int
) -> dict:
    """Closed-loop load: each thread keeps one connection and sends requests back to back."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == expect
            except (OSError, http.client.HTTPException):
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                with lock:
                    errors += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": statistics.quantiles(latencies, n=20)[18] * 1000
        if len(latencies) > 20
        else float("nan"),
        "errors": errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bulletin-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BULLETIN_REQUIRE_LOGIN": "0",
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "CACHE_DIR": str(work / "cache"),
    }
    server = None
    try:
        manage(env, "migrate", "--no-input")
        # Publishing acts as a named user; this one has no usable password.
        manage(
            env,
            "createsuperuser",
            "--no-input",
            "--username",
            "bench",
            "--email",
            "bench@example.invalid",
        )
        manage(env, "import_issue", str(SAMPLE), "--publish", "--user", "bench")
        manage(env, "shell", "-c", CREATE_READER)
        manage(env, "collectstatic", "--no-input")
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "bulletin.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
        ]
        gunicorn += ["--workers", str(options.workers), "--log-level", "warning"]

        # First start: render the pages once to copy the issue page as the static baseline.
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        wait_for(port)
        issue_html, _ = fetch(port, "/2023/8/")
        article_path = first_article_path(issue_html)
        server.terminate()
        server.wait()
        (work / "static" / "bench").mkdir(parents=True)
        (work / "static" / "bench" / "issue.html").write_bytes(issue_html)
        (work / "static" / "bench" / "issue.html.gz").write_bytes(
            gzip.compress(issue_html, compresslevel=9)
        )

        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        wait_for(port)
        reader = {"Cookie": cookie_header(log_in(port, "reader", READER_PASSWORD))}
        print(
            f"gunicorn {options.workers} workers, {options.concurrency} concurrent clients, "
            f"{options.seconds:g} s per page; issue page {len(issue_html) / 1024:.0f} KiB"
        )
        print(
            f"{'page':<44} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} "
            f"{'KiB':>6} {'errors':>7} {'vs static':>10}"
        )
        baselines = {}
        for encoding in ("gzip", "identity"):
            accept = {"Accept-Encoding": encoding}
            runs = {
                "static file (baseline)": ("/static/bench/issue.html", accept),
                "issue page, reader": ("/2023/8/", {**accept, **reader}),
                "issue page, anonymous": ("/2023/8/", accept),
                "item page, reader": (article_path, {**accept, **reader}),
                "item page, anonymous": (article_path, accept),
            }
            for label, (path, headers) in runs.items():
                body, _ = fetch(port, path, headers)  # warm the cache
                result = load(
                    port, path, options.seconds, options.concurrency, headers, 200
                )
                baselines.setdefault(encoding, result)
                report(f"{label}, {encoding}", result, len(body), baselines[encoding])
        _, response = fetch(port, "/2023/8/", reader)
        repeat = {**reader, "If-None-Match": response.headers["ETag"]}
        fetch(port, "/2023/8/", repeat, expect=304)
        result = load(
            port, "/2023/8/", options.seconds, options.concurrency, repeat, 304
        )
        report("issue page, reader, repeat visit (304)", result, 0, baselines["gzip"])
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


def report(label: str, result: dict, size: int, baseline: dict) -> None:
    print(
        f"{label:<44} {result['rps']:>8.0f} {result['median_ms']:>10.2f} "
        f"{result['p95_ms']:>8.2f} {size / 1024:>6.0f} {result['errors']:>7} "
        f"{result['rps'] / baseline['rps']:>9.2f}x"
    )


READER_PASSWORD = "bench-reader-pass"  # noqa: S105 (a throwaway database's user)
CREATE_READER = f"""
from django.contrib.auth.models import Group, User
from bulletin.roles import READER
user = User.objects.create_user("reader", password={READER_PASSWORD!r})
user.groups.add(Group.objects.get(name=READER))
"""


def first_article_path(issue_html: bytes) -> str:
    return re.search(r'href="(/2023/8/\d+/)"', issue_html.decode()).group(1)


if __name__ == "__main__":
    main()
