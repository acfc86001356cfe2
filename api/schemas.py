"""What the API shows of each record: what its reading page shows, as JSON.

URLs are absolute, built from the request ninja passes in the context."""

import datetime
from typing import Any

from django.urls import reverse
from ninja import Schema


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


class SourceOut(Schema):
    id: int
    name: str
    kind: str
    homepage: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, reverse("articles:source", args=[obj.pk]))


class SectionOut(Schema):
    id: int
    name: str
    slug: str


class TagOut(Schema):
    name: str
    slug: str


class PolicyDocumentOut(Schema):
    id: int
    title: str
    link: str
    issuing_body: str
    document_number: str
    date: datetime.date | None
    url: str
    file_url: str | None

    @staticmethod
    def resolve_link(obj) -> str:
        return obj.url

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_file_url(obj, context) -> str | None:
        if not obj.file:
            return None
        return _absolute(context, reverse("articles:policy-file", args=[obj.pk]))


class IssueOut(Schema):
    id: int
    publication: str
    year: int
    number: int
    cumulative_number: int
    label: str
    masthead_number: str
    period_start: datetime.date
    period_end: datetime.date
    publish_date: datetime.date | None
    url: str

    @staticmethod
    def resolve_publication(obj) -> str:
        return obj.publication.name

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ItemOut(Schema):
    """An item as a list shows it; reads issue, section and source."""

    id: int
    title: str
    kind: str
    issue_id: int
    section: SectionOut | None
    source: SourceOut | None
    source_date: datetime.date | None
    author: str
    position: int
    print_page: int | None
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        """The permanent address (/items/<pk>/), which no renumbering changes."""
        return _absolute(context, reverse("issues:permalink", args=[obj.pk]))


class SectionItemsOut(Schema):
    section: SectionOut | None
    items: list[ItemOut]


class IssueDetailOut(IssueOut):
    sections: list[SectionItemsOut]

    @staticmethod
    def resolve_sections(obj) -> list[dict]:
        """Sections in the issue's order, each with its items in print order
        (two queries: table_of_contents)."""
        toc = obj.table_of_contents()
        for section, items in toc:
            for item in items:
                item.section = section  # already read: no query per item
        return [{"section": section, "items": items} for section, items in toc]


class BookOut(Schema):
    title: str
    author: str
    publisher: str
    publication_date: str
    summary: str
    reason: str


class CorrectionOut(Schema):
    reason: str
    fields: list[str]
    created_at: datetime.datetime

    @staticmethod
    def resolve_fields(obj) -> list[str]:
        return [change["field"] for change in obj.changes]


class ItemDetailOut(ItemOut):
    issue: IssueOut
    abstract: str
    keywords: list[str]
    body: str
    original_url: str
    tags: list[TagOut]
    policy_documents: list[PolicyDocumentOut]
    book: BookOut | None
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_keywords(obj) -> list[str]:
        return obj.keyword_list

    @staticmethod
    def resolve_tags(obj) -> list:
        return sorted(obj.tags.all(), key=lambda tag: tag.name)

    @staticmethod
    def resolve_policy_documents(obj) -> list:
        return [link.policy_document for link in obj.attachments.all()]

    @staticmethod
    def resolve_book(obj) -> dict | None:
        if not obj.is_book:
            return None
        return {
            "title": obj.book_title,
            "author": obj.book_author,
            "publisher": obj.book_publisher,
            "publication_date": obj.book_publication_date,
            "summary": obj.book_summary,
            "reason": obj.book_reason,
        }

    @staticmethod
    def resolve_corrections(obj) -> list:
        return list(obj.corrections.all())


class SearchHitOut(ItemOut):
    issue: IssueOut


class SearchPageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[SearchHitOut]
    error: str | None = None


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """The parameters that failed validation, one entry each (ninja's 422)."""

    detail: list[dict[str, Any]]
