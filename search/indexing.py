"""Keeping the index in step with articles: the one place that writes it.

Signal handlers (connected in search/apps.py) reindex an article whenever it, its
source, its tags or its attached policy documents change, inside the same
transaction, so admin edits, corrections and the importer need not know the
index exists. Code that bypasses signals (QuerySet.update, bulk_create) must call
reindex_articles() itself, or send `bulletin.batching.created_in_bulk` for the
articles it inserted (the importer does). Inside `bulletin.batching.batch()` (an
import) each article is rebuilt once, when the batch ends, and never in a dry run.
"""

from django.db import connection, transaction

from articles.models import Article, ArticlePolicyDocument, PolicyDocument
from bulletin import batching
from bulletin.text import html_to_text
from search import tokenizer
from search.models import IndexChange, SearchDocument
from search.ranking import FIELDS

BATCH_SIZE = 500


def article_fields(article: Article) -> dict[str, list[str]]:
    """The text of each weighted field, as separate parts (no match spans two parts).

    Expects source, tags and policy documents to be loaded (see articles_to_index).
    """
    documents = list(article.policy_documents.all())
    return {
        "title": [article.title, article.book_title],
        "meta": [
            article.abstract,
            article.keywords,
            " ".join(tag.name for tag in article.tags.all()),
            article.author,
            article.book_author,
        ],
        "body": [
            html_to_text(article.body),
            article.book_summary,
            article.book_reason,
        ],
        "tail": [
            article.source.name if article.source_id else "",
            article.book_publisher,
            *(doc.title for doc in documents),
            *(doc.issuing_body for doc in documents),
            *(doc.document_number for doc in documents),
        ],
    }


def build(article: Article) -> SearchDocument:
    texts: dict[str, str] = {}
    for field, parts in article_fields(article).items():
        part_units = [tokenizer.units(part) for part in parts if part]
        texts[field] = "\n".join(tokenizer.match_text(u) for u in part_units if u)
    return SearchDocument(
        article_id=article.pk,
        issue_id=article.issue_id,
        issue_year=article.issue.year if article.issue_id else None,
        issue_number=article.issue.number if article.issue_id else None,
        source_date=article.source_date,
        publication_id=article.issue.publication_id if article.issue_id else None,
        section_id=article.section_id,
        source_id=article.source_id,
        kind=article.kind,
        has_policy=bool(article.policy_documents.all()),
        **{f"{field}_text": texts[field] for field in FIELDS},
    )


def articles_to_index():
    return Article.objects.select_related("source", "issue").prefetch_related(
        "tags", "policy_documents"
    )


def reindex_articles(article_ids) -> int:
    """Rebuild the index rows of these articles now (or when the batch ends)."""
    ids = sorted(set(article_ids))
    if batching.postpone(reindex_articles, ids):
        return 0
    done = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        built = [build(article) for article in articles_to_index().filter(pk__in=chunk)]
        with transaction.atomic():
            SearchDocument.objects.bulk_create(
                built,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=[
                    "issue",
                    "issue_year",
                    "issue_number",
                    "source_date",
                    "publication",
                    "section",
                    "source",
                    "kind",
                    "has_policy",
                    *(f"{field}_text" for field in FIELDS),
                    "indexed_at",
                ],
            )
            log_changes(chunk)
        done += len(built)
    return done


def reindex_all(progress=None) -> int:
    """Rebuild every index row from the articles table, into an emptied and so
    compact table (_empty_rows). Every row written is logged, so each host's
    index catches up; `reindex` also builds this host's anew."""
    _empty_rows()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), BATCH_SIZE):
        done += reindex_articles(ids[start : start + BATCH_SIZE])
        if progress:
            progress(done, len(ids))
    return done


def _empty_rows() -> None:
    """On PostgreSQL, TRUNCATE gives the table and its TOAST table new empty
    files: deleted rows would stay as dead space that the rebuild grows past
    until a VACUUM FULL, which locks the table for a minute. Inside a
    transaction that has written rows (their deferred foreign key checks
    pending) PostgreSQL refuses TRUNCATE, and SQLite has none (it reuses the
    freed pages): the rows are deleted."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_searchdocument")
    else:
        SearchDocument.objects.all().delete()


def remove_articles(article_ids) -> None:
    ids = list(article_ids)
    with transaction.atomic():
        SearchDocument.objects.filter(article_id__in=ids).delete()
        log_changes(ids)


def log_changes(article_ids) -> None:
    """Tell every host's index (search.host_index) to read these rows again."""
    IndexChange.objects.bulk_create(IndexChange(article_id=pk) for pk in article_ids)


# Signal handlers (connected in SearchConfig.ready) -------------------------------


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_articles([instance.pk])


def article_deleted(sender, instance, **kwargs):
    remove_articles([instance.pk])


def issue_saved(sender, instance, raw=False, **kwargs):
    """Result order and the facets read the issue's year, number and
    publication from the index rows: the rows whose copies changed are
    updated and logged for the host index."""
    if raw:
        return
    stale = SearchDocument.objects.filter(issue=instance).exclude(
        issue_year=instance.year,
        issue_number=instance.number,
        publication=instance.publication_id,
    )
    changed = list(stale.values_list("article_id", flat=True))
    if changed:
        stale.update(
            issue_year=instance.year,
            issue_number=instance.number,
            publication=instance.publication_id,
        )
        log_changes(changed)


def source_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_articles(instance.articles.values_list("pk", flat=True))


def policy_document_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        reindex_articles(
            ArticlePolicyDocument.objects.filter(policy_document=instance).values_list(
                "article_id", flat=True
            )
        )


def attachment_changed(sender, instance, raw=False, **kwargs):
    if not raw and Article.objects.filter(pk=instance.article_id).exists():
        reindex_articles([instance.article_id])


def article_relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed for tags and policy documents, from either side."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Article):
        reindex_articles([instance.pk])
    elif isinstance(instance, PolicyDocument):
        reindex_articles(instance.articles.values_list("pk", flat=True))
    elif action != "post_clear" and pk_set and kwargs.get("model") is Article:
        reindex_articles(pk_set)


def tag_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_articles(
            Article.objects.filter(tags=instance).values_list("pk", flat=True)
        )


def tagged_item_deleted(sender, instance, **kwargs):
    """A tag deleted outright removes its TaggedItems without an m2m_changed."""
    if instance.content_type.model_class() is Article:
        if Article.objects.filter(pk=instance.object_id).exists():
            reindex_articles([instance.object_id])


def articles_created_in_bulk(sender, pks, **kwargs):
    reindex_articles(pks)


# Connected here, beside the batch behaviour it belongs to, rather than with the
# model signals in SearchConfig.ready.
batching.created_in_bulk.connect(
    articles_created_in_bulk,
    sender=Article,
    dispatch_uid="search.articles_created_in_bulk",
)
