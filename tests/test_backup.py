"""backup writes one archive; restore into an empty database gives back every record and file."""

import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from archive import SAMPLE_ISSUE_PATH
from archive.backup import EXCLUDED, MANIFEST_MEMBER, stored_files
from articles import corrections
from articles.models import Article, Correction, PolicyDocument
from issues.models import Issue


def snapshot() -> dict:
    """Every record the backup covers, keyed by (model, pk), values exactly as stored."""
    records = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in EXCLUDED or model._meta.app_label in EXCLUDED:
            continue
        for record in serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        ):
            records[(record["model"], record["pk"])] = record["fields"]
    return records


def files() -> dict[str, bytes]:
    contents = {}
    for name in stored_files():
        with default_storage.open(name, "rb") as handle:
            contents[name] = handle.read()
    return contents


def import_sample(chief) -> None:
    """The sample issue, imported and published by the chief editor."""
    call_command(
        "import_issue",
        str(SAMPLE_ISSUE_PATH),
        "--publish",
        "--user",
        chief.username,
        stdout=io.StringIO(),
    )


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_the_sample_with_its_files(
    client, tmp_path, chief, editor
):
    import_sample(chief)
    issue = Issue.objects.get()
    document = PolicyDocument.objects.first()
    article = Article.objects.first()

    def edit():
        issue.cover.save("cover.png", ContentFile(b"\x89PNG fake but stored"))
        document.file.save("意见.pdf", ContentFile(b"%PDF-1.7 policy"))
        article.title = "编辑核对过的标题"
        article.save()

    # The issue is published: the edits are corrections, and restore keeps them.
    corrections.correct(
        user=chief,
        reason="补上封面、原文和核对过的标题",
        apply=edit,
        articles=[article, *document.articles.all()],
        issues=[issue],
    )
    before, before_files = snapshot(), files()
    assert len(before_files) == 2
    assert Correction.objects.count() >= 2

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    # A new, empty, migrated database and an empty media folder.
    call_command("flush", "--no-input", verbosity=0)
    for name in stored_files():
        default_storage.delete(name)
    assert not Issue.objects.exists() and stored_files() == []

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert (
        "已恢复" in out.getvalue() and "已发布的期刊 1 期已登记恢复" in out.getvalue()
    )
    after = snapshot()
    # Every record came back as it was; the one new record is the restore itself.
    added = {key: after.pop(key) for key in after.keys() - before.keys()}
    assert [(key[0], fields["system_actor"]) for key, fields in added.items()] == [
        ("issues.issuetransition", "备份恢复")
    ]
    assert after.keys() == before.keys()
    changed = {
        key: (before[key], after[key]) for key in before if before[key] != after[key]
    }
    assert changed == {}, json.dumps(
        {str(k): v for k, v in changed.items()}, ensure_ascii=False, default=str
    )[:3000]
    assert files() == before_files
    # The restored published issue was announced: its editions are queued again.
    assert DBTaskResult.objects.filter(
        task_path="editions.tasks.generate_editions",
        args_kwargs__kwargs__issue_id=issue.pk,
    ).exists()
    # The search index was rebuilt from the restored records.
    results = client.get("/search/", {"q": "编辑核对过的标题"}).content.decode()
    assert "编辑核对过的标题" in results and article.get_absolute_url() in results


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_content(tmp_path, editor):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="数据库里已有内容"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="不是有效的备份文件"):
        call_command("restore", str(junk))


def _rewritten(source, target, change):
    """A copy of the backup at source with change(name, content) applied to each
    member (returning None drops it)."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            content = change(member.name, original.extractfile(member).read())
            if content is not None:
                info = tarfile.TarInfo(member.name)
                info.size = len(content)
                copy.addfile(info, io.BytesIO(content))
    return target


@pytest.fixture
def backed_up(tmp_path, chief):
    import_sample(chief)
    # Every stored file goes into a backup, whether a record points to it or not.
    default_storage.save("notes/意见.pdf", ContentFile(b"%PDF-1.7 x"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("flush", "--no-input", verbosity=0)
    for name in stored_files():
        default_storage.delete(name)
    return archive


@pytest.mark.django_db(transaction=True)
def test_a_backup_lists_the_sha256_of_every_member(backed_up):
    with tarfile.open(backed_up, "r:gz") as archive:
        contents = {
            member.name: archive.extractfile(member).read()
            for member in archive.getmembers()
        }
    manifest = contents.pop(MANIFEST_MEMBER).decode().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in manifest)
    assert set(listed) == set(contents) and len(contents) == 2
    for name, content in contents.items():
        assert listed[name] == hashlib.sha256(content).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_altered_backup_before_loading_anything(backed_up, tmp_path):
    def alter(name, content):
        return (
            content.replace("十".encode(), "千".encode(), 1)
            if name == "data.xml"
            else content
        )

    altered = _rewritten(backed_up, tmp_path / "altered.tar.gz", alter)
    with pytest.raises(CommandError, match="data.xml.*SHA-256"):
        call_command("restore", str(altered))
    assert not Issue.objects.exists() and stored_files() == []


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_with_a_member_missing_or_unlisted(
    backed_up, tmp_path
):
    def drop_file(name, content):
        return None if name.startswith("media/") else content

    missing = _rewritten(backed_up, tmp_path / "missing.tar.gz", drop_file)
    with pytest.raises(CommandError, match="缺少 media/"):
        call_command("restore", str(missing))

    def add_file(name, content):
        if name == MANIFEST_MEMBER:
            return content.replace(b"media/", b"media/extra-", 1)
        return content

    unlisted = _rewritten(backed_up, tmp_path / "unlisted.tar.gz", add_file)
    with pytest.raises(CommandError, match="未列出 media/"):
        call_command("restore", str(unlisted))
    assert not Issue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_checksums_is_restored_only_when_asked(backed_up, tmp_path):
    def drop_manifest(name, content):
        return None if name == MANIFEST_MEMBER else content

    old = _rewritten(backed_up, tmp_path / "old.tar.gz", drop_manifest)
    with pytest.raises(CommandError, match="--unverified"):
        call_command("restore", str(old))
    assert not Issue.objects.exists()
    call_command("restore", str(old), "--unverified", stdout=io.StringIO())
    assert Issue.objects.published().count() == 1
