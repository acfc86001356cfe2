"""Work on many items at once: the screen that checks imported titles page by
page, and the item list's bulk actions (tags, source).

Both go through the rules every single edit follows: the freeze guard, the
optimistic lock, and, for a published item's title, a recorded correction.
"""

import contextlib
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import modelformset_factory
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import corrections
from articles.models import Article, Source
from bulletin import batching
from bulletin.forms import ReportsUnshownFields
from bulletin.locking import OptimisticLockingForm, StaleEdit
from bulletin.text import html_to_text

TITLES_PER_PAGE = 25
TAG_SEPARATORS = re.compile(r"[,，;；、]")
EDITED_FIELDS = ("title", "reviewed")


def first_paragraph(article: Article, limit: int = 160) -> str:
    """The opening of the body as plain text: what the title should sum up."""
    lines = (line.strip() for line in html_to_text(article.body).splitlines())
    return Truncator(next((line for line in lines if line), "")).chars(limit)


def frozen_items(articles) -> list[Article]:
    """The items of signed-off or published issues (their issue already loaded)."""
    return [a for a in articles if a.issue_id is not None and a.issue.is_frozen]


def quoted_titles(articles) -> str:
    return "、".join(f"“{article.title}”" for article in articles)


def read_only_reason(article: Article) -> str:
    if article.issue_id is not None and article.issue.is_published:
        return _("Published: only a chief editor may correct this title.")
    return _("Signed off: the issue must be sent back before this title can change.")


class TitleRowForm(ReportsUnshownFields, OptimisticLockingForm):
    """One row of the screen. A row counts as changed only against what the
    editor was shown (the title's hidden initial), so a row somebody else
    fixed meanwhile is refused only if this editor touched it too."""

    reviewed = forms.BooleanField(
        label=gettext_lazy("Title is right"),
        required=False,
        help_text=gettext_lazy("Mark as checked without changing the title."),
    )

    class Meta:
        model = Article
        fields = ("title",)
        widgets = {"title": forms.TextInput(attrs={"class": "title-input"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].show_hidden_initial = True
        # Rows are named as the editor saw them, whatever was saved meanwhile.
        self.label = self.data.get(self.add_initial_prefix("title")) or (
            self.instance.title
        )
        self.writable = True

    def make_read_only(self, reason: str) -> None:
        self.writable, self.read_only_reason = False, reason
        for name in EDITED_FIELDS:
            self.fields[name].widget.attrs["disabled"] = True

    def has_changed(self):
        changed = set(EDITED_FIELDS) & set(self.changed_data)
        if not self.writable:
            # Disabled inputs are not posted: only a posted value is a change
            # (made while the row could still be edited).
            changed = {name for name in changed if self.add_prefix(name) in self.data}
        return bool(changed)

    @property
    def title_changed(self) -> bool:
        return "title" in self.changed_data

    def clean(self):
        if not self.writable:
            raise ValidationError(self.read_only_reason, code="frozen")
        return super().clean()

    def save_row(self) -> None:
        article = self.instance
        article.needs_review = False
        article.save(update_fields=["title", "needs_review", "updated_at"])


TitleFormSet = modelformset_factory(
    Article, form=TitleRowForm, extra=0, max_num=TITLES_PER_PAGE, absolute_max=100
)


class CorrectionReasonForm(forms.Form):
    correction_reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy(
            "A title changed here on an item of a published issue is a correction "
            "shown to readers; this reason is recorded for each of them."
        ),
    )


def _rows_queryset():
    return Article.objects.select_related("issue", "section", "source")


def _posted_ids(data) -> list[int]:
    pattern = re.compile(r"form-\d+-id")
    return [int(v) for k, v in data.items() if pattern.fullmatch(k) and v.isdigit()]


def _error_summary(formset, reason_form) -> list[str]:
    """Every error, naming the row (its title as shown) and the field."""
    summary = [
        _("Reason for the correction: %(error)s") % {"error": error}
        for error in reason_form.errors.get("correction_reason", [])
    ]
    summary.extend(formset.non_form_errors())
    for form in formset.forms:
        for name, errors in form.errors.items():
            for error in errors:
                if name in EDITED_FIELDS:
                    summary.append(
                        _("“%(title)s”, %(field)s: %(error)s")
                        % {
                            "title": form.label,
                            "field": form.fields[name].label,
                            "error": error,
                        }
                    )
                else:
                    summary.append(
                        _("“%(title)s”: %(error)s")
                        % {"title": form.label, "error": error}
                    )
    return summary


def titles_view(model_admin, request):
    """Check and fix the titles the importer made up, a page at a time."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    paginator = Paginator(
        _rows_queryset()
        .filter(needs_review=True)
        .order_by("-issue__year", "-issue__number", "position", "id"),
        TITLES_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("page"))
    if request.method == "POST":
        rows = _rows_queryset().filter(pk__in=_posted_ids(request.POST)[:100])
        formset = TitleFormSet(
            request.POST, queryset=rows, form_kwargs={"empty_permitted": True}
        )
        reason_form = CorrectionReasonForm(request.POST)
    else:
        formset = TitleFormSet(queryset=page.object_list)
        reason_form = CorrectionReasonForm()
    for form in formset.forms:
        if not model_admin.has_change_permission(request, form.instance):
            form.make_read_only(read_only_reason(form.instance))
    errors = []
    if request.method == "POST":
        saved = _save_titles(request, formset, reason_form)
        if saved is not None:
            return redirect(request.get_full_path())
        errors = _error_summary(formset, reason_form)
    may_correct = any(
        form.writable and form.instance.is_published for form in formset.forms
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Check titles"),
        "formset": formset,
        "reason_form": reason_form if may_correct else None,
        "rows": [(form, first_paragraph(form.instance)) for form in formset.forms],
        "page": page,
        "errors": errors,
    }
    return TemplateResponse(request, "admin/articles/article/titles.html", context)


def _save_titles(request, formset, reason_form) -> int | None:
    """Save the changed rows, all or none; None when something was refused."""
    if not (formset.is_valid() and reason_form.is_valid()):
        return None
    changed = [form for form in formset.forms if form.has_changed()]
    corrected = [
        form.instance
        for form in changed
        if form.title_changed and form.instance.is_published
    ]
    reason = reason_form.cleaned_data["correction_reason"].strip()
    if corrected and not reason:
        reason_form.add_error(
            "correction_reason",
            _(
                "Please give the reason for the correction: these titles are of "
                "published items: %(titles)s"
            )
            % {"titles": quoted_titles(corrected)},
        )
        return None
    recording = (
        corrections.recording(user=request.user, articles=corrected, reason=reason)
        if corrected
        else contextlib.nullcontext()
    )
    try:
        with transaction.atomic(), batching.batch(), recording:
            for form in changed:
                form.save_row()
    except StaleEdit as stale:
        form = next(f for f in changed if f.instance is stale.instance)
        form.add_error(None, str(stale))
        return None
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return None
    if not changed:
        messages.info(request, _("No title was changed or marked as right."))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d title checked.", "%(count)d titles checked.", len(changed)
            )
            % {"count": len(changed)},
        )
    if corrected:
        messages.info(
            request,
            ngettext(
                "%(count)d of them was recorded as a correction.",
                "%(count)d of them were recorded as corrections.",
                len(corrected),
            )
            % {"count": len(corrected)},
        )
    return len(changed)


def urls(model_admin) -> list:
    return [
        path(
            "titles/",
            model_admin.admin_site.admin_view(
                lambda request: titles_view(model_admin, request)
            ),
            name="articles_article_titles",
        ),
    ]


def changelist_context(model_admin, request) -> dict:
    """The item list's link to the title screen, with how many titles wait."""
    if not model_admin.has_change_permission(request):
        return {}
    return {"titles_to_check": Article.objects.filter(needs_review=True).count()}


def refuse_frozen(model_admin, request, queryset) -> bool:
    """Say which selected items are frozen; the action then changes nothing."""
    frozen = frozen_items(queryset)
    if frozen:
        model_admin.message_user(
            request,
            _(
                "Nothing was changed: these items are in signed-off or published "
                "issues, which change only through a correction or after being "
                "sent back; deselect them: %(titles)s"
            )
            % {"titles": quoted_titles(frozen)},
            messages.ERROR,
        )
    return bool(frozen)


def action_page(model_admin, request, queryset, form, *, action, title):
    """The intermediate page of a bulk action: the selected items and its form."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "items": queryset,
        "form": form,
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/articles/article/bulk_action.html", context)


def apply_to_items(model_admin, request, queryset, change, success) -> None:
    """Run `change(article)` on every selected item in one transaction, or on
    none of them if one is refused."""
    try:
        with transaction.atomic(), batching.batch():
            for article in queryset:
                change(article)
    except StaleEdit as stale:
        model_admin.message_user(
            request,
            _("“%(title)s”: %(error)s") % {"title": stale.instance, "error": stale},
            messages.ERROR,
        )
    except ValidationError as refused:
        for message in refused.messages:
            model_admin.message_user(request, message, messages.ERROR)
    else:
        model_admin.message_user(request, success, messages.SUCCESS)


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=gettext_lazy("Tags to add"),
        max_length=500,
        help_text=gettext_lazy("Separate tags with commas."),
    )

    def clean_tags(self):
        names = sorted(
            {name.strip() for name in TAG_SEPARATORS.split(self.cleaned_data["tags"])}
            - {""}
        )
        if not names:
            raise ValidationError(_("Give at least one tag."))
        too_long = [name for name in names if len(name) > 100]
        if too_long:
            raise ValidationError(
                _("A tag has at most 100 characters: %(tags)s")
                % {"tags": "、".join(too_long)}
            )
        return names


@admin.action(description=gettext_lazy("Add tags…"), permissions=["change"])
def add_tags(model_admin, request, queryset):
    if refuse_frozen(model_admin, request, queryset):
        return None
    form = TagsForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return action_page(
            model_admin,
            request,
            queryset,
            form,
            action="add_tags",
            title=_("Add tags to the selected items"),
        )
    names = form.cleaned_data["tags"]
    count = len(queryset)
    apply_to_items(
        model_admin,
        request,
        queryset,
        lambda article: article.tags.add(*names),
        ngettext(
            "Added %(tags)s to %(count)d item.",
            "Added %(tags)s to %(count)d items.",
            count,
        )
        % {"tags": "、".join(names), "count": count},
    )
    return None


class SourceForm(forms.Form):
    """The source, picked as in the item's own form (admin autocomplete)."""

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = forms.ModelChoiceField(
            label=_("Source"),
            queryset=Source.objects.all(),
            widget=AutocompleteSelect(Article._meta.get_field("source"), admin_site),
        )


@admin.action(description=gettext_lazy("Set the source…"), permissions=["change"])
def set_source(model_admin, request, queryset):
    if refuse_frozen(model_admin, request, queryset):
        return None
    form = SourceForm(
        request.POST if "apply" in request.POST else None,
        admin_site=model_admin.admin_site,
    )
    if not form.is_valid():
        return action_page(
            model_admin,
            request,
            queryset,
            form,
            action="set_source",
            title=_("Set the source of the selected items"),
        )
    source = form.cleaned_data["source"]

    def change(article):
        article.source = source
        article.save(update_fields=["source", "updated_at"])

    count = len(queryset)
    apply_to_items(
        model_admin,
        request,
        queryset,
        change,
        ngettext(
            "Set the source of %(count)d item to %(source)s.",
            "Set the source of %(count)d items to %(source)s.",
            count,
        )
        % {"count": count, "source": source},
    )
    return None
