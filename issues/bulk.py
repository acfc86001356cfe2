"""The item list's "move to an issue and section" action.

It places items by issues' rules (`services.issue_move_articles`), so it lives
here and issues' admin adds it to the article admin: articles never import issues.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import bulk
from bulletin.locking import StaleEdit
from issues import services
from issues.models import Issue, IssueSection


class MoveForm(forms.Form):
    """One menu of the sections of every issue still being compiled, grouped by
    issue: only a section of the chosen issue can be picked, without script."""

    place = forms.ChoiceField(label=gettext_lazy("Issue and section"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        links = (
            IssueSection.objects.exclude(issue__status__in=Issue.FROZEN_STATUSES)
            .select_related("issue", "section")
            .order_by("-issue__year", "-issue__number", "issue_id", "position", "id")
        )
        self.places, groups = {}, {}
        for link in links:
            key = f"{link.issue_id}:{link.section_id}"
            self.places[key] = (link.issue, link.section)
            groups.setdefault(link.issue_id, (str(link.issue), []))[1].append(
                (key, link.section.name)
            )
        self.fields["place"].choices = [*BLANK_CHOICE_DASH, *groups.values()]
        self.fields["place"].help_text = _(
            "Only issues still being compiled are offered; the items go to the end "
            "of the section."
        )

    def clean_place(self):
        return self.places[self.cleaned_data["place"]]


@admin.action(
    description=gettext_lazy("Move to an issue and section…"), permissions=["change"]
)
def move_to_issue(model_admin, request, queryset):
    if bulk.refuse_frozen(model_admin, request, queryset):
        return None
    form = MoveForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return bulk.action_page(
            model_admin,
            request,
            queryset,
            form,
            action="move_to_issue",
            title=_("Move the selected items to an issue and section"),
        )
    issue, section = form.cleaned_data["place"]
    try:
        moved = services.issue_move_articles(
            issue=issue, section=section, articles=queryset, user=request.user
        )
    except StaleEdit as stale:
        refusals = [
            _("“%(title)s”: %(error)s") % {"title": stale.instance, "error": stale}
        ]
    except PermissionDenied as refused:
        refusals = [str(refused)]
    except ValidationError as refused:
        refusals = refused.messages
    else:
        model_admin.message_user(
            request,
            ngettext(
                "Moved %(count)d item to %(issue)s, %(section)s.",
                "Moved %(count)d items to %(issue)s, %(section)s.",
                moved,
            )
            % {"count": moved, "issue": issue, "section": section},
            messages.SUCCESS,
        )
        return None
    for message in refusals:
        model_admin.message_user(request, message, messages.ERROR)
    return None
