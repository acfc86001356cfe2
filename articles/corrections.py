"""The one way published content changes: a recorded correction (更正).

`recording()` wraps the writes of one correction. It reads what readers see of
each affected item or issue before the writes and after them, and records one
Correction per item (or issue) whose reader-visible fields changed, with the
text before and after. The freeze guard (bulletin.freezing) lets these writes
through and refuses every other write to published content, so there is no way
around it. Callers: the admin forms (items, shared records, the issue), history
restore, and the importer's "apply as corrections".
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, Correction
from articles.signals import content_corrected
from bulletin import freezing

PERMISSION = "articles.correct_article"


class CorrectionRefused(PermissionDenied):
    """The user may not correct published content."""


def _issue_model():
    return Correction._meta.get_field("issue").related_model


def may_correct(user) -> bool:
    return user.has_perm(PERMISSION)


def correctors_display() -> str:
    """'主编（chief、wang）' — who may correct, for refusals that name them."""
    from django.contrib.auth import get_user_model

    names = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(groups__permissions__codename="correct_article")
        .values_list("username", flat=True)
        .distinct()
        .order_by("username")
    )
    listed = "、".join(names)
    return (
        _("chief editors (%(names)s)") % {"names": listed}
        if listed
        else _("chief editors")
    )


def load_articles(ids) -> dict:
    """{pk: item} with everything `reader_facts` reads (four queries)."""
    return {a.pk: a for a in Article.objects.for_facts().filter(pk__in=list(ids))}


def load_issues(ids) -> dict:
    """{pk: issue} with everything `reader_facts` reads but its sections."""
    issues = _issue_model().objects.with_masthead().filter(pk__in=list(ids))
    return {issue.pk: issue for issue in issues}


def diff(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    return [
        {"field": label, "before": before.get(label, ""), "after": value}
        for label, value in after.items()
        if before.get(label, "") != value
    ]


@dataclass
class Recording:
    """One correction in progress; set `reason` before the block ends."""

    user: object
    article_ids: set[int]
    issue_ids: set[int]
    reason: str = ""
    corrections: list[Correction] = field(default_factory=list)


@contextmanager
def recording(*, user, articles=(), issues=(), reason: str = ""):
    """Let the block change these published items and issues, and record how.

    Raises CorrectionRefused for a user who may not correct, ValidationError when
    something changed but no reason was given or a target is not published.
    """
    if not may_correct(user):
        raise CorrectionRefused(
            _("Published content changes only through a correction by %(who)s.")
            % {"who": correctors_display()}
        )
    state = Recording(
        user=user,
        article_ids={a.pk for a in articles},
        issue_ids={i.pk for i in issues},
        reason=reason,
    )
    with transaction.atomic():
        before_articles = load_articles(state.article_ids)
        before_issues = load_issues(state.issue_ids)
        for target in [*before_articles.values(), *before_issues.values()]:
            if not target.is_published:
                raise ValidationError(
                    _(
                        "Only content of published issues needs a recorded "
                        "correction: %(target)s"
                    )
                    % {"target": target}
                )
        facts_before = {
            **{("a", k): v.reader_facts() for k, v in before_articles.items()},
            **{("i", k): v.reader_facts() for k, v in before_issues.items()},
        }
        with freezing.correcting():
            yield state
        after_articles = load_articles(state.article_ids)
        after_issues = load_issues(state.issue_ids)
        changed = []
        for key, target in [
            *((("a", k), v) for k, v in after_articles.items()),
            *((("i", k), v) for k, v in after_issues.items()),
        ]:
            changes = diff(facts_before.get(key, {}), target.reader_facts())
            if changes:
                changed.append((key, target, changes))
        if changed and not state.reason.strip():
            raise ValidationError(
                {"correction_reason": _("Please give the reason for the correction.")}
            )
        for (kind, pk), target, changes in changed:
            if kind == "i":
                issue_id = target.pk
            else:
                # An item taken out of its issue is recorded where readers saw it.
                issue_id = target.issue_id or before_articles[pk].issue_id
            state.corrections.append(
                Correction.objects.create(
                    issue_id=issue_id,
                    article=target if kind == "a" else None,
                    user=user,
                    reason=state.reason.strip(),
                    changes=changes,
                )
            )
        if state.corrections:
            issue_ids = {c.issue_id for c in state.corrections}
            records = list(state.corrections)
            transaction.on_commit(
                lambda: content_corrected.send(
                    sender=Correction,
                    issues=list(_issue_model().objects.filter(pk__in=issue_ids)),
                    corrections=records,
                )
            )


def correct(*, user, reason: str, apply, articles=(), issues=()) -> list[Correction]:
    """Run `apply()` as one correction of these items and issues."""
    if not reason.strip():
        raise ValidationError(
            {"correction_reason": _("Please give the reason for the correction.")}
        )
    with recording(user=user, articles=articles, issues=issues, reason=reason) as rec:
        apply()
    return rec.corrections
