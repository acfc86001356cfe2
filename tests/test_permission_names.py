"""Permissions are named in Chinese on the group and user pages, even though
Django stores them in English when migrate creates them."""

from django.contrib.auth.models import Permission
from django.core.management import call_command

from bulletin.permission_names import name_permissions


def test_permissions_are_named_in_chinese_after_migrate(db):
    names = dict(Permission.objects.values_list("codename", "name"))
    assert names["add_article"] == "可以添加条目"
    assert names["approve_issue"] == "可审核签发期刊（签发、退回）"
    assert not [n for n in names.values() if n.startswith("Can ")]


def test_a_permission_stored_in_english_is_renamed(db):
    Permission.objects.filter(codename="change_source").update(name="Can change source")
    name_permissions()
    assert Permission.objects.get(codename="change_source").name == "可以修改来源"


def test_the_group_page_lists_permissions_in_chinese(client, superuser):
    call_command("migrate", verbosity=0)
    client.force_login(superuser)
    page = client.get("/admin/auth/group/add/").content.decode()
    assert "可以添加条目" in page
    assert "Can add" not in page
