"""Who may harvest: the pages' rule (a login when BULLETIN_REQUIRE_LOGIN is on),
or, without a login, a harvester on the OAI_HARVESTERS allow-list of addresses
(networks allowed, e.g. 10.1.0.0/16) or one that presents OAI_TOKEN as
`?token=` or in the `X-OAI-Token` header."""

import hmac
import ipaddress

from django.conf import settings


def _listed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.OAI_HARVESTERS:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _has_token(request) -> bool:
    expected = settings.OAI_TOKEN
    given = request.GET.get("token") or request.headers.get("X-OAI-Token", "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def may_harvest(request) -> bool:
    if not settings.BULLETIN_REQUIRE_LOGIN or request.user.is_authenticated:
        return True
    return _has_token(request) or _listed(request.META.get("REMOTE_ADDR", ""))
