"""Publications, their section catalogue, issues and the issue workflow's records."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.models import Article
from bulletin import caching
from bulletin.locking import VersionedModel
from bulletin.text import cumulative_label, issue_label
from bulletin.validators import SafeUploadPath, validate_cover_image


class Publication(models.Model):
    """A periodical such as 信息摘编, with the masthead facts printed on every issue."""

    name = models.CharField(_("publication name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("URL slug"), max_length=50, unique=True, allow_unicode=True
    )
    publisher = models.CharField(_("issuing organization"), max_length=200)
    phones = models.TextField(
        _("phone numbers"), blank=True, help_text=_("One number per line.")
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    separate_duties = models.BooleanField(
        _("separate submission and sign-off"),
        default=True,
        help_text=_(
            "When checked, whoever submits an issue for review cannot also sign it "
            "off (the four-eyes principle). An office with a single editor may "
            "uncheck it."
        ),
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ("name",)

    def __str__(self):
        return self.name

    @property
    def phone_list(self) -> list[str]:
        return [line.strip() for line in self.phones.splitlines() if line.strip()]

    def template_sections(self):
        """The sections a new issue starts with, in their default order."""
        return self.sections.filter(in_template=True).order_by("default_position", "id")

    def add_standard_sections(self) -> None:
        """Give the publication the digest's standard columns it does not have yet.

        One lookup and one insert, which sends no post_save: a new column is in
        no issue, so the freeze guard has nothing to check; the cache version is
        renewed here.
        """
        from issues.catalogue import STANDARD_SECTIONS

        stored = set(self.sections.values_list("name", flat=True))
        missing = [
            Section(
                publication=self,
                name=name,
                slug=slugify(name, allow_unicode=True),
                default_position=position,
                default_kind=kind,
            )
            for position, (name, kind) in enumerate(STANDARD_SECTIONS)
            if name not in stored
        ]
        if missing:
            Section.objects.bulk_create(missing)
            caching.invalidate()


class Section(models.Model):
    """A column of the publication (热点关注, 国研专稿 …); issues pick from this catalogue."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("publication"),
    )
    name = models.CharField(_("section name"), max_length=50)
    slug = models.SlugField(_("URL slug"), max_length=50, allow_unicode=True)
    default_position = models.PositiveSmallIntegerField(
        _("default position"),
        default=0,
        help_text=_("New issues list their sections in this order."),
    )
    in_template = models.BooleanField(
        _("included in new issues"),
        default=True,
        help_text=_("Whether a new issue gets this section automatically."),
    )
    default_kind = models.CharField(
        _("default item type"),
        max_length=20,
        choices=Article.Kind.choices,
        default=Article.Kind.NEWS,
        help_text=_("The type an item created in this section gets by default."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ("publication", "default_position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "name"], name="issues_section_unique_name"
            ),
            models.UniqueConstraint(
                fields=["publication", "slug"], name="issues_section_unique_slug"
            ),
        ]

    def __str__(self):
        return self.name


class IssueQuerySet(models.QuerySet):
    def published_q(self):
        return Q(status=Issue.Status.PUBLISHED)

    def published(self):
        """Issues staff may read."""
        return self.filter(self.published_q())

    def unpublished(self):
        return self.exclude(self.published_q())

    def frozen(self):
        """Issues whose content no ordinary edit may change: signed off or published."""
        return self.filter(status__in=Issue.FROZEN_STATUSES)

    def with_masthead(self):
        """Everything a masthead shows, fetched in two queries."""
        return self.select_related("publication").prefetch_related("board_members")


# A monthly digest; a publication whose earlier years had fewer issues wraps sooner.
ISSUES_PER_YEAR = 12


class Issue(VersionedModel):
    """One numbered issue of a publication, and the state of its workflow."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being edited")
        IN_REVIEW = "review", _("Awaiting review")
        APPROVED = "approved", _("Signed off")
        PUBLISHED = "published", _("Published")

    # Signed off: only sending it back reopens it. Published: only corrections.
    FROZEN_STATUSES = (Status.APPROVED, Status.PUBLISHED)

    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("publication"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("issue number"), help_text=_("The issue's number within its year.")
    )
    cumulative_number = models.PositiveIntegerField(
        _("cumulative number"),
        help_text=_("The issue's number counted over all years."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    publish_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("If empty at publication, the day's date is filled in."),
    )
    cover = models.ImageField(
        _("cover image"),
        upload_to=SafeUploadPath("covers"),
        blank=True,
        validators=[validate_cover_image],
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    sections = models.ManyToManyField(
        Section,
        through="IssueSection",
        related_name="issues",
        verbose_name=_("section"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        verbose_name=_("historical issue"),
        verbose_name_plural=_("historical issues"),
    )

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ("-year", "-number")
        get_latest_by = ("year", "number")
        permissions = [
            ("approve_issue", _("Can review issues (sign off, send back)")),
            ("publish_issue", _("Can publish and unpublish issues")),
            ("import_issue", _("Can import back issues")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "year", "number"],
                name="issues_issue_unique_year_number",
                violation_error_message=_(
                    "This publication already has this issue number in that year."
                ),
            ),
            models.UniqueConstraint(
                fields=["publication", "cumulative_number"],
                name="issues_issue_unique_cumulative_number",
                violation_error_message=_(
                    "This publication already has this cumulative number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="issues_issue_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(cumulative_number__gte=1),
                name="issues_issue_numbers_positive",
                violation_error_message=_(
                    "Issue numbers and cumulative numbers start at 1."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-year", "-number"], name="issue_status_idx")
        ]

    def __str__(self):
        return issue_label(self.year, self.number)

    def get_absolute_url(self):
        return reverse(
            "issues:detail", kwargs={"year": self.year, "number": self.number}
        )

    def save(self, *args, **kwargs):
        """Keep every address the issue had: an old one answers 301 to the new."""
        previous = None
        if not self._state.adding and self.pk is not None:
            previous = (
                Issue._base_manager.filter(pk=self.pk)
                .values("publication_id", "year", "number")
                .first()
            )
        super().save(*args, **kwargs)
        here = {
            "publication_id": self.publication_id,
            "year": self.year,
            "number": self.number,
        }
        if previous and previous != here:
            IssueAddress.objects.filter(**here).delete()
            IssueAddress.objects.update_or_create(**previous, defaults={"issue": self})

    def clean(self):
        super().clean()
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            raise ValidationError(
                {"period_end": _("The period cannot end before it starts.")}
            )

    @property
    def masthead_number(self) -> str:
        """ "2023 年 第八期（总第二十六期）" as printed on the cover."""
        return self.printed_number + self.printed_cumulative_number

    @property
    def printed_number(self) -> str:
        return issue_label(self.year, self.number, printed=True)

    @property
    def printed_cumulative_number(self) -> str:
        return cumulative_label(self.cumulative_number)

    @property
    def period_display(self) -> str:
        return f"{self.period_start:%Y.%m.%d}-{self.period_end:%Y.%m.%d}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_frozen(self) -> bool:
        """Signed off or published: what readers will see or see is fixed."""
        return self.status in self.FROZEN_STATUSES

    @property
    def is_locked_for_editors(self) -> bool:
        """Signed-off and published issues are read-only (corrections aside)."""
        return self.is_frozen

    def reader_facts(self) -> dict[str, str]:
        """What a reader sees of the issue itself (masthead, board, cover, sections),
        field by field; corrections compare these before and after a change."""
        publication = self.publication
        board = "；".join(
            f"{member.get_role_display()}：{member.name}"
            for member in self.board_members.all()
        )
        facts = {
            _("publication name"): publication.name,
            _("issuing organization"): publication.publisher,
            _("phone numbers"): "、".join(publication.phone_list),
            _("website"): publication.website,
            _("email"): publication.email,
            _("address"): publication.address,
            _("issue number"): self.masthead_number,
            _("period covered"): self.period_display,
            _("publication date"): self.publish_date.isoformat()
            if self.publish_date
            else "",
            _("cover"): self.cover.name.rsplit("/", 1)[-1] if self.cover else "",
            _("editorial board"): board,
            _("sections"): "、".join(s.name for s in self.ordered_sections()),
        }
        return {str(label): value for label, value in facts.items()}

    def apply_section_template(self) -> None:
        """Give a new issue the publication's template sections, in their default order."""
        template = self.publication.template_sections()
        existing = set(self.section_links.values_list("section_id", flat=True))
        IssueSection.objects.bulk_create(
            IssueSection(issue=self, section=section, position=position)
            for position, section in enumerate(template)
            if section.pk not in existing
        )

    def remove_section(self, section: Section, *, move_items_to=None) -> None:
        """Take a section out of this issue without stranding its items: they
        go to the end of `move_items_to` (another section of the issue) or,
        when it is None, back to the pool."""
        items = self.articles.filter(section=section).order_by("position", "id")
        start = (self.articles.aggregate(m=Max("position"))["m"] or 0) + 1
        for offset, article in enumerate(items):
            if move_items_to is None:
                article.leave_issue()
            else:
                article.section, article.position = move_items_to, start + offset
                article.save(update_fields=["section", "position", "updated_at"])
        self.section_links.filter(section=section).delete()

    def ordered_sections(self):
        """Sections of this issue in the issue's own order (one query)."""
        return Section.objects.filter(issue_links__issue=self).order_by(
            "issue_links__position", "issue_links__id"
        )

    def table_of_contents(self, *, with_reading_details: bool = False):
        """[(section, [articles…]), …] in print order; two queries.

        Sections with no article still appear, so editors see the gap. With
        reading details, attachments, tags and corrections come along (four more
        queries, whatever the issue's size).
        """
        sections = list(self.ordered_sections())
        by_section = {section.pk: [] for section in sections}
        unplaced = []
        articles = self.articles.in_print_order().select_related("source")
        if with_reading_details:
            articles = articles.with_reading_details()
        for article in articles:
            by_section.get(article.section_id, unplaced).append(article)
        toc = [(section, by_section[section.pk]) for section in sections]
        if unplaced:
            toc.append((None, unplaced))
        return toc

    @classmethod
    def suggest_next(cls, publication: Publication, today: datetime.date | None = None):
        """Year, number, cumulative number and period for the publication's next issue.

        The sequence follows the latest issue, not the calendar (a back issue
        compiled late is still the next number): the number after the latest,
        in its year, until that year has as many issues as the fullest earlier
        year (12 for a monthly) when it wraps to number one of the next year.
        The period starts the day after the latest one ends. Starting a new year
        early, or skipping a number, is the editor's deliberate choice: the issue
        form asks to confirm what numbering_warnings finds.
        """
        issues = cls.objects.filter(publication=publication)
        latest = issues.order_by("-year", "-number").first()
        if latest is None:
            today = today or timezone.localdate()
            return {"year": today.year, "number": 1, "cumulative_number": 1}
        per_year = cls.issues_per_year(publication, before=latest.year)
        latest_cumulative = issues.aggregate(m=Max("cumulative_number"))["m"]
        year, number = latest.year, latest.number + 1
        if latest.number >= per_year:
            year, number = latest.year + 1, 1
        start = latest.period_end + datetime.timedelta(days=1)
        return {
            "year": year,
            "number": number,
            "cumulative_number": latest_cumulative + 1,
            "period_start": start,
            "period_end": _add_month(start) - datetime.timedelta(days=1),
        }

    @classmethod
    def issues_per_year(cls, publication: Publication, *, before: int) -> int:
        """How many issues make the publication's year: the fullest year before
        `before`, or ISSUES_PER_YEAR while there is none."""
        fullest = cls.objects.filter(
            publication=publication, year__lt=before
        ).aggregate(m=Max("number"))["m"]
        return fullest or ISSUES_PER_YEAR

    def board(self) -> list[tuple[str, str]]:
        """(role, name) of the editorial board, in masthead order."""
        return list(
            self.board_members.order_by("role", "position", "id").values_list(
                "role", "name"
            )
        )

    def numbering_warnings(self) -> list[str]:
        """Gaps in the numbering that are allowed but probably a typing mistake."""
        warnings = []
        siblings = Issue.objects.filter(publication_id=self.publication_id).exclude(
            pk=self.pk
        )
        previous_in_year = siblings.filter(
            year=self.year, number__lt=self.number
        ).aggregate(m=Max("number"))["m"]
        # The first issue on record may have any number (the archive can start
        # mid-year); after that, each year runs from one.
        expected = (previous_in_year or 0) + 1
        follows_a_record = (
            previous_in_year is not None or siblings.filter(year__lt=self.year).exists()
        )
        if (
            follows_a_record
            and self.number != expected
            and not siblings.filter(year=self.year, number__gt=self.number).exists()
        ):
            warnings.append(
                _(
                    "The numbering of %(year)s has a gap: the previous issue is no. %(prev)s, "
                    "this one is no. %(num)s."
                )
                % {"year": self.year, "prev": previous_in_year or 0, "num": self.number}
            )
        if self.number == 1:
            last_year_count = siblings.filter(year=self.year - 1).aggregate(
                m=Max("number")
            )["m"]
            per_year = Issue.issues_per_year(self.publication, before=self.year - 1)
            if last_year_count and last_year_count < per_year:
                warnings.append(
                    _(
                        "A new year starts early: %(prev_year)s has only %(count)s of "
                        "its %(per_year)s issues."
                    )
                    % {
                        "prev_year": self.year - 1,
                        "count": last_year_count,
                        "per_year": per_year,
                    }
                )
        previous_cumulative = siblings.filter(
            cumulative_number__lt=self.cumulative_number
        ).aggregate(m=Max("cumulative_number"))["m"]
        if (
            previous_cumulative is not None
            and self.cumulative_number != previous_cumulative + 1
            and not siblings.filter(
                cumulative_number__gt=self.cumulative_number
            ).exists()
        ):
            warnings.append(
                _(
                    "The cumulative numbering has a gap: the previous issue is cumulative no. %(prev)s, this one is cumulative no. %(num)s."
                )
                % {"prev": previous_cumulative, "num": self.cumulative_number}
            )
        return warnings


def _add_month(day: datetime.date) -> datetime.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class IssueAddress(models.Model):
    """An address (year, number) an issue had before it was renumbered."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("publication"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("issue number"))
    issue = models.ForeignKey(
        "Issue",
        on_delete=models.CASCADE,
        related_name="former_addresses",
        verbose_name=_("issue"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "year", "number"],
                name="issues_issueaddress_unique",
            )
        ]

    def __str__(self):
        return f"{self.year}/{self.number} → {self.issue}"


class IssueSection(models.Model):
    """A section used by an issue, at its place in that issue's order."""

    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        related_name="section_links",
        verbose_name=_("issue"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="issue_links",
        verbose_name=_("section"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)

    class Meta:
        verbose_name = _("issue section")
        verbose_name_plural = _("issue sections")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "section"],
                name="issues_issuesection_unique",
                violation_error_message=_("This section is already in the issue."),
            )
        ]

    def __str__(self):
        return str(self.section)

    def clean(self):
        super().clean()
        if (
            self.issue_id
            and self.section_id
            and self.section.publication_id != self.issue.publication_id
        ):
            raise ValidationError(
                {"section": _("The section must belong to the issue's publication.")}
            )


class BoardMember(models.Model):
    """A name on the issue's editorial board (主编, 副主编), in printed order."""

    class Role(models.TextChoices):
        CHIEF_EDITOR = "chief", _("Chief editor")
        DEPUTY_EDITOR = "deputy", _("Deputy editor")

    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        related_name="board_members",
        verbose_name=_("issue"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("full name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        ordering = ("role", "position", "id")

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"


class IssueTransition(models.Model):
    """One step of an issue's workflow: who moved it, from where to where, and why."""

    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("issue"),
    )
    from_status = models.CharField(
        _("previous status"), max_length=20, choices=Issue.Status.choices
    )
    to_status = models.CharField(
        _("new status"), max_length=20, choices=Issue.Status.choices
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("performed by"),
    )
    system_actor = models.CharField(
        _("system actor"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name of the declared system program that made the step, when no user did."
        ),
    )
    comment = models.TextField(_("comment"), blank=True)
    warnings = models.JSONField(
        _("warnings at publication"),
        default=list,
        blank=True,
        help_text=_(
            "Preflight warnings still present when a back issue was published."
        ),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.issue}：{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def actor_display(self) -> str:
        if self.system_actor:
            return _("system (%(name)s)") % {"name": self.system_actor}
        return str(self.user) if self.user else _("(deleted user)")
