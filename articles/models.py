"""Reprinted items, where they came from, and the policy documents they attach."""

import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from bulletin.locking import VersionedModel
from bulletin.text import html_to_text, normalise_title, sanitize_html
from bulletin.validators import SafeUploadPath, validate_policy_file


class SourceQuerySet(models.QuerySet):
    def named(self, names) -> dict[str, "Source"]:
        """{key: source} for the sources named (by their name or an alias) by
        these names, already normalised; the key is the name in lower case, as
        `Source.name_key` makes it. One query for names and aliases alike; a name
        wins over an alias, and of two sources named alike, the older one."""
        keys = {Source.name_key(name) for name in names if name}
        if not keys:
            return {}
        rows = (
            self.annotate(name_key=Lower("name"), alias_key=Lower("aliases__name"))
            .filter(Q(name_key__in=keys) | Q(alias_key__in=keys))
            .order_by("-id")
        )
        by_name, by_alias = {}, {}
        for source in rows:
            # Newest first, so the oldest of two sources named alike is kept.
            if source.name_key in keys:
                by_name[source.name_key] = source
            if source.alias_key in keys:
                by_alias[source.alias_key] = source
        return by_alias | by_name

    def find_named(self, raw: str) -> "Source | None":
        """The source whose name or alias is this text, once normalised."""
        name, _kind = Source.normalise(raw)
        return self.named([name]).get(Source.name_key(name))


class Source(models.Model):
    """Where an item was reprinted from: 人民日报, 新华社, a WeChat account, a journal."""

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", _("newspaper")
        NEWS_AGENCY = "agency", _("news agency")
        WEBSITE = "website", _("website")
        WECHAT = "wechat", _("WeChat official account")
        JOURNAL = "journal", _("journal")
        ASSOCIATION = "association", _("association/institution")

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_(
            "A journal's name is written without title marks, e.g. “Jinrong Toushi”."
        ),
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.WEBSITE
    )
    homepage = models.URLField(_("homepage"), blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ("name",)

    def __str__(self):
        return f"《{self.name}》" if self.kind == self.Kind.JOURNAL else self.name

    @staticmethod
    def normalise(raw: str) -> tuple[str, str | None]:
        """("《金融透视》" -> ("金融透视", journal)); kind is None when the text gives no hint."""
        # Spaces are layout noise between Chinese characters but part of Latin
        # names such as "Berita Satu".
        name = re.sub(r"\s+", " ", raw or "").strip()
        name = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", name)
        if name.startswith("《") and name.endswith("》"):
            return name[1:-1], Source.Kind.JOURNAL
        return name, None

    @staticmethod
    def name_key(name: str) -> str:
        """A normalised name as names and aliases are compared: case aside."""
        return name.lower()

    def clean(self):
        super().clean()
        name = self.normalise(self.name)[0]
        SourceAlias.objects.named(name).exclude(source_id=self.pk).refuse(self.name)

    @classmethod
    def get_or_create_normalised(cls, raw: str) -> tuple["Source", bool]:
        """The source named so (by name or alias), or a new one."""
        name, kind = cls.normalise(raw)
        if not name:
            raise ValidationError(_("The name of a source cannot be empty."))
        found = cls.objects.find_named(name)
        if found is not None:
            return found, False
        return cls.objects.get_or_create(
            name=name, defaults={"kind": kind or cls.guess_kind(name)}
        )

    @classmethod
    def get_or_create_all_normalised(cls, raws) -> tuple[dict, list["Source"]]:
        """get_or_create_normalised for many names in one lookup and one insert:
        ({raw: source}, the sources created, in the order first named).

        The insert sends no post_save: a new source is cited by no item yet, so
        neither the index nor the freeze guard has anything to do; the caller
        invalidates the cache.
        """
        names = {}
        for raw in raws:
            name, kind = cls.normalise(raw)
            if not name:
                raise ValidationError(_("The name of a source cannot be empty."))
            names[raw] = (name, kind)
        # One query finds names and aliases alike, keyed by name_key.
        stored = cls.objects.named(name for name, _kind in names.values())
        new = {}
        for name, kind in names.values():
            key = cls.name_key(name)
            if key not in stored and key not in new:
                new[key] = cls(name=name, kind=kind or cls.guess_kind(name))
        if new:
            # Another import may store the same name meanwhile; either row serves.
            cls.objects.bulk_create(new.values(), ignore_conflicts=True)
            stored |= {
                cls.name_key(s.name): s
                for s in cls.objects.filter(name__in=[s.name for s in new.values()])
            }
        found = {
            raw: stored[cls.name_key(name)] for raw, (name, _kind) in names.items()
        }
        return found, [stored[key] for key in new]

    @classmethod
    def guess_kind(cls, name: str) -> str:
        if name.endswith(("社", "通讯")):
            return cls.Kind.NEWS_AGENCY
        if name.endswith(("日报", "报", "时报", "晚报")):
            return cls.Kind.NEWSPAPER
        if name.endswith(("协会", "学会", "联合会", "研究院", "中心")):
            return cls.Kind.ASSOCIATION
        return cls.Kind.WEBSITE


class SourceAliasQuerySet(models.QuerySet):
    def named(self, name: str):
        """The aliases written as name (normalised), case aside."""
        return self.annotate(key=Lower("name")).filter(key=Source.name_key(name))

    def refuse(self, name: str) -> None:
        """Refuse name for the form's name field if one of these aliases is taken."""
        taken = self.select_related("source").first()
        if taken is not None:
            raise ValidationError(
                {
                    "name": _(
                        "“%(name)s” is already an alias of the source %(source)s."
                    )
                    % {"name": name, "source": taken.source}
                }
            )


class SourceAlias(models.Model):
    """Another name an outlet goes by (新华网 for 新华社, a WeChat account's old
    name): collecting and importing find the source under it."""

    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("source"),
    )
    name = models.CharField(
        _("alias"),
        max_length=100,
        unique=True,
        help_text=_("Another name of the source, as pages and imports write it."),
    )

    objects = SourceAliasQuerySet.as_manager()

    class Meta:
        verbose_name = _("source alias")
        verbose_name_plural = _("source aliases")
        ordering = ("name",)

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.name = Source.normalise(self.name)[0]
        if not self.name:
            raise ValidationError({"name": _("The alias cannot be empty.")})
        key = Source.name_key(self.name)
        other = (
            Source.objects.annotate(key=Lower("name"))
            .filter(key=key)
            .exclude(pk=self.source_id)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "name": _(
                        "“%(name)s” is the name of another source, %(source)s: an "
                        "alias may not name another source."
                    )
                    % {"name": self.name, "source": other}
                }
            )
        SourceAlias.objects.named(self.name).exclude(pk=self.pk).refuse(self.name)


class PolicyDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What the user may see: documents a published item cites; editors, all
        (a document cited only by a draft is the draft's business)."""
        if user.has_perm("articles.change_article"):
            return self
        published = ArticlePolicyDocument.objects.filter(
            policy_document=OuterRef("pk"), article__issue__status="published"
        )
        return self.filter(Exists(published))


class PolicyDocument(models.Model):
    """A policy or report attached to items (附：《…》); one document, cited across issues."""

    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=SafeUploadPath("policy-documents"),
        blank=True,
        validators=[validate_policy_file],
        help_text=_("Optional: upload the original as a PDF or Word file."),
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    date = models.DateField(_("release date"), null=True, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = PolicyDocumentQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["title_key"],
        verbose_name=_("historical policy document"),
        verbose_name_plural=_("historical policy documents"),
    )

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"

    def __str__(self):
        return f"《{self.title}》"

    def save(self, *args, **kwargs):
        self.tidy()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:policy", kwargs={"pk": self.pk})

    def tidy(self) -> None:
        """What saving makes of the title; bulk inserts, which skip save(), call it."""
        self.title = re.sub(r"\s+", " ", self.title).strip().strip("《》")
        self.title_key = normalise_title(self.title)

    def citation(self) -> str:
        """The document as an item's 附 line cites it: title, number, body, link."""
        parts = [str(self), self.document_number, self.issuing_body, self.url]
        if self.file:
            parts.append(self.file.name.rsplit("/", 1)[-1])
        return " ".join(part for part in parts if part)

    @classmethod
    def find_existing(cls, title: str):
        """The document already on file under the same normalised title.

        A link alone does not identify one: issues print two documents under one
        link (the sample's 文汇报 item), so a different title is another document.
        """
        return (
            cls.objects.filter(title_key=normalise_title(title)).order_by("id").first()
        )

    @classmethod
    def find_all_existing(cls, titles) -> dict[str, "PolicyDocument"]:
        """find_existing for many titles in one query: {title: document} for
        those on file."""
        keys = {title: normalise_title(title) for title in titles}
        first = {}
        for document in cls.objects.filter(title_key__in=set(keys.values())).order_by(
            "id"
        ):
            first.setdefault(document.title_key, document)
        return {title: first[key] for title, key in keys.items() if key in first}


class ArticleQuerySet(models.QuerySet):
    def in_pool(self):
        """Collected items not yet placed in any issue."""
        return self.filter(issue__isnull=True)

    def in_print_order(self):
        """Ordered by the section's place in its issue, then by position within it.

        The section order is the issue's (issues.IssueSection), named by label as
        the item's own foreign keys name the issue and section: articles stay
        below issues."""
        IssueSection = apps.get_model("issues", "IssueSection")
        section_position = IssueSection.objects.filter(
            issue_id=OuterRef("issue_id"), section_id=OuterRef("section_id")
        ).values("position")[:1]
        return self.annotate(section_position=Subquery(section_position)).order_by(
            "issue_id", F("section_position").asc(nulls_last=True), "position", "id"
        )

    def published(self):
        return self.filter(issue__status="published")

    def with_reading_details(self):
        """What an article page shows besides the article: attachments, tags, corrections."""
        return self.prefetch_related(
            Prefetch(
                "attachments",
                queryset=ArticlePolicyDocument.objects.select_related(
                    "policy_document"
                ),
            ),
            "tags",
            "corrections",
        )

    def for_reading(self):
        return self.select_related(
            "source", "section", "issue__publication"
        ).with_reading_details()

    def for_facts(self):
        """Everything `reader_facts` reads, in four queries whatever the count."""
        return self.select_related("source", "section", "issue").prefetch_related(
            Prefetch(
                "attachments",
                queryset=ArticlePolicyDocument.objects.select_related(
                    "policy_document"
                ),
            ),
            "tags",
        )

    def for_listing(self):
        """Newest issues first, print order within an issue; one query per page."""
        return self.select_related("issue", "section", "source").order_by(
            "-issue__year", "-issue__number", "position", "id"
        )

    def repeats_of(self, article):
        """Items in other issues with the same original link or the same title."""
        conditions = Q()
        if article.original_url:
            conditions |= Q(original_url=article.original_url)
        if article.title_key:
            conditions |= Q(title_key=article.title_key)
        if not conditions:
            return self.none()
        others = self.filter(conditions, issue__isnull=False).exclude(pk=article.pk)
        if article.issue_id:
            others = others.exclude(issue_id=article.issue_id)
        return others.select_related("issue")


class Article(VersionedModel):
    """One reprinted item: news, research paper, ranking or book recommendation."""

    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        RESEARCH = "research", _("research article")
        RANKING = "ranking", _("ranking")
        BOOK = "book", _("book recommendation")

    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("issue"),
        help_text=_(
            "Leave empty to keep the item in the pool and place it in an issue later."
        ),
    )
    section = models.ForeignKey(
        "issues.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("section"),
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.NEWS
    )
    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    needs_review = models.BooleanField(
        _("title to be checked"),
        default=False,
        help_text=_(
            "A title made up on import needs an editor's check; untick this once it "
            "is checked."
        ),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Rich text; unsafe markup is removed on saving."),
    )
    abstract = models.TextField(_("abstract"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Separate with commas.")
    )
    tags = TaggableManager(_("tags"), blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("source"),
    )
    source_date = models.DateField(_("source date"), null=True, blank=True)
    original_url = models.URLField(
        _("original link"), max_length=500, blank=True, db_index=True
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    print_page = models.PositiveSmallIntegerField(
        _("printed page"), null=True, blank=True
    )
    policy_documents = models.ManyToManyField(
        PolicyDocument,
        through="ArticlePolicyDocument",
        related_name="articles",
        blank=True,
        verbose_name=_("attached policy documents"),
    )
    book_title = models.CharField(_("book title"), max_length=200, blank=True)
    book_author = models.CharField(_("book author"), max_length=200, blank=True)
    book_publisher = models.CharField(_("book publisher"), max_length=200, blank=True)
    book_publication_date = models.CharField(
        _("publication date"), max_length=10, blank=True, help_text=_("E.g. 2020-08.")
    )
    book_summary = models.TextField(_("book summary"), blank=True)
    book_reason = models.TextField(_("reason for recommending"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at", "title_key"],
        verbose_name=_("historical item"),
        verbose_name_plural=_("historical items"),
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ("issue_id", "position", "id")
        permissions = [("correct_article", _("Can correct published items"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(issue__isnull=False) | Q(section__isnull=True),
                name="articles_article_section_needs_issue",
                violation_error_message=_("An item in the pool cannot have a section."),
            ),
        ]
        indexes = [models.Index(fields=["source_date"], name="article_source_date_idx")]

    def __str__(self):
        return self.title

    def leave_issue(self) -> None:
        """Take the item out of its issue, back to the pool of candidates."""
        self.issue, self.section, self.position = None, None, 0
        self.save(update_fields=["issue", "section", "position", "updated_at"])

    def save(self, *args, **kwargs):
        self.tidy()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "title_key", "body"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.issue_id is None:
            return ""
        return reverse(
            "issues:article",
            kwargs={
                "year": self.issue.year,
                "number": self.issue.number,
                "pk": self.pk,
            },
        )

    def tidy(self) -> None:
        """What saving makes of body and title; bulk inserts, which skip save(),
        call it."""
        self.body = sanitize_html(self.body)
        self.title = self.title.strip()
        self.title_key = normalise_title(self.title)

    def clean(self):
        super().clean()
        errors = {}
        if self.section_id and self.issue_id:
            if self.section.publication_id != self.issue.publication_id:
                errors["section"] = _(
                    "The section must belong to the issue's publication."
                )
        if self.book_publication_date and not re.fullmatch(
            r"\d{4}(-\d{2}){0,2}", self.book_publication_date
        ):
            errors["book_publication_date"] = _(
                "Write the publication date as 2020 or 2020-08."
            )
        if self.kind == self.Kind.BOOK and not self.book_title:
            errors["book_title"] = _("A book recommendation needs the book's title.")
        if errors:
            raise ValidationError(errors)

    def neighbours(self) -> tuple["Article | None", "Article | None"]:
        """The previous and next items of the same issue, in print order (one query)."""
        if self.issue_id is None:
            return None, None
        ordered = list(
            Article.objects.filter(issue_id=self.issue_id)
            .in_print_order()
            .only("id", "title", "issue_id")
        )
        index = next(i for i, a in enumerate(ordered) if a.pk == self.pk)
        previous_article = ordered[index - 1] if index > 0 else None
        next_article = ordered[index + 1] if index + 1 < len(ordered) else None
        for neighbour in (previous_article, next_article):
            if neighbour is not None:
                neighbour.issue = self.issue
        return previous_article, next_article

    def reader_facts(self) -> dict[str, str]:
        """What a reader sees of this item, field by field, as plain text.

        Corrections compare these before and after a change, so every field a
        published page shows is here (and nothing it does not show).
        """
        facts = {
            _("Section"): self.section.name if self.section_id else "",
            _("Position"): str(self.position),
            _("Type"): self.get_kind_display(),
            _("Title"): self.title,
            _("Source"): str(self.source) if self.source_id else "",
            _("Source date"): self.source_date.isoformat() if self.source_date else "",
            _("Original link"): self.original_url,
            _("Author"): self.author,
            _("Abstract"): self.abstract,
            _("Keywords"): self.keywords,
            _("Body"): html_to_text(self.body),
            _("Book title"): self.book_title,
            _("Book author"): self.book_author,
            _("Book publisher"): self.book_publisher,
            _("Publication date"): self.book_publication_date,
            _("Book summary"): self.book_summary,
            _("Reason for recommending"): self.book_reason,
            _("Attachments"): "\n".join(
                link.policy_document.citation() for link in self.attachments.all()
            ),
            _("Tags"): "、".join(sorted(tag.name for tag in self.tags.all())),
        }
        return {str(label): value for label, value in facts.items()}

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in re.split(r"[,，;；、]", self.keywords) if k.strip()]

    @property
    def is_book(self) -> bool:
        """A book recommendation: shown and printed as its book block."""
        return self.kind == self.Kind.BOOK

    @property
    def is_published(self) -> bool:
        """This reads self.issue: a query unless the issue is already loaded."""
        return self.issue_id is not None and self.issue.is_published


class ArticlePolicyDocument(models.Model):
    """A policy document attached to an article, at its place in the 附 list."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("item"),
    )
    policy_document = models.ForeignKey(
        PolicyDocument,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("policy document"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "policy_document"],
                name="articles_attachment_unique",
                violation_error_message=_(
                    "The same document cannot be attached to an item twice."
                ),
            )
        ]

    def __str__(self):
        return str(self.policy_document)


class CorrectionQuerySet(models.QuerySet):
    def shown_with_issue(self):
        """What the issue's own pages show: corrections of the issue itself and
        of items taken out of it, which have no page there any more."""
        return self.filter(
            models.Q(article=None) | ~models.Q(article__issue=models.F("issue"))
        )


class Correction(models.Model):
    """A recorded change to a published issue, shown to readers as 更正.

    An item's correction names the item; a correction of the issue itself (its
    masthead, board, cover, section names) has no item. `changes` lists each field
    readers see that changed, with its text before and after.
    """

    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("issue"),
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("item"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    reason = models.TextField(_("reason for the correction"))
    changes = models.JSONField(
        _("changes"),
        default=list,
        help_text=_("Each entry: the field, its text before and after."),
    )
    created_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"

    def __str__(self):
        target = self.article or self.issue
        return f"{target}：{self.reason[:30]}"

    @property
    def fields_display(self) -> str:
        return "、".join(change["field"] for change in self.changes)
