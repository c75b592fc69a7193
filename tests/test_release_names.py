"""Names that say what they are: a release's state, the security log, the slug helpers."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.utils import timezone

from news.models import State
from tests.factories import ReleaseFactory

NOW = timezone.now()


@pytest.mark.parametrize(
    ("state", "published_at", "published", "public"),
    [
        (State.DRAFT, None, False, False),
        (State.PUBLISHED, NOW + datetime.timedelta(hours=1), True, False),  # scheduled
        (State.PUBLISHED, NOW - datetime.timedelta(hours=1), True, True),  # live
        (State.WITHDRAWN, NOW - datetime.timedelta(hours=1), False, False),
    ],
    ids=["draft", "scheduled", "live", "withdrawn"],
)
def test_is_published_whatever_the_time_and_is_public_once_the_time_has_come(
    state, published_at, published, public
):
    release = ReleaseFactory.build(state=state, published_at=published_at)

    assert release.is_published is published
    assert release.is_public is public


def test_the_security_log_and_the_slug_helpers_live_in_modules_named_for_them():
    security_log = importlib.import_module("news.security_log")
    slugs = importlib.import_module("news.slugs")

    assert security_log.logger.name == "ministry.security"
    assert slugs.latin_slug("Сербия") == "serbiia"
    for old in ("news.accounts", "news.text"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(old)
