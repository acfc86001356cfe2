"""Time rendering the sample issue to PDF and to Word. Prints figures; asserts nothing.

    .venv/bin/python bench/render.py [SAMPLE.txt] [--runs N]

Imports the sample with the archive importer into a throw-away SQLite database (in
a temporary folder), gives its items real titles, then renders each edition N times.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLE = ROOT / "archive" / "samples" / "xinxi-zhaibian-2023-08.txt"


def timed(function, runs):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, times


def report(label, times, extra=""):
    print(
        f"{label:<28} best {min(times):6.2f} s   median {statistics.median(times):6.2f} s"
        f"   ({len(times)} runs){extra}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sample", nargs="?", default=str(DEFAULT_SAMPLE))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bulletin-bench-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        MEDIA_ROOT=f"{folder}/media",
        TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bulletin.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from editions.printing import print_context, render_pdf, render_print_html
    from editions.word import render_docx
    from issues.models import Issue

    try:
        call_command("migrate", verbosity=0)
        call_command("import_issue", args.sample, stdout=io.StringIO())
        issue = Issue.objects.with_masthead().get()
        articles = list(issue.articles.in_print_order().select_related("section"))
        for index, article in enumerate(articles, 1):
            article.title = (
                article.book_title or f"第{index}条：{article.section.name}要闻摘录"
            )
            article.needs_review = False
            article.save()
        characters = sum(len(a.body) for a in articles)
        print(f"sample: {args.sample}")
        print(
            f"issue: {issue.masthead_number}, {len(articles)} items, {characters} characters of body HTML"
        )

        html, times = timed(lambda: render_print_html(issue), args.runs)
        report("context + print HTML", times)
        printed, times = timed(lambda: render_pdf(html), args.runs)
        report(
            "PDF (WeasyPrint)",
            times,
            f"   {printed.page_count} pages, {len(printed.content) / 1024:.0f} KiB",
        )
        docx, times = timed(lambda: render_docx(print_context(issue)), args.runs)
        report("DOCX (python-docx)", times, f"   {len(docx) / 1024:.0f} KiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
