"""The whole editorial path, as people click it in a real browser."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from news.models import Action, Release, State
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-1"


def log_in(new_page, live_server, username: str):
    """A fresh browser session of one person, logged in to the admin."""
    page = new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def move(page, name: str, **inputs: str) -> None:
    """Press one workflow button on the release's change page, filling its form first."""
    form = page.locator(f'form[data-move="{name}"]')
    for field, value in inputs.items():
        form.locator(f'[name="{field}"]').fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_author_editor_and_publisher_take_a_release_from_draft_to_its_minute(new_page, live_server):
    UserFactory(username="anna", roles=["Author"])
    UserFactory(username="boris", roles=["Editor"])
    UserFactory(username="vera", roles=["Publisher"])

    # The author writes and submits.
    author = log_in(new_page, live_server, "anna")
    author.goto(f"{live_server.url}/admin/news/release/add/")
    author.fill("#id_title", "Переговоры о сотрудничестве в области связи")
    author.fill("#id_summary", "Состоялись переговоры.")
    author.locator(".prose-editor [contenteditable=true]").fill("Стороны обсудили сотрудничество.")
    author.click('input[name="_continue"]')
    release = Release.objects.get()
    change_url = f"{live_server.url}/admin/news/release/{release.pk}/change/"
    author.wait_for_url(change_url)
    assert author.locator('form[data-move="approve"]').count() == 0
    move(author, "submit")
    release.refresh_from_db()
    assert release.state == State.SUBMITTED

    # The editor sends it back with a comment.
    editor = log_in(new_page, live_server, "boris")
    editor.goto(f"{live_server.url}/admin/")
    editor.click(f'#queue-review a[href="/admin/news/release/{release.pk}/change/"]')
    move(editor, "send_back", comment="Уточните дату переговоров")
    release.refresh_from_db()
    assert release.state == State.DRAFT

    # The author reads the comment, fixes the text and submits again.
    author.goto(change_url)
    assert "Уточните дату переговоров" in author.content()
    author.fill("#id_summary", "Переговоры состоялись 28 августа.")
    author.click('input[name="_continue"]')
    author.wait_for_url(change_url)
    move(author, "submit")
    release.refresh_from_db()
    assert (release.state, release.summary) == (
        State.SUBMITTED,
        "Переговоры состоялись 28 августа.",
    )

    # The editor approves: a second pair of eyes.
    editor.goto(change_url)
    move(editor, "approve")
    release.refresh_from_db()
    assert release.state == State.APPROVED

    # The publisher schedules it two minutes ahead.
    publisher = log_in(new_page, live_server, "vera")
    publisher.goto(change_url)
    at = (timezone.localtime() + datetime.timedelta(minutes=2)).replace(second=0, microsecond=0)
    move(publisher, "publish", at=at.strftime("%Y-%m-%dT%H:%M"))
    release.refresh_from_db()
    assert release.is_scheduled
    assert release.published_at == at
    assert release.audit_entries.first().action == Action.SCHEDULE

    # Readers see nothing until that minute, then the release appears by itself.
    reader = new_page()
    public_url = f"{live_server.url}{release.get_absolute_url()}"
    assert reader.goto(public_url).status == 404
    assert release.title not in reader.goto(f"{live_server.url}/").text()
    with time_machine.travel(at, tick=True):
        assert reader.goto(public_url).status == 200
        assert release.title in reader.goto(f"{live_server.url}/").text()
