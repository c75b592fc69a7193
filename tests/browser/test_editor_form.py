"""The release editing screen in a real browser, as an author and an editor use it, on a
desktop and on a phone 390 px wide.

Saves the screenshots docs/img/editor-form-desktop.png, editor-form-phone.png and
editor-checklist.png that the README's guide for editors shows.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from news.demo import load_demo
from news.models import Release, State
from tests.factories import ReleaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-1"
# The README's pictures only when asked for (SCREENSHOTS_DIR=docs/img); else a throwaway folder.
IMG = Path(os.environ.get("SCREENSHOTS_DIR") or tempfile.mkdtemp(prefix="editor-form-"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def authors_draft_of_the_seed_release(username: str) -> Release:
    """The seed release's text as an author's own Russian draft, with nothing linked yet."""
    seed = load_demo()
    author = UserFactory(username=username, roles=["Author"])
    draft = Release.objects.create(
        title=seed.title,
        summary=seed.summary,
        body=seed.body,
        kind=seed.kind,
        place=seed.place,
        state=State.DRAFT,
        created_by=author,
        slug="draft-of-the-seed",
    )
    draft.tags.set(seed.tags.names()[:4])
    return draft


def open_as(browser, live_server, username: str, viewport: dict):
    context = browser.new_context(
        locale="ru-RU", timezone_id="Europe/Minsk", viewport=viewport, is_mobile=viewport == PHONE
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page, errors


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def title_is_shown_whole(page) -> bool:
    return page.evaluate(
        "(() => { const t = document.querySelector('#id_title');"
        " return t.scrollHeight <= t.clientHeight + 1 && t.scrollWidth <= t.clientWidth + 1; })()"
    )


def test_author_on_a_phone_scrolls_no_sideways_and_meets_the_mentions_before_saving(
    browser, live_server
):
    draft = authors_draft_of_the_seed_release("anna")
    context, page, errors = open_as(browser, live_server, "anna", PHONE)
    try:
        page.goto(f"{live_server.url}/admin/news/release/{draft.pk}/change/")
        page.wait_for_selector(".topic-chip")

        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width} px wide"
        assert title_is_shown_whole(page)
        mentions, save = box(page, "section.mentions"), box(page, "#release_form .submit-row")
        assert mentions["y"] + mentions["height"] < save["y"]
        assert page.locator("button.mention__link").count() > 0
        page.screenshot(
            path=IMG / "editor-form-phone.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": PHONE["width"], "height": 2400},
        )
        assert errors == []
    finally:
        context.close()


def test_author_at_a_desktop_has_the_mentions_beside_the_text_and_topics_as_chips(
    browser, live_server
):
    draft = authors_draft_of_the_seed_release("anna")
    ReleaseFactory(tags=["почтовая связь", "Экономика"])
    context, page, errors = open_as(browser, live_server, "anna", DESKTOP)
    try:
        page.goto(f"{live_server.url}/admin/news/release/{draft.pk}/change/")
        page.wait_for_selector(".topic-chip")

        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        assert title_is_shown_whole(page)
        text, aside = box(page, ".release-editor__text"), box(page, ".release-editor__aside")
        assert aside["x"] >= text["x"] + text["width"]  # beside, not below
        assert aside["y"] < DESKTOP["height"]  # in sight without scrolling
        page.screenshot(path=IMG / "editor-form-desktop.png")

        # Topics: chips, nothing quoted; an existing topic is offered whatever the case typed.
        chips = page.locator(".topic-chip span")
        assert chips.count() == 4
        entry = page.locator(".topic-entry")
        entry.click()
        entry.press_sequentially("ПОЧТ")
        page.wait_for_selector('datalist option[value="почтовая связь"]', state="attached")
        entry.fill("ЭКОНОМИКА")
        page.wait_for_selector('datalist option[value="Экономика"]', state="attached")
        entry.press("Enter")  # adds the topic; does not post the form
        assert chips.count() == 5
        assert "Экономика" in chips.all_inner_texts()
        page.get_by_role("button", name=f"Убрать тему {chips.first.inner_text()}").click()
        assert chips.count() == 4

        page.click('input[name="_continue"]')
        page.wait_for_load_state()
        draft.refresh_from_db()
        assert "Экономика" in draft.tags.names()
        assert len(draft.tags.names()) == 4

        # One click links one mention; the panel says it is linked.
        page.get_by_role("button", name="Связать Константин Шульган").click()
        page.wait_for_load_state()
        assert draft.officials.filter(full_name="Константин Шульган").exists()
        assert errors == []
    finally:
        context.close()


def test_editor_reviews_through_the_checklist_and_the_rendered_preview(browser, live_server):
    draft = authors_draft_of_the_seed_release("anna")
    Release.objects.filter(pk=draft.pk).update(state=State.SUBMITTED)
    UserFactory(username="boris", roles=["Editor"])
    context, page, errors = open_as(browser, live_server, "boris", DESKTOP)
    try:
        page.goto(f"{live_server.url}/admin/news/release/{draft.pk}/change/")
        checklist = page.locator("details.checklist")
        assert "Нет источника" in checklist.inner_text()
        assert box(page, "details.checklist")["y"] < box(page, 'form[data-move="approve"]')["y"]
        page.locator("section.workflow").screenshot(path=IMG / "editor-checklist.png")

        with context.expect_page() as opened:
            page.get_by_role("link", name="Предпросмотр: как увидят читатели").click()
        preview = opened.value
        preview.wait_for_load_state()
        assert draft.title in preview.locator("h1").inner_text()
        assert "Предпросмотр" in preview.locator(".notice--preview").inner_text()

        # "View on site" of a release not public yet opens the same preview, not a 404.
        href = page.locator("a.viewsitelink").get_attribute("href")
        assert page.goto(f"{live_server.url}{href}").status == 200
        assert errors == []
    finally:
        context.close()
