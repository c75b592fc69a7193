"""What editors see of subscribers in the admin: counts per scope, the queue's state, each
release's delivery progress; and a publisher holding the e-mail of a release (publish silently)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from news.models import Delivery, Release, State, Subscriber, Subscription
from news.models.subscriptions import DeliveryStatus
from tests import smtp
from tests.factories import PublishedReleaseFactory, ReleaseFactory
from tests.smtp import run_worker

# The worker closes a connection it finds inside a transaction (close_old_connections): on
# PostgreSQL the tests commit, as the worker does (as in test_subscriptions).
pytestmark = pytest.mark.django_db(transaction=connection.vendor != "sqlite")

smtp_server = smtp.smtp_server  # the fixture

OVERVIEW = "/admin/news/subscriber/"


def subscriber(email: str, scope: str = "everything", key: str = "", **fields) -> Subscriber:
    person, _ = Subscriber.objects.get_or_create(email=email, defaults=fields)
    Subscription.objects.create(
        subscriber=person,
        scope=scope,
        key=key,
        language="ru",
        frequency="immediately",
        confirmed_at=timezone.now(),
    )
    return person


def approved(author) -> Release:
    return ReleaseFactory(state=State.APPROVED, created_by=author, last_edited_by=author)


def publish_in_admin(client, publisher, release: Release, **fields):
    client.force_login(publisher)
    url = reverse("admin:news_release_transition", args=[release.pk, "publish"])
    return client.post(url, {"version": release.version, **fields})


def change_page(client, user, release: Release) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:news_release_change", args=[release.pk]))
    assert response.status_code == 200
    return response.content.decode()


# Holding the e-mail ----------------------------------------------------------------------------


def test_the_publish_form_offers_to_hold_the_email(client, publisher, author):
    page = change_page(client, publisher, approved(author))
    assert 'name="silent"' in page
    assert "Не рассылать подписчикам" in page


def test_a_release_published_with_the_email_held_is_mailed_to_nobody(
    client, smtp_server, publisher, author
):
    subscriber("reader@example.org")
    release = approved(author)

    publish_in_admin(client, publisher, release, silent="on")
    run_worker()

    release.refresh_from_db()
    assert release.is_public and release.mail_held
    assert smtp_server.messages == []
    assert not Delivery.objects.exists()
    assert "рассылка подписчикам не отправлялась" in change_page(client, publisher, release)


def test_a_release_published_as_usual_is_mailed(client, smtp_server, publisher, author):
    subscriber("reader@example.org")
    release = approved(author)

    publish_in_admin(client, publisher, release)
    run_worker()

    release.refresh_from_db()
    assert release.is_public and not release.mail_held
    assert [m["To"] for m in smtp_server.messages] == ["reader@example.org"]


# Delivery progress -----------------------------------------------------------------------------


def test_the_change_page_shows_how_many_of_the_releases_messages_went_out(
    client, smtp_server, publisher, author, editor
):
    for number in range(3):
        subscriber(f"r{number}@example.org")
    smtp_server.refuse("r2@example.org", "450 4.2.0 Mailbox busy")
    release = approved(author)
    publish_in_admin(client, publisher, release)
    run_worker()

    page = change_page(client, editor, release)
    assert "Рассылка подписчикам: отправлено 2 из 3; 1 письмо ожидает." in page


def test_a_release_nobody_was_mailed_shows_no_progress(client, editor):
    page = change_page(client, editor, PublishedReleaseFactory())
    assert 'data-delivery="progress"' not in page


# The overview ----------------------------------------------------------------------------------


def test_editors_see_subscriptions_per_scope_and_the_queue_but_no_address(client, editor):
    subscriber("a@example.org")
    subscriber("b@example.org")
    subscriber("b@example.org", scope="kind", key="statement")
    subscriber("c@example.org", bouncing_at=timezone.now())
    release = PublishedReleaseFactory()
    Delivery.objects.create(
        subscriber=Subscriber.objects.get(email="a@example.org"),
        release=release,
        frequency="immediately",
        language="ru",
        status=DeliveryStatus.SENT,
    )
    Delivery.objects.create(
        subscriber=Subscriber.objects.get(email="b@example.org"),
        release=release,
        frequency="immediately",
        language="ru",
        status=DeliveryStatus.FAILED,
    )
    client.force_login(editor)

    response = client.get(OVERVIEW)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<td data-scope="everything:">3</td>' in page
    assert '<td data-scope="kind:statement">1</td>' in page
    assert "Заявление" in page
    queue = response.context["queue"]
    assert (queue["subscribers"], queue["sent"], queue["failed"], queue["bouncing"]) == (3, 1, 1, 1)
    assert "@example.org" not in page


def test_authors_may_not_see_the_overview(client, author):
    client.force_login(author)
    assert client.get(OVERVIEW).status_code == 403


def test_no_subscriber_can_be_opened_or_changed_in_the_admin(client, superuser):
    person = subscriber("a@example.org")
    client.force_login(superuser)

    assert client.get(f"{OVERVIEW}{person.pk}/change/").status_code == 404
    assert client.get(f"{OVERVIEW}add/").status_code == 404
