"""Search speed on a synthetic archive built from the sample issue's sentences.

For each size it creates a throw-away PostgreSQL database, fills it with that
many published articles (bulk_create, then one timed full reindex), and runs 20
mixed queries three ways in the same run:

- ours, search: what the search itself works out for the results page (the
  ranked results up to the count limit, the facet counts and the first page's
  articles), the like-for-like rival of the naive scan;
- ours, page: the whole results page as a reader gets it (search.views.results:
  the above plus snippets, highlighting and the template);
- naive: an icontains scan on every field (total and first page).

It prints p50/p95 latencies, the index build rate and the index size per
article. It prints figures; it asserts nothing. Django runs with production
settings (DEBUG off, static files collected), as the site does.

    /work/main/.venv/bin/python bench/search.py [--sizes 10000 100000] [--keep]
    /work/main/.venv/bin/python bench/search.py --existing  # after --keep

BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432) names the server.
"""

import argparse
import datetime
import os
import random
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(
    os.environ.get(
        "BENCH_SAMPLE", ROOT / "archive" / "samples" / "xinxi-zhaibian-2023-08.txt"
    )
)
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "bulletin_search_bench"

QUERIES = [
    "世界500强",
    "医保",
    "专精特新",
    "独立董事",
    "CPTPP",
    "自贸试验区",
    "民营经济 营商环境",
    '"高质量发展"',
    "数字经济 -人工智能",
    "碳达峰 OR 碳中和",
    "强",
    "醫保局",
    "2023",
    "跨境电商",
    "小巨人",
    "新能源汽车",
    "中国式现代化",
    "粤港澳大湾区",
    "和往年相比发生了不少变化",
    "不存在的词语",
]
REPEATS = 3


def sentences() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"\s*\n\s*", "", text)
    parts = re.split(r"(?<=[。！？])", text)
    return [p for p in parts if 12 <= len(p) <= 200]


def run_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    """Production settings (DEBUG off: no query log, no template debugging)
    on the bench database."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    # The page's static URLs come from the manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)


def build_archive(size: int, pool: list[str], rng: random.Random) -> None:
    from articles.models import Article, Source
    from issues.models import Issue, Publication

    publication = Publication.objects.create(
        name="信息摘编", slug="xxzb", publisher="天津港保税区文教局"
    )
    sources = Source.objects.bulk_create(
        Source(name=f"来源{n}", kind="website") for n in range(60)
    )
    issue_count = max(1, size // 60)
    issues = Issue.objects.bulk_create(
        Issue(
            publication=publication,
            year=2000 + n // 12,
            number=n % 12 + 1,
            cumulative_number=n + 1,
            period_start=datetime.date(2000 + n // 12, n % 12 + 1, 1),
            period_end=datetime.date(2000 + n // 12, n % 12 + 1, 28),
            status=Issue.Status.PUBLISHED,
        )
        for n in range(issue_count)
    )
    batch = []
    for n in range(size):
        issue = issues[n % issue_count]
        body = "".join(f"<p>{s}</p>" for s in rng.sample(pool, rng.randint(6, 14)))
        batch.append(
            Article(
                issue=issue,
                title=rng.choice(pool)[:30],
                title_key=f"k{n}",
                body=body,
                abstract=rng.choice(pool) if n % 4 == 0 else "",
                source=rng.choice(sources),
                source_date=issue.period_start + datetime.timedelta(days=n % 27),
                position=n,
            )
        )
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)


def _request(text: str):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/search/", {"q": text})
    request.user = AnonymousUser()
    return request


def our_search(text: str) -> int:
    """The results page for text, rendered as a reader gets it."""
    from search import views

    response = views.results(_request(text))
    assert response.status_code == 200
    return 0


def our_engine(text: str) -> int:
    """Ranked results, count and facets, and the first page's articles: the
    search without snippets and the template."""
    from articles.models import Article
    from search import engine, views

    found = views.run_search(_request(text))
    rows, _facets, _sampled = views.rows_and_facets(found)
    first_page = [row[0] for row in rows[: views.PAGE_SIZE]]
    engine.articles_in_order(first_page, views._for_display(Article.objects.all()))
    return 0


def our_hits(text: str) -> str:
    """The hit count the page shows ("1000+" above the limit); not timed."""
    from search import views

    hits = len(views.run_search(_request(text)).ids(views.RESULT_LIMIT + 1))
    return f"{views.RESULT_LIMIT}+" if hits > views.RESULT_LIMIT else str(hits)


def naive_search(text: str) -> int:
    """What a site without an index does: icontains on every field, every word."""
    from django.db.models import Q

    from articles.models import Article

    found = Article.objects.published()
    words = [w.strip('"') for w in text.split() if w != "OR"]
    for word in words:
        if word.startswith("-"):
            continue
        found = found.filter(
            Q(title__icontains=word)
            | Q(abstract__icontains=word)
            | Q(body__icontains=word)
            | Q(source__name__icontains=word)
        )
    found = found.order_by("-issue__year", "-issue__number")
    total = found.count()
    list(found[:20])
    return total


def timed(func, text: str) -> tuple[float, int]:
    started = time.perf_counter()
    total = func(text)
    return (time.perf_counter() - started) * 1000, total


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(size: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from search.indexing import reindex_all

    rng = random.Random(size)
    pool = sentences()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_archive(size, pool, rng)
    print(
        f"\n== {size} articles ({len(pool)} sample sentences); "
        f"data built in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    indexed = reindex_all()
    elapsed = time.perf_counter() - started
    print(
        f"index build: {indexed} articles in {elapsed:.1f} s "
        f"= {indexed / elapsed:.0f} articles/s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    time_queries()


def time_queries() -> None:
    """Index size and the query timings, on the database as it stands."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('search_searchdocument'), "
            "(SELECT count(*) FROM search_searchdocument), "
            "current_setting('shared_buffers')"
        )
        size_bytes, rows, shared_buffers = cursor.fetchone()
    print(
        f"index size: {size_bytes / 2**20:.0f} MB "
        f"= {size_bytes / max(rows, 1) / 1024:.1f} KB per article; "
        f"server shared_buffers {shared_buffers}"
    )
    our_search(QUERIES[0])  # load the segmenter's dictionary before timing
    # Every query in turn, REPEATS rounds, so that no query runs right after
    # itself; ours first, then the naive scans, whose reading of every article
    # would otherwise empty PostgreSQL's buffers before each of our queries.
    times = {name: {text: [] for text in QUERIES} for name in ("search", "page")}
    for _ in range(REPEATS):
        for text in QUERIES:
            times["search"][text].append(timed(our_engine, text)[0])
            times["page"][text].append(timed(our_search, text)[0])
    times["naive"] = {text: [] for text in QUERIES}
    naive_hits = {}
    for _ in range(REPEATS):
        for text in QUERIES:
            ms, naive_hits[text] = timed(naive_search, text)
            times["naive"][text].append(ms)
    print(
        f"{'query':<28}{'hits':>8}{'search ms':>11}{'page ms':>9}"
        f"{'naive hits':>12}{'naive ms':>10}"
    )
    for text in QUERIES:
        medians = {
            name: statistics.median(by_text[text]) for name, by_text in times.items()
        }
        print(
            f"{text:<24}{our_hits(text):>8}{medians['search']:>11.1f}"
            f"{medians['page']:>9.1f}{naive_hits[text]:>12}{medians['naive']:>10.1f}"
        )
    timings = {
        name: [ms for values in by_text.values() for ms in values]
        for name, by_text in times.items()
    }
    for name, label in (
        ("search", "ours, search (ranked results, count, facets, first page)"),
        ("page", "ours, page (the above + snippets and the template)"),
        ("naive", "naive icontains (count, first page)"),
    ):
        values = timings[name]
        print(
            f"{label}: p50 {percentile(values, 0.5):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms"
        )
    naive_p95 = percentile(timings["naive"], 0.95)
    print(
        f"p95 ratio naive / ours: search {naive_p95 / percentile(timings['search'], 0.95):.0f}x, "
        f"page {naive_p95 / percentile(timings['page'], 0.95):.0f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument(
        "--keep", action="store_true", help="leave the last database for EXPLAIN"
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="time the queries again on the database --keep left",
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connections

    if args.existing:
        time_queries()
        return

    for size in args.sizes:
        connections.close_all()
        run_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        run_sql(f"CREATE DATABASE {DB_NAME}")
        try:
            bench(size)
        finally:
            connections.close_all()
            if not (args.keep and size == args.sizes[-1]):
                run_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
