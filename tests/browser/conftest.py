"""A headless Chromium from the system's packages, driven by Playwright.

Install: `pip install playwright` (in requirements.txt) and `apt-get install -y chromium`;
never `playwright install`. CHROMIUM_PATH points elsewhere when the browser lives elsewhere.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: pip install playwright"
    )
    path = chromium_path()
    if path is None:
        pytest.skip("No Chromium found: apt-get install -y chromium (or set CHROMIUM_PATH)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page_in_context(browser) -> Iterator:
    """Open a page in a browser session of its own, made with these options (Russian and Minsk
    unless they say otherwise); all are closed after the test.

    Closing them before the live server stops ends Chromium's keep-alive connections, whose
    server threads would otherwise outlive the shared test database connection.
    """
    contexts = []

    def open_page(**options):
        options = {"locale": "ru-RU", "timezone_id": "Europe/Minsk", **options}
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(page_in_context) -> Callable:
    """Open pages, each in its own browser session."""
    return page_in_context
