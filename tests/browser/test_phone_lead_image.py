"""The seed release on a phone: the lead image Chromium really downloads weighs under 150 KB.

A phone 390 CSS pixels wide at 2x and 3x density: the <picture> offers AVIF and WebP by width
with `sizes`, and the browser picks. Every image response is recorded with its body's size;
run with -s to see them (the README's table of sizes served).

The live server runs with DEBUG off, so nothing serves /media/; this module's own URLconf adds
Django's static file view for it, in front of the project's URLs. The module's name sorts
after test_editorial_flow.py, whose role groups a transactional test's flush would remove.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from ministry.urls import urlpatterns as project_urlpatterns
from news.demo import load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(__name__),
]

PHONE = {"width": 390, "height": 844}
BUDGET = 150 * 1024


def media(request, path: str):
    # MEDIA_ROOT is read per request: each test stores its media in its own tmp_path.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *project_urlpatterns]


@pytest.mark.parametrize("density", [2, 3])
def test_phone_loads_the_seed_release_lead_image_under_150_kb(browser, live_server, density):
    release = load_demo()
    folder = release.lead_image.file.rsplit("/", 1)[0]
    context = browser.new_context(
        locale="ru-RU",
        timezone_id="Europe/Minsk",
        viewport=PHONE,
        device_scale_factor=density,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        responses = []
        page.on(
            "response",
            lambda response: (
                responses.append(response) if response.request.resource_type == "image" else None
            ),
        )
        assert page.goto(f"{live_server.url}{release.get_absolute_url()}").status == 200
        page.wait_for_load_state("networkidle")
        page.wait_for_function("document.querySelector('.release__image img')?.complete === true")
        current = page.evaluate("document.querySelector('.release__image img').currentSrc")
        images = [
            (response.url.removeprefix(live_server.url), response.status, len(response.body()))
            for response in responses
        ]
    finally:
        context.close()

    print(f"\nPhone 390×844 @{density}x, images loaded:")  # noqa: T201
    for url, status, size in images:
        print(f"  {status} {size / 1024:6.1f} KB  {url}")  # noqa: T201

    lead = [(url, status, size) for url, status, size in images if folder in url]
    assert len(lead) == 1, images  # one rendition, not several
    [(url, status, size)] = lead
    assert status == 200
    assert current.endswith(url)
    assert url.endswith(".avif"), "Chromium reads AVIF: the first <source> should win"
    assert size < BUDGET, f"{url}: {size / 1024:.0f} KB"
