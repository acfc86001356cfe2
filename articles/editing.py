"""Editing an item's body: the rich-text editor field, what the sanitiser removed
(told to the editor, not dropped silently), and the unsaved item as readers
will see it (the change form's 预览)."""

from collections import Counter

from django import forms
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from bulletin.text import RICH_TEXT_EXTENSIONS, removed_markup, sanitize_html

REMOVED_LABELS = {
    "img": _("images"),
    "script": _("scripts"),
    "style": _("style sheets"),
    "iframe": _("embedded pages"),
    "@style": _("styles"),
}


class RichTextWidget(AdminProseEditorWidget):
    """The editor in Chinese: its dialogs ask window.gettext, its toolbar's
    tooltips are translated by static/js/rich-text-chinese.js, both from our
    catalogue (articles/locale/.../djangojs.po) added to the admin's."""

    @property
    def media(self):
        catalogue = forms.Media(
            js=[reverse("admin:articles_article_jsi18n"), "js/rich-text-chinese.js"]
        )
        return super().media + catalogue


class RichTextFormField(ProseEditorFormField):
    """The body in the editor, sanitised when cleaned; `removed` counts what the
    sanitiser took out of the submitted markup."""

    def __init__(self, **kwargs):
        kwargs["widget"] = RichTextWidget
        super().__init__(config={"extensions": RICH_TEXT_EXTENSIONS}, **kwargs)
        self.removed = Counter()

    def clean(self, value):
        value = super().clean(value)
        self.removed = removed_markup(value)
        return sanitize_html(value)


def removed_message(removed: Counter) -> str:
    """'已移除不支持的内容：图片 2 处、脚本 1 处' — named kinds first, then tags."""
    names = [name for name in REMOVED_LABELS if removed[name]]
    names += sorted(name for name in removed if name not in REMOVED_LABELS)
    parts = [
        _("%(what)s %(count)s times")
        % {"what": REMOVED_LABELS.get(name, f"<{name}>"), "count": removed[name]}
        for name in names
    ]
    return _("Unsupported content was removed: %(removed)s") % {
        "removed": _listed(parts)
    }


def _listed(parts) -> str:
    return pgettext("list separator", ", ").join(str(part) for part in parts)


def with_nonce(media, request):
    """The form's media with the request's CSP nonce, for the editor's inline
    import map (the only inline script the admin renders)."""
    return Media.from_media(media, nonce=get_nonce(request))


class _NoRows:
    def all(self):
        return []


class PreviewArticle:
    """The form's unsaved item as the reading templates ask for it. Corrections,
    attachments and tags are the saved item's (a new item has none yet)."""

    def __init__(self, article):
        self._article = article

    def __getattr__(self, name):
        return getattr(self._article, name)

    def _saved(self, relation):
        return getattr(self._article, relation) if self._article.pk else _NoRows()

    @property
    def corrections(self):
        return self._saved("corrections")

    @property
    def attachments(self):
        return self._saved("attachments")

    @property
    def tags(self):
        return self._saved("tags")


def render_preview(request, form):
    """The item as the form holds it now, in the reading page's templates; the
    fields that do not validate yet are named above it."""
    article = form.instance
    issue = article.issue if article.issue_id else None
    body = render_to_string(
        "issues/_article_body.html",
        {
            "issue": issue,
            "issue_corrections": issue.corrections.shown_with_issue() if issue else [],
            "article": PreviewArticle(article),
        },
        request=request,
    )
    invalid = [form.fields[name].label for name in form.errors if name in form.fields]
    response = render(
        request,
        "admin/articles/article/preview.html",
        {
            "issue": issue,
            "page": {"title": article.title, "body": body},
            "invalid_fields": _listed(invalid),
            "has_errors": bool(form.errors),
        },
    )
    add_never_cache_headers(response)
    return response
