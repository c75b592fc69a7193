"""Hostile input to the subscription pages: no 5xx, nothing stored half, nothing unpublished
named, no second message to an address that did not ask, no link that opens without a signature.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import ApiRateWindow, Subscriber, Subscription
from news.subscriptions.tokens import UNSUBSCRIBE, subscriber_token
from scripts.hostile_scan import CORE_TEXT, CORE_VALUES
from tests.factories import OfficialFactory, PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

FIELDS = ["email", "scope", "key", "language", "frequency", "website"]
GOOD = {
    "email": "reader@example.org",
    "scope": "everything",
    "key": "",
    "language": "ru",
    "frequency": "immediately",
}
PREFIXES = ["", "/be", "/en"]


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.NEWS_SUBSCRIBE_RATE = (10**6, 10**6)


@pytest.mark.parametrize("field", FIELDS)
def test_a_bad_value_in_any_field_of_the_form_stores_nothing_and_is_no_5xx(client, field):
    for value in CORE_TEXT:
        response = client.post(reverse("subscriptions:subscribe"), {**GOOD, field: value})

        assert response.status_code in (302, 400), value
    # The honeypot answers as if it stored the request; every other bad value is refused.
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_bad_query_parameters_of_the_form_page_are_no_5xx(client, prefix):
    for value in CORE_VALUES:
        for parameter in ("scope", "key"):
            response = client.get(f"{prefix}/subscribe/?scope=topic&{parameter}={value}")

            assert response.status_code in (200, 400), value  # 400: a NUL byte
            if response.status_code == 200:
                form = response.context["form"]
                assert (form["scope"].value(), form["key"].value()) == ("everything", "")


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("page", ["confirm", "unsubscribe", "manage"])
def test_a_forged_or_mangled_token_opens_nothing(client, prefix, page):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(
        subscriber=subscriber, scope="everything", language="ru", frequency="daily"
    )

    for value in CORE_VALUES:
        for method in (client.get, client.post):
            response = method(f"{prefix}/subscribe/{page}/{value}/")
            assert response.status_code in (400, 404), value
        response = client.get(f"{prefix}/subscribe/manage/{value}/export.json")
        assert response.status_code in (400, 404), value

    assert Subscription.objects.count() == 1


def test_a_token_for_one_page_does_not_open_another(client):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(
        subscriber=subscriber, scope="everything", language="ru", frequency="daily"
    )
    unsubscribe = subscriber_token(subscriber, UNSUBSCRIBE)
    manage = subscriber_token(subscriber)

    assert client.get(reverse("subscriptions:manage", args=[unsubscribe])).status_code == 404
    assert client.post(reverse("subscriptions:unsubscribe", args=[manage])).status_code == 404
    assert client.post(reverse("subscriptions:confirm", args=[manage])).status_code == 404
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("field", ["action", "subscription", "language", "frequency"])
def test_bad_values_on_the_management_page_change_nothing_and_are_no_5xx(client, field):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    subscription = Subscription.objects.create(
        subscriber=subscriber,
        scope="everything",
        language="ru",
        frequency="daily",
        confirmed_at=timezone.now(),
    )
    url = reverse("subscriptions:manage", args=[subscriber_token(subscriber)])

    for value in CORE_TEXT:
        if field == "subscription" and value == str(subscription.pk):
            continue  # the right one
        data = {"action": "change", "subscription": subscription.pk, "language": "en"}
        response = client.post(url, {**data, "frequency": "weekly", field: value})

        assert response.status_code in (302, 400, 404), value
        subscription.refresh_from_db()
        assert (subscription.language, subscription.frequency) == ("ru", "daily")
    assert Subscriber.objects.exists()


def test_another_addresss_subscription_cannot_be_changed_or_dropped(client):
    mine = Subscriber.objects.create(email="me@example.org")
    theirs = Subscriber.objects.create(email="them@example.org")
    their_subscription = Subscription.objects.create(
        subscriber=theirs,
        scope="everything",
        language="ru",
        frequency="daily",
        confirmed_at=timezone.now(),
    )
    url = reverse("subscriptions:manage", args=[subscriber_token(mine)])

    drop = client.post(url, {"action": "drop", "subscription": their_subscription.pk})

    assert drop.status_code == 404
    assert Subscription.objects.filter(pk=their_subscription.pk).exists()


def test_an_unpublished_entity_cannot_be_followed_nor_named(client):
    secret = OfficialFactory(full_name="Секретный Чиновник")
    ReleaseFactory().officials.add(secret)  # only a draft mentions them

    page = client.get(f"/subscribe/?scope=official&key={secret.pk}")
    post = client.post(
        reverse("subscriptions:subscribe"), {**GOOD, "scope": "official", "key": secret.pk}
    )

    assert "Секретный" not in page.content.decode()
    assert post.status_code == 400 and "Секретный" not in post.content.decode()
    assert not Subscription.objects.exists()


def test_a_public_entity_can_be_followed(client):
    official = OfficialFactory(full_name="Открытый Министр")
    PublishedReleaseFactory().officials.add(official)

    page = client.get(f"/subscribe/?scope=official&key={official.pk}")
    post = client.post(
        reverse("subscriptions:subscribe"), {**GOOD, "scope": "official", "key": official.pk}
    )

    assert "Открытый Министр" in page.content.decode()
    assert post.status_code == 302
    assert Subscription.objects.get().key == str(official.pk)


def test_the_honeypot_pretends_success_and_stores_nothing(client):
    response = client.post(reverse("subscriptions:subscribe"), {**GOOD, "website": "http://x"})

    assert response.status_code == 302
    assert not Subscriber.objects.exists()


def test_requests_beyond_the_limit_per_client_address_are_refused(client, settings):
    settings.NEWS_SUBSCRIBE_RATE = (3, 100)
    statuses = [
        client.post(
            reverse("subscriptions:subscribe"), {**GOOD, "email": f"r{n}@example.org"}
        ).status_code
        for n in range(5)
    ]

    assert statuses == [302, 302, 302, 429, 429]
    assert Subscription.objects.count() == 3
    assert ApiRateWindow.objects.get().count == 5


def test_requests_beyond_the_limit_per_e_mail_address_are_refused(client, settings):
    settings.NEWS_SUBSCRIBE_RATE = (100, 2)
    statuses = [
        client.post(
            reverse("subscriptions:subscribe"),
            {**GOOD, "email": "Victim@Example.org" if n % 2 else "victim@example.org"},
            REMOTE_ADDR=f"10.0.0.{n}",
        ).status_code
        for n in range(4)
    ]

    assert statuses == [302, 302, 429, 429]
    assert Subscription.objects.count() == 2


def test_the_subscribe_form_refuses_other_methods(client):
    assert client.put(reverse("subscriptions:subscribe")).status_code == 405
    assert client.delete(reverse("subscriptions:subscribe")).status_code == 405
