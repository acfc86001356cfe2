"""What the admin's front page (the editor's desk) shows each user: the work
waiting for them, decided by their permissions, so a user with several roles
sees each role's panel.

Every panel costs a fixed number of queries, whatever the number of issues,
items or records: lists are cut at LIST_LENGTH rows (the row after tells whether
there are more), and only the newest drafts get a preflight (three queries each).
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from archive.models import ImportRun
from articles.admin import PoolFilter
from articles.models import Article, Correction
from issues.models import Issue, IssueTransition
from issues.services import TRANSITIONS, PreflightReport, issue_preflight
from links.models import CheckedLink

Status = Issue.Status

LIST_LENGTH = 10
# Drafts listed with their preflight: the issue or two being compiled.
DRAFTS_CHECKED = 3


@dataclass(frozen=True)
class Listing:
    """The first rows of a list, and the page with all of them when some are cut."""

    rows: list
    all_url: str = ""


def _listing(queryset, all_url: str, length: int = LIST_LENGTH) -> Listing:
    rows = list(queryset[: length + 1])
    return Listing(rows[:length], all_url if len(rows) > length else "")


def _changelist(model, **filters) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@dataclass(frozen=True)
class WaitingIssue:
    """An issue waiting for the chief editor, with who submitted (and signed) it."""

    issue: Issue
    submitted: IssueTransition | None
    signed_off: IssueTransition | None


@dataclass(frozen=True)
class ChiefPanel:
    in_review: Listing | None
    approved: Listing | None


def _latest_steps(issue_ids, statuses) -> dict[tuple[int, str], IssueTransition]:
    """{(issue id, status): the latest step into that status}, in one query."""
    latest = (
        IssueTransition.objects.filter(
            issue=OuterRef("issue"), to_status=OuterRef("to_status")
        )
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    steps = IssueTransition.objects.filter(
        issue__in=issue_ids, to_status__in=statuses, pk=Subquery(latest)
    ).select_related("user")
    return {(step.issue_id, step.to_status): step for step in steps}


def _waiting(status) -> Listing:
    return _listing(
        Issue.objects.filter(status=status), _changelist(Issue, status__exact=status)
    )


def chief_panel(user) -> ChiefPanel | None:
    """Issues awaiting review and awaiting publication; three queries."""
    may_review = user.has_perm("issues.approve_issue")
    may_publish = user.has_perm("issues.publish_issue")
    if not (may_review or may_publish):
        return None
    in_review = _waiting(Status.IN_REVIEW) if may_review else Listing([])
    approved = _waiting(Status.APPROVED) if may_publish else Listing([])
    steps = _latest_steps(
        [issue.pk for issue in in_review.rows + approved.rows],
        [Status.IN_REVIEW, Status.APPROVED],
    )

    def with_steps(listing: Listing) -> Listing:
        rows = [
            WaitingIssue(
                issue,
                submitted=steps.get((issue.pk, Status.IN_REVIEW)),
                signed_off=steps.get((issue.pk, Status.APPROVED))
                if issue.status == Status.APPROVED
                else None,
            )
            for issue in listing.rows
        ]
        return Listing(rows, listing.all_url)

    return ChiefPanel(
        in_review=with_steps(in_review) if may_review else None,
        approved=with_steps(approved) if may_publish else None,
    )


@dataclass(frozen=True)
class Draft:
    issue: Issue
    preflight: PreflightReport


@dataclass(frozen=True)
class EditorPanel:
    drafts: Listing
    sent_back: Listing
    pool_count: int
    pool_url: str
    to_check_count: int
    to_check_url: str


def _sent_back_steps():
    """Drafts whose latest step was the chief sending them back, with that step."""
    latest = (
        IssueTransition.objects.filter(issue=OuterRef("issue"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    return (
        IssueTransition.objects.filter(
            pk=Subquery(latest),
            issue__status=Status.DRAFT,
            to_status=Status.DRAFT,
            from_status__in=[Status.IN_REVIEW, Status.APPROVED],
        )
        .select_related("issue", "user")
        .order_by("-created_at", "-id")
    )


def editor_panel(user) -> EditorPanel | None:
    """The drafts in progress with their preflight, issues sent back, the pool and
    the titles to check; four queries, and three more per draft listed."""
    if not user.has_perm("issues.change_issue"):
        return None
    drafts = _listing(
        Issue.objects.filter(status=Status.DRAFT).order_by("-year", "-number", "-id"),
        _changelist(Issue, status__exact=Status.DRAFT),
        length=DRAFTS_CHECKED,
    )
    return EditorPanel(
        drafts=Listing(
            [Draft(issue, issue_preflight(issue=issue)) for issue in drafts.rows],
            drafts.all_url,
        ),
        sent_back=_listing(
            _sent_back_steps(), _changelist(Issue, status__exact=Status.DRAFT)
        ),
        pool_count=Article.objects.in_pool().count(),
        pool_url=_changelist(Article, **{PoolFilter.parameter_name: "pool"}),
        to_check_count=Article.objects.filter(needs_review=True).count(),
        to_check_url=_changelist(Article, needs_review__exact=1),
    )


def imports_panel(user) -> Listing | None:
    """The latest back-issue imports and how far each got; one query."""
    if not user.has_perm("issues.import_issue"):
        return None
    return _listing(
        ImportRun.objects.select_related("uploaded_by", "issue"),
        _changelist(ImportRun),
    )


@dataclass(frozen=True)
class Activity:
    """One line of the recent activity: who did what to which issue or item."""

    when: datetime.datetime
    actor: str
    action: str
    subject: str
    url: str
    note: str


def _step_action(step: IssueTransition) -> str:
    if step.from_status == step.to_status:
        return _("Restore")
    for transition in TRANSITIONS.values():
        if (
            step.from_status in transition.sources
            and step.to_status == transition.target
        ):
            return str(transition.label)
    return step.get_to_status_display()


def _admin_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def recent_activity(user) -> list[Activity] | None:
    """The latest workflow steps and corrections, newest first; two queries."""
    see_steps = user.has_perm("issues.view_issuetransition")
    see_corrections = user.has_perm("articles.view_correction")
    if not (see_steps or see_corrections):
        return None
    lines = []
    if see_steps:
        steps = IssueTransition.objects.select_related("issue", "user")
        for step in steps[:LIST_LENGTH]:
            lines.append(
                Activity(
                    when=step.created_at,
                    actor=step.actor_display,
                    action=_step_action(step),
                    subject=str(step.issue),
                    url=_admin_url(step.issue),
                    note=step.comment,
                )
            )
    if see_corrections:
        corrections = Correction.objects.select_related("issue", "article", "user")
        for correction in corrections[:LIST_LENGTH]:
            article = correction.article
            lines.append(
                Activity(
                    when=correction.created_at,
                    actor=str(correction.user or _("(deleted user)")),
                    action=_("Correction"),
                    subject=_("%(issue)s, “%(title)s”")
                    % {"issue": correction.issue, "title": article.title}
                    if article
                    else str(correction.issue),
                    url=_admin_url(article or correction.issue),
                    note=correction.reason,
                )
            )
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines[:LIST_LENGTH]


@dataclass(frozen=True)
class DeadLink:
    """An item's original link or a policy document's link that no longer answers."""

    subject: str
    url: str  # the record's admin page
    link: str
    since: datetime.datetime


@dataclass(frozen=True)
class DeadLinksPanel:
    rows: list[DeadLink]
    all_url: str


def dead_links_panel(user) -> DeadLinksPanel | None:
    """Dead links of items and policy documents, longest dead first; two queries."""
    if not user.has_perm("articles.change_article"):
        return None
    rows = [
        DeadLink(str(article), _admin_url(article), article.original_url, since)
        for article in CheckedLink.objects.dead_items()[: LIST_LENGTH + 1]
        if (since := article.link_dead_since)
    ] + [
        DeadLink(str(document), _admin_url(document), document.url, since)
        for document in CheckedLink.objects.dead_documents()[: LIST_LENGTH + 1]
        if (since := document.link_dead_since)
    ]
    rows.sort(key=lambda row: row.since)
    all_url = _changelist(CheckedLink, state="dead") if len(rows) > LIST_LENGTH else ""
    return DeadLinksPanel(rows[:LIST_LENGTH], all_url)


@dataclass(frozen=True)
class Desk:
    chief: ChiefPanel | None
    editor: EditorPanel | None
    imports: Listing | None
    activity: list[Activity] | None
    dead_links: DeadLinksPanel | None = None


def desk_for(user) -> Desk:
    """Each panel the user's permissions give them a part in."""
    return Desk(
        chief=chief_panel(user),
        editor=editor_panel(user),
        imports=imports_panel(user),
        activity=recent_activity(user),
        dead_links=dead_links_panel(user),
    )
