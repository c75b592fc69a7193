"""A reader subscribes to a topic on a phone, confirms from the mail, and gets the next release
on that topic that a publisher publishes in the admin: real browser, real SMTP, real worker."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from news.models import Official, Release, State, Topic
from tests import smtp
from tests.factories import (
    AppointmentFactory,
    ImageFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
    UserFactory,
)
from tests.smtp import run_worker, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

smtp_server = smtp.smtp_server  # the fixture
PASSWORD = "not-a-real-password-1"
PHONE = {"width": 390, "height": 844}
# SCREENSHOTS=docs/img writes the README's pictures of the form and of a message.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def screenshot(page_or_element, name: str) -> None:
    if SCREENSHOTS:
        page_or_element.screenshot(path=str(Path(SCREENSHOTS) / name))


def test_subscribe_on_a_topic_page_confirm_from_the_mail_and_get_the_next_release(
    new_page, live_server, smtp_server, settings
):
    settings.SITE_URL = live_server.url
    PublishedReleaseFactory(tags=["Связь"])
    topic = Topic.objects.get(name="Связь")
    author = UserFactory(username="anna", roles=["Author"])
    UserFactory(username="vera", roles=["Publisher"])

    # The reader subscribes from the topic page, on a phone.
    reader = new_page()
    reader.set_viewport_size(PHONE)
    reader.goto(f"{live_server.url}{topic.get_absolute_url()}")
    reader.fill("#subscribe-email", "reader@example.org")
    reader.select_option("#subscribe-frequency", "immediately")
    screenshot(reader.locator(".subscribe-form"), "subscribe-form-phone.png")
    reader.click(".subscribe-form button[type=submit]")
    reader.wait_for_url(f"{live_server.url}/subscribe/sent/")
    run_worker()

    # The confirmation link from the mail, then the button on its page.
    (confirmation,) = smtp_server.to("reader@example.org")
    link = re.search(r"http://\S+/subscribe/confirm/\S+", text_of(confirmation))[0]
    reader.goto(link)
    reader.click("main form button[type=submit]")
    reader.wait_for_url(re.compile(r".*/subscribe/manage/.*"))
    assert "Тема: Связь" in reader.text_content("main")

    # A publisher publishes a release on the topic in the admin.
    release = ReleaseFactory(
        state=State.APPROVED,
        created_by=author,
        last_edited_by=author,
        tags=["Связь"],
        title="Связь в районах улучшится",
        summary="Министр связи и информатизации обсудил с операторами развитие сетей в районах.",
        lead_image=ImageFactory(alt="Совещание с операторами связи"),
    )
    AppointmentFactory(
        official=OfficialFactory(full_name="Константин Шульган"),
        title="Министр связи и информатизации",
    )
    release.officials.add(*Official.objects.all())
    SourceURLFactory(release=release, url="https://www.mpt.gov.by/ru/news/2026/12/03")
    publisher = new_page()
    publisher.goto(f"{live_server.url}/admin/login/")
    publisher.fill("#id_username", "vera")
    publisher.fill("#id_password", PASSWORD)
    publisher.click("input[type=submit]")
    publisher.wait_for_url(f"{live_server.url}/admin/")
    publisher.goto(f"{live_server.url}/admin/news/release/{release.pk}/change/")
    publisher.locator('form[data-move="publish"] button[type=submit]').click()
    publisher.wait_for_load_state()
    assert Release.objects.get(pk=release.pk).is_public
    run_worker()

    (message,) = [m for m in smtp_server.to("reader@example.org") if m is not confirmation]
    assert message["Subject"] == "Связь в районах улучшится"
    mail = new_page()
    mail.set_viewport_size({"width": 700, "height": 700})
    mail.set_content(text_of(message, "html"))
    assert "Связь в районах улучшится" in mail.text_content("body")
    screenshot(mail, "subscription-email.png")
