"""Writing a parsed back issue into the database, all or nothing.

The import touches publications, sections, issues, board, sources, articles and
policy documents at once, so it lives here rather than on one model. Callers (the
management command, the admin upload page, the demo loader, tests) parse first,
then call `issue_import`; a dry run does the same work inside a transaction it
rolls back, so its summary is exactly what a real import would do.

An import never destroys: an issue already stored is matched on (publication,
year, number); a draft is rewritten in place, its items matched to the file's so
they keep their ids; a published issue changes only through recorded
corrections; workflow history and corrections are never touched. Publishing goes
through the workflow service like any other publication.
"""

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from simple_history.utils import bulk_create_with_history

from archive.importers import WRITING, ImportRefused, Progress
from archive.importers.structure import (
    BOOK_SECTION_NAME,
    KNOWN_SECTION_KINDS,
    ParsedAttachment,
    ParsedIssue,
    ParsedItem,
    ParsedSection,
    ParseWarning,
)
from archive.models import ImportMode
from articles import corrections
from articles.models import (
    Article,
    ArticlePolicyDocument,
    Correction,
    PolicyDocument,
    Source,
)
from bulletin import batching, caching, freezing
from bulletin.text import chinese_number, html_to_text, normalise_title, sanitize_html
from issues.models import BoardMember, Issue, IssueSection, Publication, Section
from issues.services import (
    PreflightFailed,
    SystemActor,
    TransitionRefused,
    issue_transition,
)

IMPORT_COMMENT = gettext_lazy("Imported as a back issue")
DEFAULT_REASON = gettext_lazy("Corrected from the back-issue file")
# Items are matched on source, source date and this much of their opening text.
OPENING_LENGTH = 30
EXCERPT_LENGTH = 40


def _listed(names) -> str:
    """Names run together as a list: 甲、乙、丙."""
    return pgettext("between the names of a list", ", ").join(names)


def _sentences(texts) -> str:
    """Messages run together as one: 甲；乙."""
    return pgettext("between the sentences of a message", "; ").join(texts)


def _titled(title: str) -> str:
    """An item's title as messages quote it: 《标题》."""
    return _("“%(title)s”") % {"title": title}


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do), for people and for JSON."""

    issue_label: str
    publication: str
    dry_run: bool
    mode: str = ImportMode.NEW
    issue_id: int | None = None
    replaced: bool = False
    corrected: bool = False
    published: bool = False
    publication_created: bool = False
    reason: str = ""
    sections: list[dict] = field(default_factory=list)
    # Items of a stored issue, compared with the file's: titles, and for changed
    # items the fields readers see ({"field", "before", "after"}).
    items_kept: list[str] = field(default_factory=list)
    items_changed: list[dict] = field(default_factory=list)
    items_added: list[str] = field(default_factory=list)
    items_removed: list[str] = field(default_factory=list)
    issue_changes: list[dict] = field(default_factory=list)
    # Corrections change items; what they cannot do is listed, not applied.
    not_in_issue: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)
    attachments_new: list[str] = field(default_factory=list)
    attachments_linked: list[str] = field(default_factory=list)
    sources_created: list[str] = field(default_factory=list)
    needs_review: int = 0
    warnings: list[str] = field(default_factory=list)
    publish_warnings: list[str] = field(default_factory=list)

    @property
    def article_count(self) -> int:
        return sum(section["articles"] for section in self.sections)

    def as_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        """The summary as printed by the command and shown in the admin."""
        correcting = self.mode == ImportMode.CORRECTIONS
        if correcting:
            heading = (
                _("Corrections dry run (nothing written): %(publication)s %(issue)s")
                if self.dry_run
                else _("Corrected: %(publication)s %(issue)s")
            )
        else:
            heading = (
                _("Dry run (nothing written): %(publication)s %(issue)s")
                if self.dry_run
                else _("Imported: %(publication)s %(issue)s")
            )
        out = [heading % {"publication": self.publication, "issue": self.issue_label}]
        if self.publication_created:
            out.append(
                _("New publication: %(publication)s")
                % {"publication": self.publication}
            )
        out.extend(self._correction_lines() if correcting else self._content_lines())
        out.append(
            _("Attached policy documents: %(new)s new, %(linked)s already stored")
            % {"new": len(self.attachments_new), "linked": len(self.attachments_linked)}
        )
        if not correcting:
            out.extend(
                "  " + _("Already stored: %(title)s") % {"title": _titled(title)}
                for title in self.attachments_linked
            )
        out.append(_("New sources: %(count)s") % {"count": len(self.sources_created)})
        if self.sources_created:
            out.append("  " + _listed(self.sources_created))
        if not correcting:
            out.append(
                _("Items whose title needs checking: %(count)s")
                % {"count": self.needs_review}
            )
        if self.published:
            out.append(
                _("Status: published (preflight warnings: %(count)s)")
                % {"count": len(self.publish_warnings)}
            )
            out.extend(f"  {warning}" for warning in self.publish_warnings)
        out.append(_("Warnings: %(count)s") % {"count": len(self.warnings)})
        out.extend(f"  {warning}" for warning in self.warnings)
        return out

    def _content_lines(self) -> list[str]:
        out = []
        if self.replaced:
            out.append(
                _(
                    "Draft replaced: the stored issue was updated in place, keeping "
                    "its id, workflow history and corrections; items that match the "
                    "file keep their ids."
                )
            )
            if self.issue_changes:
                fields = _listed(change["field"] for change in self.issue_changes)
                out.append(
                    _("Changes to the issue itself: %(fields)s") % {"fields": fields}
                )
        out.append(
            _("%(sections)s sections, %(items)s items:")
            % {"sections": len(self.sections), "items": self.article_count}
        )
        for section in self.sections:
            line = (
                _("%(name)s: %(count)s items (new section)")
                if section["created"]
                else _("%(name)s: %(count)s items")
            )
            out.append(
                "  " + line % {"name": section["name"], "count": section["articles"]}
            )
        if self.replaced:
            out.append(
                _(
                    "Items: %(kept)s unchanged, %(changed)s changed, %(added)s added, "
                    "%(removed)s removed"
                )
                % {
                    "kept": len(self.items_kept),
                    "changed": len(self.items_changed),
                    "added": len(self.items_added),
                    "removed": len(self.items_removed),
                }
            )
            out.extend(
                "  " + _("Kept: %(title)s") % {"title": _titled(title)}
                for title in self.items_kept
            )
            for item in self.items_changed:
                fields = _listed(change["field"] for change in item["changes"])
                out.append(
                    "  "
                    + _("Changed: %(title)s (%(fields)s)")
                    % {"title": _titled(item["title"]), "fields": fields}
                )
            out.extend(
                "  " + _("Added: %(title)s") % {"title": _titled(title)}
                for title in self.items_added
            )
            out.extend(
                "  " + _("Removed: %(title)s") % {"title": _titled(title)}
                for title in self.items_removed
            )
        return out

    def _correction_lines(self) -> list[str]:
        count = len(self.items_changed) + bool(self.issue_changes)
        out = [
            _("Applied as corrections, with the note “%(reason)s”")
            % {"reason": self.reason},
            _("%(count)s corrections, %(kept)s items unchanged")
            % {"count": count, "kept": len(self.items_kept)},
        ]
        targets = [(_("This issue"), self.issue_changes)] if self.issue_changes else []
        targets += [(_titled(i["title"]), i["changes"]) for i in self.items_changed]
        for target, changes in targets:
            out.append(f"  {target}")
            out.extend(
                "    " + _("%(field)s: “%(before)s” → “%(after)s”") % change
                for change in changes
            )
        if self.not_in_issue or self.not_in_file or self.not_applied:
            out.append(
                _(
                    "Not applied (a correction only changes the items there are; it "
                    "adds, removes and moves none):"
                )
            )
            out.extend(
                "  "
                + _("In the file, not in the issue: %(title)s") % {"title": _titled(t)}
                for t in self.not_in_issue
            )
            out.extend(
                "  "
                + _("In the issue, not in the file: %(title)s") % {"title": _titled(t)}
                for t in self.not_in_file
            )
            out.extend(f"  {note}" for note in self.not_applied)
        return out


def _shortened(changes: list[dict]) -> list[dict]:
    """Changes as the summary shows them: each field with excerpts where it differs."""
    shortened = []
    for change in changes:
        before, after = _excerpts(change["before"], change["after"])
        shortened.append({"field": change["field"], "before": before, "after": after})
    return shortened


def _excerpts(before: str, after: str, width: int = EXCERPT_LENGTH) -> tuple[str, str]:
    """The stretch where two texts differ, with a little context either side."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_before, end_after = len(before), len(after)
    while (
        end_before > start
        and end_after > start
        and before[end_before - 1] == after[end_after - 1]
    ):
        end_before, end_after = end_before - 1, end_after - 1

    def cut(text: str, end: int) -> str:
        if not text:
            return _("(empty)")
        low = max(0, start - 10)
        high = min(len(text), max(end, start) + 10, low + width)
        piece = text[low:high].replace("\n", " ")
        return ("…" if low else "") + piece + ("…" if high < len(text) else "")

    return cut(before, end_before), cut(after, end_after)


class _DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def issue_import(
    parsed: ParsedIssue,
    *,
    publication: str = "",
    mode: str = ImportMode.NEW,
    publish: bool = False,
    dry_run: bool = False,
    user=None,
    reason: str = DEFAULT_REASON,
    progress: Progress | None = None,
) -> ImportSummary:
    """Store a parsed issue atomically; ImportRefused explains any refusal.

    `mode` says what to do with an issue already stored: NEW refuses, REPLACE
    rewrites a draft in place, CORRECTIONS applies the file to a published issue
    as corrections by `user`. `publish` publishes the result as `user` (a user or
    a SystemActor) through the workflow, preflight and permission included.
    `progress` is told of each item written.
    """
    if (publish or mode == ImportMode.CORRECTIONS) and user is None:
        raise ImportRefused(_("Publishing or correcting needs a user to act as."))
    reason = str(reason)
    summary = None
    try:
        # One batch: each item is indexed for search once, at the end, and a dry
        # run (rolled back inside the batch) indexes nothing.
        with transaction.atomic(), batching.batch():
            summary = _Import(parsed, user, dry_run, progress).run(
                publication, mode, publish, reason
            )
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except ValidationError as error:
        raise ImportRefused(_sentences(error.messages)) from error
    except IntegrityError as error:
        raise ImportRefused(
            _("The database refused the write: %(error)s") % {"error": error}
        ) from error
    return summary


@dataclass
class _Placement:
    """One item of the file, where it goes, and the stored item it matches."""

    item: ParsedItem
    section: ParsedSection
    position: int
    article: Article | None = None
    source: Source | None = None
    documents: list[PolicyDocument] = field(default_factory=list)
    new: bool = False  # no stored item matched: the import creates one


class _Import:
    """One run of `issue_import`, inside its transaction."""

    def __init__(self, parsed: ParsedIssue, user, dry_run: bool, progress=None):
        self.parsed = parsed
        self.progress = progress
        self.user = user
        # Items record a person as their author, never a program.
        self.author = None if isinstance(user, SystemActor) else user
        self.dry_run = dry_run

    def run(self, publication_name, mode, publish, reason) -> ImportSummary:
        parsed = self.parsed
        publication, created = _publication(parsed, publication_name)
        self.summary = ImportSummary(
            issue_label=parsed.label,
            publication=publication.name,
            dry_run=self.dry_run,
            mode=mode,
            publication_created=created,
            warnings=[str(warning) for warning in parsed.warnings],
        )
        existing = _stored_issue(parsed, publication)
        if mode == ImportMode.CORRECTIONS:
            if publish:
                raise ImportRefused(
                    _(
                        "An issue the file is applied to as corrections is published "
                        "already; it cannot be published as well."
                    )
                )
            self._correct(_correctable(existing, parsed, publication), reason)
            return self.summary
        if existing is not None:
            _refuse_replacing(existing, publication, mode)
        issue = self._write(publication, existing)
        if publish:
            self._publish(issue)
        return self.summary

    def _write(self, publication, existing: Issue | None) -> Issue:
        """A new issue, or a draft rewritten in place: the same row, matched items
        keep their ids, stored items the file no longer has are removed."""
        parsed, summary = self.parsed, self.summary
        issue = existing or Issue(publication=publication)
        summary.replaced = existing is not None
        placements, removed = _match(issue, parsed)
        _refuse_removing_corrected(removed)
        self._prepare(placements)
        issue_before = _issue_facts(issue) if existing else {}
        values = {
            "year": parsed.year,
            "number": parsed.number,
            "cumulative_number": parsed.cumulative_number,
            "period_start": parsed.period_start,
            "period_end": parsed.period_end,
        }
        if issue.pk is None or any(getattr(issue, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(issue, name, value)
            # The stored cover is not the file's business; validating it would read it.
            issue.full_clean(
                exclude=["cover"], validate_unique=False, validate_constraints=False
            )
            issue.save()
        summary.issue_id = issue.pk
        _write_board(issue, parsed)
        sections = self._link_sections(issue, publication)
        for article in removed:
            summary.items_removed.append(article.title)
            article.delete()
        before = self._save_items(issue, placements, sections)
        if existing:
            self._compare(placements, before)
            summary.issue_changes = _shortened(
                corrections.diff(issue_before, _issue_facts(issue))
            )
        return issue

    def _link_sections(self, issue: Issue, publication) -> dict[str, Section]:
        """Give the issue the file's sections in the file's order, and only those:
        the catalogue and the issue's links read once, new links in one insert."""
        catalogue = list(publication.sections.all())
        links = {link.section_id: link for link in issue.section_links.all()}
        sections, moved = {}, {}
        for position, parsed_section in enumerate(self.parsed.sections):
            section, created = _section(
                publication,
                catalogue,
                parsed_section,
                self.summary,
                self.parsed.line_unit,
            )
            sections[parsed_section.name] = section
            link = links.setdefault(
                section.pk, IssueSection(issue=issue, section=section)
            )
            if link.pk is None or link.position != position:
                link.position = position
                if link.pk is not None:
                    moved[link.pk] = link
            self.summary.sections.append(
                {
                    "name": section.name,
                    "articles": len(parsed_section.items),
                    "created": created,
                }
            )
        for link in moved.values():
            link.save(update_fields=["position"])
        new = [link for link in links.values() if link.pk is None]
        if new:
            _refuse_if_frozen(issue)
            _created(IssueSection, IssueSection.objects.bulk_create(new))
        wanted = {section.pk for section in sections.values()}
        stale = [link.pk for link in links.values() if link.section_id not in wanted]
        if stale:
            IssueSection.objects.filter(pk__in=stale).delete()
        return sections

    def _compare(self, placements: list[_Placement], before: dict) -> None:
        """Sort the file's items into added, changed and kept; only the stored
        items the import wrote (`before`) can have changed."""
        after = _facts_of(before)
        for placement in placements:
            article = placement.article
            if placement.new:
                self.summary.items_added.append(article.title)
                continue
            changes = []
            if article.pk in before:
                changes = corrections.diff(before[article.pk], after[article.pk])
            if changes:
                self.summary.items_changed.append(
                    {"title": article.title, "changes": _shortened(changes)}
                )
            else:
                self.summary.items_kept.append(article.title)

    def _correct(self, issue: Issue, reason: str) -> None:
        """Apply the file to a published issue as recorded corrections; what a
        correction cannot do (add, remove or move items) is listed instead."""
        parsed, summary = self.parsed, self.summary
        summary.issue_id, summary.reason = issue.pk, reason.strip()
        placements, missing = _match(issue, parsed)
        matched = [p for p in placements if p.article]
        summary.not_in_issue = [p.item.title for p in placements if not p.article]
        summary.not_in_file = [article.title for article in missing]
        summary.not_applied = _structure_notes(issue, parsed, matched)
        self._prepare(matched)

        def apply():
            period = (parsed.period_start, parsed.period_end)
            if (issue.period_start, issue.period_end) != period:
                issue.period_start, issue.period_end = period
                issue.clean()
                issue.save(update_fields=["period_start", "period_end", "updated_at"])
            _write_board(issue, parsed)
            self._save_items(issue, matched, sections=None)

        try:
            recorded = corrections.correct(
                user=self.user,
                reason=reason,
                apply=apply,
                articles=[p.article for p in matched],
                issues=[issue],
            )
        except corrections.CorrectionRefused as refused:
            raise ImportRefused(
                _("Cannot correct %(issue)s as %(user)s: %(reason)s")
                % {"issue": issue, "user": self.user, "reason": refused}
            ) from refused
        summary.corrected = bool(recorded)
        by_article = {c.article_id: c for c in recorded if c.article_id}
        for placement in matched:
            article = placement.article
            correction = by_article.get(article.pk)
            if correction:
                summary.items_changed.append(
                    {"title": article.title, "changes": _shortened(correction.changes)}
                )
            else:
                summary.items_kept.append(article.title)
        summary.issue_changes = _shortened(
            next((c.changes for c in recorded if c.article_id is None), [])
        )

    def _wrote(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(WRITING, done, total)

    def _prepare(self, placements: list[_Placement]) -> None:
        """Find or create the sources and policy documents the items cite: one
        lookup for each kind, one insert of those not stored yet."""
        sources, created = Source.get_or_create_all_normalised(
            p.item.source for p in placements if p.item.source
        )
        _created(Source, created)
        self.summary.sources_created.extend(source.name for source in created)
        documents = self._documents(
            [attachment for p in placements for attachment in p.item.attachments]
        )
        for placement in placements:
            item = placement.item
            placement.source = sources[item.source] if item.source else None
            for attachment in item.attachments:
                document = documents[attachment.title]
                if document not in placement.documents:
                    placement.documents.append(document)

    def _documents(
        self, attachments: list[ParsedAttachment]
    ) -> dict[str, PolicyDocument]:
        """{title: document} for these attachments: the one on file under the
        title, else a new one; the new ones are inserted, with their history
        records, in one statement each."""
        stored = PolicyDocument.find_all_existing({a.title for a in attachments})
        new: dict[str, PolicyDocument] = {}
        documents = {}
        for attachment in attachments:
            key = normalise_title(attachment.title)
            document = new.get(key) or stored.get(attachment.title)
            if document is None:
                document = PolicyDocument(
                    title=attachment.title[:300], url=attachment.url
                )
                document.tidy()
                new[key] = document
                self.summary.attachments_new.append(document.title)
            else:
                self.summary.attachments_linked.append(document.title)
                if attachment.url and not document.url:
                    self._add_link(document, attachment.url)
            documents[attachment.title] = document
        if new:
            created = bulk_create_with_history(list(new.values()), PolicyDocument)
            _created(PolicyDocument, created)
        return documents

    def _add_link(self, document: PolicyDocument, url: str) -> None:
        document.url = url
        if document.pk is None:
            return
        try:
            with transaction.atomic():
                document.save(update_fields=["url"])
        except freezing.PublishedRecordFrozen:
            # A frozen issue cites it without the link; only a correction of
            # that issue may add it.
            document.url = ""
            self.summary.warnings.append(
                _(
                    "%(document)s is cited by a signed-off or published issue; "
                    "its link %(url)s was not added."
                )
                % {"document": document, "url": url}
            )

    def _save_items(
        self, issue: Issue, placements: list[_Placement], sections
    ) -> dict[int, dict]:
        """Write the file's items: a matched item only where the file changed it,
        through its save (freeze guard, locking, history, corrections), and the
        new items all at once (`_create_items`). With no sections (corrections),
        items stay where they are.

        Returns what readers saw of each stored item it changed, read before the
        change, for `_compare`.
        """
        attached = _attached([p.article.pk for p in placements if p.article])
        fresh, changed = [], []
        for done, placement in enumerate(placements, start=1):
            section = None
            if sections is not None:
                section = sections[placement.section.name]
            article = placement.article or Article(issue=issue, created_by=self.author)
            assigned = self._assign(article, placement, section)
            placement.article = article
            if article.pk is None:
                placement.new = True
                fresh.append(placement)
            else:
                documents = [document.pk for document in placement.documents]
                if assigned or attached[article.pk] != documents:
                    changed.append((placement, assigned))
            if article.needs_review:
                self.summary.needs_review += 1
            self._wrote(done, len(placements))
        before = _facts_of(p.article.pk for p, _assigned in changed) if changed else {}
        for placement, assigned in changed:
            article = placement.article
            if assigned:
                article.save()
            self._reattach(article, placement.documents, attached[article.pk])
        self._create_items(issue, fresh)
        return before

    def _assign(self, article: Article, placement: _Placement, section) -> bool:
        """Set the file's values on the item; True if it is new or any differs.

        The file decides every field it carries, except where the parser only
        guessed: a provisional title never replaces a title an editor checked,
        and a kind guessed from the section never replaces a stored one.
        """
        item = placement.item
        values = {
            # A stored item's body is compared as saved; a new one's is tidied
            # once, when inserted.
            "body": sanitize_html(item.body_html) if article.pk else item.body_html,
            "abstract": item.abstract,
            "keywords": item.keywords[:300],
            "source_id": placement.source.pk if placement.source else None,
            "source_date": item.source_date,
            "print_page": item.print_page,
            "book_title": item.book_title[:200],
            "book_author": item.book_author[:200],
            "book_publisher": item.book_publisher[:200],
            "book_publication_date": item.book_publication_date,
            "book_summary": item.book_summary,
            "book_reason": item.book_reason,
        }
        if section is not None:
            values.update(section_id=section.pk, position=placement.position)
            if not item.kind and article.section_id != section.pk:
                values["kind"] = section.default_kind
        if item.kind:
            values["kind"] = item.kind
        if article.pk is None or article.needs_review or not item.title_is_provisional:
            values.update(
                title=item.title[:300].strip(), needs_review=item.title_is_provisional
            )
        if article.pk is not None and all(
            getattr(article, k) == v for k, v in values.items()
        ):
            return False
        for name, value in values.items():
            setattr(article, name, value)
        return True

    def _reattach(self, article: Article, documents, stored: list[int]) -> None:
        """Give a stored item the file's attachments, if they differ."""
        wanted = [document.pk for document in documents]
        if stored == wanted:
            return
        article.attachments.all().delete()
        for position, document_id in enumerate(wanted):
            ArticlePolicyDocument.objects.create(
                article=article, policy_document_id=document_id, position=position
            )

    def _create_items(self, issue: Issue, placements: list[_Placement]) -> None:
        """Insert the new items, their history records and their attachments in
        three statements, however many items there are.

        Bulk inserts skip save() and its signals, so what those do is done here:
        save()'s tidying of title and body; the freeze guard's check, once for
        the issue (the only issue new items and their attachments show in);
        history records in bulk; the index and the cache version through
        `_created`, once when the batch ends.
        """
        if not placements:
            return
        _refuse_if_frozen(issue)
        articles = [placement.article for placement in placements]
        for article in articles:
            article.tidy()
        _created(Article, bulk_create_with_history(articles, Article))
        attachments = ArticlePolicyDocument.objects.bulk_create(
            ArticlePolicyDocument(
                article=placement.article, policy_document=document, position=position
            )
            for placement in placements
            for position, document in enumerate(placement.documents)
        )
        _created(ArticlePolicyDocument, attachments)

    def _publish(self, issue: Issue) -> None:
        """Publish through the workflow: permission, preflight, record, editions."""
        try:
            record = issue_transition(
                issue=issue,
                user=self.user,
                name="publish_back_issue",
                comment=str(IMPORT_COMMENT),
            )
        except PreflightFailed as failed:
            problems = _sentences(problem.message for problem in failed.report.errors)
            raise ImportRefused(
                _(
                    "%(issue)s did not pass the preflight check and cannot be "
                    "imported and published: %(problems)s"
                )
                % {"issue": issue, "problems": problems}
            ) from failed
        except TransitionRefused as refused:
            raise ImportRefused(
                _("Cannot import and publish %(issue)s as %(user)s: %(reason)s")
                % {"issue": issue, "user": self.user, "reason": refused}
            ) from refused
        self.summary.published = True
        self.summary.publish_warnings = list(record.warnings)


def _publication(parsed: ParsedIssue, wanted: str) -> tuple[Publication, bool]:
    if wanted:
        match = Publication.objects.filter(Q(name=wanted) | Q(slug=wanted)).first()
        if match is None:
            raise ImportRefused(
                _("No publication has the name or slug “%(wanted)s”.")
                % {"wanted": wanted}
            )
        return match, False
    if not parsed.publication_name:
        raise ImportRefused(
            _(
                "No publication name was read from the masthead; choose the "
                "publication to import into."
            )
        )
    existing = Publication.objects.filter(name=parsed.publication_name).first()
    if existing:
        return existing, False
    publication = Publication(
        name=parsed.publication_name,
        slug=_unique_slug(parsed.publication_name),
        publisher=parsed.publisher or parsed.publication_name,
        phones="\n".join(parsed.phones),
        website=parsed.website,
        email=parsed.email,
        address=parsed.address,
    )
    publication.full_clean()
    publication.save()
    publication.add_standard_sections()
    return publication, True


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True) or "publication"
    slug, counter = base, 1
    while Publication.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def _stored_issue(parsed: ParsedIssue, publication: Publication) -> Issue | None:
    """The stored issue with the file's year and number; refuse contradicting numbers."""
    issues = Issue.objects.select_for_update().filter(publication=publication)
    existing = issues.filter(year=parsed.year, number=parsed.number).first()
    cumulative = chinese_number(parsed.cumulative_number or 0)
    if existing and existing.cumulative_number != parsed.cumulative_number:
        raise ImportRefused(
            _(
                "The cumulative numbers disagree: the file is %(file)s, but "
                "%(publication)s already has %(existing)s as cumulative issue "
                "%(cumulative)s; please check the file’s masthead."
            )
            % {
                "file": parsed.label,
                "publication": publication.name,
                "existing": existing,
                "cumulative": chinese_number(existing.cumulative_number),
            }
        )
    others = issues.filter(cumulative_number=parsed.cumulative_number)
    if existing:
        others = others.exclude(pk=existing.pk)
    other = others.first()
    if other:
        raise ImportRefused(
            _(
                "The cumulative numbers disagree: the file is %(file)s, but "
                "cumulative issue %(cumulative)s of %(publication)s is %(other)s "
                "already; please check the file’s masthead."
            )
            % {
                "file": parsed.label,
                "publication": publication.name,
                "cumulative": cumulative,
                "other": other,
            }
        )
    return existing


def _refuse_replacing(existing: Issue, publication: Publication, mode: str) -> None:
    name = f"{publication.name} {existing}"
    if existing.is_published:
        raise ImportRefused(
            _(
                "%(issue)s is published: an import cannot replace or withdraw a "
                "published issue. To change it from this file, choose “Apply as "
                "corrections” (on the command line --corrections --user USERNAME), "
                "and each change is recorded as a correction."
            )
            % {"issue": name}
        )
    if existing.is_frozen:
        raise ImportRefused(
            _(
                "%(issue)s is signed off, and an import cannot replace it; the chief "
                "editor must send it back for changes first, then choose “Replace the "
                "draft” (on the command line --replace)."
            )
            % {"issue": name}
        )
    if mode != ImportMode.REPLACE:
        raise ImportRefused(
            _(
                "%(issue)s is imported already (%(status)s), and %(number)s cannot be "
                "imported twice; to replace this draft with the file, choose “Replace "
                "the draft” (on the command line --replace)."
            )
            % {
                "issue": name,
                "status": existing.get_status_display(),
                "number": existing.masthead_number,
            }
        )


def _correctable(existing: Issue | None, parsed, publication) -> Issue:
    if existing is None:
        raise ImportRefused(
            _(
                "%(publication)s has no %(issue)s yet, so there is nothing to correct; "
                "choose “New import” (on the command line, leave out --corrections)."
            )
            % {"publication": publication.name, "issue": parsed.label}
        )
    if not existing.is_published:
        raise ImportRefused(
            _(
                "%(issue)s is not published yet (%(status)s), and corrections are "
                "only for published issues; for a draft, choose “Replace the draft” "
                "(on the command line --replace)."
            )
            % {
                "issue": f"{publication.name} {existing}",
                "status": existing.get_status_display(),
            }
        )
    return existing


def _refuse_removing_corrected(removed: list[Article]) -> None:
    corrected = Correction.objects.filter(article__in=removed).select_related("article")
    titles = sorted({_titled(c.article.title) for c in corrected})
    if titles:
        raise ImportRefused(
            _(
                "The items %(titles)s have recorded corrections but are not in the "
                "file; corrections cannot be deleted, so the import cannot remove "
                "these items."
            )
            % {"titles": _listed(titles)}
        )


def _refuse_if_frozen(issue: Issue) -> None:
    """The freeze guard's check for rows only this issue shows (its new items,
    their attachments, its board and section links), made once before they are
    inserted in bulk, which skips the guard's pre_save check of each row.

    The issue's status is current: the import created it, or read it in its
    own transaction locked for update (on SQLite the write transaction keeps
    other writers out), and changes it only after the writes, when publishing. A new or replaced issue is a draft and always passes; a
    corrected one passes in the correction service's mode.
    """
    freezing.refuse_if_frozen(issue, [issue] if issue.is_frozen else [])


def _created(model, rows) -> None:
    """What post_save receivers do for rows saved one by one, for rows inserted
    in bulk: a new cache version, and `created_in_bulk` (the index listens);
    both once when the import's batch ends, and never for a dry run."""
    if rows:
        caching.invalidate()
        batching.created_in_bulk.send(sender=model, pks=[row.pk for row in rows])


def _attached(article_ids) -> dict[int, list[int]]:
    """{item id: its policy documents' ids in order}, for all the items in one query."""
    attached = defaultdict(list)
    links = ArticlePolicyDocument.objects.filter(article__in=article_ids).order_by(
        "article", "position", "id"
    )
    for article_id, document_id in links.values_list("article", "policy_document"):
        attached[article_id].append(document_id)
    return attached


def _opening(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()[:OPENING_LENGTH]


def _item_key(item: ParsedItem) -> tuple:
    name = Source.normalise(item.source)[0] if item.source else ""
    text = html_to_text(item.body_html) or item.book_title or item.title
    return (name, item.source_date, _opening(text))


def _article_key(article: Article) -> tuple:
    name = article.source.name if article.source_id else ""
    text = html_to_text(article.body) or article.book_title or article.title
    return (name, article.source_date, _opening(text))


def _match(issue: Issue, parsed: ParsedIssue) -> tuple[list[_Placement], list[Article]]:
    """Pair the file's items with the stored ones (same source, date and opening).

    Returns the file's items in order, each with its match or None, and the stored
    items nothing in the file matched.
    """
    stored = []
    if issue.pk:
        stored = list(issue.articles.in_print_order().select_related("source"))
    by_key = defaultdict(list)
    for article in stored:
        by_key[_article_key(article)].append(article)
    placements = []
    for parsed_section in parsed.sections:
        for position, item in enumerate(parsed_section.items):
            # Keys cost a body's text each: none are needed when nothing is stored.
            candidates = by_key.get(_item_key(item)) if by_key else None
            article = candidates.pop(0) if candidates else None
            placements.append(_Placement(item, parsed_section, position, article))
    matched = {p.article.pk for p in placements if p.article}
    return placements, [a for a in stored if a.pk not in matched]


def _structure_notes(issue: Issue, parsed: ParsedIssue, matched) -> list[str]:
    """What a correction leaves alone: the issue's sections and its items' places."""
    notes = []
    names = [section.name for section in issue.ordered_sections()]
    if names != [section.name for section in parsed.sections]:
        notes.append(
            _(
                "The sections differ from the issue’s (file: %(file)s; issue: "
                "%(issue)s); the sections were not changed."
            )
            % {
                "file": _listed(s.name for s in parsed.sections),
                "issue": _listed(names),
            }
        )
    ids = {placement.article.pk for placement in matched}
    stored = [
        article
        for article in issue.articles.in_print_order().select_related("section")
        if article.pk in ids
    ]
    sections = {a.pk: a.section.name if a.section_id else "" for a in stored}
    for placement in matched:
        name = placement.section.name
        if sections[placement.article.pk] != name:
            title = placement.article.title
            notes.append(
                _(
                    "%(title)s is in the section “%(section)s” in the file; it was not moved."
                )
                % {"title": _titled(title), "section": name}
            )
    if [a.pk for a in stored] != [placement.article.pk for placement in matched]:
        notes.append(
            _(
                "The file has the items in another order than the issue; the order "
                "was not changed."
            )
        )
    return notes


def _facts_of(ids) -> dict[int, dict]:
    """What readers see of each of these items."""
    return {pk: a.reader_facts() for pk, a in corrections.load_articles(ids).items()}


def _issue_facts(issue: Issue) -> dict[str, str]:
    return corrections.load_issues([issue.pk])[issue.pk].reader_facts()


def _write_board(issue: Issue, parsed: ParsedIssue) -> None:
    wanted = [
        (role, name, position)
        for role, names in (
            (BoardMember.Role.CHIEF_EDITOR, parsed.chief_editors),
            (BoardMember.Role.DEPUTY_EDITOR, parsed.deputy_editors),
        )
        for position, name in enumerate(names)
    ]
    stored = list(issue.board_members.order_by("role", "position", "id"))
    if [(m.role, m.name, m.position) for m in stored] == wanted:
        return
    for member in stored:
        member.delete()
    _refuse_if_frozen(issue)
    members = BoardMember.objects.bulk_create(
        BoardMember(issue=issue, role=role, name=name, position=position)
        for role, name, position in wanted
    )
    _created(BoardMember, members)


def _section(
    publication, catalogue: list[Section], parsed_section, summary, unit
) -> tuple[Section, bool]:
    """The catalogue's section for the file's, created (and added to `catalogue`)
    when the publication has none."""
    section = next((s for s in catalogue if s.name == parsed_section.name), None)
    if section:
        return section, False
    if parsed_section.name == BOOK_SECTION_NAME:
        books = (s for s in catalogue if s.default_kind == Article.Kind.BOOK)
        section = next(books, None)
        if section:
            return section, False
    kinds = Counter(item.kind for item in parsed_section.items if item.kind)
    default_kind = KNOWN_SECTION_KINDS.get(parsed_section.name) or (
        kinds.most_common(1)[0][0] if kinds else Article.Kind.NEWS
    )
    section = Section.objects.create(
        publication=publication,
        name=parsed_section.name,
        slug=_section_slug({s.slug for s in catalogue}, parsed_section.name),
        default_position=max((s.default_position for s in catalogue), default=0) + 1,
        default_kind=default_kind,
    )
    catalogue.append(section)
    message = _(
        "The section “%(name)s” is not in the publication’s catalogue; it was created."
    ) % {"name": parsed_section.name}
    summary.warnings.append(str(ParseWarning(parsed_section.line, message, unit)))
    return section, True


def _section_slug(taken: set[str], name: str) -> str:
    base = slugify(name, allow_unicode=True)[:40] or "section"
    slug, counter = base, 1
    while slug in taken:
        counter += 1
        slug = f"{base}-{counter}"
    return slug
