"""Permissions named in the interface's language.

Django names a model's permissions ("Can add item") when `migrate` creates them,
with translations switched off, and stores the English; the group and user pages
show those names. After each migrate they are renamed in LANGUAGE_CODE.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}
NAME_LENGTH = 255


def permission_name(model, codename: str) -> str | None:
    """The name `codename` of `model` should have, in the active language."""
    custom = dict(model._meta.permissions)
    if codename in custom:
        return str(custom[codename])
    action, _sep, model_name = codename.partition("_")
    if action in DEFAULT_ACTIONS and model_name == model._meta.model_name:
        return str(DEFAULT_ACTIONS[action] % {"model": model._meta.verbose_name})
    return None


def name_permissions(using="default", **kwargs) -> None:
    """Rename the stored permissions; runs after each app's migrations."""
    Permission = global_apps.get_model("auth", "Permission")
    renamed = []
    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.using(using).select_related(
            "content_type"
        ):
            model = permission.content_type.model_class()
            if model is None:
                continue
            name = permission_name(model, permission.codename)
            if name and permission.name != name[:NAME_LENGTH]:
                permission.name = name[:NAME_LENGTH]
                renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
