"""The four roles of the office and what each may do, as Django groups.

The groups are made to match this table after every `migrate` (post_migrate, as
Django creates permissions), and tests read it, so the permission matrix is
written down once and no migration depends on what it says today.
"""

EDITOR = "编辑"
CHIEF_EDITOR = "主编"
ARCHIVIST = "档案员"
READER = "读者"

_CONTENT = [
    "issues.view_publication",
    "issues.view_section",
    "issues.view_issue",
    "issues.add_issue",
    "issues.change_issue",
    "issues.view_issuesection",
    "issues.add_issuesection",
    "issues.change_issuesection",
    "issues.delete_issuesection",
    "issues.view_boardmember",
    "issues.add_boardmember",
    "issues.change_boardmember",
    "issues.delete_boardmember",
    "issues.view_issuetransition",
    "articles.view_article",
    "articles.add_article",
    "articles.change_article",
    "articles.delete_article",
    "articles.view_source",
    "articles.add_source",
    "articles.change_source",
    "articles.view_sourcealias",
    "articles.add_sourcealias",
    "articles.change_sourcealias",
    "articles.delete_sourcealias",
    "articles.view_policydocument",
    "articles.add_policydocument",
    "articles.change_policydocument",
    "articles.view_articlepolicydocument",
    "articles.add_articlepolicydocument",
    "articles.change_articlepolicydocument",
    "articles.delete_articlepolicydocument",
    "articles.view_correction",
    "taggit.view_tag",
    "taggit.add_tag",
    "editions.view_edition",
    "links.view_checkedlink",
    "feeds.view_feed",
    "feeds.add_feed",
    "feeds.change_feed",
    "feeds.delete_feed",
    "feeds.view_feedentry",
]

GROUP_PERMISSIONS = {
    EDITOR: _CONTENT,
    CHIEF_EDITOR: _CONTENT
    + [
        "issues.approve_issue",
        "issues.publish_issue",
        "issues.delete_issue",
        "issues.add_section",
        "issues.change_section",
        "issues.change_publication",
        "articles.correct_article",
        "articles.delete_source",
        "articles.delete_policydocument",
        "taggit.change_tag",
        "taggit.delete_tag",
        "search.view_searchterm",
        "search.add_searchterm",
        "search.change_searchterm",
        "search.delete_searchterm",
    ],
    ARCHIVIST: [
        "search.view_searchterm",
        "search.add_searchterm",
        "search.change_searchterm",
        "search.delete_searchterm",
        "editions.view_edition",
        "issues.view_publication",
        "issues.view_section",
        "issues.view_issue",
        "issues.import_issue",
        "oai.view_metadataexport",
        "oai.add_metadataexport",
        "issues.view_issuesection",
        "issues.view_boardmember",
        "issues.view_issuetransition",
        "articles.view_article",
        "articles.view_source",
        "articles.view_sourcealias",
        "articles.view_policydocument",
        "articles.view_articlepolicydocument",
        "articles.view_correction",
        "taggit.view_tag",
    ],
    # Readers only read the published site; they never enter the admin.
    READER: [],
}

# Roles that work in the admin get is_staff; readers do not.
STAFF_ROLES = {EDITOR, CHIEF_EDITOR, ARCHIVIST}


def sync_groups(apps=None, **kwargs) -> None:
    """Make the groups match GROUP_PERMISSIONS, as far as the permissions exist.

    Runs after each app's migrations (post_migrate, after Django created that
    app's permissions), so the last run sees every permission.
    """
    from django.apps import apps as global_apps

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {
        tuple(dotted.split("."))
        for codenames in GROUP_PERMISSIONS.values()
        for dotted in codenames
    }
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    }
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                found[key]
                for key in (tuple(d.split(".")) for d in codenames)
                if key in found
            ]
        )
