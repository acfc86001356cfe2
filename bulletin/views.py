"""Site-wide views: errors."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5


def server_error(request):
    """handler500: a database that is away (restart, failover) is a 503 to retry.

    Django's CONN_HEALTH_CHECKS drops the broken connection, so the next request
    reconnects by itself: no restart of the web workers is needed. This sees
    failures from middleware (sessions, login) as well as from views.
    """
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))
