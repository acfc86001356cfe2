"""Throughput and latency of the reading pages, against a static file of the same size.

    .venv/bin/python bench/pages.py [--seconds 10] [--concurrency 4] [--workers 2]

Builds a throwaway SQLite site with the sample issue imported and published,
serves it with gunicorn (production settings, DEBUG=0), and measures the issue
page and an article page. The baseline is the same issue page's HTML saved as a
static file and served by the same gunicorn through whitenoise, in the same run:
the ratio to it is the figure that matters, not the absolute numbers.
"""

import argparse
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


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path} -> {response.status}")
    return body


def load(port: int, path: str, seconds: float, concurrency: int) -> dict:
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
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
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
        issue_html = fetch(port, "/2023/8/")
        article_path = first_article_path(issue_html)
        server.terminate()
        server.wait()
        (work / "static" / "bench").mkdir(parents=True)
        (work / "static" / "bench" / "issue.html").write_bytes(issue_html)

        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        wait_for(port)
        pages = {
            "static file (baseline)": "/static/bench/issue.html",
            "issue page /2023/8/": "/2023/8/",
            f"article page {article_path}": article_path,
        }
        print(
            f"gunicorn {options.workers} workers, {options.concurrency} concurrent clients, "
            f"{options.seconds:g} s per page; issue page {len(issue_html) / 1024:.0f} KiB"
        )
        results = {}
        for label, path in pages.items():
            fetch(port, path)  # warm the cache
            results[label] = load(port, path, options.seconds, options.concurrency)
        baseline = results["static file (baseline)"]
        print(
            f"{'page':<40} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>7} {'vs static':>10}"
        )
        for label, result in results.items():
            print(
                f"{label:<40} {result['rps']:>8.0f} {result['median_ms']:>10.2f} "
                f"{result['p95_ms']:>8.2f} {result['errors']:>7} {result['rps'] / baseline['rps']:>9.2f}x"
            )
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


def first_article_path(issue_html: bytes) -> str:
    return re.search(r'href="(/2023/8/\d+/)"', issue_html.decode()).group(1)


if __name__ == "__main__":
    main()
