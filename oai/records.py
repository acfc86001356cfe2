"""Keeping the record table in step with what readers can see.

`sync_issue` is called when an issue is published and when a correction
changes it; `withdraw_issue` when it is unpublished. Both run after the
workflow's transaction committed (the domain signals are sent on commit).
"""

import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oai.models import Record

# OAI-PMH setSpec parts allow only these characters (OAI-PMH.xsd setSpecType).
SPEC_PART = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")


def spec_part(slug: str, pk: int) -> str:
    """A slug when it is a valid setSpec part (ASCII), else the primary key."""
    return slug if SPEC_PART.fullmatch(slug or "") else str(pk)


def now():
    # Datestamps have seconds granularity: stored without the microseconds so
    # that from/until compare exactly with what harvesters were shown.
    return timezone.now().replace(microsecond=0)


def _sets(issue, section=None) -> dict:
    return {
        "publication_spec": spec_part(issue.publication.slug, issue.publication_id),
        "section_spec": spec_part(section.slug, section.pk) if section else "",
        "year": issue.year,
    }


@transaction.atomic
def sync_issue(issue, *, touched=frozenset()) -> None:
    """Records for the published issue and its items.

    New and returning records, those whose sets changed and the `touched` ones
    ((kind, pk) pairs: corrected) get a new datestamp; the others keep theirs, so
    a restore that announces the issue again changes nothing. Items that left the
    issue become tombstones.
    """
    if not issue.is_published:
        withdraw_issue(issue)
        return
    stamp = now()
    live = {(Record.Kind.ISSUE, issue.pk): _sets(issue)}
    for article in issue.articles.select_related("section"):
        live[(Record.Kind.ITEM, article.pk)] = _sets(issue, article.section)
    item_ids = [pk for kind, pk in live if kind == Record.Kind.ITEM]
    existing = {
        (r.kind, r.object_id): r
        for r in Record.objects.select_for_update().filter(
            Q(issue_ref=issue.pk)
            | Q(kind=Record.Kind.ITEM, object_id__in=item_ids)
            | Q(kind=Record.Kind.ISSUE, object_id=issue.pk)
        )
    }
    for (kind, pk), sets in live.items():
        record = existing.get((kind, pk))
        if record is None:
            record = Record(kind=kind, object_id=pk)
        elif not (
            record.deleted
            or (kind, pk) in touched
            or record.issue_ref != issue.pk
            or any(getattr(record, name) != value for name, value in sets.items())
        ):
            continue
        record.issue_ref, record.deleted, record.datestamp = issue.pk, False, stamp
        for name, value in sets.items():
            setattr(record, name, value)
        record.save()
    Record.objects.filter(issue_ref=issue.pk, deleted=False).exclude(
        kind=Record.Kind.ITEM, object_id__in=item_ids
    ).exclude(kind=Record.Kind.ISSUE, object_id=issue.pk).update(
        deleted=True, datestamp=stamp
    )


def withdraw_issue(issue) -> None:
    """The issue and its items are no longer published: their records are deleted."""
    Record.objects.filter(issue_ref=issue.pk, deleted=False).update(
        deleted=True, datestamp=now()
    )
