"""The API against its own OpenAPI description, in-process: schemathesis finds no failure.

A short run for every test suite; scripts/schemathesis.sh runs a longer one against a live server.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from tests.factories import OfficialFactory, PublishedReleaseFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 12


@pytest.fixture
def keep_the_test_connection():
    """Requests through WSGI would close the test's connection at their end, as Django's own
    test client prevents: do the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_conforms_to_the_description_and_never_fails(
    settings, keep_the_test_connection
):
    settings.NEWS_API_RATE = "100000/m"
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    release = PublishedReleaseFactory(slug="vizit", tags=["Сербия"])
    release.officials.add(OfficialFactory(slug="shulgan"))
    from ministry.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        check()
