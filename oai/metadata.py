"""What a record says: unqualified Dublin Core (oai_dc) of a published item or
issue, read from the one citation definition (issues/citations.py)."""

from django.db.models import Prefetch
from lxml import etree

from articles.models import Article, ArticlePolicyDocument
from issues import citations
from issues.models import Issue, Publication, Section
from oai.models import Record
from oai.records import spec_part

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# prefix: (schema, namespace)
FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)}


def sets() -> list[tuple[str, str]]:
    """(setSpec, setName) of every publication, section and year with published
    records (three queries)."""
    published = Record.objects.filter(deleted=False)
    found = {}
    for publication in Publication.objects.filter(
        pk__in=Issue.objects.published().values("publication_id")
    ).order_by("pk"):
        spec = f"publication:{spec_part(publication.slug, publication.pk)}"
        found.setdefault(spec, publication.name)
    for section in (
        Section.objects.filter(articles__issue__status=Issue.Status.PUBLISHED)
        .distinct()
        .order_by("publication_id", "default_position", "pk")
    ):
        spec = f"section:{spec_part(section.slug, section.pk)}"
        found.setdefault(spec, section.name)
    years = published.values_list("year", flat=True).distinct().order_by("year")
    for year in years:
        found.setdefault(f"year:{year}", str(year))
    return list(found.items())


def load(records: list[Record]) -> dict:
    """{(kind, pk): item or issue} of the records still published, in a fixed
    number of queries (items: one, their tags and attachments one each;
    issues: one)."""
    wanted = {kind: [] for kind in Record.Kind.values}
    for record in records:
        if not record.deleted:
            wanted[record.kind].append(record.object_id)
    found = {}
    if wanted[Record.Kind.ITEM]:
        articles = (
            Article.objects.published()
            .filter(pk__in=wanted[Record.Kind.ITEM])
            .select_related("issue__publication", "source", "section")
            .prefetch_related(
                "tags",
                Prefetch(
                    "attachments",
                    queryset=ArticlePolicyDocument.objects.select_related(
                        "policy_document"
                    ).order_by("position", "pk"),
                ),
            )
        )
        found |= {(Record.Kind.ITEM, a.pk): a for a in articles}
    if wanted[Record.Kind.ISSUE]:
        issues = (
            Issue.objects.published()
            .filter(pk__in=wanted[Record.Kind.ISSUE])
            .select_related("publication")
        )
        found |= {(Record.Kind.ISSUE, i.pk): i for i in issues}
    return found


def oai_dc(kind: str, target) -> etree._Element:
    root = etree.Element(
        f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'][0]}")

    def add(name: str, value) -> None:
        if value:
            etree.SubElement(root, f"{{{DC}}}{name}").text = str(value)

    if kind == Record.Kind.ITEM:
        article = target
        citation = citations.for_article(article)
        add("title", citation.title)
        creators = list(citation.authors)
        if article.source_id and article.source.name not in creators:
            creators.append(article.source.name)  # the outlet it was reprinted from
        for creator in creators:
            add("creator", creator)
        subjects = dict.fromkeys(
            [*citation.keywords, *sorted(tag.name for tag in article.tags.all())]
        )
        for subject in subjects:
            add("subject", subject)
        add("description", citation.abstract)
        add("publisher", citation.publisher)
        add("date", article.source_date and article.source_date.isoformat())
        add("date", citation.issue_date and citation.issue_date.isoformat())  # issued
        add("type", "Text")
        add("identifier", citation.permanent_url)
        add("source", article.original_url)
        add("language", citations.LANGUAGE)
        add("relation", citations.absolute(article.issue.get_absolute_url()))
        for attachment in article.attachments.all():
            document = attachment.policy_document
            add("relation", citations.absolute(document.get_absolute_url()))
    else:
        citation = citations.for_issue(target)
        add("title", citation.title)
        for creator in citation.authors:
            add("creator", creator)
        add("publisher", citation.publisher)
        add("date", citation.issue_date and citation.issue_date.isoformat())
        add("type", "Text")
        add("identifier", citation.permanent_url)
        add("language", citations.LANGUAGE)
    return root
