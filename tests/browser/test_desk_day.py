"""The start of a day at the desk in a real browser: a newcomer on a phone writes, the editor
is told, the author sees the answer; the English version is made from the release."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from news import workflow
from news.models import Language, Release
from tests.browser.test_editorial_flow import log_in
from tests.factories import PublishedReleaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("SCREENSHOTS_DIR")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_newcomer_on_a_phone_starts_from_the_write_button(new_page, live_server):
    UserFactory(username="anna", roles=["Author"])
    page = log_in(new_page, live_server, "anna")
    page.set_viewport_size(PHONE)

    welcome = page.locator(".desk__welcome")
    button = page.locator(".desk__write")
    assert welcome.is_visible()
    assert page.locator(".desk__queue").count() == 0
    assert button.bounding_box()["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "desk-newcomer-phone")
    button.click()
    page.wait_for_url(f"{live_server.url}/admin/news/release/add/")


def test_the_editor_and_the_author_are_told_on_the_desk(new_page, live_server):
    author = UserFactory(username="anna", roles=["Author"])
    editor = UserFactory(username="boris", roles=["Editor"])
    release = Release.objects.create(title="Визит делегации Сербии", created_by=author)
    release.last_edited_by = author
    release.save()
    workflow.release_submit(release=release, user=author)
    PublishedReleaseFactory(title="Министр провёл переговоры с послом Китая")
    PublishedReleaseFactory(
        title="Заявление о запуске сети 5G",
        published_at=timezone.now() + datetime.timedelta(hours=20),
    )
    Release.objects.create(title="Итоги форума ТИБО", created_by=editor)

    desk = log_in(new_page, live_server, "boris")
    notice = desk.locator(".desk__notice--review")
    assert notice.inner_text() == "1 публикация ждёт вашего согласования"
    shot(desk, "desk")
    notice.locator("a").click()
    desk.wait_for_url("**/admin/news/release/?queue=review")
    assert desk.locator("#result_list tbody tr").count() == 1

    workflow.release_send_back(release=release, user=editor, comment="Уточните дату визита")
    page = log_in(new_page, live_server, "anna")
    told = page.locator(".desk__notice--send_back").inner_text()
    assert "Уточните дату визита" in told


def test_an_editor_makes_the_english_version_from_the_change_page(new_page, live_server):
    UserFactory(username="boris", roles=["Editor"])
    original = PublishedReleaseFactory(title="Визит делегации Сербии", language=Language.RU)

    page = log_in(new_page, live_server, "boris")
    page.goto(f"{live_server.url}/admin/news/release/{original.pk}/change/")
    page.get_by_role("link", name="Создать английскую версию").click()
    page.get_by_role("button", name="Создать английскую версию").click()
    page.wait_for_url("**/change/")

    translation = Release.objects.get(language=Language.EN)
    assert page.url.endswith(f"/admin/news/release/{translation.pk}/change/")
    assert translation.translation_key == original.translation_key
