"""A wrong source of a live release corrected in a real browser, through its pending version."""

from __future__ import annotations

import pytest

from news.models import Release
from tests.browser.test_editorial_flow import log_in, move
from tests.factories import PublishedReleaseFactory, SourceURLFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG = "https://www.mpt.gov.by/news/wrong"
RIGHT = "https://www.mpt.gov.by/news/right"
EXTRA = "https://belta.by/news/extra"


def test_an_editor_corrects_a_live_release_s_sources_and_a_publisher_publishes_them(
    new_page, live_server
):
    UserFactory(username="boris", roles=["Editor"])
    UserFactory(username="vera", roles=["Publisher"])
    release = PublishedReleaseFactory(title="Визит в Белград")
    SourceURLFactory(release=release, url=WRONG, title="Сайт министерства")
    SourceURLFactory(release=release, url=EXTRA, title="БелТА", is_primary=False)
    change_url = f"{live_server.url}/admin/news/release/{release.pk}/change/"
    public_url = f"{live_server.url}{release.get_absolute_url()}"

    # The editor types the right address and takes the second source off the page.
    editor = log_in(new_page, live_server, "boris")
    editor.goto(change_url)
    editor.locator(f'#sources-group input[value="{WRONG}"]').fill(RIGHT)
    editor.locator("#sources-1 .inline-deletelink").click()
    editor.click('input[name="_continue"]')
    editor.wait_for_url(change_url)
    assert editor.locator(f'#sources-group input[value="{RIGHT}"]').count() == 1
    assert editor.locator(f'#sources-group input[value="{EXTRA}"]').count() == 0

    # Readers still see the published sources.
    reader = new_page()
    reader.goto(public_url)
    assert WRONG in reader.content() and EXTRA in reader.content()

    # "Compare" in the notice shows the difference in the sources.
    editor.locator(".workflow__note a").click()
    editor.wait_for_load_state()
    assert "Версии совпадают" not in editor.content()
    assert editor.locator("td.diff del").first.inner_text()

    # The publisher publishes the correction with a note; readers see it.
    publisher = log_in(new_page, live_server, "vera")
    publisher.goto(change_url)
    move(publisher, "publish_changes", note="Исправлена ссылка на источник.")
    reader.goto(public_url)
    html = reader.content()
    assert RIGHT in html and WRONG not in html and EXTRA not in html
    assert Release.objects.get(pk=release.pk).pending_revision is None

    # The history names the published version and credits the editor with it.
    publisher.goto(change_url)
    live_row = publisher.locator("#history tr.history__revision--live")
    assert "boris" in live_row.inner_text()
    assert "опубликованная версия" in live_row.inner_text()
