"""Readers under load, and PostgreSQL restarted under them.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--restart-at 30]

Builds a throwaway PostgreSQL database with the sample issue published, serves it
with gunicorn (production settings, DEBUG=0; login off so clients need no
session), and runs N reader threads on the issue page, article pages and search
for S seconds. A writer thread meanwhile commits transactions that each bump two
rows together. With --restart-at T, PostgreSQL is restarted T seconds in.

Prints throughput, p50/p95 per page kind and errors; for the restart, how long
the site was unavailable and whether every transaction was all-or-nothing (the
two rows still agree). Requests only go to 127.0.0.1; loops are bounded in time.
"""

import argparse
import http.client
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import quote

from support import ROOT, SAMPLE, free_port, wait_for

SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bulletin_load_bench"
QUERIES = [
    "民营经济",
    "独立董事",
    "自贸试验区",
    "世界500强",
    "CPTPP",
    "人工智能",
    "医保",
    "专精特新",
]


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{SERVER_URL}/postgres", "-qc", sql], check=True, capture_output=True
    )


def restart_postgres() -> float:
    cluster = sorted(os.listdir("/etc/postgresql"))[0]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[tuple[float, str]] = []
        self.successes: list[float] = []

    def ok(self, kind: str, seconds: float, at: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.successes.append(at)

    def error(self, at: float, what: str) -> None:
        with self.lock:
            self.errors.append((at, what))


def reader(port, paths, deadline, recorder, start):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    rng = random.Random()
    while time.monotonic() < deadline:
        kind, path = rng.choice(paths)
        began = time.monotonic()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                recorder.ok(kind, time.monotonic() - began, began - start)
            else:
                recorder.error(began - start, f"{kind} {response.status}")
        except (OSError, http.client.HTTPException) as error:
            recorder.error(began - start, f"{kind} {type(error).__name__}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)


def writer(deadline, outcome):
    """Each transaction bumps two rows together; a crash mid-way must not split them."""
    from django.db import OperationalError, connection, transaction

    from articles.models import Article

    first, second = Article.objects.order_by("pk").values_list("pk", flat=True)[:2]
    committed = failed = 0
    while time.monotonic() < deadline:
        try:
            with transaction.atomic():
                for pk in (first, second):
                    Article.objects.filter(pk=pk).update(print_page=committed % 900 + 1)
            committed += 1
        except OperationalError:
            failed += 1
            connection.close()
            time.sleep(0.2)
        time.sleep(0.05)
    pages = list(
        Article.objects.filter(pk__in=(first, second)).values_list(
            "print_page", flat=True
        )
    )
    outcome.update(committed=committed, failed=failed, consistent=len(set(pages)) == 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--restart-at", type=float, default=None)
    options = parser.parse_args()

    port = free_port()
    database_url = f"{SERVER_URL}/{DB_NAME}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BULLETIN_REQUIRE_LOGIN": "0",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "CACHE_DIR": str(ROOT / "var" / "bench-cache"),
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    }
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    server = None
    try:
        for args in (
            ["migrate", "--no-input"],
            # Publishing acts as a named user; this one has no usable password.
            [
                "createsuperuser",
                "--no-input",
                "--username",
                "bench",
                "--email",
                "bench@example.invalid",
            ],
            ["import_issue", str(SAMPLE), "--publish", "--user", "bench"],
            ["collectstatic", "--no-input"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        os.environ.update(
            {
                k: env[k]
                for k in (
                    "DEBUG",
                    "SECRET_KEY",
                    "ALLOWED_HOSTS",
                    "DATABASE_URL",
                    "SECURE_SSL_REDIRECT",
                )
            }
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from articles.models import Article

        article_paths = [
            a.get_absolute_url() for a in Article.objects.select_related("issue")
        ]
        paths = [("issue", "/2023/8/")] * 5
        paths += [("article", p) for p in article_paths]
        paths += [("search", "/search/?q=" + quote(q)) for q in QUERIES] * 4

        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bulletin.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(options.workers), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        wait_for(port)
        recorder, outcome = Recorder(), {}
        start = time.monotonic()
        deadline = start + options.seconds
        threads = [
            threading.Thread(
                target=reader, args=(port, paths, deadline, recorder, start)
            )
            for _ in range(options.clients)
        ]
        threads.append(threading.Thread(target=writer, args=(deadline, outcome)))
        for thread in threads:
            thread.start()
        restart_took = None
        if options.restart_at is not None:
            time.sleep(options.restart_at)
            restart_at = time.monotonic() - start
            restart_took = restart_postgres()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        report(
            recorder,
            outcome,
            elapsed,
            options,
            restart_took,
            locals().get("restart_at"),
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def report(recorder, outcome, elapsed, options, restart_took, restart_at):
    total = sum(len(v) for v in recorder.latencies.values())
    print(
        f"{options.clients} clients, {options.workers} gunicorn workers, {elapsed:.0f} s: "
        f"{total} requests, {total / elapsed:.0f} req/s, {len(recorder.errors)} errors"
    )
    print(f"{'page':<10} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, values in sorted(recorder.latencies.items()):
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1] if len(values) > 20 else float("nan")
        print(
            f"{kind:<10} {len(values):>9} {statistics.median(values) * 1000:>8.1f} {p95 * 1000:>8.1f}"
        )
    if restart_took is not None:
        errors_after = [at for at, _ in recorder.errors if at >= restart_at]
        back = [
            at
            for at in recorder.successes
            if at > (max(errors_after) if errors_after else restart_at)
        ]
        unavailable = (min(back) - restart_at) if back and errors_after else 0.0
        print(
            f"PostgreSQL restarted at {restart_at:.1f} s (restart took {restart_took:.1f} s): "
            f"{len(errors_after)} failed requests, site answering again {unavailable:.1f} s "
            f"after the restart began, without restarting gunicorn"
        )
    kinds = sorted({what for _, what in recorder.errors})
    if kinds:
        print("errors:", ", ".join(kinds[:10]))
    print(
        f"writer: {outcome.get('committed')} transactions committed, {outcome.get('failed')} failed "
        f"during the outage; the two rows agree: {outcome.get('consistent')}"
    )


if __name__ == "__main__":
    main()
