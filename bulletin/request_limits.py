"""A request body larger than any form of the site accepts is refused from its
Content-Length, before a byte of it is read: no worker spends memory, disk or
time receiving it only to refuse it afterwards."""

from django.conf import settings
from django.template.response import TemplateResponse


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django answers a malformed length as an empty body
        if length > limit:
            response = TemplateResponse(
                request, "413.html", {"size": length, "limit": limit}, status=413
            )
            response.render()
            # Sent with its length, so the client reads the answer whole
            # while the body it meant to send stays unread.
            response["Content-Length"] = str(len(response.content))
            return response
        return self.get_response(request)
