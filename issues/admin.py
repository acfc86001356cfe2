"""The editors' workspace: compile an issue on one screen and move it through review."""

from adminsortable2.admin import (
    CustomInlineFormSet,
    SortableAdminBase,
    SortableTabularInline,
)
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import (
    ArticleAdmin,
    CorrectableAdminMixin,
    FrozenWithIssueAdmin,
    FrozenWithIssueInline,
)
from articles.models import Article
from bulletin.files import link_file_field
from bulletin.forms import ReportsUnshownFields
from bulletin.history import ChineseHistoryAdminMixin
from bulletin.locking import OptimisticLockingAdminMixin, OptimisticLockingForm
from issues import bulk, services
from issues.models import (
    BoardMember,
    Issue,
    IssueSection,
    IssueTransition,
    Publication,
    Section,
)


class SectionInline(SortableTabularInline):
    model = Section
    ordering = ("default_position",)
    fields = ("default_position", "name", "slug", "default_kind", "in_template")
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Publication)
class PublicationAdmin(CorrectableAdminMixin, SortableAdminBase, admin.ModelAdmin):
    list_display = ("name", "publisher", "website", "separate_duties")
    search_fields = ("name", "publisher")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SectionInline]

    def published_readers(self, obj):
        return [], Issue.objects.published().filter(publication=obj)


@admin.register(Section)
class SectionAdmin(CorrectableAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "publication",
        "default_position",
        "default_kind",
        "in_template",
    )
    list_filter = ("publication", "in_template")
    list_select_related = ("publication",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def published_readers(self, obj):
        return [], Issue.objects.published().filter(section_links__section=obj)


RETURN_TO_POOL = "pool"


class StartingRowForm(forms.ModelForm):
    """A row a new issue starts with (the last board, the section template) is
    kept on saving even when left as it was: Django would drop an unchanged
    extra row."""

    def has_changed(self):
        return (self.instance.pk is None and bool(self.initial)) or (
            super().has_changed()
        )


class IssueSectionForm(StartingRowForm):
    items_go_to = forms.ChoiceField(
        label=_("On removal, its items go to"), required=False
    )

    class Meta:
        model = IssueSection
        fields = ("position", "section")


class SharedSectionChoices:
    """Rows of a long inline share their section menu's choices: one query for
    the whole screen, not one per row."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if "section" in form.fields:
            form.fields["section"].choices = self._section_choices
        return form

    @cached_property
    def _section_choices(self):
        return list(self.form.base_fields["section"].choices)


class IssueSectionFormSet(SharedSectionChoices, CustomInlineFormSet):
    """Removing a section that still holds items asks where they go, another
    section of the issue or back to the pool: they are never left stranded
    without a section, out of print order."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["items_go_to"].choices = self._destinations
        return form

    @cached_property
    def _destinations(self):
        sections = list(self.instance.ordered_sections()) if self.instance.pk else []
        return [
            ("", "---------"),
            (RETURN_TO_POOL, _("back to the candidate pool")),
            *((str(section.pk), section.name) for section in sections),
        ]

    def clean(self):
        super().clean()
        issue = self.instance
        if issue.pk is None:
            return
        # A form marked for deletion keeps no errors of its own: they are the
        # formset's, named by section.
        removed = {form.instance.section_id for form in self.deleted_forms}
        problems = []
        for form in self.deleted_forms:
            link = form.instance
            if link.pk is None:
                continue
            count = issue.articles.filter(section_id=link.section_id).count()
            destination = form.cleaned_data.get("items_go_to")
            if count and not destination:
                problems.append(
                    ngettext(
                        "The section “%(section)s” still has %(count)d item: choose "
                        "where it goes.",
                        "The section “%(section)s” still has %(count)d items: choose "
                        "where they go.",
                        count,
                    )
                    % {"section": link.section.name, "count": count}
                )
            elif destination not in ("", RETURN_TO_POOL) and (
                int(destination) in removed
            ):
                problems.append(
                    _(
                        "The items of “%(section)s” cannot go to a section that is "
                        "being removed too."
                    )
                    % {"section": link.section.name}
                )
        if problems:
            raise ValidationError(problems)

    def delete_existing(self, obj, commit=True):
        if not commit:
            return
        form = next(f for f in self.deleted_forms if f.instance.pk == obj.pk)
        destination = form.cleaned_data.get("items_go_to")
        target = (
            None
            if destination in ("", RETURN_TO_POOL, None)
            else Section.objects.get(pk=destination)
        )
        self.instance.remove_section(obj.section, move_items_to=target)


class IssueSectionInline(FrozenWithIssueInline, SortableTabularInline):
    model = IssueSection
    form = IssueSectionForm
    formset = IssueSectionFormSet
    correctable = False
    fields = ("position", "section", "items_go_to")
    extra = 0
    verbose_name_plural = _("Issue sections (drag to reorder)")

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None and request.method == "GET":
            return len(sections_of_new_issue(request))
        return super().get_extra(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")

    def get_fields(self, request, obj=None):
        """Where a removed section's items go is asked only where sections can
        be removed."""
        fields = super().get_fields(request, obj)
        if obj is None or not self.has_delete_permission(request, obj):
            return [name for name in fields if name != "items_go_to"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            issue = getattr(request, "_issue_being_edited", None)
            publication = (
                issue.publication if issue else publication_of_new_issue(request)
            )
            if publication is not None:
                kwargs["queryset"] = publication.sections.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def publication_of_new_issue(request) -> Publication | None:
    """The publication a new issue is for: asked for (?publication=), or the
    only one there is."""
    wanted = request.GET.get("publication", "")
    if wanted:
        return (
            Publication.objects.filter(pk=wanted).first() if wanted.isdigit() else None
        )
    publications = list(Publication.objects.all()[:2])
    return publications[0] if len(publications) == 1 else None


def board_to_carry_over(request) -> list[tuple[str, str]]:
    """The latest issue's board, which a new issue of its publication starts with."""
    if not hasattr(request, "_board_to_carry_over"):
        publication = publication_of_new_issue(request)
        latest = None
        if publication:
            latest = publication.issues.order_by("-year", "-number").first()
        request._board_to_carry_over = latest.board() if latest else []
    return request._board_to_carry_over


def sections_of_new_issue(request) -> list[Section]:
    """The publication's section template, which a new issue starts with (editable)."""
    if not hasattr(request, "_sections_of_new_issue"):
        publication = publication_of_new_issue(request)
        request._sections_of_new_issue = (
            list(publication.template_sections()) if publication else []
        )
    return request._sections_of_new_issue


class BoardMemberInline(FrozenWithIssueInline, SortableTabularInline):
    model = BoardMember
    form = StartingRowForm
    correctable = True
    ordering = ("position",)
    fields = ("position", "role", "name")
    extra = 0
    verbose_name_plural = _("Editorial board (chief and deputy editors)")

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None and request.method == "GET":
            return len(board_to_carry_over(request))
        return super().get_extra(request, obj, **kwargs)


class ArticleRowForm(ReportsUnshownFields, OptimisticLockingForm):
    class Meta:
        model = Article
        fields = ("position", "section", "title", "kind", "source_date", "needs_review")
        widgets = {"position": forms.HiddenInput}


class ArticleRowFormSet(SharedSectionChoices, BaseInlineFormSet):
    """The issue's items, one row each. Removing a row takes the item out of the
    issue, back to the pool of candidates: deleting an item is its own page's
    confirmed action."""

    def delete_existing(self, obj, commit=True):
        if commit:
            obj.leave_issue()


class ArticleInline(FrozenWithIssueInline, admin.TabularInline):
    """The compile screen: each section of the issue a block of its items in print
    order. Drag a row within its block or into another (static/js/compile-issue.js
    renumbers the positions and sets the section); without a pointer, the row's
    section menu moves it."""

    model = Article
    formset = ArticleRowFormSet
    correctable = False
    form = ArticleRowForm
    template = "admin/issues/issue/compile_inline.html"
    fields = (
        "position",
        "section",
        "title",
        "source_display",
        "kind",
        "source_date",
        "needs_review",
        "loaded_version",
    )
    readonly_fields = ("source_display",)
    show_change_link = True
    extra = 0
    verbose_name_plural = _("Items of this issue, by section")

    class Media:
        js = ("vendor/sortablejs/Sortable.min.js", "js/compile-issue.js")
        css = {"all": ("css/admin-compile.css",)}

    def has_add_permission(self, request, obj=None):
        """Items are written in their own form and added from the pool."""
        return False

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "loaded_version"]

    @admin.display(description=_("source"))
    def source_display(self, article):
        return article.source or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").in_print_order()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "section":
            # A plain menu of the issue's sections, without links to edit the catalogue.
            field.widget = getattr(field.widget, "widget", field.widget)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            issue = getattr(request, "_issue_being_edited", None)
            if issue is not None:
                kwargs["queryset"] = issue.ordered_sections()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PoolChoiceField(forms.ModelMultipleChoiceField):
    """Pool items named with their source and date, so that two items of the same
    title (a reprint, a follow-up) can be told apart when picking."""

    def label_from_instance(self, article):
        details = "，".join(
            str(part) for part in (article.source, article.source_date) if part
        )
        return f"{article.title}（{details}）" if details else article.title


class IssueForm(OptimisticLockingForm):
    """The issue's own fields plus a way to pull items in from the candidate pool."""

    pool_articles = PoolChoiceField(
        label=_("Add from the candidate pool"),
        queryset=Article.objects.in_pool()
        .select_related("source")
        .order_by("-created_at"),
        required=False,
        widget=FilteredSelectMultiple(_("candidate items"), is_stacked=False),
        help_text=_(
            "On saving, the selected items go to the end of the chosen section."
        ),
    )
    pool_section = forms.ModelChoiceField(
        label=_("Add to section"), queryset=Section.objects.none(), required=False
    )
    accept_numbering_gap = forms.BooleanField(
        label=_("I mean this numbering (a skipped number or an early new year)"),
        required=False,
    )

    class Meta:
        model = Issue
        fields = (
            "publication",
            "year",
            "number",
            "cumulative_number",
            "period_start",
            "period_end",
            "publish_date",
            "cover",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link_file_field(
            self, "cover", reverse("issues:cover", args=[self.instance.pk or 0])
        )
        if self.instance.pk:
            self.fields["pool_section"].queryset = self.instance.ordered_sections()
        else:
            del self.fields["pool_articles"], self.fields["pool_section"]

    NUMBERING = ("publication", "year", "number", "cumulative_number")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pool_articles") and not cleaned.get("pool_section"):
            self.add_error("pool_section", _("Choose the section to add them to."))
        self._check_numbering(cleaned)
        return cleaned

    def _check_numbering(self, cleaned):
        """A gap in the numbering is allowed, but only on purpose."""
        numbering = {name: cleaned.get(name) for name in self.NUMBERING}
        if None in numbering.values() or (
            self.instance.pk and not set(self.NUMBERING) & set(self.changed_data)
        ):
            return
        warnings = Issue(pk=self.instance.pk, **numbering).numbering_warnings()
        if warnings and not cleaned.get("accept_numbering_gap"):
            self.add_error(
                "accept_numbering_gap",
                [
                    *warnings,
                    _("Tick the box to confirm, or correct the numbering."),
                ],
            )


@admin.register(Issue)
class IssueAdmin(
    FrozenWithIssueAdmin,
    ChineseHistoryAdminMixin,
    CorrectableAdminMixin,
    OptimisticLockingAdminMixin,
    SortableAdminBase,
    SimpleHistoryAdmin,
):
    form = IssueForm
    change_form_template = "admin/issues/issue/change_form.html"
    list_display = (
        "__str__",
        "cumulative_display",
        "period_display",
        "status",
        "publish_date",
        "article_count",
        "review_count",
    )
    list_filter = ("publication", "status", "year")
    search_fields = ("year", "cumulative_number")
    list_select_related = ("publication",)
    readonly_fields = ("status", "table_of_contents_display")
    inlines = [IssueSectionInline, BoardMemberInline, ArticleInline]

    def get_inlines(self, request, obj):
        """A new issue has no items yet: they are added once it is saved."""
        inlines = super().get_inlines(request, obj)
        return inlines if obj else [i for i in inlines if i is not ArticleInline]

    def get_fieldsets(self, request, obj=None):
        # The numbering is confirmed only by those who may change it.
        numbering_check = (
            ("accept_numbering_gap",)
            if self.has_change_permission(request, obj)
            else ()
        )
        fieldsets = [
            (
                _("Issue details"),
                {
                    "fields": (
                        "publication",
                        ("year", "number", "cumulative_number"),
                        ("period_start", "period_end"),
                        *numbering_check,
                        "publish_date",
                        "cover",
                        "loaded_version",
                    )
                },
            )
        ]
        if obj is not None:
            fieldsets.append(
                (
                    _("Table of contents"),
                    {"fields": ("status", "table_of_contents_display")},
                )
            )
            if not obj.is_frozen and self.has_change_permission(request, obj):
                fieldsets.append(
                    (
                        _("Add items from the candidate pool"),
                        {"fields": ("pool_articles", "pool_section")},
                    )
                )
        return fieldsets

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_total=Count("articles", distinct=True),
                review_total=Count(
                    "articles", filter=Q(articles__needs_review=True), distinct=True
                ),
            )
            .order_by(*Issue._meta.ordering)
        )

    @admin.display(description=_("cumulative number"), ordering="cumulative_number")
    def cumulative_display(self, obj):
        return _("cumulative no. %(n)s") % {"n": obj.cumulative_number}

    @admin.display(description=_("period covered"))
    def period_display(self, obj):
        return obj.period_display

    @admin.display(description=_("number of items"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    @admin.display(description=_("titles to check"), ordering="review_total")
    def review_count(self, obj):
        if not obj.review_total:
            return 0
        url = reverse("admin:articles_article_changelist")
        return format_html(
            '<a href="{}?issue__id__exact={}&amp;needs_review__exact=1">{}</a>',
            url,
            obj.pk,
            obj.review_total,
        )

    @admin.display(description=_("Table of contents"))
    def table_of_contents_display(self, obj):
        rows = []
        for section, articles in obj.table_of_contents():
            heading = section.name if section else _("(no section)")
            items = format_html_join(
                "",
                '<li>{}{} <span class="toc-meta">{} {}</span></li>',
                (
                    (
                        a.title,
                        " ⚠" if a.needs_review else "",
                        a.source or "",
                        a.source_date or "",
                    )
                    for a in articles
                ),
            )
            rows.append(
                format_html(
                    "<li><strong>{}</strong>（{}）<ol>{}</ol></li>",
                    heading,
                    len(articles),
                    items
                    or format_html(
                        "<li><em>{}</em></li>", _("No items in this section yet")
                    ),
                )
            )
        return format_html(
            '<ol class="issue-toc">{}</ol>',
            format_html_join("", "{}", ((r,) for r in rows)),
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        publication = publication_of_new_issue(request)
        if publication:
            initial.setdefault("publication", publication.pk)
            for key, value in Issue.suggest_next(publication).items():
                initial.setdefault(key, value)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._issue_being_edited = obj
        return super().get_form(request, obj, change, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A new issue starts with the board of the latest one and the
        publication's section template, both shown and editable."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is None and isinstance(inline, BoardMemberInline):
            kwargs["initial"] = [
                {"role": role, "name": name, "position": position}
                for position, (role, name) in enumerate(board_to_carry_over(request))
            ]
        if obj.pk is None and isinstance(inline, IssueSectionInline):
            kwargs["initial"] = [
                {"section": section.pk, "position": position}
                for position, section in enumerate(sections_of_new_issue(request))
            ]
        return kwargs

    def published_readers(self, obj):
        return [], ([obj] if obj.is_published else [])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        issue = form.instance
        if not change and not issue.section_links.exists():
            issue.apply_section_template()
        if form.cleaned_data.get("pool_articles"):
            placed = services.issue_add_articles(
                issue=issue,
                section=form.cleaned_data["pool_section"],
                articles=form.cleaned_data["pool_articles"],
                user=request.user,
            )
            self.message_user(
                request, _("Added %(n)d items from the candidate pool.") % {"n": placed}
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if issue is not None:
            extra_context.update(
                transitions=services.available_transitions(
                    issue=issue, user=request.user
                ),
                history=issue.transitions.select_related("user"),
                corrections=list(issue.corrections.select_related("article", "user")),
                preflight=services.issue_preflight(issue=issue),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="issues_issue_transition",
            ),
            path(
                "<int:pk>/preflight/",
                self.admin_site.admin_view(self.preflight_view),
                name="issues_issue_preflight",
            ),
        ]
        return urls + super().get_urls()

    @method_decorator(require_POST)
    def transition_view(self, request, pk, name):
        """Run one workflow step; the service decides who may, and says why not."""
        issue = get_object_or_404(Issue, pk=pk)
        change_url = reverse("admin:issues_issue_change", args=[issue.pk])
        try:
            record = services.issue_transition(
                issue=issue,
                user=request.user,
                name=name,
                comment=request.POST.get("comment", ""),
            )
        except services.PreflightFailed as failure:
            self.message_user(
                request,
                _("The preflight check failed; the issue cannot be published:"),
                messages.ERROR,
            )
            for problem in failure.report.errors:
                self.message_user(request, problem.message, messages.ERROR)
            return redirect(change_url)
        except services.TransitionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return redirect(change_url)
        except ValidationError as invalid:
            for message in invalid.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect(change_url)
        self.message_user(
            request,
            _("%(issue)s: %(from)s → %(to)s")
            % {
                "issue": issue,
                "from": record.get_from_status_display(),
                "to": record.get_to_status_display(),
            },
            messages.SUCCESS,
        )
        return redirect(change_url)

    def preflight_view(self, request, pk):
        issue = get_object_or_404(Issue, pk=pk)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "issue": issue,
            "title": _("Preflight check of %(issue)s") % {"issue": issue},
            "report": services.issue_preflight(issue=issue),
        }
        return TemplateResponse(request, "admin/issues/issue/preflight.html", context)


@admin.register(IssueTransition)
class IssueTransitionAdmin(admin.ModelAdmin):
    list_display = (
        "issue",
        "from_status",
        "to_status",
        "actor",
        "created_at",
        "comment",
    )
    list_filter = ("to_status",)
    list_select_related = ("issue", "user")

    @admin.display(description=_("performed by"))
    def actor(self, transition):
        return transition.actor_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Placing items follows issues' rules: the item list's move action comes from here.
ArticleAdmin.actions = (*ArticleAdmin.actions, bulk.move_to_issue)
