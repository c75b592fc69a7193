from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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
