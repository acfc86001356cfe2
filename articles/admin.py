"""Collecting items: sources, policy documents, and the article editor with its checks."""

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from articles.models import (
    Article,
    ArticlePolicyDocument,
    Correction,
    PolicyDocument,
    Source,
)
from bulletin.locking import OptimisticLockingAdminMixin, OptimisticLockingForm
from issues import services


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "homepage", "article_count")
    list_filter = ("kind",)
    search_fields = ("name",)

    def get_queryset(self, request):
        # An aggregate drops Meta.ordering; keep it so autocomplete pages consistently.
        return (
            super()
            .get_queryset(request)
            .annotate(article_total=Count("articles"))
            .order_by(*Source._meta.ordering)
        )

    @admin.display(description=_("条目数"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(SimpleHistoryAdmin):
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

    @admin.display(description=_("被引用次数"), ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total

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
    correction_reason = forms.CharField(
        label=_("更正说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("本期已发布：修改将作为“更正”登记并向读者显示，必须说明原因。"),
    )

    class Meta:
        model = Article
        fields = (
            "issue", "section", "position", "kind", "title", "needs_review", "source",
            "source_date", "original_url", "author", "body", "tags", "print_page",
            "abstract", "keywords", "book_title", "book_author", "book_publisher",
            "book_publication_date", "book_summary", "book_reason",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"] = TagNamesField(
            label=_("标签"), required=False, widget=TagAutocompleteWidget(admin.site)
        )
        if self.instance.pk:
            self.initial["tags"] = [tag.name for tag in self.instance.tags.all()]
        if not self.instance.is_published:
            del self.fields["correction_reason"]

    def clean(self):
        cleaned = super().clean()
        issue, section = cleaned.get("issue"), cleaned.get("section")
        if section and not issue:
            self.add_error("section", _("候选库中的条目不能指定栏目；请先选择期刊。"))
        elif (
            issue
            and section
            and not issue.section_links.filter(section=section).exists()
        ):
            self.add_error(
                "section", _("栏目“%(s)s”不在 %(i)s 中。") % {"s": section, "i": issue}
            )
        if issue and issue.is_published and not self.instance.is_published:
            self.add_error("issue", _("不能把条目加入已发布的期刊。"))
        if "correction_reason" in self.fields and self.has_changed():
            if not cleaned.get("correction_reason", "").strip():
                self.add_error("correction_reason", _("请填写更正说明。"))
        return cleaned

    def save(self, commit=True):
        article = super().save(commit=commit)
        if commit:
            article.tags.set(self.cleaned_data.get("tags", []))
        return article

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.tags.set(self.cleaned_data.get("tags", []))


class AttachmentInline(SortableTabularInline):
    model = ArticlePolicyDocument
    fields = ("position", "policy_document")
    autocomplete_fields = ("policy_document",)
    extra = 0
    verbose_name_plural = _("附件（政策文件，按顺序）")

    def _locked(self, obj):
        return obj is not None and obj.is_published

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ("created_at", "user", "reason", "changed_fields")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PoolFilter(admin.SimpleListFilter):
    title = _("编排状态")
    parameter_name = "placement"

    def lookups(self, request, model_admin):
        return [("pool", _("候选库（未编入）")), ("placed", _("已编入期刊"))]

    def queryset(self, request, queryset):
        if self.value() == "pool":
            return queryset.in_pool()
        if self.value() == "placed":
            return queryset.filter(issue__isnull=False)
        return queryset


@admin.register(Article)
class ArticleAdmin(OptimisticLockingAdminMixin, SortableAdminBase, SimpleHistoryAdmin):
    form = ArticleForm
    list_display = (
        "title",
        "issue",
        "section",
        "kind",
        "source",
        "source_date",
        "needs_review",
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
    autocomplete_fields = ("source",)
    readonly_fields = ("repeat_check", "created_by", "created_at", "updated_at")
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
        (_("研究文章"), {"classes": ("collapse",), "fields": ("abstract", "keywords")}),
        (
            _("图书推荐"),
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
        (_("记录"), {"fields": ("created_by", "created_at", "updated_at")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if (
            obj is not None
            and obj.is_published
            and self.has_change_permission(request, obj)
        ):
            fieldsets.insert(0, (_("更正"), {"fields": ("correction_reason",)}))
        return fieldsets

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("issue", "section", "source")
        )

    @admin.display(description=_("期刊状态"), ordering="issue__status")
    def issue_status(self, obj):
        return obj.issue.get_status_display() if obj.issue_id else _("候选库")

    @admin.display(description=_("重复检查"))
    def repeat_check(self, obj):
        repeats = list(Article.objects.repeats_of(obj)[:5]) if obj and obj.pk else []
        if not repeats:
            return _("未发现与其他各期重复。")
        return format_html(
            '<strong class="errornote">{}</strong><ul>{}</ul>',
            _("注意：以下各期已刊登过相同链接或标题的条目，摘编不应重复。"),
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

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return request.user.has_perm("articles.correct_article")
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if change and "correction_reason" in form.cleaned_data:
            changed = [
                f
                for f in form.changed_data
                if f not in ("correction_reason", "loaded_version")
            ]
            services.article_correct(
                article=obj,
                user=request.user,
                reason=form.cleaned_data["correction_reason"],
                changed_fields=changed,
            )
        else:
            obj.save()
        repeats = list(Article.objects.repeats_of(obj)[:5])
        if repeats:
            self.message_user(
                request,
                _("《%(title)s》与往期重复：%(others)s。摘编不应重复，请核对。")
                % {
                    "title": obj.title,
                    "others": "；".join(f"{r.issue}《{r.title}》" for r in repeats),
                },
                messages.WARNING,
            )

    def get_urls(self):
        return [
            path(
                "tag-autocomplete/",
                self.admin_site.admin_view(
                    TagAutocompleteView.as_view(admin_site=self.admin_site)
                ),
                name="articles_article_tag_autocomplete",
            ),
        ] + super().get_urls()
