"""What of the articles app a frozen issue shows, for bulletin.freezing."""

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from bulletin import freezing

ARTICLE_READER_FIELDS = (
    "issue", "section", "position", "kind", "title", "body", "abstract", "keywords",
    "source", "source_date", "original_url", "author", "book_title", "book_author",
    "book_publisher", "book_publication_date", "book_summary", "book_reason",
)  # fmt: skip


def _issues():
    return Article._meta.get_field("issue").related_model.objects.frozen()


def _own_issues(instance, stored, field="issue_id"):
    """The frozen issues the row is in now (stored) or would be in (instance)."""
    ids = {getattr(instance, field)} | ({stored[field]} if stored else set())
    ids.discard(None)
    return _issues().filter(pk__in=ids) if ids else []


def _attachment_issues(instance, stored):
    ids = {instance.article_id} | ({stored["article_id"]} if stored else set())
    return _issues_showing_articles(ids)


def _citing(lookup):
    def frozen_issues(instance, stored):
        if stored is None:
            return []
        return _issues().filter(**{lookup: instance.pk}).distinct()

    return frozen_issues


def _tagged_item_issues(instance, stored):
    if instance.content_type_id != ContentType.objects.get_for_model(Article).pk:
        return []
    ids = {instance.object_id} | ({stored["object_id"]} if stored else set())
    return _issues_showing_articles(ids)


def _issues_showing_articles(ids):
    return _issues().filter(articles__in=ids).distinct()


def register() -> None:
    freezing.guard(Article, fields=ARTICLE_READER_FIELDS, frozen_issues=_own_issues)
    freezing.guard(
        ArticlePolicyDocument,
        fields=("article", "policy_document", "position"),
        frozen_issues=_attachment_issues,
    )
    freezing.guard(
        PolicyDocument,
        fields=("title", "url", "file", "issuing_body", "document_number", "date"),
        frozen_issues=_citing("articles__attachments__policy_document"),
    )
    freezing.guard(
        Source, fields=("name", "kind"), frozen_issues=_citing("articles__source")
    )
    freezing.guard(
        Tag, fields=("name", "slug"), frozen_issues=_citing("articles__tags")
    )
    freezing.guard(
        TaggedItem,
        fields=("tag", "object_id", "content_type"),
        frozen_issues=_tagged_item_issues,
    )
    for through in (TaggedItem, ArticlePolicyDocument):
        freezing.guard_m2m(through, owner=Article, issues_of=_issues_showing_articles)
