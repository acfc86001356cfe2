"""Every URL, for every role: the status each one gets.

The table is written by hand from what each role is for (bulletin/roles.py says
how): readers read, editors compile, chief editors sign off, archivists import
and maintain the search dictionary, superusers run the site. Production settings
apply: every page needs a login. A test below fails when an admin page exists
that the table does not cover.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from issues.models import Issue
from tests.factories import (
    AttachmentFactory,
    IssueFactory,
    SourceFactory,
    fill_issue,
)

ROLES = ("anonymous", "reader", "editor", "chief", "archivist", "superuser")
STAFF = {"editor", "chief", "archivist", "superuser"}
EVERYONE = set(ROLES) - {"anonymous"}
EDITORS = {"editor", "chief", "superuser"}
CHIEFS = {"chief", "superuser"}
IMPORTERS = {"archivist", "superuser"}
ONLY_SUPERUSER = {"superuser"}

LOGIN = "login"  # 302 to the site's login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
ANY_LOGIN = "any-login"


@pytest.fixture
def site(db, settings):
    settings.BULLETIN_REQUIRE_LOGIN = True
    published = IssueFactory(number=8, cumulative_number=26)
    fill_issue(published)
    article = published.articles.in_print_order().first()
    article.tags.set(["民营经济"])
    attachment = AttachmentFactory(article=article)
    Issue.objects.filter(pk=published.pk).update(
        status=Issue.Status.PUBLISHED, publish_date=datetime.date(2023, 8, 20)
    )
    published.refresh_from_db()
    draft = IssueFactory(
        publication=published.publication, number=9, cumulative_number=27
    )
    fill_issue(draft)
    return {
        "published": published,
        "article": article,
        "draft": draft,
        "draft_article": draft.articles.first(),
        "policy": attachment.policy_document,
        "source": SourceFactory(name="人民日报"),
        "section": published.ordered_sections().first(),
    }


def public_pages(s):
    p, a, d = s["published"], s["article"], s["draft"]
    return {
        reverse("issues:home"): EVERYONE,
        p.get_absolute_url(): EVERYONE,
        a.get_absolute_url(): EVERYONE,
        reverse("issues:section", args=[s["section"].pk]): EVERYONE,
        reverse("articles:source", args=[s["source"].pk]): EVERYONE,
        reverse("articles:tag", args=["民营经济"]): EVERYONE,
        reverse("articles:policies"): EVERYONE,
        reverse("articles:policy", args=[s["policy"].pk]): EVERYONE,
        reverse("issues:feed-issues-atom"): EVERYONE,
        reverse("issues:feed-articles-rss"): EVERYONE,
        reverse("search:results") + "?q=民营经济": EVERYONE,
        reverse("search:advanced"): EVERYONE,
        reverse("search:export") + "?q=民营经济": EVERYONE,
        reverse("editions:docx", args=[p.year, p.number]): EVERYONE,
        reverse("notifications:preferences"): EVERYONE,
        # Unpublished work: editors see it, readers get 404, archivists too.
        d.get_absolute_url(): EDITORS,
        s["draft_article"].get_absolute_url(): EDITORS,
        reverse("editions:docx", args=[d.year, d.number]): EDITORS,
        reverse("issues:preview", args=[d.pk]): EDITORS,
        # Citation files: of published issues only, for editors too.
        reverse("issues:issue-citation", args=[p.year, p.number, "bib"]): EVERYONE,
        reverse("issues:article-citation", args=[p.year, p.number, a.pk, "ris"]): (
            EVERYONE
        ),
        reverse("issues:issue-citation", args=[d.year, d.number, "ris"]): set(),
        reverse(
            "issues:article-citation",
            args=[d.year, d.number, s["draft_article"].pk, "bib"],
        ): set(),
    }


def expected_public(url, allowed, role):
    if role == "anonymous":
        return LOGIN
    if role in allowed:
        return 200
    return 403 if "/preview/" in url else 404


# model admin: (view, add, change, delete) roles, for an object that is not locked
ADMIN_MODELS = {
    "issues.publication": (STAFF, ONLY_SUPERUSER, CHIEFS, ONLY_SUPERUSER),
    "issues.section": (STAFF, CHIEFS, CHIEFS, ONLY_SUPERUSER),
    "issues.issue": (STAFF, EDITORS, EDITORS, CHIEFS),
    "issues.issuetransition": (STAFF, set(), set(), set()),
    "articles.source": (STAFF, EDITORS, EDITORS, CHIEFS),
    "articles.policydocument": (STAFF, EDITORS, EDITORS, CHIEFS),
    "articles.article": (STAFF, EDITORS, EDITORS, EDITORS),
    "taggit.tag": (STAFF, EDITORS, CHIEFS, CHIEFS),
    "search.searchterm": ({"chief", "archivist", "superuser"},) * 4,
    "archive.importrun": (IMPORTERS, IMPORTERS, set(), set()),
    "editions.edition": (STAFF, set(), set(), set()),
    "links.checkedlink": (EDITORS, set(), set(), ONLY_SUPERUSER),
    "collect.snapshot": (ONLY_SUPERUSER, set(), set(), ONLY_SUPERUSER),
    "feeds.feed": (EDITORS, EDITORS, EDITORS, EDITORS),
    "collect.collectbatch": (EDITORS, EDITORS, set(), set()),
    "api.apitoken": (ONLY_SUPERUSER,) * 4,
    "oai.metadataexport": (IMPORTERS, IMPORTERS, set(), ONLY_SUPERUSER),
    "auth.user": (ONLY_SUPERUSER,) * 4,
    "auth.group": (ONLY_SUPERUSER,) * 4,
    "axes.accessattempt": (ONLY_SUPERUSER, set(), set(), ONLY_SUPERUSER),
    "axes.accesslog": (ONLY_SUPERUSER, set(), set(), ONLY_SUPERUSER),
    "axes.accessfailurelog": (ONLY_SUPERUSER, set(), set(), ONLY_SUPERUSER),
    "django_tasks_database.dbtaskresult": (
        ONLY_SUPERUSER,
        set(),
        set(),
        ONLY_SUPERUSER,
    ),
}


def objects_for_admin(s):
    """One instance per admin model (None: the change/delete pages are not checked)."""
    from taggit.models import Tag

    return {
        "issues.publication": s["published"].publication,
        "issues.section": s["section"],
        "issues.issue": s["draft"],
        "issues.issuetransition": None,
        "articles.source": s["source"],
        "articles.policydocument": None,  # cited by a published item: tested apart
        "articles.article": s["draft_article"],
        "taggit.tag": Tag.objects.get(name="民营经济"),
    }


def expected_admin(allowed, role):
    if role == "anonymous":
        return ANY_LOGIN  # the site's or the admin's login, then back here
    if role == "reader":
        return ADMIN_LOGIN
    return 200 if role in allowed else 403


def check(client, url, expected, role):
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302, (url, role, response.status_code)
        assert response["Location"].startswith(reverse("login")), (url, role)
    elif expected == ANY_LOGIN:
        assert response.status_code == 302, (url, role, response.status_code)
        assert response["Location"].startswith(
            (reverse("login"), reverse("admin:login"))
        )
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, (url, role, response.status_code)
        assert response["Location"].startswith(reverse("admin:login")), (url, role)
    else:
        assert response.status_code == expected, (url, role, response.status_code)


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_public_pages(client, request, site, role):
    client = login(client, request, role)
    for url, allowed in public_pages(site).items():
        check(client, url, expected_public(url, allowed, role), role)


@pytest.mark.parametrize("role", ROLES)
def test_admin_model_pages(client, request, site, role):
    client = login(client, request, role)
    instances = objects_for_admin(site)
    for label, (view, add, change, delete) in ADMIN_MODELS.items():
        app_label, model_name = label.split(".")
        base = f"admin:{app_label}_{model_name}"
        check(client, reverse(f"{base}_changelist"), expected_admin(view, role), role)
        check(client, reverse(f"{base}_add"), expected_admin(add, role), role)
        instance = instances.get(label)
        if instance is not None:
            change_url = reverse(f"{base}_change", args=[instance.pk])
            # The change page is a read-only view for roles that may only view.
            check(client, change_url, expected_admin(view | change, role), role)
            check(
                client,
                reverse(f"{base}_delete", args=[instance.pk]),
                expected_admin(delete, role),
                role,
            )
            check(
                client,
                reverse(f"{base}_history", args=[instance.pk]),
                expected_admin(view, role),
                role,
            )


@pytest.mark.parametrize("role", ROLES)
def test_locked_objects_and_workflow_pages(client, request, site, role):
    client = login(client, request, role)
    published, article = site["published"], site["article"]
    pages = {
        # Published: everyone on the staff may look, nobody may delete.
        reverse("admin:issues_issue_change", args=[published.pk]): STAFF,
        reverse("admin:issues_issue_delete", args=[published.pk]): set(),
        reverse("admin:articles_article_change", args=[article.pk]): STAFF,
        reverse("admin:articles_article_delete", args=[article.pk]): set(),
        reverse(
            "admin:articles_policydocument_change", args=[site["policy"].pk]
        ): STAFF,
        reverse(
            "admin:articles_policydocument_delete", args=[site["policy"].pk]
        ): set(),
        reverse("admin:issues_issue_preflight", args=[site["draft"].pk]): STAFF,
        reverse("admin:articles_article_titles"): EDITORS,
        reverse("admin:index"): STAFF,
    }
    for url, allowed in pages.items():
        check(client, url, expected_admin(allowed, role), role)


@pytest.mark.parametrize("role", ROLES)
def test_admin_actions_and_workflow_posts(client, request, site, role):
    """POSTs that change things: workflow steps, bulk delete, corrections."""
    client = login(client, request, role)
    draft = site["draft"]
    response = client.post(
        reverse("admin:issues_issue_transition", args=[draft.pk, "submit"]),
        {"comment": ""},
    )
    draft.refresh_from_db()
    if role in EDITORS:
        assert draft.status == Issue.Status.IN_REVIEW, role
    else:
        assert draft.status == Issue.Status.DRAFT, role
        assert response.status_code == 302, role

    published_article = site["article"]
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [published_article.pk],
            "post": "yes",
        },
    )
    assert Article.objects.filter(pk=published_article.pk).exists(), role


@pytest.mark.parametrize("role", ROLES)
def test_import_pages(client, request, site, role):
    from django.core.files.base import ContentFile

    from archive.models import ImportRun

    run = ImportRun(original_name="issue.txt")
    run.file.save("issue.txt", ContentFile("信息摘编".encode()))
    client = login(client, request, role)
    urls = [reverse("admin:archive_importrun_add")] + [
        reverse(f"admin:archive_importrun_{page}", args=[run.pk])
        for page in ("confirm", "progress", "file")
    ]
    for url in urls:
        check(client, url, expected_admin(IMPORTERS, role), role)


@pytest.mark.parametrize("role", ROLES)
def test_only_chief_editors_may_rebuild_editions(client, request, site, role):
    published = site["published"]
    client = login(client, request, role)
    url = reverse("editions:rebuild", args=[published.year, published.number])
    response = client.post(url)
    if role == "anonymous":
        assert response.status_code == 302, role
        assert response["Location"].startswith(reverse("login")), role
    else:
        expected = 302 if role in CHIEFS else 403
        assert response.status_code == expected, (role, response.status_code)
    assert client.get(url).status_code in (302, 405), role


def test_the_table_covers_every_admin_model():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


@pytest.fixture
def stored_files(site):
    """A file of every kind in the media store: covers and documents of published
    and draft issues, an edition of an issue unpublished again, an import upload."""
    from django.core.files.base import ContentFile

    from archive.models import ImportRun
    from editions.models import Edition
    from tests.factories import PolicyDocumentFactory, arranged

    png = _png()
    published, draft = site["published"], site["draft"]
    with arranged():
        published.cover.save("published.png", ContentFile(png))
    draft.cover.save("draft.png", ContentFile(png))
    site["policy"].file.save("cited.pdf", ContentFile(b"%PDF-1.7 cited"), save=False)
    with arranged():
        site["policy"].save()
    draft_only = PolicyDocumentFactory(title="只在草稿中引用的政策")
    draft_only.file.save("draft-only.pdf", ContentFile(b"%PDF-1.7 draft"))
    site["draft_article"].policy_documents.add(draft_only)
    withdrawn = IssueFactory(
        publication=published.publication, number=10, cumulative_number=28
    )
    edition = Edition(issue=withdrawn, kind="pdf", status=Edition.Status.READY)
    edition.file.save("2023-10-3.pdf", ContentFile(b"%PDF-1.7 withdrawn"))
    current = Edition(issue=published, kind="pdf", status=Edition.Status.READY)
    current.file.save("2023-08-1.pdf", ContentFile(b"%PDF-1.7 published"))
    run = ImportRun(original_name="issue.txt")
    run.file.save("issue.txt", ContentFile("信息摘编".encode()))
    return {
        "published_cover": published.cover.name,
        "draft_cover": draft.cover.name,
        "cited_document": site["policy"].file.name,
        "draft_document": draft_only.file.name,
        "withdrawn_edition": edition.file.name,
        "import_upload": run.file.name,
        "published_edition": current.file.name,
        "draft_only": draft_only,
        "editions": (current, edition),
    }


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("role", ROLES)
def test_stored_files_are_served_only_under_their_pages_rules(
    client, request, site, stored_files, role
):
    client = login(client, request, role)
    published, draft = site["published"], site["draft"]
    pages = {
        reverse("issues:cover", args=[published.pk]): EVERYONE,
        reverse("issues:cover", args=[draft.pk]): EDITORS,
        reverse("articles:policy-file", args=[site["policy"].pk]): EVERYONE,
        reverse("articles:policy-file", args=[stored_files["draft_only"].pk]): EDITORS,
        reverse("articles:policy", args=[stored_files["draft_only"].pk]): EDITORS,
    }
    for url, allowed in pages.items():
        check(client, url, expected_public(url, allowed, role), role)
    # No stored file is served by its path, to anyone.
    current, withdrawn = stored_files["editions"]
    for edition, allowed in ((current, EVERYONE), (withdrawn, EDITORS)):
        url = reverse("editions:file", args=[edition.pk])
        check(client, url, expected_public(url, allowed, role), role)
    for name in stored_files.values():
        if isinstance(name, str):
            response = client.get(f"/media/{name}")
            assert response.status_code in (302, 404), (name, role)
            assert not response.get("Content-Disposition"), (name, role)


def test_the_policy_register_lists_draft_only_documents_for_editors_only(
    client, site, stored_files, reader, editor
):
    url = reverse("articles:policies")
    client.force_login(reader)
    assert "只在草稿中引用的政策" not in client.get(url).content.decode()
    client.force_login(editor)
    assert "只在草稿中引用的政策" in client.get(url).content.decode()
