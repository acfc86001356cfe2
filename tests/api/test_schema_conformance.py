"""schemathesis generates requests from the API's own OpenAPI schema and checks
every answer against it: status codes, content types and bodies as documented,
invalid input refused, and no answer without the token while a login is
required. Bounded: 20 examples per operation and mode, no deadline.

(Driven by Hypothesis directly: schemathesis's pytest plugin does not run
under pytest 9 yet.)
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from api.views import api
from tests.factories import IssueFactory, fill_issue

from .conftest import publish

OPERATIONS = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema(path_params={})["paths"].items()
    for method in methods
]


@pytest.fixture
def connection_kept(db):
    """Django's test client keeps the test's database connection open across
    requests; the WSGI application schemathesis calls must too."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(connection_kept, settings, published, draft, token):
    settings.BULLETIN_REQUIRE_LOGIN = True
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    later = IssueFactory(year=2024, number=1, cumulative_number=30)
    fill_issue(later)
    publish(later)
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def test_every_operation_is_checked():
    assert len(OPERATIONS) == 5


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_api_answers_as_its_schema_says(api_schema, token, method, path, mode):
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {token}"}

    @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
    @hypothesis_settings(
        max_examples=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    def answers(case):
        case.call_and_validate()

    answers()
