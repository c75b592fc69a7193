"""axe-core on the public pages in a real Chromium: no serious or critical violation anywhere.

axe-core comes from the npm registry (package.json, `npm ci`); without it these tests skip. The
site's CSP forbids scripts it does not serve, so the browser context bypasses CSP to inject axe.

The module's name sorts after test_editorial_flow.py on purpose: transactional tests flush the
database after they run, which removes the role groups migration 0003 made and that test needs.

SCREENSHOTS_DIR=docs/img also saves the home and seed release pages at desktop (1366 px) and
phone (390 px) widths, the release page whole at both (the README's pictures).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from news.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# All of axe's rules: WCAG 2.1 A and AA, and its best practices (landmarks, heading order...).
AXE_OPTIONS = {"resultTypes": ["violations"]}
SERIOUS = ("serious", "critical")


@pytest.fixture
def open_page(page_in_context) -> Callable:
    """Open a page in its own context, which may inject axe past the site's CSP."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` in the repository")

    def open_page(viewport: dict[str, int] = DESKTOP):
        return page_in_context(bypass_csp=True, viewport=viewport)

    return open_page


@pytest.fixture
def seed():
    return load_demo()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in SERIOUS
    ]


def check(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert serious_violations(page) == [], url


def test_home_page_has_no_serious_accessibility_violations(open_page, live_server, seed):
    check(open_page(), f"{live_server.url}/")


def test_release_page_has_no_serious_accessibility_violations(open_page, live_server, seed):
    check(open_page(), f"{live_server.url}{seed.get_absolute_url()}")


def test_official_page_has_no_serious_accessibility_violations(open_page, live_server, seed):
    official = seed.officials.order_by("full_name").first()
    check(open_page(), f"{live_server.url}{official.get_absolute_url()}")


INDEXES = ["/officials/", "/organisations/", "/topics/", "/countries/", "/delegations/"]
# The press service's pages, and a visit's page with its programme (load_demo gives both).
INDEXES += ["/about/contacts/", "/about/accreditation/", "/about/accessibility/"]
INDEXES += ["/en/about/privacy/", "/be/about/privacy/"]
INDEXES += ["/delegations/vizit-delegatsii-serbii-2024-08/"]


# Every text size and colour scheme, with wide spacing and no images on the largest text.
LOW_VISION_SETTINGS = [
    f"size={size}&scheme={scheme}" + ("&spacing=wide&images=off" if size == "3" else "")
    for size in ("1", "2", "3")
    for scheme in ("bw", "wb", "blue")
]


@pytest.mark.parametrize("display", ["", *LOW_VISION_SETTINGS])
def test_index_pages_have_no_serious_violations_and_fit_a_phone(
    open_page, live_server, seed, display
):
    page = open_page(PHONE)
    if display:
        page.goto(f"{live_server.url}/low-vision/?mode=on&{display}&next=/")
    for url in INDEXES:
        check(page, f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url


def test_search_page_has_no_serious_accessibility_violations(open_page, live_server, seed):
    page = open_page()
    page.goto(f"{live_server.url}/")
    # Search as a reader does: type in the header's box and press Enter, no script needed.
    page.fill("#site-search-q", "Сербии")
    page.press("#site-search-q", "Enter")
    page.wait_for_load_state()
    assert seed.title in page.inner_text("main")
    assert page.locator("mark").count() > 0
    assert serious_violations(page) == []
    check(page, f"{live_server.url}/search/?q=кукуруза&kind=visit")


def test_low_vision_mode_has_no_serious_violations_and_bigger_type(open_page, live_server, seed):
    page = open_page()
    page.goto(f"{live_server.url}{seed.get_absolute_url()}")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    page.get_by_role("link", name="Версия для слабовидящих").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}{seed.get_absolute_url()}"
    assert page.evaluate("document.documentElement.className").startswith("low-vision ")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal * 1.2
    assert serious_violations(page) == []
    check(page, f"{live_server.url}/")


def test_low_vision_mode_fits_a_phone_screen(open_page, live_server, seed):
    page = open_page(PHONE)
    page.goto(f"{live_server.url}/low-vision/?mode=on&next=/search/%3Fq%3Dserb")
    for url in ["/", seed.get_absolute_url(), "/search/?q=Сербии", "/be/archive/"]:
        page.goto(f"{live_server.url}{url}")
        assert "low-vision" in page.evaluate("document.documentElement.className"), url
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url


@pytest.mark.parametrize("display", LOW_VISION_SETTINGS)
def test_every_low_vision_setting_is_accessible_and_fits_a_phone(
    open_page, live_server, seed, display
):
    page = open_page(PHONE)
    page.goto(f"{live_server.url}/low-vision/?mode=on&{display}&next=/")
    for url in ["/", seed.get_absolute_url()]:
        check(page, f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_pages_fit_the_screen_and_screenshots(open_page, live_server, seed, phone):
    page = open_page(PHONE if phone else DESKTOP)
    width = "phone" if phone else "desktop"
    for name, url in [("home", "/"), ("release", seed.get_absolute_url())]:
        page.goto(f"{live_server.url}{url}")
        # Nothing sideways: the page reflows to the screen's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        if os.environ.get("SCREENSHOTS_DIR"):
            folder = Path(os.environ["SCREENSHOTS_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            # The release whole at both widths: source, contact and names are far down it.
            page.screenshot(
                path=str(folder / f"public-{name}-{width}.png"),
                full_page=not phone or name == "release",
            )
