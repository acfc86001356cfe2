"""Who may read: a login for every page when required, and intranet single sign-on.

Both middlewares are always installed and read their setting on each request,
so a deployment switches them by environment alone (and tests by settings).
"""

import uuid

from django.conf import settings
from django.contrib.auth import backends, get_user_model, middleware
from django.contrib.auth.backends import RemoteUserBackend as BaseRemoteUserBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

from bulletin.roles import READER


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, active while BULLETIN_REQUIRE_LOGIN is on."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.BULLETIN_REQUIRE_LOGIN:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RemoteUserMiddleware(middleware.PersistentRemoteUserMiddleware):
    """Signs in the user named by the BULLETIN_REMOTE_USER_HEADER header, when set."""

    @property
    def header(self):
        name = settings.BULLETIN_REMOTE_USER_HEADER
        if name.upper() == "REMOTE_USER":
            return "REMOTE_USER"
        return "HTTP_" + name.upper().replace("-", "_")

    def process_request(self, request):
        if settings.BULLETIN_REMOTE_USER_HEADER:
            super().process_request(request)

    async def aprocess_request(self, request):
        if settings.BULLETIN_REMOTE_USER_HEADER:
            await super().aprocess_request(request)


class RemembersSignedInUser:
    """For a backend's get_user: the signed-in user's row is read only after it changed.

    Every request of a signed-in reader needs the user (their pages are cached
    per reader: bulletin/pages.py), and the row changes rarely (a login, an
    edit). A stamp per user in the shared cache, renewed on every save and
    delete and again on commit, tells each process when its copy is stale. The
    copy holds field values only: each request gets a new User, so permission
    caches never outlive the request.
    """

    def get_user(self, user_id):
        stamp = _user_stamp(user_id)
        known = _known_users.get(user_id)
        if known is None or known[0] != stamp:
            user = super().get_user(user_id)
            if user is None:
                return None
            known = (stamp, _field_values(user))
            _known_users[user_id] = known
        user = get_user_model().from_db(
            DEFAULT_DB_ALIAS, list(known[1]), list(known[1].values())
        )
        return user if self.user_can_authenticate(user) else None


_known_users: dict = {}


def _stamp_key(user_id) -> str:
    return f"bulletin:user-stamp:{user_id}"


def _user_stamp(user_id) -> str:
    """Read before the row, so a copy read during a change is kept under the
    stamp that the change's commit replaces."""
    key = _stamp_key(user_id)
    stamp = cache.get(key)
    if stamp is None:
        cache.add(key, uuid.uuid4().hex, None)
        stamp = cache.get(key, "")
    return stamp


def _field_values(user) -> dict:
    return {
        field.attname: getattr(user, field.attname)
        for field in user._meta.concrete_fields
    }


def user_changed(sender, instance, **kwargs):
    """post_save/post_delete of the user model: other processes' copies are stale."""

    def renew():
        cache.set(_stamp_key(instance.pk), uuid.uuid4().hex, None)

    renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(renew)


class ModelBackend(RemembersSignedInUser, backends.ModelBackend):
    """Django's, remembering the signed-in user."""


class RemoteUserBackend(RemembersSignedInUser, BaseRemoteUserBackend):
    """Users first seen through single sign-on start as readers."""

    def configure_user(self, request, user, created=True):
        if created:
            user.groups.add(Group.objects.get(name=READER))
        return user
