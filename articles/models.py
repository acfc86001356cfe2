"""Reprinted items, where they came from, and the policy documents they attach."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from bulletin.locking import VersionedModel
from bulletin.text import html_to_text, normalise_title, sanitize_html
from bulletin.validators import SafeUploadPath, validate_policy_file


class Source(models.Model):
    """Where an item was reprinted from: 人民日报, 新华社, a WeChat account, a journal."""

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", _("报纸")
        NEWS_AGENCY = "agency", _("通讯社")
        WEBSITE = "website", _("网站")
        WECHAT = "wechat", _("微信公众号")
        JOURNAL = "journal", _("期刊")
        ASSOCIATION = "association", _("协会/机构")

    name = models.CharField(
        _("名称"),
        max_length=100,
        unique=True,
        help_text=_("期刊名不带书名号，如“金融透视”。"),
    )
    kind = models.CharField(
        _("类型"), max_length=20, choices=Kind.choices, default=Kind.WEBSITE
    )
    homepage = models.URLField(_("主页"), blank=True)

    class Meta:
        verbose_name = _("来源")
        verbose_name_plural = _("来源")
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

    @classmethod
    def get_or_create_normalised(cls, raw: str) -> tuple["Source", bool]:
        name, kind = cls.normalise(raw)
        if not name:
            raise ValidationError(_("来源名称不能为空。"))
        return cls.objects.get_or_create(
            name=name, defaults={"kind": kind or cls.guess_kind(name)}
        )

    @classmethod
    def guess_kind(cls, name: str) -> str:
        if name.endswith(("社", "通讯")):
            return cls.Kind.NEWS_AGENCY
        if name.endswith(("日报", "报", "时报", "晚报")):
            return cls.Kind.NEWSPAPER
        if name.endswith(("协会", "学会", "联合会", "研究院", "中心")):
            return cls.Kind.ASSOCIATION
        return cls.Kind.WEBSITE


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

    title = models.CharField(_("标题"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    url = models.URLField(_("链接"), max_length=500, blank=True)
    file = models.FileField(
        _("文件"),
        upload_to=SafeUploadPath("policy-documents"),
        blank=True,
        validators=[validate_policy_file],
        help_text=_("可选：上传 PDF 或 Word 原文。"),
    )
    issuing_body = models.CharField(_("发文机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    date = models.DateField(_("发布日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("收录时间"), auto_now_add=True)

    objects = PolicyDocumentQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["title_key"],
        verbose_name=_("政策文件历史版本"),
        verbose_name_plural=_("政策文件历史版本"),
    )

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"

    def __str__(self):
        return f"《{self.title}》"

    def save(self, *args, **kwargs):
        self.title = re.sub(r"\s+", " ", self.title).strip().strip("《》")
        self.title_key = normalise_title(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:policy", kwargs={"pk": self.pk})

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


class ArticleQuerySet(models.QuerySet):
    def in_pool(self):
        """Collected items not yet placed in any issue."""
        return self.filter(issue__isnull=True)

    def in_print_order(self):
        """Ordered by the section's place in its issue, then by position within it."""
        from issues.models import IssueSection

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
        NEWS = "news", _("新闻")
        RESEARCH = "research", _("研究文章")
        RANKING = "ranking", _("排行榜")
        BOOK = "book", _("图书推荐")

    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("期刊"),
        help_text=_("留空则留在候选库中，以后再编入某一期。"),
    )
    section = models.ForeignKey(
        "issues.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("栏目"),
    )
    position = models.PositiveIntegerField(_("顺序"), default=0, db_index=True)
    kind = models.CharField(
        _("类型"), max_length=20, choices=Kind.choices, default=Kind.NEWS
    )
    title = models.CharField(_("标题"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    needs_review = models.BooleanField(
        _("标题待核"),
        default=False,
        help_text=_("导入时自动生成的标题需编辑核对；核对后取消勾选。"),
    )
    body = models.TextField(
        _("正文"), blank=True, help_text=_("富文本；保存时会清除不安全的标记。")
    )
    abstract = models.TextField(_("摘要"), blank=True)
    keywords = models.CharField(
        _("关键词"), max_length=300, blank=True, help_text=_("用逗号分隔。")
    )
    tags = TaggableManager(_("标签"), blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("来源"),
    )
    source_date = models.DateField(_("来源日期"), null=True, blank=True)
    original_url = models.URLField(
        _("原文链接"), max_length=500, blank=True, db_index=True
    )
    author = models.CharField(_("作者"), max_length=200, blank=True)
    print_page = models.PositiveSmallIntegerField(_("印刷页码"), null=True, blank=True)
    policy_documents = models.ManyToManyField(
        PolicyDocument,
        through="ArticlePolicyDocument",
        related_name="articles",
        blank=True,
        verbose_name=_("附件政策文件"),
    )
    book_title = models.CharField(_("书名"), max_length=200, blank=True)
    book_author = models.CharField(_("著者"), max_length=200, blank=True)
    book_publisher = models.CharField(_("出版社"), max_length=200, blank=True)
    book_publication_date = models.CharField(
        _("出版日期"), max_length=10, blank=True, help_text=_("如 2020-08。")
    )
    book_summary = models.TextField(_("内容简介"), blank=True)
    book_reason = models.TextField(_("推荐理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at", "title_key"],
        verbose_name=_("条目历史版本"),
        verbose_name_plural=_("条目历史版本"),
    )

    class Meta:
        verbose_name = _("条目")
        verbose_name_plural = _("条目")
        ordering = ("issue_id", "position", "id")
        permissions = [("correct_article", _("可更正已发布的条目"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(issue__isnull=False) | Q(section__isnull=True),
                name="articles_article_section_needs_issue",
                violation_error_message=_("候选库中的条目不能指定栏目。"),
            ),
        ]
        indexes = [models.Index(fields=["source_date"], name="article_source_date_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.title = self.title.strip()
        self.title_key = normalise_title(self.title)
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

    def clean(self):
        super().clean()
        errors = {}
        if self.section_id and self.issue_id:
            if self.section.publication_id != self.issue.publication_id:
                errors["section"] = _("栏目必须属于本期的刊物。")
        if self.book_publication_date and not re.fullmatch(
            r"\d{4}(-\d{2}){0,2}", self.book_publication_date
        ):
            errors["book_publication_date"] = _("出版日期格式应为 2020 或 2020-08。")
        if self.kind == self.Kind.BOOK and not self.book_title:
            errors["book_title"] = _("图书推荐必须填写书名。")
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
            _("栏目"): self.section.name if self.section_id else "",
            _("顺序"): str(self.position),
            _("类型"): self.get_kind_display(),
            _("标题"): self.title,
            _("来源"): str(self.source) if self.source_id else "",
            _("来源日期"): self.source_date.isoformat() if self.source_date else "",
            _("原文链接"): self.original_url,
            _("作者"): self.author,
            _("摘要"): self.abstract,
            _("关键词"): self.keywords,
            _("正文"): html_to_text(self.body),
            _("书名"): self.book_title,
            _("著者"): self.book_author,
            _("出版社"): self.book_publisher,
            _("出版日期"): self.book_publication_date,
            _("内容简介"): self.book_summary,
            _("推荐理由"): self.book_reason,
            _("附件"): "\n".join(
                link.policy_document.citation() for link in self.attachments.all()
            ),
            _("标签"): "、".join(sorted(tag.name for tag in self.tags.all())),
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
        verbose_name=_("条目"),
    )
    policy_document = models.ForeignKey(
        PolicyDocument,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("政策文件"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "policy_document"],
                name="articles_attachment_unique",
                violation_error_message=_("同一文件不能重复附在一个条目上。"),
            )
        ]

    def __str__(self):
        return str(self.policy_document)


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
        verbose_name=_("期刊"),
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("条目"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("更正人"),
    )
    reason = models.TextField(_("更正说明"))
    changes = models.JSONField(
        _("更正内容"),
        default=list,
        help_text=_("每项：字段、更正前、更正后。"),
    )
    created_at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("更正")
        verbose_name_plural = _("更正")
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"

    def __str__(self):
        target = self.article or self.issue
        return f"{target}：{self.reason[:30]}"

    @property
    def fields_display(self) -> str:
        return "、".join(change["field"] for change in self.changes)
