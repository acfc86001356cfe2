"""Search speed on a synthetic archive built from the sample issue's sentences.

For each database (PostgreSQL and SQLite, one child process each, since Django
runs on one database per process) and each size, it creates a throw-away
database under the name given, fills it with that many published articles
(bulk_create, then one timed full reindex), and times 20 mixed queries in the
same rounds:

- ours, search: what the search itself works out for the results page (the
  ranked results up to the count limit, the facet counts and the first page's
  articles);
- ours, page: the whole results page as a reader gets it (search.views.results:
  the above plus snippets, highlighting and the template), with the time spent
  in SQL statements, the rest being Python;
- tantivy (if the optional `tantivy` package is installed): the same articles
  in a tantivy index of CJK unigrams and bigrams with positions, BM25 top 20 and
  the count, the reference a dedicated engine sets (its build is fed our
  tokenizer's units, so its build rate is mostly ours);
- naive: an icontains scan on every field (total and first page).

It also times the first results page after a content change (the per-version
caches rebuilt, once the rounds have warmed the database, beside the same
queries' usual time) and prints the index build rate and size. It prints figures; it
asserts nothing. Django runs with production settings (DEBUG off, static files
collected), as the site does.

    .venv/bin/python bench/search.py [--sizes 10000 100000] [--databases postgresql sqlite]
        [--db-name bulletin_search_bench] [--keep]
    .venv/bin/python bench/search.py --existing --databases postgresql  # after --keep

BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432) names the server;
the SQLite database is var/<db-name>.sqlite3. Only the database of that name is
dropped, so runs under different names leave each other alone.
"""

import argparse
import datetime
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(
    os.environ.get(
        "BENCH_SAMPLE", ROOT / "archive" / "samples" / "xinxi-zhaibian-2023-08.txt"
    )
)
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASES = ("postgresql", "sqlite")

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
# Results pages timed right after a content change.
FIRST_AFTER_CHANGE = 5


def sentences() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"\s*\n\s*", "", text)
    parts = re.split(r"(?<=[。！？])", text)
    return [p for p in parts if 12 <= len(p) <= 200]


def run_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def sqlite_path(name: str) -> Path:
    return ROOT / "var" / f"{name}.sqlite3"


def setup_django(database: str, name: str) -> None:
    """Production settings (DEBUG off: no query log, no template debugging)
    on the bench database, with a cache of its own (the content version)."""
    sys.path.insert(0, str(ROOT))
    if database == "postgresql":
        os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path(name)}"
    os.environ["CACHE_DIR"] = tempfile.mkdtemp(prefix="search-bench-cache-")
    # This host's search index, of the bench database only.
    os.environ["SEARCH_INDEX_DIR"] = str(ROOT / "var" / f"{name}-search-index")
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


class SqlClock:
    """Time spent in SQL statements (connection.execute_wrapper), and how many."""

    def __init__(self):
        self.ms = 0.0
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - started) * 1000
            self.statements += 1


def our_page(text: str) -> None:
    """The results page for text, rendered as a reader gets it."""
    from search import views

    response = views.results(_request(text))
    assert response.status_code == 200


def our_engine(text: str) -> None:
    """Ranked results, count and facets, and the first page's articles: the
    search without snippets and the template."""
    from articles.models import Article
    from search import engine, views

    found = views.run_search(_request(text))
    rows, _facets, _sampled = views.rows_and_facets(found)
    first_page = [row[0] for row in rows[: views.PAGE_SIZE]]
    engine.articles_in_order(first_page, views._for_display(Article.objects.all()))


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


class Tantivy:
    """The reference: the same articles in tantivy, each field as CJK unigrams
    (and Latin/digit runs) and as adjacent pairs, both with positions; a term
    of one unit is looked up among the unigrams, a longer one as a phrase of
    pairs; BM25 with the same field weights as ours, top 20 and the count."""

    def __init__(self):
        import tantivy

        from search.ranking import FIELD_WEIGHTS

        self.tantivy = tantivy
        self.weights = FIELD_WEIGHTS
        builder = tantivy.SchemaBuilder()
        for field in FIELD_WEIGHTS:
            for kind in ("1", "2"):
                builder.add_text_field(
                    f"{field}{kind}",
                    tokenizer_name="whitespace",
                    index_option="position",
                )
        builder.add_integer_field("id", stored=True, indexed=True)
        self.schema = builder.build()
        self.directory = tempfile.mkdtemp(prefix="search-bench-tantivy-")
        self.index = tantivy.Index(self.schema, path=self.directory)

    def build(self) -> int:
        from search import indexing, tokenizer

        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        done = 0
        articles = indexing.articles_to_index().order_by("pk")
        for article in articles.iterator(chunk_size=2000):
            values = {"id": article.pk}
            for field, parts in indexing.article_fields(article).items():
                units = []
                for part in parts:
                    # A gap of a few positions between parts: no phrase spans two.
                    units += [*tokenizer.units(part), "", ""]
                values[f"{field}1"] = " ".join(u for u in units if u)
                values[f"{field}2"] = " ".join(
                    a + b for a, b in zip(units, units[1:], strict=False) if a and b
                )
            writer.add_document(self.tantivy.Document(**values))
            done += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return done

    def size(self) -> int:
        return sum(
            p.stat().st_size for p in Path(self.directory).rglob("*") if p.is_file()
        )

    def _term(self, term):
        query = self.tantivy.Query
        fields = []
        for field, weight in self.weights.items():
            if len(term.units) == 1:
                match = query.term_query(self.schema, f"{field}1", term.units[0])
            else:
                pairs = [
                    a + b for a, b in zip(term.units, term.units[1:], strict=False)
                ]
                if len(pairs) == 1:
                    match = query.term_query(self.schema, f"{field}2", pairs[0])
                else:
                    match = query.phrase_query(self.schema, f"{field}2", pairs)
            fields.append((self.tantivy.Occur.Should, query.boost_query(match, weight)))
        return query.boolean_query(fields)

    def search(self, text: str) -> int:
        from search import engine

        parsed = engine.parse_query(text)
        occur, query = self.tantivy.Occur, self.tantivy.Query
        clauses = [
            (
                occur.Must,
                query.boolean_query([(occur.Should, self._term(t)) for t in group]),
            )
            for group in parsed.groups
        ]
        clauses += [(occur.MustNot, self._term(t)) for t in parsed.excluded]
        found = self.searcher.search(query.boolean_query(clauses), 20, count=True)
        [self.searcher.doc(address)["id"] for _score, address in found.hits]
        return found.count

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def tantivy_reference() -> Tantivy | None:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        print("tantivy: not installed (pip install tantivy), left out")
        return None
    reference = Tantivy()
    started = time.perf_counter()
    built = reference.build()
    elapsed = time.perf_counter() - started
    print(
        f"tantivy build: {built} articles in {elapsed:.1f} s = {built / elapsed:.0f} "
        f"articles/s, {reference.size() / 2**20:.0f} MB"
    )
    return reference


def timed(func, text: str) -> float:
    started = time.perf_counter()
    func(text)
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(size: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from search.host_index import host_index
    from search.indexing import reindex_all

    rng = random.Random(size)
    pool = sentences()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_archive(size, pool, rng)
    print(
        f"\n== {connection.vendor}, {size} articles ({len(pool)} sample sentences); "
        f"data built in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    indexed = reindex_all()
    rows = time.perf_counter() - started
    host_index().rebuild()
    elapsed = time.perf_counter() - started
    print(
        f"index build (`reindex`): {indexed} articles in {elapsed:.1f} s "
        f"= {indexed / elapsed:.0f} articles/s (index rows {rows:.1f} s, "
        f"this host's index {elapsed - rows:.1f} s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )
    time_queries()


def index_size() -> str:
    """The index rows' table with its indexes (and, on PostgreSQL, its TOAST
    table), the change log, and this host's index directory."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchdocument') "
                "+ pg_total_relation_size('search_indexchange'), "
                "(SELECT count(*) FROM search_searchdocument), "
                "current_setting('shared_buffers')"
            )
            size_bytes, rows, shared_buffers = cursor.fetchone()
            setting = f"server shared_buffers {shared_buffers}"
        else:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name LIKE 'search_%')"
            )
            (size_bytes,) = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM search_searchdocument")
            (rows,) = cursor.fetchone()
            cursor.execute("SELECT sqlite_version()")
            setting = f"SQLite {cursor.fetchone()[0]}"
    host = sum(
        path.stat().st_size
        for path in Path(settings.SEARCH_INDEX_DIR).rglob("*")
        if path.is_file()
    )
    total = size_bytes + host
    return (
        f"index size: {total / 2**20:.0f} MB "
        f"= {total / max(rows, 1) / 1024:.1f} KB per article (rows and change log "
        f"{size_bytes / 2**20:.0f} MB, this host's index {host / 2**20:.0f} MB); "
        f"{setting}"
    )


def time_queries() -> None:
    """Index size and the query timings, on the database as it stands."""
    from django.db import connection

    from bulletin import caching

    print(index_size())
    reference = tantivy_reference()
    our_page(QUERIES[0])  # load the segmenter's dictionary before timing
    # Every query in turn, REPEATS rounds, so that no query runs right after
    # itself; ours and tantivy first, then the naive scans, whose reading of
    # every article would otherwise empty the database's buffers before each
    # of our queries.
    names = ["search", "page", "sql"] + (["tantivy"] if reference else [])
    times = {name: {text: [] for text in QUERIES} for name in names}
    statements = {}
    for _ in range(REPEATS):
        for text in QUERIES:
            times["search"][text].append(timed(our_engine, text))
            clock = SqlClock()
            with connection.execute_wrapper(clock):
                times["page"][text].append(timed(our_page, text))
            times["sql"][text].append(clock.ms)
            statements[text] = clock.statements
            if reference:
                times["tantivy"][text].append(timed(reference.search, text))
    # After the rounds, with the database's buffers as warm as for them: the
    # per-version caches rebuilt is what this measures, not a cold start.
    after_change = []
    for text in QUERIES[:FIRST_AFTER_CHANGE]:
        caching.invalidate()
        after_change.append(timed(our_page, text))
    times["naive"] = {text: [] for text in QUERIES}
    naive_hits = {}
    for _ in range(REPEATS):
        for text in QUERIES:
            started = time.perf_counter()
            naive_hits[text] = naive_search(text)
            times["naive"][text].append((time.perf_counter() - started) * 1000)
    columns = [("search", "search"), ("page", "page"), ("sql", "of it SQL")]
    if reference:
        columns.append(("tantivy", "tantivy"))
    columns.append(("naive", "naive"))
    print(
        f"{'query':<24}{'hits':>6}{'stmts':>6}"
        + "".join(f"{label:>11}" for _, label in columns)
        + "   (ms, medians)"
    )
    for text in QUERIES:
        medians = {name: statistics.median(times[name][text]) for name, _ in columns}
        pad = 24 - sum(2 if ord(c) > 0x2E80 else 1 for c in text)
        print(
            f"{text}{' ' * max(pad, 1)}{our_hits(text):>6}{statements[text]:>6}"
            + "".join(f"{medians[name]:>11.1f}" for name, _ in columns)
        )
    timings = {
        name: [ms for values in by_text.values() for ms in values]
        for name, by_text in times.items()
    }
    labels = {
        "search": "ours, search (ranked results, count, facets, first page)",
        "page": "ours, whole results page (+ snippets and the template)",
        "sql": "  of which in SQL statements",
        "tantivy": "tantivy (top 20 + count)",
        "naive": "naive icontains (count, first page)",
    }
    for name, _ in columns:
        values = timings[name]
        print(
            f"{labels[name]}: p50 {percentile(values, 0.5):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms"
        )
    usual = [ms for text in QUERIES[:FIRST_AFTER_CHANGE] for ms in times["page"][text]]
    print(
        f"first page after a content change: median "
        f"{statistics.median(after_change):.1f} ms, max {max(after_change):.1f} ms "
        f"(the same queries otherwise: median {statistics.median(usual):.1f} ms)"
    )
    page_p95 = percentile(timings["page"], 0.95)
    ratios = [f"naive / page {percentile(timings['naive'], 0.95) / page_p95:.1f}x"]
    if reference:
        ratios.append(
            f"page / tantivy {page_p95 / percentile(timings['tantivy'], 0.95):.1f}x"
        )
        reference.close()
    print("p95 ratios: " + ", ".join(ratios))


def create(database: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    drop(database, name)
    if database == "postgresql":
        run_sql(f'CREATE DATABASE "{name}"')


def drop(database: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    if database == "postgresql":
        run_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path(name)}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(ROOT / "var" / f"{name}-search-index", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument(
        "--databases", nargs="+", choices=DATABASES, default=list(DATABASES)
    )
    parser.add_argument(
        "--db-name",
        default="bulletin_search_bench",
        help="the bench database (dropped and created again for each size)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the last database for EXPLAIN"
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="time the queries again on the database --keep left",
    )
    args = parser.parse_args()
    if len(args.databases) > 1:
        for database in args.databases:
            command = [sys.executable, __file__, *sys.argv[1:], "--databases", database]
            subprocess.run(command, check=True)  # noqa: S603
        return
    (database,) = args.databases
    setup_django(database, args.db_name)
    if args.existing:
        time_queries()
        return
    for size in args.sizes:
        create(database, args.db_name)
        try:
            bench(size)
        finally:
            if not (args.keep and size == args.sizes[-1]):
                drop(database, args.db_name)


if __name__ == "__main__":
    main()
