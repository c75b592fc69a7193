"""Who is told what, by e-mail through a real SMTP server and on the desk: the reviewers when a
release waits for them, its author when it is sent back or published."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from lxml import html as lxml_html

from news import workflow
from news.editing import release_record_edit
from news.models import State
from tests.factories import ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "author": UserFactory(username="anna", email="anna@example.gov.by", roles=["Author"]),
        "editor": UserFactory(username="egor", email="egor@example.gov.by", roles=["Editor"]),
        "editor2": UserFactory(username="eva", email="eva@example.gov.by", roles=["Editor"]),
        "no_mail": UserFactory(username="ivan", email="", roles=["Editor"]),
        "publisher": UserFactory(username="petr", email="petr@example.gov.by", roles=["Publisher"]),
    }


@pytest.fixture
def draft(people):
    return ReleaseFactory(
        title="Визит делегации Сербии", created_by=people["author"], last_edited_by=people["author"]
    )


def recipients(smtp_server) -> list[str]:
    return sorted(
        address for message in smtp_server.messages for address in message["To"].split(",")
    )


def test_submitting_tells_every_reviewer_by_mail_but_not_the_author(
    smtp_server, people, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_submit(release=draft, user=people["author"])

    assert recipients(smtp_server) == ["egor@example.gov.by", "eva@example.gov.by"]
    message = smtp_server.to("egor@example.gov.by")[0]
    assert message["Subject"] == "Ждёт вашего согласования: Визит делегации Сербии"
    assert f"/admin/news/release/{draft.pk}/change/" in message.get_content()


def test_an_edit_that_returns_an_approved_release_to_review_tells_the_reviewers(
    smtp_server, people, django_capture_on_commit_callbacks
):
    release = ReleaseFactory(state=State.APPROVED, created_by=people["author"])

    with django_capture_on_commit_callbacks(execute=True):
        release_record_edit(release=release, user=people["editor"], created=False)

    assert recipients(smtp_server) == ["eva@example.gov.by"]


def test_sending_back_tells_the_author_with_the_comment(
    smtp_server, people, draft, django_capture_on_commit_callbacks
):
    workflow.release_submit(release=draft, user=people["author"])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_send_back(release=draft, user=people["editor"], comment="Уточните дату")

    assert recipients(smtp_server) == ["anna@example.gov.by"]
    message = smtp_server.messages[0]
    assert message["Subject"] == "Возвращена вам на доработку: Визит делегации Сербии"
    assert "Уточните дату" in message.get_content()


def test_publishing_tells_the_author(
    smtp_server, people, draft, django_capture_on_commit_callbacks
):
    draft.state = State.APPROVED
    draft.save()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_publish(release=draft, user=people["publisher"])

    assert recipients(smtp_server) == ["anna@example.gov.by"]
    assert smtp_server.messages[0]["Subject"] == "Опубликована: Визит делегации Сербии"


def test_nobody_is_told_of_a_move_that_was_rolled_back(smtp_server, people, draft):
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.release_submit(release=draft, user=people["author"])
        raise RuntimeError("the request failed later")

    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_does_not_undo_the_move(
    settings, people, draft, django_capture_on_commit_callbacks, caplog
):
    from tests.smtp import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }

    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_submit(release=draft, user=people["author"])

    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    assert "could not send" in caplog.text


# On the desk ---------------------------------------------------------------------------------


def desk(client, user):
    client.force_login(user)
    return lxml_html.fromstring(client.get(reverse("admin:index")).content.decode())


def notices(page) -> list[str]:
    return [" ".join(item.text_content().split()) for item in page.find_class("desk__notice")]


def test_the_desk_tells_a_reviewer_how_many_releases_wait(client, people, draft):
    workflow.release_submit(release=draft, user=people["author"])

    assert notices(desk(client, people["editor"])) == ["1 публикация ждёт вашего согласования"]


def test_the_desk_tells_the_author_their_release_was_sent_back_until_they_resubmit(
    client, people, draft
):
    workflow.release_submit(release=draft, user=people["author"])
    workflow.release_send_back(release=draft, user=people["editor"], comment="Уточните дату")

    told = notices(desk(client, people["author"]))
    workflow.release_submit(release=draft, user=people["author"])

    assert len(told) == 1
    assert told[0].startswith("Визит делегации Сербии: возвращено автору (egor)")
    assert told[0].endswith("«Уточните дату»")
    assert notices(desk(client, people["author"])) == []


def test_the_desk_tells_the_author_their_release_was_published(client, people, draft):
    draft.state = State.APPROVED
    draft.save()
    workflow.release_publish(release=draft, user=people["publisher"])

    told = notices(desk(client, people["author"]))

    assert len(told) == 1
    assert told[0].startswith("Визит делегации Сербии: опубликовано (petr)")
