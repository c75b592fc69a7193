from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PublishedReleaseFactory, ReleaseFactory
from tests.test_attachments import attach, pdf_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "not-a-real-password-1"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, user, token: str = ""):
    return client.post(
        reverse("admin:login"),
        {
            "username": user.username,
            "password": PASSWORD,
            "otp_token": token,
            "next": reverse("admin:index"),
        },
    )


def test_staff_without_an_app_log_in_with_a_password(client, editor):
    response = log_in(client, editor)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_with_an_app_must_give_its_code(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)

    refused = log_in(client, editor)
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session

    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert log_in(client, editor, wrong).status_code == 200
    assert "_auth_user_id" not in client.session

    # A wrong code makes the device wait before it accepts another one.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        assert log_in(client, editor, code_for(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_publishers_may_log_in_without_a_code_while_the_rule_is_off(client, publisher):
    assert log_in(client, publisher).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_publisher_without_an_app_is_sent_to_set_one_up_when_the_rule_is_on(
    client, publisher, settings
):
    settings.NEWS_OTP_REQUIRED_FOR_PUBLISHERS = True

    response = log_in(client, publisher)
    assert response.status_code == 302
    assert response.url == reverse("admin:two-factor-setup")
    # No admin page opens before the second factor is set up.
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:news_release_changelist")).status_code == 302


def test_publisher_sets_up_an_app_and_gets_in(client, publisher, settings):
    settings.NEWS_OTP_REQUIRED_FOR_PUBLISHERS = True
    log_in(client, publisher)

    page = client.get(reverse("admin:two-factor-setup"))
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.text
    secret = re.search(r"<code>([A-Z2-7=]+)</code>", page.text).group(1)
    device = TOTPDevice.objects.get(user=publisher, confirmed=False)
    assert secret.rstrip("=")

    wrong = client.post(reverse("admin:two-factor-setup"), {"token": "12345"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        done = client.post(reverse("admin:two-factor-setup"), {"token": code_for(device)})
    assert done.url == reverse("admin:index")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200


def test_editors_are_not_forced_by_the_publishers_rule(client, editor, settings):
    settings.NEWS_OTP_REQUIRED_FOR_PUBLISHERS = True
    assert log_in(client, editor).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_setup_page_needs_a_logged_in_staff_member(client):
    response = client.get(reverse("admin:two-factor-setup"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


# One rule for every page only staff may see ---------------------------------------------------


def admin_urls(patterns: list | None = None) -> list[tuple[str, list[str]]]:
    """Every named page of the admin site, with the names of its arguments."""
    urls = []
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            urls += admin_urls(pattern.url_patterns)
        elif pattern.name:
            arguments = [*pattern.pattern.regex.groupindex]
            urls.append((pattern.name, arguments))
    return urls


# The way in: logging in, linking an app and logging out are open to the person the rule stops.
WAY_IN = {"login", "logout", "two-factor-setup"}
ARGUMENT_VALUES = {
    "name": "submit",
    "revision_id": "1",
    "link_id": "1",
    "pk": "1",
    "id": "1",
    "language": "en",
}


def every_admin_page(release) -> list[str]:
    content_type = ContentType.objects.get_for_model(release)
    values = {
        **ARGUMENT_VALUES,
        "object_id": str(release.pk),
        "content_type_id": str(content_type.pk),
        "app_label": "news",
    }
    return [
        reverse(f"admin:{name}", kwargs={argument: values[argument] for argument in arguments})
        for name, arguments in admin_urls()
        if name not in WAY_IN
    ]


@pytest.fixture
def draft_attachment():
    release = ReleaseFactory(title="Проект соглашения")
    return attach(release, pdf_bytes(), "agreement.pdf", title="Проект соглашения")


@pytest.fixture
def logged_in_without_a_code(client, publisher, settings):
    """A publisher who logged in with the password only and was sent to link an app."""
    settings.NEWS_OTP_REQUIRED_FOR_PUBLISHERS = True
    assert log_in(client, publisher).url == reverse("admin:two-factor-setup")
    return client


def assert_sent_to_the_second_factor(response) -> None:
    assert response.status_code == 302, response
    assert response.url.startswith((reverse("admin:two-factor-setup"), reverse("admin:login")))
    assert not getattr(response, "streaming", False)


def test_publisher_without_the_second_factor_does_not_get_a_draft_document(
    logged_in_without_a_code, draft_attachment
):
    url = reverse("news:attachment-download", args=[draft_attachment.pk])

    response = logged_in_without_a_code.get(url)

    assert_sent_to_the_second_factor(response)
    assert response.url == reverse("admin:two-factor-setup")
    assert "no-cache" in response["Cache-Control"]


def test_publisher_without_the_second_factor_gets_no_admin_page(logged_in_without_a_code):
    urls = every_admin_page(ReleaseFactory())

    assert len(urls) > 80
    for url in urls:
        assert_sent_to_the_second_factor(logged_in_without_a_code.get(url))
        assert_sent_to_the_second_factor(logged_in_without_a_code.post(url, {}))


def test_publisher_gets_the_draft_document_once_the_app_is_linked(
    logged_in_without_a_code, publisher, draft_attachment
):
    client = logged_in_without_a_code
    client.get(reverse("admin:two-factor-setup"))
    device = TOTPDevice.objects.get(user=publisher, confirmed=False)
    client.post(reverse("admin:two-factor-setup"), {"token": code_for(device)})

    response = client.get(reverse("news:attachment-download", args=[draft_attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert client.get(reverse("admin:news_release_changelist")).status_code == 200


def test_publisher_whose_session_did_not_use_the_app_is_sent_to_log_in_with_it(
    client, publisher, settings, draft_attachment
):
    # Logged in while the rule was off; the rule and the app came later.
    log_in(client, publisher)
    TOTPDevice.objects.create(user=publisher, name="phone", confirmed=True)
    settings.NEWS_OTP_REQUIRED_FOR_PUBLISHERS = True
    url = reverse("news:attachment-download", args=[draft_attachment.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert_sent_to_the_second_factor(client.get(reverse("admin:index")))


def test_editor_not_asked_for_a_code_still_gets_a_draft_document(
    client, editor, settings, draft_attachment
):
    settings.NEWS_OTP_REQUIRED_FOR_PUBLISHERS = True
    log_in(client, editor)

    response = client.get(reverse("news:attachment-download", args=[draft_attachment.pk]))

    assert response.status_code == 200


def test_draft_document_is_not_for_someone_who_is_no_longer_staff(client, editor, draft_attachment):
    editor.is_staff = False
    editor.save()
    client.force_login(editor)

    response = client.get(reverse("news:attachment-download", args=[draft_attachment.pk]))

    assert response.status_code == 404


def test_published_document_downloads_for_anyone_whatever_the_rule(client, publisher, settings):
    settings.NEWS_OTP_REQUIRED_FOR_PUBLISHERS = True
    attachment = attach(PublishedReleaseFactory(), pdf_bytes(), "programme.pdf")
    url = reverse("news:attachment-download", args=[attachment.pk])

    assert client.get(url).status_code == 200
    log_in(client, publisher)
    assert client.get(url).status_code == 200
