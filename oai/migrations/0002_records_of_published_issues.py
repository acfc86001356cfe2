"""Records for what was published before this app: datestamped when the issue
last changed."""

import re

from django.db import migrations

SPEC_PART = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")


def spec_part(slug, pk):
    return slug if SPEC_PART.fullmatch(slug or "") else str(pk)


def create_records(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")
    Article = apps.get_model("articles", "Article")
    Record = apps.get_model("oai", "Record")
    rows = []
    issues = Issue.objects.filter(status="published").select_related("publication")
    for issue in issues:
        stamp = issue.updated_at.replace(microsecond=0)
        common = {
            "issue_ref": issue.pk,
            "datestamp": stamp,
            "publication_spec": spec_part(issue.publication.slug, issue.publication_id),
            "year": issue.year,
        }
        rows.append(Record(kind="issue", object_id=issue.pk, **common))
        for article in Article.objects.filter(issue=issue).select_related("section"):
            section = article.section
            rows.append(
                Record(
                    kind="item",
                    object_id=article.pk,
                    section_spec=spec_part(section.slug, section.pk) if section else "",
                    **common,
                )
            )
    Record.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("oai", "0001_initial"),
        ("issues", "0008_english_msgids"),
        ("articles", "0005_english_msgids"),
    ]

    operations = [migrations.RunPython(create_records, migrations.RunPython.noop)]
