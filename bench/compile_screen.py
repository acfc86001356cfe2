"""Time the compile screen of the 62-item sample issue against the issue list.
Prints figures; asserts nothing.

    .venv/bin/python bench/compile_screen.py [--runs N]

Imports the sample as a draft into a throw-away SQLite database and fetches, as
an editor through Django's test client, the issue's change page (every item row,
the pool picker, the preflight) and, as the baseline, the admin's issue list.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from support import ROOT, SAMPLE


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bulletin-bench-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        MEDIA_ROOT=f"{folder}/media",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bulletin.settings",
        ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from archive.importers.txt_format import parse_txt
    from archive.services import issue_import
    from bulletin import roles
    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    issue_id = issue_import(parse_txt(SAMPLE.read_bytes())).issue_id
    client = Client()
    client.force_login(make_user(roles.EDITOR, username="bench-editor"))
    pages = {
        "compile screen (62 items)": f"/admin/issues/issue/{issue_id}/change/",
        "issue list (baseline)": "/admin/issues/issue/",
    }
    figures = {}
    for label, url in pages.items():
        client.get(url)
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        figures[label] = statistics.median(times)
        print(
            f"{label:<28} median {figures[label] * 1000:7.0f} ms   best "
            f"{min(times) * 1000:7.0f} ms   {len(queries)} queries   "
            f"{len(response.content) // 1024} KiB"
        )
    ratio = figures["compile screen (62 items)"] / figures["issue list (baseline)"]
    print(f"compile screen / issue list: {ratio:.1f}x")


if __name__ == "__main__":
    main()
