"""A press office's day in the Russian admin, in Chromium: an author, an editor and a publisher,
each in their own browser session, take a release with photos and a document from a blank form
to the site, correct it and take it down. No page on the way may answer 403 or 5xx or show an
English word.

SCREENSHOTS_DIR=docs/img also saves the README's pictures of the desk (editor-desk.png) and of
Compare on a pending correction (editor-compare.png). The editing screen and the checklist are
saved by test_editor_form.py.

Steps marked "needs a2" pass once a live release's sources are corrected through its pending
version and Compare sets the pending version against the live one.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image as PillowImage

from news.demo import load_catalogue
from news.models import Release, State
from tests.browser.test_editorial_flow import PASSWORD, move
from tests.factories import UserFactory
from tests.test_admin_language import english_words, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PEOPLE = {"anna": "Author", "boris": "Editor", "vera": "Publisher"}
# Names, not words: the people's user names, the formats and the networks a public page offers.
NAMES = {*PEOPLE, "RSS", "Atom", "PDF", "VK", "Facebook", "Telegram"}
WRONG = "https://www.mpt.gov.by/ru/news/wrong-address"
RIGHT = "https://www.mpt.gov.by/ru/news/vizit-v-belgrad"
TITLE = "Министр связи Константин Шульган провёл переговоры в Белграде"
BODY = (
    "Министр связи и информатизации Константин Шульган провёл переговоры с сербскими "
    "коллегами. Стороны обсудили сотрудничество в области почтовой связи. "
    "Константин Шульган пригласил партнёров в Минск."
)
# The smallest PDF a reader opens: one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def photo(colour: str) -> dict:
    """A JPEG as a camera would hand it over, in memory: Playwright uploads it as a file."""
    out = io.BytesIO()
    PillowImage.new("RGB", (1200, 800), colour).save(out, "JPEG", quality=90)
    return {"name": f"{colour}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def screenshot(page_or_element, name: str) -> None:
    if os.environ.get("SCREENSHOTS_DIR"):
        page_or_element.screenshot(path=str(Path(os.environ["SCREENSHOTS_DIR"]) / name))


class Day:
    """The browser sessions of the day, and what every page they passed through answered."""

    def __init__(self, browser, live_server) -> None:
        self.browser = browser
        self.url = live_server.url
        self.contexts: list = []
        self.refused: list[str] = []
        self.errors: list[str] = []

    def open(self, viewport: dict = DESKTOP):
        context = self.browser.new_context(
            locale="ru-RU", timezone_id="Europe/Minsk", viewport=viewport
        )
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("response", self._answered)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def _answered(self, response) -> None:
        if response.status == 403 or response.status >= 500:
            self.refused.append(f"{response.status} {response.url}")

    def log_in(self, username: str, viewport: dict = DESKTOP):
        page = self.open(viewport)
        page.goto(f"{self.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{self.url}/admin/")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


# The page's HTML as it stands, with the rich-text toolbar's icons as what they show: a glyph
# drawn from the word "undo" by the icon font is a picture (its title is still read).
AS_SHOWN = """(() => {
  const copy = document.documentElement.cloneNode(true)
  for (const icon of copy.querySelectorAll(".material-icons")) icon.textContent = ""
  return copy.outerHTML
})()"""


def russian_only(page) -> None:
    """The page as shown holds no English word."""
    page.wait_for_load_state()
    words = set(english_words(visible_text(page.evaluate(AS_SHOWN), "ru"))) - NAMES
    assert words == set(), f"{page.url}: {words}"


def upload_photo(page, url: str, colour: str, alt: str) -> None:
    page.goto(f"{url}/admin/news/image/add/")
    russian_only(page)
    page.set_input_files("#id_upload", photo(colour))
    page.fill("#id_alt", alt)
    page.fill("#id_credit", "Пресс-служба Минсвязи")
    page.select_option("#id_licence", "cc_by")
    page.click('input[name="_save"]')
    page.wait_for_url(f"{url}/admin/news/image/")
    russian_only(page)


def choose_in_autocomplete(page, select_id: str, typed: str) -> None:
    """Pick an entry in one of the admin's search-as-you-type boxes, as a person does."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").last.fill(typed)
    page.locator(".select2-results__option", has_text=typed).first.click()


@pytest.fixture
def day(browser, live_server):
    day = Day(browser, live_server)
    yield day
    day.close()


def test_a_press_office_day_from_a_blank_form_to_a_correction_and_a_page_taken_down(day):
    load_catalogue()
    for username, role in PEOPLE.items():
        UserFactory(username=username, roles=[role])
    url = day.url

    # The author puts two photos in the library, described and credited.
    author = day.log_in("anna")
    russian_only(author)
    upload_photo(author, url, "steelblue", "Константин Шульган на переговорах в Белграде")
    upload_photo(author, url, "darkseagreen", "Делегации за столом переговоров")

    # She writes the release: text, place, a source, both photos in the gallery, a PDF.
    author.goto(f"{url}/admin/news/release/add/")
    russian_only(author)
    author.fill("#id_title", TITLE)
    author.fill("#id_summary", "Обсуждено сотрудничество в области почтовой связи.")
    author.locator(".prose-editor [contenteditable=true]").fill(BODY)
    author.fill("#id_place", "Белград")
    author.fill("#id_sources-0-url", WRONG)
    author.fill("#id_sources-0-title", "Сайт Минсвязи")
    choose_in_autocomplete(author, "id_gallery_items-0-image", "Константин Шульган на")
    author.fill("#id_gallery_items-0-position", "1")
    author.locator("#gallery_items-group .add-row a").click()
    choose_in_autocomplete(author, "id_gallery_items-1-image", "Делегации за столом")
    author.fill("#id_gallery_items-1-position", "2")
    author.fill("#id_attachments-0-title", "Программа визита")
    author.set_input_files(
        "#id_attachments-0-file",
        {"name": "programma.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    author.click('input[name="_continue"]')
    release = Release.objects.get(title=TITLE)
    change_url = f"{url}/admin/news/release/{release.pk}/change/"
    author.wait_for_url(change_url)
    russian_only(author)
    assert release.gallery_items.count() == 2
    assert release.attachments.get().title == "Программа визита"

    # One click in the panel beside the text links every confident mention.
    author.locator('button[name="link_confident"]').click()
    author.wait_for_url(change_url)
    russian_only(author)
    assert release.officials.filter(full_name="Константин Шульган").exists()
    move(author, "submit")
    russian_only(author)
    release.refresh_from_db()
    assert release.state == State.SUBMITTED

    # The editor finds it on the desk and reads it as readers will see it.
    editor = day.log_in("boris")
    russian_only(editor)
    screenshot(editor, "editor-desk.png")
    editor.click(f'#queue-review a[href="/admin/news/release/{release.pk}/change/"]')
    russian_only(editor)
    with editor.context.expect_page() as opened:
        editor.get_by_role("link", name="Предпросмотр: как увидят читатели").click()
    preview = opened.value
    preview.on("response", day._answered)
    preview.wait_for_load_state()
    russian_only(preview)
    assert TITLE in preview.locator("h1").inner_text()
    assert preview.locator('img[alt="Делегации за столом переговоров"]').count() == 1
    assert "Программа визита" in preview.content()
    preview.close()
    move(editor, "send_back", comment="Укажите в лиде, что переговоры прошли 2 декабря.")
    russian_only(editor)
    release.refresh_from_db()
    assert release.state == State.DRAFT

    # The author reads the comment, fixes the lead and submits again.
    author.goto(change_url)
    russian_only(author)
    assert "переговоры прошли 2 декабря" in author.locator(".workflow").inner_text()
    author.fill("#id_summary", "2 декабря обсуждено сотрудничество в области почтовой связи.")
    author.click('input[name="_continue"]')
    author.wait_for_url(change_url)
    move(author, "submit")
    release.refresh_from_db()
    assert (release.state, release.summary[:10]) == (State.SUBMITTED, "2 декабря ")

    # The editor approves through the checklist: alt text, a source, mentions linked.
    editor.goto(change_url)
    russian_only(editor)
    checklist = editor.locator("details.checklist")
    if checklist.get_attribute("open") is None:
        checklist.locator("summary").click()
    for check in ("alt_text", "source", "mentions", "lead"):
        item = checklist.locator(f'[data-check="{check}"]')
        assert "checklist__item--ok" in item.get_attribute("class"), item.inner_text()
    move(editor, "approve", comment="Проверено.")
    russian_only(editor)
    release.refresh_from_db()
    assert release.state == State.APPROVED

    # The publisher puts it on the site.
    publisher = day.log_in("vera")
    publisher.goto(change_url)
    russian_only(publisher)
    move(publisher, "publish")
    russian_only(publisher)
    release.refresh_from_db()
    assert release.is_public
    reader = day.open(PHONE)
    public_url = f"{url}{release.get_absolute_url()}"
    assert reader.goto(public_url).status == 200
    russian_only(reader)
    assert "Белград" in reader.content() and WRONG in reader.content()

    # The publisher corrects the place and the source address alone, saying why.
    publisher.goto(change_url)
    publisher.fill("#id_place", "Белград, Сербия")
    publisher.locator(f'#sources-group input[value="{WRONG}"]').fill(RIGHT)  # needs a2
    publisher.click('input[name="_continue"]')
    publisher.wait_for_url(change_url)
    russian_only(publisher)
    assert reader.goto(public_url).status == 200
    assert "Белград, Сербия" not in reader.content()  # readers see the live version meanwhile

    # "Сравнить" shows what differs between the live version and the pending one.
    publisher.locator(".workflow__note a", has_text="Сравнить").click()
    publisher.wait_for_load_state()
    russian_only(publisher)
    assert "Версии совпадают" not in publisher.content()  # needs a2
    assert "Белград, Сербия" in publisher.locator("table.compare").inner_text()  # needs a2
    screenshot(publisher, "editor-compare.png")

    publisher.goto(change_url)
    move(
        publisher,
        "publish_correction",
        reason="Место и ссылка на источник были указаны неверно; второго выпускающего нет.",
        note="Уточнено место переговоров и исправлена ссылка на источник.",
    )
    russian_only(publisher)
    release.refresh_from_db()
    assert release.place == "Белград, Сербия" and release.pending_revision is None
    assert release.needs_post_review
    reader.goto(public_url)
    russian_only(reader)
    page_text = reader.content()
    assert "Уточнено место переговоров и исправлена ссылка на источник." in page_text
    assert "Белград, Сербия" in page_text
    assert RIGHT in page_text and WRONG not in page_text  # needs a2

    # Taking the page off the site asks first, says what readers will see, wants a reason.
    publisher.goto(change_url)
    publisher.locator('[data-move="unpublish"] a').click()
    publisher.wait_for_load_state()
    russian_only(publisher)
    confirm = publisher.locator('[data-confirm="unpublish"]')
    assert "410" in confirm.locator(".confirm-move__consequence").inner_text()
    confirm.locator('button[type="submit"]').click()  # no reason: the browser keeps the form
    assert publisher.url.startswith(f"{url}/admin/news/release/{release.pk}/transition/")
    release.refresh_from_db()
    assert release.state == State.PUBLISHED
    confirm.locator('[name="reason"]').fill("Визит перенесён, публикация преждевременна.")
    confirm.locator('button[type="submit"]').click()
    publisher.wait_for_url(change_url)
    russian_only(publisher)
    release.refresh_from_db()
    assert release.state == State.UNPUBLISHED
    assert reader.goto(public_url).status == 410

    assert day.refused == []
    assert day.errors == []
