from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from oai import protocol
from oai.access import may_harvest


# Harvesters send no session or CSRF token; POST is part of the protocol (3.1.1).
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    if not may_harvest(request):
        return redirect_to_login(request.get_full_path())
    params = request.POST if request.method == "POST" else request.GET
    body = protocol.respond(params)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
