"""One-file backups: every record as JSON fixtures plus every stored file.

The archive is a .tar.gz with `data.xml` (dumpdata with natural foreign keys;
XML because Django's JSON drops the microseconds of timestamps),
`media/<name>` for each file in the default storage, and
`manifest-sha256.txt`, BagIt's form of a checksum list (`<sha256>  <member>`
per line), which restore checks member by member before it loads anything. What a migrated empty
database recreates by itself (content types, permissions, groups) and what can be
rebuilt (the search index, queued tasks, sessions, login attempts) is left out;
restore rebuilds the search index, and records and announces each published issue
it brings back, so editions and other listeners catch up.
"""

import hashlib
import io
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import management
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _

from articles.models import Article
from bulletin.roles import sync_groups
from issues.models import Issue, Publication
from issues.services import issue_restored

DATA_MEMBER = "data.xml"
MEDIA_PREFIX = "media/"
MANIFEST_MEMBER = "manifest-sha256.txt"
_CHUNK = 1024 * 1024
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "auth.group",
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_database",
    "search.searchdocument",
    "search.indexchange",
]


class RestoreRefused(Exception):
    """The archive cannot be restored here; nothing was written."""


@dataclass
class BackupSummary:
    records: int
    files: int
    published: int = 0


def referenced_files() -> set[str]:
    """Every file name a record points to, across all models' file fields."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete:
                names.update(
                    model._base_manager.exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    .iterator()
                )
    return names


def orphan_files() -> list[str]:
    """Stored files no record points to (a replaced cover, an abandoned upload)."""
    referenced = referenced_files()
    return sorted(name for name in stored_files() if name not in referenced)


def stored_files(folder: str = "") -> list[str]:
    """Every file name in the default storage, walked through the storage API."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [str(PurePosixPath(folder, name)) if folder else name for name in files]
    for sub in folders:
        names.extend(stored_files(str(PurePosixPath(folder, sub)) if folder else sub))
    return sorted(names)


def backup_to(path: Path) -> BackupSummary:
    data = io.StringIO()
    management.call_command(
        "dumpdata",
        *[f"--exclude={label}" for label in EXCLUDED],
        "--natural-foreign",
        "--format=xml",
        stdout=data,
    )
    payload = data.getvalue().encode()
    files = stored_files()
    checksums = {}
    with tarfile.open(path, "w:gz") as archive:
        checksums[DATA_MEMBER] = _add(archive, DATA_MEMBER, payload)
        for name in files:
            with default_storage.open(name, "rb") as handle:
                checksums[MEDIA_PREFIX + name] = _add(
                    archive, MEDIA_PREFIX + name, handle.read()
                )
        manifest = "".join(f"{digest}  {name}\n" for name, digest in checksums.items())
        _add(archive, MANIFEST_MEMBER, manifest.encode())
    return BackupSummary(records=_count_records(payload), files=len(files))


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> str:
    """Add a member; its SHA-256, for the manifest."""
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, io.BytesIO(content))
    return hashlib.sha256(content).hexdigest()


def verify(archive: tarfile.TarFile, members: dict) -> None:
    """Every member is in the manifest with its checksum, and nothing is
    missing: a damaged or altered backup is refused before anything is loaded."""
    if MANIFEST_MEMBER not in members:
        raise RestoreRefused(
            _(
                "The backup has no checksum list (%(member)s), so it cannot be "
                "verified; a backup made before checksums were added can be "
                "restored with --unverified."
            )
            % {"member": MANIFEST_MEMBER}
        )
    listed = {}
    manifest = archive.extractfile(members[MANIFEST_MEMBER]).read().decode()
    for number, line in enumerate(manifest.splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise RestoreRefused(
                _("Line %(number)s of the checksum list is malformed: %(line)s")
                % {"number": number, "line": line[:200]}
            )
        listed[name] = digest
    unlisted = sorted(set(members) - set(listed) - {MANIFEST_MEMBER})
    missing = sorted(set(listed) - set(members))
    if unlisted or missing:
        raise RestoreRefused(
            _(
                "The backup does not match its checksum list: missing %(missing)s; "
                "not listed %(unlisted)s."
            )
            % {
                "missing": ", ".join(missing) or "—",
                "unlisted": ", ".join(unlisted) or "—",
            }
        )
    for name, digest in listed.items():
        sha256 = hashlib.sha256()
        handle = archive.extractfile(members[name])
        while chunk := handle.read(_CHUNK):
            sha256.update(chunk)
        if sha256.hexdigest() != digest:
            raise RestoreRefused(
                _(
                    "%(name)s in the backup is damaged or altered: its SHA-256 "
                    "does not match the checksum list."
                )
                % {"name": name}
            )


def restore_from(path: Path, *, verified: bool = True) -> BackupSummary:
    """Load a backup into a migrated database that holds no content yet, once
    its checksums are verified (verified=False: a backup made before them)."""
    _refuse_unless_empty()
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise RestoreRefused(
            _("%(path)s is not a valid backup file: %(error)s")
            % {"path": path, "error": error}
        ) from error
    with archive:
        members = {
            member.name: member for member in archive.getmembers() if member.isfile()
        }
        if DATA_MEMBER not in members:
            raise RestoreRefused(
                _("%(path)s has no %(member)s: it is not a backup of this system.")
                % {"path": path, "member": DATA_MEMBER}
            )
        if verified:
            verify(archive, members)
        media = {
            name[len(MEDIA_PREFIX) :]: member
            for name, member in members.items()
            if name.startswith(MEDIA_PREFIX)
        }
        for name in media:
            if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
                raise RestoreRefused(
                    _("Unsafe file name in the backup: %(name)s") % {"name": name}
                )
        payload = archive.extractfile(members[DATA_MEMBER]).read()
        with tempfile.TemporaryDirectory() as folder:
            fixture = Path(folder) / DATA_MEMBER
            fixture.write_bytes(payload)
            with transaction.atomic():
                # Users name their groups; the groups come from the roles table.
                sync_groups()
                management.call_command("loaddata", str(fixture), verbosity=0)
        for name, member in media.items():
            content = archive.extractfile(member).read()
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:
                raise RestoreRefused(
                    _(
                        "The file %(name)s was stored as %(saved)s: the storage refused its name."
                    )
                    % {"name": name, "saved": saved}
                )
    # Whatever the cache holds (rendered pages, queued-build markers) belongs to
    # the data that was here before.
    cache.clear()
    # Records were loaded as they were; now, with their files back, the workflow
    # records the restore and announces each published issue (editions rebuild).
    with transaction.atomic():
        published = list(Issue.objects.published())
        for issue in published:
            issue_restored(issue=issue)
    if apps.is_installed("search"):
        management.call_command("reindex", verbosity=0)
    return BackupSummary(
        records=_count_records(payload), files=len(media), published=len(published)
    )


def _count_records(payload: bytes) -> int:
    return payload.count(b"<object ")


def _refuse_unless_empty() -> None:
    if (
        Publication.objects.exists()
        or Issue.objects.exists()
        or Article.objects.exists()
        or get_user_model().objects.exists()
    ):
        raise RestoreRefused(
            _(
                "The database holds content already: restore into a new, empty "
                "database that migrate has set up."
            )
        )
