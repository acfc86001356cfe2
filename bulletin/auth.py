"""Who may read: a login for every page when required, and intranet single sign-on.

Both middlewares are always installed and read their setting on each request,
so a deployment switches them by environment alone (and tests by settings).
"""

from django.conf import settings
from django.contrib.auth import middleware
from django.contrib.auth.backends import RemoteUserBackend as BaseRemoteUserBackend
from django.contrib.auth.models import Group

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


class RemoteUserBackend(BaseRemoteUserBackend):
    """Users first seen through single sign-on start as readers."""

    def configure_user(self, request, user, created=True):
        if created:
            user.groups.add(Group.objects.get(name=READER))
        return user
