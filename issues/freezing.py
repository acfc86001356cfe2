"""What of the issues app a frozen issue shows, for bulletin.freezing."""

from bulletin import freezing
from issues.models import BoardMember, Issue, IssueSection, Publication, Section

ISSUE_READER_FIELDS = (
    "publication", "year", "number", "cumulative_number", "period_start",
    "period_end", "publish_date", "cover", "status",
)  # fmt: skip


def _issue_itself(instance, stored):
    if stored is None:
        return []
    return Issue.objects.frozen().filter(pk=instance.pk)


def _own_issues(instance, stored):
    ids = {instance.issue_id} | ({stored["issue_id"]} if stored else set())
    ids.discard(None)
    return Issue.objects.frozen().filter(pk__in=ids)


def _using(lookup):
    def frozen_issues(instance, stored):
        if stored is None:
            return []
        return Issue.objects.frozen().filter(**{lookup: instance.pk}).distinct()

    return frozen_issues


def register() -> None:
    freezing.guard(
        Publication,
        fields=("name", "publisher", "phones", "website", "email", "address"),
        frozen_issues=_using("publication"),
    )
    freezing.guard(
        Section, fields=("name",), frozen_issues=_using("section_links__section")
    )
    freezing.guard(Issue, fields=ISSUE_READER_FIELDS, frozen_issues=_issue_itself)
    freezing.guard(
        IssueSection,
        fields=("issue", "section", "position"),
        frozen_issues=_own_issues,
    )
    freezing.guard(
        BoardMember,
        fields=("issue", "role", "name", "position"),
        frozen_issues=_own_issues,
    )
    freezing.guard_m2m(
        IssueSection,
        owner=Issue,
        issues_of=lambda ids: Issue.objects.frozen().filter(pk__in=ids),
    )
