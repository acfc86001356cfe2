"""Who may read the API: the pages' rule, with a bearer token besides the session.

While BULLETIN_REQUIRE_LOGIN is on, a request needs a signed-in session or an
``Authorization: Bearer <token>`` header (api.models.ApiToken); off, anyone may
read, as anyone may read the pages. A token that is sent must be valid either
way: a harvester with a revoked token should hear so rather than read on.
"""

from django.conf import settings
from ninja.security import HttpBearer

from api.models import ApiToken


class TokenOrSession(HttpBearer):
    def __call__(self, request):
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() == self.openapi_scheme:
            return self.authenticate(request, token.strip())
        if request.user.is_authenticated:
            return request.user
        if not settings.BULLETIN_REQUIRE_LOGIN:
            return request.user  # the anonymous reader
        return None

    def authenticate(self, request, token):
        record = ApiToken.objects.for_token(token)
        if record is None:
            return None
        record.mark_used()
        request.user = record.owner
        return record.owner
