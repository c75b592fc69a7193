from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.utils import translation

from tests.factories import UserFactory
from tests.smtp import smtp_server  # noqa: F401 - the real SMTP server fixture, for every test

SEED_FILE = Path(__file__).resolve().parent.parent / "news" / "demo" / "serbia_visit_2024.txt"


@pytest.fixture
def seed_file() -> Path:
    """The release that started the project, as the ministry's site published it."""
    return SEED_FILE


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache_for_each_test():
    """Each test starts with no cached page or fragment: its database is not the last test's."""
    for store in caches.all(initialized_only=True):
        store.clear()
    yield
    for store in caches.all(initialized_only=True):
        store.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to /be/ or /en/ leaves its language active in the thread: reset it."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def author(db):
    return UserFactory(username="author", roles=["Author"])


@pytest.fixture
def other_author(db):
    return UserFactory(username="other-author", roles=["Author"])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", roles=["Editor"])


@pytest.fixture
def other_editor(db):
    return UserFactory(username="other-editor", roles=["Editor"])


@pytest.fixture
def publisher(db):
    return UserFactory(username="publisher", roles=["Publisher"])


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("chief", password="not-a-real-password-1")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives a real headless Chromium; skipped where there is none"
    )
