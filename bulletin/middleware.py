"""When the database is away (a restart, a failover), say so instead of a 500."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Answers 503 with Retry-After while the database cannot be reached.

    Django's CONN_HEALTH_CHECKS drops the broken connection, so the next request
    reconnects by itself: no restart of the web workers is needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
