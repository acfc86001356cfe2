"""Collecting items: sources, policy documents, and the article editor with its checks."""

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from simple_history.admin import SimpleHistoryAdmin
from taggit.admin import TagAdmin
from taggit.models import Tag

from articles import bulk, corrections, editing
from articles.models import (
    Article,
    ArticlePolicyDocument,
    Correction,
    PolicyDocument,
    Source,
    SourceAlias,
)
from articles.signals import content_repeats
from bulletin.files import link_file_field
from bulletin.freezing import FrozenRecordAdminMixin
from bulletin.history import ChineseHistoryAdminMixin
from bulletin.locking import OptimisticLockingAdminMixin, OptimisticLockingForm
from bulletin.templatetags.rich_text import rich_text

REASON_HELP = _(
    "Published issues show this record: the change is registered as a "
    "“correction” and shown to readers, so its reason must be given."
)


class CorrectionReasonForm(forms.Form):
    """Adds 更正说明 to the form of a record that published issues show."""

    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=REASON_HELP,
    )
    # A restore changes the record although the form shows no change.
    reason_always_required = False

    def clean(self):
        cleaned = super().clean()
        changed = [f for f in self.changed_data if f != "correction_reason"]
        if (self.reason_always_required or changed) and not cleaned.get(
            "correction_reason", ""
        ).strip():
            self.add_error(
                "correction_reason", _("Please give the reason for the correction.")
            )
        return cleaned


class CorrectableAdminMixin(FrozenRecordAdminMixin):
    """Admin side of corrections for records that published issues show.

    `published_readers(obj)` says which published items and issues show the
    record. While there are any, the form asks for 更正说明 (chief editors only;
    the freeze guard refuses everybody else), and the whole save, inlines
    included, is one recorded correction of those items and issues. A restore
    from history goes the same way.
    """

    def published_readers(self, obj) -> tuple:
        raise NotImplementedError

    def _corrects(self, request, obj) -> bool:
        """Whether published issues show the record (asked once per request; a
        source cited by thousands of items is not loaded just to know)."""
        if obj is None or obj.pk is None or not corrections.may_correct(request.user):
            return False
        cache = request.__dict__.setdefault("_shown_by_published", {})
        key = (type(obj), obj.pk)
        if key not in cache:
            cache[key] = any(
                readers.exists() if hasattr(readers, "exists") else bool(readers)
                for readers in self.published_readers(obj)
            )
        return cache[key]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._corrects(request, obj):
            # The reason is not a model field: the base form is built without it.
            if "fields" in kwargs:
                fields = kwargs["fields"]
            else:
                fields = flatten_fieldsets(self.get_fieldsets(request, obj))
            if fields is not None:
                kwargs["fields"] = [f for f in fields if f != "correction_reason"]
        form = super().get_form(request, obj, change, **kwargs)
        if self._corrects(request, obj):
            attrs = {"reason_always_required": getattr(request, "_restoring", False)}
            form = type(form.__name__, (CorrectionReasonForm, form), attrs)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if self._corrects(request, obj):
            named = [f for _name, opts in fieldsets for f in opts["fields"]]
            if "correction_reason" not in named:
                fieldsets.insert(
                    0, (_("Correction"), {"fields": ("correction_reason",)})
                )
        return fieldsets

    def _as_correction(self, request, obj, view):
        """Run the view; on a record published issues show, as one correction."""
        try:
            if request.method != "POST" or not self._corrects(request, obj):
                return view()
            articles, issues = self.published_readers(obj)
            with corrections.recording(
                user=request.user, articles=articles, issues=issues
            ) as request._correction:
                return view()
        except ValidationError as error:
            return self._refusal_redirect(request, error)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        parent = super()
        return self._as_correction(
            request,
            obj,
            lambda: parent.changeform_view(request, object_id, form_url, extra_context),
        )

    def restore_refusal(self, current, version) -> str:
        """Why this old version may not be restored over the current record ('' if it may)."""
        return ""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restore: only for those who may change the record now, never a version
        the rules refuse, and on published content a correction like any other."""
        current = self.get_object(request, object_id)
        if current is not None and request.method == "POST":
            if not self.has_change_permission(request, current):
                raise PermissionDenied
            version = get_object_or_404(
                self.model.history.model, history_id=version_id, id=current.pk
            ).instance
            refusal = self.restore_refusal(current, version)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return redirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                        args=[current.pk],
                    )
                )
        request._restoring = True
        parent = super()
        return self._as_correction(
            request,
            current,
            lambda: parent.history_form_view(
                request, object_id, version_id, extra_context
            ),
        )

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """Mark the versions that may not be restored, for the history page."""
        super().set_history_delta_changes(request, historical_records, **kwargs)
        current = None
        for record in historical_records:
            if current is None:
                current = self.model._base_manager.filter(pk=record.id).first()
            record.restore_refusal = (
                self.restore_refusal(current, record.instance) if current else ""
            )

    def save_model(self, request, obj, form, change):
        recording = getattr(request, "_correction", None)
        if recording is not None:
            recording.reason = form.cleaned_data.get("correction_reason", "")
        super().save_model(request, obj, form, change)


class SourceAliasInline(admin.TabularInline):
    """Other names of the outlet, which collecting and importing match."""

    model = SourceAlias
    extra = 1
    fields = ("name",)


@admin.register(Source)
class SourceAdmin(CorrectableAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "homepage", "article_count")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__name")
    inlines = (SourceAliasInline,)

    def get_queryset(self, request):
        # An aggregate drops Meta.ordering; keep it so autocomplete pages consistently.
        return (
            super()
            .get_queryset(request)
            .annotate(article_total=Count("articles"))
            .order_by(*Source._meta.ordering)
        )

    @admin.display(description=_("number of items"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    def published_readers(self, obj):
        return Article.objects.published().filter(source=obj), []


class PolicyDocumentForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link_file_field(
            self,
            "file",
            reverse("articles:policy-file", args=[self.instance.pk or 0]),
        )


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(
    ChineseHistoryAdminMixin, CorrectableAdminMixin, SimpleHistoryAdmin
):
    form = PolicyDocumentForm
    list_display = (
        "title",
        "issuing_body",
        "document_number",
        "date",
        "citation_count",
    )
    search_fields = ("title", "document_number", "issuing_body")
    list_filter = ("date",)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(citation_total=Count("attachments"))
            .order_by(*PolicyDocument._meta.ordering)
        )

    @admin.display(description=_("times cited"), ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total

    def published_readers(self, obj):
        articles = Article.objects.published().filter(attachments__policy_document=obj)
        return articles.distinct(), []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.articles.filter(issue__status="published").exists():
            return False
        return super().has_delete_permission(request, obj)


class TagAutocompleteView(AutocompleteJsonView):
    """Select2 results keyed by tag name, so typed new tags and picked ones look alike."""

    def serialize_result(self, obj, to_field_name):
        return {"id": obj.name, "text": obj.name}


class TagAutocompleteWidget(AutocompleteSelectMultiple):
    """Admin autocomplete over existing tags that also accepts new ones (Select2 tags)."""

    def __init__(self, admin_site):
        super().__init__(Article._meta.get_field("tags"), admin_site)

    def get_url(self):
        return reverse("admin:articles_article_tag_autocomplete")

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-tags"] = "true"
        attrs["data-token-separators"] = '[",", "，"]'
        return attrs

    def optgroups(self, name, value, attr=None):
        selected = [v for v in value if v]
        return [
            (
                None,
                [
                    self.create_option(name, v, v, True, i)
                    for i, v in enumerate(selected)
                ],
                0,
            )
        ]


class TagNamesField(forms.Field):
    """A list of tag names; taggit's manager accepts it as it is."""

    def to_python(self, value):
        names = value if isinstance(value, list | tuple) else ([value] if value else [])
        return sorted({str(name).strip() for name in names if str(name).strip()})

    def prepare_value(self, value):
        if value is None:
            return []
        return [getattr(tag, "name", tag) for tag in value]


class ArticleForm(OptimisticLockingForm):
    class Meta:
        model = Article
        fields = (
            "issue", "section", "position", "kind", "title", "needs_review", "source",
            "source_date", "original_url", "author", "body", "tags", "print_page",
            "abstract", "keywords", "book_title", "book_author", "book_publisher",
            "book_publication_date", "book_summary", "book_reason",
        )  # fmt: skip
        field_classes = {"body": editing.RichTextFormField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"] = TagNamesField(
            label=_("Tags"), required=False, widget=TagAutocompleteWidget(admin.site)
        )
        if self.instance.pk:
            self.initial["tags"] = [tag.name for tag in self.instance.tags.all()]
        if self.instance.pk and self.instance.is_published:
            # A correction never moves an item out of its issue or section, and
            # the printed page is the edition's to say.
            for name in ("issue", "section", "print_page"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        issue, section = cleaned.get("issue"), cleaned.get("section")
        if section and not issue:
            self.add_error(
                "section",
                _("An item in the pool cannot have a section; choose an issue first."),
            )
        elif (
            issue
            and section
            and not issue.section_links.filter(section=section).exists()
        ):
            self.add_error(
                "section",
                _("The section “%(section)s” is not in %(issue)s.")
                % {"section": section, "issue": issue},
            )
        if issue and issue.is_frozen and not self.instance.is_published:
            message = (
                _("An item cannot be added to a published issue: %(issue)s")
                if issue.is_published
                else _("An item cannot be added to a signed-off issue: %(issue)s")
            )
            self.add_error("issue", message % {"issue": issue})
        return cleaned

    def save(self, commit=True):
        article = super().save(commit=commit)
        if commit:
            article.tags.set(self.cleaned_data.get("tags", []))
        return article

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.tags.set(self.cleaned_data.get("tags", []))


class FrozenWithIssue:
    """The one rule of every admin screen of an issue's content: once the issue is
    signed off or published it is read-only; on a published issue whoever may
    correct saves it, as a recorded correction, where the screen is
    `correctable`. `issue_of` says which issue an object belongs to."""

    correctable = True

    def issue_of(self, obj):
        return obj

    def _frozen(self, obj) -> bool:
        issue = self.issue_of(obj) if obj is not None else None
        return issue is not None and issue.is_frozen

    def _may_write(self, request, obj) -> bool:
        if not self._frozen(obj):
            return True
        return (
            self.correctable
            and self.issue_of(obj).is_published
            and corrections.may_correct(request.user)
        )


class FrozenWithIssueAdmin(FrozenWithIssue):
    """A model admin under the rule; nothing of a frozen issue is deleted."""

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class FrozenWithIssueInline(FrozenWithIssue):
    """An inline under the rule: adding, changing and removing rows alike."""

    def has_add_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_delete_permission(
            request, obj
        )


def _formatted(field):
    return "formatted_body" if field == "body" else field


def issue_of_item(obj):
    """The issue an item is placed in, if any."""
    return obj.issue if obj.issue_id is not None else None


class AttachmentInline(FrozenWithIssueInline, SortableTabularInline):
    model = ArticlePolicyDocument
    fields = ("position", "policy_document")
    autocomplete_fields = ("policy_document",)
    extra = 0
    verbose_name_plural = _("attachments (policy documents, in order)")

    def issue_of(self, obj):
        return issue_of_item(obj)


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ("created_at", "user", "reason", "changes_display")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def changes_display(self, correction):
        return format_html_join(
            "",
            "<p><strong>{}</strong>：{} → {}</p>",
            (
                (c["field"], c["before"][:200] or "—", c["after"][:200] or "—")
                for c in correction.changes
            ),
        )


class PoolFilter(admin.SimpleListFilter):
    title = _("placement")
    parameter_name = "placement"

    def lookups(self, request, model_admin):
        return [
            ("pool", _("In the pool (not placed)")),
            ("placed", _("Placed in an issue")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pool":
            return queryset.in_pool()
        if self.value() == "placed":
            return queryset.filter(issue__isnull=False)
        return queryset


@admin.register(Article)
class ArticleAdmin(
    FrozenWithIssueAdmin,
    ChineseHistoryAdminMixin,
    CorrectableAdminMixin,
    OptimisticLockingAdminMixin,
    SortableAdminBase,
    SimpleHistoryAdmin,
):
    form = ArticleForm
    list_display = (
        "title",
        "issue",
        "section",
        "kind",
        "source",
        "source_date",
        "title_review",
        "issue_status",
    )
    list_filter = (
        PoolFilter,
        "needs_review",
        "kind",
        "issue__status",
        "issue",
        "section",
        ("source", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("issue", "section", "source")
    search_fields = ("title",)
    actions = (bulk.add_tags, bulk.set_source)
    autocomplete_fields = ("source",)
    # formatted_body stands in for the body wherever the item is read-only
    # (get_fieldsets), including simple_history's version pages.
    readonly_fields = (
        "repeat_check",
        "created_by",
        "created_at",
        "updated_at",
        "formatted_body",
    )
    inlines = [AttachmentInline, CorrectionInline]
    date_hierarchy = "source_date"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("issue", "section", "position"),
                    "kind",
                    "title",
                    "needs_review",
                    ("source", "source_date"),
                    "original_url",
                    "repeat_check",
                    "author",
                    "body",
                    "tags",
                    "print_page",
                    "loaded_version",
                )
            },
        ),
        (
            _("Research article"),
            {"classes": ("collapse",), "fields": ("abstract", "keywords")},
        ),
        (
            _("Book recommendation"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("book_title", "book_author"),
                    ("book_publisher", "book_publication_date"),
                    "book_summary",
                    "book_reason",
                ),
            },
        ),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )

    def published_readers(self, obj):
        return ([obj] if obj.is_published else []), []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, the body is shown as readers see it, not as markup.
        return [
            (name, {**opts, "fields": [_formatted(f) for f in opts["fields"]]})
            for name, opts in fieldsets
        ]

    @admin.display(description=Article._meta.get_field("body").verbose_name)
    def formatted_body(self, obj):
        return rich_text(obj.body)

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = editing.with_nonce(context["media"], request)
        return super().render_change_form(request, context, *args, **kwargs)

    def preview_view(self, request, object_id=None):
        """The form's current content as readers will see it, saving nothing:
        whoever may save the form may preview it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id) if object_id else None
        if object_id and obj is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, obj)
            if obj
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        form_class = self.get_form(
            request,
            obj,
            change=obj is not None,
            fields=flatten_fieldsets(self.get_fieldsets(request, obj)),
        )
        with transaction.atomic():
            form = form_class(request.POST, request.FILES, instance=obj or Article())
            form.is_valid()
            response = editing.render_preview(request, form)
            transaction.set_rollback(True)
        return response

    def restore_refusal(self, current, version) -> str:
        if current.is_published and (
            version.issue_id != current.issue_id
            or version.section_id != current.section_id
        ):
            return _(
                "This version is not in the issue and section the item is in now, "
                "so it cannot be restored: restoring a published item cannot move "
                "it out of its issue or section."
            )
        return ""

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("issue", "section", "source")
        )

    @admin.display(
        description=Article._meta.get_field("needs_review").verbose_name,
        ordering="needs_review",
    )
    def title_review(self, obj):
        """A warning where the title still needs checking (a boolean column
        would show a reassuring green tick for it)."""
        if not obj.needs_review:
            return ""
        return format_html(
            '<span class="needs-review" title="{}">⚠ {}</span>',
            _("The importer guessed this title: check it against the original."),
            _("to check"),
        )

    @admin.display(description=_("issue status"), ordering="issue__status")
    def issue_status(self, obj):
        return obj.issue.get_status_display() if obj.issue_id else _("in the pool")

    @admin.display(description=_("repeat check"))
    def repeat_check(self, obj):
        repeats = list(Article.objects.repeats_of(obj)[:5]) if obj and obj.pk else []
        by_content = content_repeats([obj]).get(obj.pk, [])[:5] if obj else []
        if not repeats and not by_content:
            return _("No repeat of other issues found.")
        return format_html(
            "{}{}",
            self._link_or_title_repeats(repeats) if repeats else "",
            self._content_repeats(by_content) if by_content else "",
        )

    def _content_repeats(self, by_content):
        return format_html(
            '<strong class="errornote">{}</strong><ul>{}</ul>',
            _(
                "Note: the text of this item largely matches these items, "
                "whatever their link, title or source:"
            ),
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[r.other.pk]),
                        r.message,
                    )
                    for r in by_content
                ),
            ),
        )

    def _link_or_title_repeats(self, repeats):
        return format_html(
            '<strong class="errornote">{}</strong><ul>{}</ul>',
            _(
                "Note: these issues have already printed an item with the same link "
                "or title; the digest should not repeat items."
            ),
            format_html_join(
                "",
                '<li><a href="{}">{}</a>（{}）</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[r.pk]),
                        r.title,
                        r.issue,
                    )
                    for r in repeats
                ),
            ),
        )

    def issue_of(self, obj):
        return issue_of_item(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if "body" in form.fields and form.fields["body"].removed:
            self.message_user(
                request,
                editing.removed_message(form.fields["body"].removed),
                messages.WARNING,
            )
        repeats = list(Article.objects.repeats_of(obj)[:5])
        if repeats:
            self.message_user(
                request,
                _(
                    "“%(title)s” repeats earlier issues: %(others)s. The digest "
                    "should not repeat items; please check."
                )
                % {
                    "title": obj.title,
                    "others": "；".join(f"{r.issue}《{r.title}》" for r in repeats),
                },
                messages.WARNING,
            )
        by_content = content_repeats([obj]).get(obj.pk, [])[:5]
        if by_content:
            self.message_user(
                request,
                _(
                    "The text of “%(title)s” largely matches other items: "
                    "%(others)s. The digest should not repeat items; please check."
                )
                % {
                    "title": obj.title,
                    "others": "；".join(r.message for r in by_content),
                },
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **bulk.changelist_context(self, request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "tag-autocomplete/",
                self.admin_site.admin_view(
                    TagAutocompleteView.as_view(admin_site=self.admin_site)
                ),
                name="articles_article_tag_autocomplete",
            ),
            path(
                "jsi18n/",
                self.admin_site.admin_view(
                    JavaScriptCatalog.as_view(packages=["articles"])
                ),
                name="articles_article_jsi18n",
            ),
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            *bulk.urls(self),
        ] + super().get_urls()


admin.site.unregister(Tag)


@admin.register(Tag)
class CorrectableTagAdmin(CorrectableAdminMixin, TagAdmin):
    """Tags as taggit's admin offers them; renaming one that published items
    show is a correction of those items. Taggit's "merge tags" action is left
    out: it rewrites published items' tags without a correction (the freeze
    guard stops it with a server error) and speaks only English."""

    actions = []

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)  # without taggit's merge page

    def published_readers(self, obj):
        return Article.objects.published().filter(tags=obj), []
