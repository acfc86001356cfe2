"""The editorial workflow: preflight, status transitions and compiling.

These touch several models at once (issue, articles, transitions), so they live
here rather than on one model. Every function checks permissions itself: the
admin is one caller, the importer, the demo loader, management commands and tests
are others. `issue_transition` is the only way an issue changes status, so it is
the only way one becomes public; it announces that with a signal
(issues.signals) once the transaction commits.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from articles.signals import content_repeats
from bulletin import freezing
from issues import signals
from issues.models import Issue, IssueSection, IssueTransition

Status = Issue.Status


@dataclass(frozen=True)
class Problem:
    message: str
    article: Article | None = None


@dataclass
class PreflightReport:
    """What stands between an issue and publication (errors) or deserves a look (warnings)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str
    comment_required: bool = False
    # A back issue is published straight from the archive: its warnings are
    # recorded rather than reviewed, and its date comes from the file.
    back_issue: bool = False


@dataclass(frozen=True)
class SystemActor:
    """A declared program acting without a user (the demo loader, a restore).

    It may make any transition; the record names it instead of a user.
    """

    name: str
    is_authenticated = True

    def has_perm(self, permission: str) -> bool:
        return True

    def __str__(self):
        return self.name


DEMO_LOADER = SystemActor("演示数据")
BACKUP_RESTORE = SystemActor("备份恢复")


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", gettext_lazy("Submit for review"),
                   frozenset({Status.DRAFT}), Status.IN_REVIEW,
                   "issues.change_issue"),
        Transition("approve", gettext_lazy("Sign off"),
                   frozenset({Status.IN_REVIEW}), Status.APPROVED,
                   "issues.approve_issue"),
        Transition("publish", gettext_lazy("Publish"),
                   frozenset({Status.APPROVED}), Status.PUBLISHED,
                   "issues.publish_issue"),
        Transition("send_back", gettext_lazy("Send back for changes"),
                   frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.DRAFT,
                   "issues.approve_issue", comment_required=True),
        Transition("unpublish", gettext_lazy("Unpublish"),
                   frozenset({Status.PUBLISHED}), Status.DRAFT,
                   "issues.publish_issue", comment_required=True),
        Transition("publish_back_issue", gettext_lazy("Publish back issue"),
                   frozenset({Status.DRAFT}), Status.PUBLISHED,
                   "issues.publish_issue", back_issue=True),
    )
}  # fmt: skip
# Moves offered on the issue page; a back issue is published by its import.
WORKFLOW_TRANSITIONS = ("submit", "approve", "publish", "send_back", "unpublish")


class TransitionRefused(PermissionDenied):
    """The user may not make this move, or the issue is not in a state that allows it."""


class PreflightFailed(ValidationError):
    def __init__(self, report: PreflightReport):
        self.report = report
        super().__init__([problem.message for problem in report.errors])


def issue_preflight(*, issue: Issue) -> PreflightReport:
    """Check an issue before publication; three queries whatever its size, and
    those of the repeat finders (articles.signals.content_repeats)."""
    report = PreflightReport()
    toc = issue.table_of_contents()
    if not toc:
        report.errors.append(Problem(_("The issue has no sections yet.")))
    articles = []
    for section, section_articles in toc:
        if section is None:
            for article in section_articles:
                report.errors.append(
                    Problem(
                        _("“%(title)s” has no section.") % {"title": article.title},
                        article,
                    )
                )
        elif not section_articles:
            report.errors.append(
                Problem(
                    _("Section “%(section)s” has no items.") % {"section": section.name}
                )
            )
        articles.extend(section_articles)

    for article in articles:
        label = article.title or _("(untitled, item %(pos)s)") % {
            "pos": article.position
        }
        if not article.title.strip():
            report.errors.append(
                Problem(_("%(label)s has no title.") % {"label": label}, article)
            )
        if article.kind == Article.Kind.BOOK:
            if not article.book_title:
                report.errors.append(
                    Problem(
                        _("“%(label)s” has no book title.") % {"label": label}, article
                    )
                )
        else:
            if article.source_id is None:
                report.errors.append(
                    Problem(_("“%(label)s” has no source.") % {"label": label}, article)
                )
            if article.source_date is None:
                report.errors.append(
                    Problem(
                        _("“%(label)s” has no source date.") % {"label": label}, article
                    )
                )
            elif not issue.period_start <= article.source_date <= issue.period_end:
                report.warnings.append(
                    Problem(
                        _(
                            "The source date %(date)s of “%(label)s” is outside "
                            "the issue's period %(period)s."
                        )
                        % {
                            "label": label,
                            "date": article.source_date,
                            "period": issue.period_display,
                        },
                        article,
                    )
                )
        if article.kind == Article.Kind.RESEARCH and not article.abstract.strip():
            report.warnings.append(
                Problem(
                    _("Research article “%(label)s” has no abstract.")
                    % {"label": label},
                    article,
                )
            )
        if article.needs_review:
            report.warnings.append(
                Problem(
                    _("The title of “%(label)s” still needs checking.")
                    % {"label": label},
                    article,
                )
            )

    reported = set()
    for article, earlier in _repeats(issue, articles):
        reported.add((article.pk, earlier.pk))
        report.warnings.append(Problem(
            _("“%(label)s” repeats “%(other)s” of %(issue)s (same original link or title).")
            % {"label": article.title, "issue": earlier.issue, "other": earlier.title},
            article,
        ))  # fmt: skip
    by_content = content_repeats(articles)
    for article in articles:
        for repeat in by_content.get(article.pk, []):
            if (article.pk, repeat.other.pk) not in reported:
                report.warnings.append(Problem(
                    _("“%(label)s”: %(repeat)s.")
                    % {"label": article.title, "repeat": repeat.message},
                    article,
                ))  # fmt: skip
    return report


def _repeats(issue: Issue, articles: list[Article]):
    """Pairs (article, earlier article) sharing a link or a title with another issue."""
    urls = {a.original_url for a in articles if a.original_url}
    keys = {a.title_key for a in articles if a.title_key and not a.needs_review}
    if not urls and not keys:
        return []
    others = (
        Article.objects.filter(Q(original_url__in=urls) | Q(title_key__in=keys))
        .filter(issue__isnull=False)
        .exclude(issue=issue)
        .select_related("issue")
        .order_by("issue__year", "issue__number", "id")
    )
    by_url, by_key = {}, {}
    for other in others:
        if other.original_url:
            by_url.setdefault(other.original_url, other)
        by_key.setdefault(other.title_key, other)
    pairs = []
    for article in articles:
        earlier = by_url.get(article.original_url) if article.original_url else None
        if earlier is None and not article.needs_review:
            earlier = by_key.get(article.title_key)
        if earlier is not None:
            pairs.append((article, earlier))
    return pairs


def available_transitions(*, issue: Issue, user) -> list[Transition]:
    return [
        TRANSITIONS[name]
        for name in WORKFLOW_TRANSITIONS
        if issue.status in TRANSITIONS[name].sources
        and user.has_perm(TRANSITIONS[name].permission)
    ]


def _refuse_self_approval(issue: Issue, user) -> None:
    """Separation of duties: whoever submitted the issue may not also sign it off."""
    if not issue.publication.separate_duties or isinstance(user, SystemActor):
        return
    submission = (
        issue.transitions.filter(to_status=Status.IN_REVIEW).order_by("-id").first()
    )
    if submission is not None and submission.user_id == user.pk:
        raise TransitionRefused(
            _(
                "You submitted %(issue)s for review, so another chief editor must "
                "sign it off (publication “%(publication)s” separates submission "
                "and sign-off)."
            )
            % {"issue": issue, "publication": issue.publication}
        )


@transaction.atomic
def issue_transition(
    *,
    issue: Issue,
    user,
    name: str,
    comment: str = "",
    publish_date: datetime.date | None = None,
) -> IssueTransition:
    """Move an issue along the workflow and record who did it and why.

    `user` is a user or a SystemActor. Publishing runs the preflight: errors stop
    it, warnings are recorded with the step. A back issue's publish date is the
    one given (read from its file), else the end of its period, never today.

    Raises TransitionRefused for a move the user or the current state does not allow,
    ValidationError for a missing comment, PreflightFailed when publishing is blocked.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(_("Unknown action “%(name)s”.") % {"name": name})
    if not user.has_perm(transition.permission):
        raise TransitionRefused(
            _("You are not allowed to perform “%(label)s”.")
            % {"label": transition.label}
        )
    # Lock the row so two chief editors clicking at once make one transition.
    locked = (
        Issue.objects.select_for_update().select_related("publication").get(pk=issue.pk)
    )
    if locked.status not in transition.sources:
        raise TransitionRefused(
            _("The issue's status is “%(status)s”, which does not allow “%(label)s”.")
            % {"status": locked.get_status_display(), "label": transition.label}
        )
    comment = comment.strip()
    if transition.comment_required and not comment:
        raise ValidationError(
            _("“%(label)s” requires a comment.") % {"label": transition.label}
        )
    if transition.name == "approve":
        _refuse_self_approval(locked, user)
    warnings = []
    if transition.target == Status.PUBLISHED:
        report = issue_preflight(issue=locked)
        if not report.ok:
            raise PreflightFailed(report)
        warnings = [problem.message for problem in report.warnings]
        if transition.back_issue:
            locked.publish_date = (
                publish_date or locked.publish_date or locked.period_end
            )
        elif locked.publish_date is None:
            locked.publish_date = timezone.localdate()
    actor = user if isinstance(user, SystemActor) else None
    record = IssueTransition.objects.create(
        issue=locked, from_status=locked.status, to_status=transition.target,
        user=None if actor else user, system_actor=actor.name if actor else "",
        comment=comment, warnings=warnings,
    )  # fmt: skip
    was_published = locked.is_published
    locked.status = transition.target
    with freezing.workflow():
        locked.save(update_fields=["status", "publish_date", "updated_at"])
    issue.status, issue.publish_date = locked.status, locked.publish_date
    _announce(signals.issue_transitioned, locked, record)
    if locked.is_published != was_published:
        signal = (
            signals.issue_published
            if locked.is_published
            else signals.issue_unpublished
        )
        _announce(signal, locked, record)
    return record


def _announce(signal, issue: Issue, record: IssueTransition) -> None:
    """Send a workflow signal once the transaction that made the step commits."""
    issue_id = issue.pk
    transaction.on_commit(
        lambda: signal.send(
            sender=Issue,
            issue=Issue.objects.with_masthead().get(pk=issue_id),
            transition=record,
        )
    )


@transaction.atomic
def issue_add_articles(*, issue: Issue, section, articles, user) -> int:
    """Place pool items in an issue's section, after what is already there."""
    if issue.is_locked_for_editors:
        refusal = (
            _("%(issue)s is published; no more items can be added.")
            if issue.is_published
            else _("%(issue)s is signed off; no more items can be added.")
        )
        raise TransitionRefused(refusal % {"issue": issue})
    if not user.has_perm("articles.change_article"):
        raise TransitionRefused(_("You are not allowed to arrange items."))
    if not IssueSection.objects.filter(issue=issue, section=section).exists():
        raise ValidationError(
            _("Section “%(section)s” is not in this issue.") % {"section": section}
        )
    start = (issue.articles.aggregate(m=Max("position"))["m"] or 0) + 1
    placed = 0
    for offset, article in enumerate(articles):
        if article.issue_id is not None:
            raise ValidationError(
                _("“%(title)s” is already in %(issue)s.")
                % {"title": article.title, "issue": article.issue}
            )
        article.issue, article.section, article.position = (
            issue,
            section,
            start + offset,
        )
        article.save(update_fields=["issue", "section", "position", "updated_at"])
        placed += 1
    return placed


@transaction.atomic
def issue_move_articles(*, issue: Issue, section, articles, user) -> int:
    """Place items in an issue's section from the pool, from another issue still
    being compiled, or from another section of this one; each item is saved
    once, so the freeze guard checks where it comes from as well."""
    articles = list(articles)
    for article in articles:
        if article.issue_id is not None and article.issue.is_locked_for_editors:
            raise ValidationError(
                _("“%(title)s” is in %(issue)s, which is signed off or published.")
                % {"title": article.title, "issue": article.issue}
            )
        article.issue, article.section = None, None
    return issue_add_articles(
        issue=issue, section=section, articles=articles, user=user
    )


@transaction.atomic
def issue_restored(*, issue: Issue, actor: SystemActor = BACKUP_RESTORE) -> None:
    """A published issue came back from a backup: record that, and announce it as
    published so that editions and other listeners catch up."""
    if not issue.is_published:
        return
    record = IssueTransition.objects.create(
        issue=issue, from_status=issue.status, to_status=issue.status,
        system_actor=actor.name, comment=_("Restored from a backup"),
    )  # fmt: skip
    _announce(signals.issue_published, issue, record)
