"""Nobody where they do not belong: login throttling, headers, and uploads checked by content."""

import io
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bulletin.validators import (
    SafeUploadPath,
    validate_cover_image,
    validate_policy_file,
)
from tests.factories import IssueFactory, PolicyDocumentFactory


def image_bytes(size=(40, 30), fmt="PNG", mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=fmt)
    return buffer.getvalue()


# Login throttling ---------------------------------------------------------------


@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_five_wrong_passwords_lock_the_account_from_that_address(
    client, editor, chief, login_url
):
    url = reverse(login_url)
    for _ in range(4):
        response = client.post(url, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    # The fifth failure locks; from then on even the right password is refused.
    assert (
        client.post(url, {"username": "editor", "password": "wrong"}).status_code == 429
    )
    response = client.post(url, {"username": "editor", "password": "pw"})
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
    # Another account from the same address is not locked.
    assert client.post(url, {"username": "chief", "password": "pw"}).status_code == 302


def test_a_correct_password_before_the_limit_resets_the_count(client, editor):
    url = reverse("login")
    for _ in range(4):
        client.post(url, {"username": "editor", "password": "wrong"})
    assert client.post(url, {"username": "editor", "password": "pw"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(url, {"username": "editor", "password": "wrong"})
    assert client.post(url, {"username": "editor", "password": "pw"}).status_code == 302


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("issues:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# Uploads --------------------------------------------------------------------------


def test_a_real_image_is_accepted_as_a_cover(db):
    validate_cover_image(SimpleUploadedFile("cover.png", image_bytes()))


def _zip(parts: dict[str, str]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cover.png", b"this is not an image at all", "不是有效的图片"),
        ("cover.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是有效的图片"),
        ("cover.bmp", image_bytes(fmt="BMP"), "不支持的图片格式"),
        ("cover.png", image_bytes(size=(7000, 7000), mode="1"), "图片尺寸过大"),
    ],
)
def test_bad_covers_are_refused_with_a_reason(db, name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_cover_image(SimpleUploadedFile(name, content))
    assert message in str(error.value)


def test_a_decompression_bomb_is_refused(db):
    # 30 000 x 30 000 one-bit pixels: a small file that would decode to 900 M pixels.
    with pytest.raises(ValidationError) as error:
        validate_cover_image(
            SimpleUploadedFile("bomb.png", image_bytes(size=(30000, 30000), mode="1"))
        )
    assert "图片" in str(error.value)


def test_an_oversized_cover_is_refused(db, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="图片过大"):
        validate_cover_image(SimpleUploadedFile("cover.png", image_bytes()))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.exe", b"MZ\x90\x00", "只接受 PDF、DOCX 或 DOC"),
        ("policy.pdf", b"<html><script>alert(1)</script>", "与扩展名 .pdf 不符"),
        ("policy.docx", b"%PDF-1.7 not a zip", "与扩展名 .docx 不符"),
        ("policy.docx", _zip({"notes.txt": "一个普通的压缩包"}), "与扩展名 .docx 不符"),
    ],
)
def test_bad_policy_files_are_refused_with_a_reason(db, name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_policy_file(SimpleUploadedFile(name, content))
    assert message in str(error.value)


def test_a_real_word_file_is_accepted_as_a_policy_document(db):
    word = _zip(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
    )
    validate_policy_file(SimpleUploadedFile("policy.docx", word))


def test_an_oversized_policy_file_is_refused(db, settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="文件过大"):
        validate_policy_file(SimpleUploadedFile("policy.pdf", b"%PDF-1.7 " + b"x" * 20))


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("../../etc/passwd.pdf", "policy-documents/passwd.pdf"),
        (
            "关于促进民营经济 发展壮大的意见.pdf",
            "policy-documents/关于促进民营经济_发展壮大的意见.pdf",
        ),
        ("<script>.pdf", "policy-documents/script.pdf"),
    ],
)
def test_uploaded_file_names_are_made_safe(uploaded, stored):
    assert SafeUploadPath("policy-documents")(None, uploaded) == stored


def test_an_uploaded_policy_document_goes_through_storage_and_is_served_behind_login(
    client, chief, settings
):
    document = PolicyDocumentFactory()
    document.file = SimpleUploadedFile("../意见.pdf", b"%PDF-1.7\n%%EOF")
    document.full_clean()
    document.save()
    assert document.file.name.startswith("policy-documents/")
    settings.BULLETIN_REQUIRE_LOGIN = True
    url = reverse("articles:policy-file", args=[document.pk])
    assert client.get(url).status_code == 302
    client.force_login(chief)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Never by its storage path.
    assert client.get(document.file.url).status_code == 404


def test_files_are_sent_by_the_web_server_when_configured(client, chief, settings):
    document = PolicyDocumentFactory()
    document.file = SimpleUploadedFile("意见.pdf", b"%PDF-1.7\n%%EOF")
    document.save()
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_URL = "/protected"
    client.force_login(chief)
    response = client.get(reverse("articles:policy-file", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected/" + quote(document.file.name)
    assert response.content == b""


class StorageWithoutPaths(Storage):
    """Like S3-compatible storage: files have URLs, not paths on this host
    (Storage.path raises NotImplementedError); they are kept in memory."""

    def __init__(self):
        self.kept = InMemoryStorage(base_url="https://storage.example/signed/")

    def _open(self, name, mode="rb"):
        return self.kept.open(name, mode)

    def _save(self, name, content):
        return self.kept.save(name, content)

    def exists(self, name):
        return self.kept.exists(name)

    def delete(self, name):
        self.kept.delete(name)

    def size(self, name):
        return self.kept.size(name)

    def url(self, name):
        return self.kept.url(name) + "?expires=300"


@pytest.mark.parametrize(
    ("backend", "sent_as"),
    [
        ("tests.test_security.StorageWithoutPaths", "redirect"),
        ("django.core.files.storage.InMemoryStorage", "stream"),
    ],
)
def test_storage_without_local_files_is_sent_only_after_the_check(
    client, settings, reader, editor, backend, sent_as
):
    """Without a path to send, the view redirects to the storage's own URL (with
    S3: signed and short-lived) or streams from the storage, and only once the
    page's rule admitted the user."""
    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}
    settings.BULLETIN_REQUIRE_LOGIN = True
    draft = IssueFactory()
    draft.cover.save("cover.png", ContentFile(image_bytes()))
    assert default_storage.exists(draft.cover.name)
    url = reverse("issues:cover", args=[draft.pk])
    client.force_login(reader)
    refused = client.get(url)
    assert refused.status_code == 404 and "Location" not in refused
    client.force_login(editor)
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]
    if sent_as == "redirect":
        assert response.status_code == 302
        assert response["Location"] == default_storage.url(draft.cover.name)
    else:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == image_bytes()
    default_storage.delete(draft.cover.name)
    assert client.get(url).status_code == 404


def test_media_paths_outside_the_media_folder_are_not_served(client, db):
    assert client.get("/media/../bulletin/settings.py").status_code == 404
    assert client.get("/media/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_a_cover_upload_through_the_admin_is_checked(client, editor):
    issue = IssueFactory()
    client.force_login(editor)
    from tests.issues.test_admin import change_data, issue_post_data

    fields, sections, articles = change_data(issue)
    fields["cover"] = SimpleUploadedFile("cover.png", b"GIF89a not really")
    response = client.post(
        reverse("admin:issues_issue_change", args=[issue.pk]),
        issue_post_data(fields, sections, [], articles),
    )
    assert response.status_code == 200
    assert "cover" in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "path",
    ["editions/2023-08-1.pdf", "imports/issue.txt", "x/../editions/2023-08-1.pdf"],
)
def test_no_stored_file_is_served_by_path(client, db, path):
    from django.core.files.storage import default_storage

    from tests.factories import make_user

    default_storage.save(path.replace("x/../", ""), ContentFile(b"%PDF-1.7 secret"))
    client.force_login(make_user(superuser=True))
    assert client.get(f"/media/{path}").status_code == 404


def test_the_admin_links_stored_files_through_their_views(client, chief):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    issue = IssueFactory()
    issue.cover.save("cover.png", SimpleUploadedFile("cover.png", buffer.getvalue()))
    document = PolicyDocumentFactory()
    document.file = SimpleUploadedFile("意见.pdf", b"%PDF-1.7\n%%EOF")
    document.save()
    client.force_login(chief)
    issue_page = client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
    assert reverse("issues:cover", args=[issue.pk]) in issue_page.content.decode()
    policy_page = client.get(
        reverse("admin:articles_policydocument_change", args=[document.pk])
    ).content.decode()
    assert reverse("articles:policy-file", args=[document.pk]) in policy_page
    assert "/media/" not in issue_page.content.decode() + policy_page


# Request bodies larger than the site accepts -------------------------------------


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(live_server):
    """The server answers 413 to the headers alone: the body never arrives, and the
    answer comes anyway (a worker that read it would wait for it)."""
    import http.client
    from urllib.parse import urlsplit

    from django.conf import settings

    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest("POST", reverse("admin:archive_importrun_add"))
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(settings.MAX_REQUEST_BYTES + 1))
        connection.endheaders()
        connection.send(b"--x\r\n" + b"a" * 1000)
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    assert response.status == 413
    assert "内容过大" in page
    assert "未保存任何内容" in page


def test_a_body_within_the_limit_reaches_the_view(client, settings, editor):
    settings.MAX_REQUEST_BYTES = 2000
    client.force_login(editor)
    url = reverse("admin:collect_collectbatch_add")
    big = SimpleUploadedFile("page.html", b"<html>" + b"a" * 3000 + b"</html>")
    assert client.post(url, {"files": [big]}).status_code == 413
    small = client.post(url, {"links": ""})
    assert small.status_code == 200
    assert "内容过大" not in small.content.decode()
