"""The API's URLs, each exempt from the site's login redirect: the API answers
401 itself (api.auth), which a program can act on, rather than a login page."""

import functools

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver

from api.views import api


def _exempt(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(_plain(pattern.callback))
    return patterns


def _plain(view):
    """A function of its own (ninja's views may be bound methods), which
    keeps the view's attributes such as csrf_exempt."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


app_name = api.urls_namespace  # "api": ninja reverses its own URLs under it
urlpatterns = _exempt(api.urls[0])
