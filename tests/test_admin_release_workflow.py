"""The buttons of a release's change page: POST only, and a refusal comes back as a message."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from news import workflow
from news.demo import load_catalogue
from news.editing import release_record_edit
from news.importing.text import import_text_file
from news.models import AuditEntry, PreviewLink, Revision, State
from tests.factories import PreviewLinkFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def change_url(release) -> str:
    return reverse("admin:news_release_change", args=[release.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def refused(client, url: str, data: dict | None = None):
    """Post to a button and follow it back; assert it came back to the release."""
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return response


BUTTONS = {
    "transition": lambda release, link, revision: [release.pk, "approve"],
    "restore": lambda release, link, revision: [release.pk, revision.pk],
    "preview_link": lambda release, link, revision: [release.pk],
    "preview_revoke": lambda release, link, revision: [release.pk, link.pk],
    "mentions": lambda release, link, revision: [release.pk],
    "untrash": lambda release, link, revision: [release.pk],
}


@pytest.mark.parametrize("button", BUTTONS)
def test_every_button_of_the_change_page_answers_a_get_with_405_and_changes_nothing(
    client, superuser, button
):
    release = ReleaseFactory(state=State.SUBMITTED, deleted_at=timezone.now())
    link = PreviewLinkFactory(release=release)
    revision = release_record_edit(release=release, user=superuser, created=True)
    before = (release.state, release.version, release.deleted_at, AuditEntry.objects.count())
    client.force_login(superuser)

    url = reverse(f"admin:news_release_{button}", args=BUTTONS[button](release, link, revision))
    response = client.get(url, {"link_confident": "1", "days": "3"})

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    release.refresh_from_db()
    link.refresh_from_db()
    after = (release.state, release.version, release.deleted_at, AuditEntry.objects.count())
    assert after == before
    assert link.revoked_at is None
    assert PreviewLink.objects.count() == 1
    assert Revision.objects.count() == 1


def test_a_move_the_person_may_not_make_comes_back_to_the_release_saying_why(
    client, author, other_author
):
    release = ReleaseFactory(created_by=other_author, state=State.SUBMITTED)
    client.force_login(author)

    response = refused(
        client, reverse("admin:news_release_transition", args=[release.pk, "approve"])
    )

    assert response.redirect_chain == [(change_url(release), 302)]
    label = workflow.TRANSITIONS["approve"].label
    assert messages_of(response) == [
        gettext("You may not do this: %(action)s.") % {"action": label}
    ]
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    assert not AuditEntry.objects.exists()


def test_restoring_a_revision_of_a_release_one_may_not_edit_comes_back_saying_why(
    client, author, other_author
):
    release = ReleaseFactory(created_by=other_author, title="Чужой")
    revision = release_record_edit(release=release, user=other_author, created=True)
    client.force_login(author)

    response = refused(
        client, reverse("admin:news_release_restore", args=[release.pk, revision.pk])
    )

    assert response.redirect_chain == [(change_url(release), 302)]
    assert messages_of(response) == [gettext("You may not edit this release.")]
    assert Revision.objects.count() == 1


def test_linking_mentions_of_a_release_one_may_not_edit_comes_back_saying_why(
    client, seed_file, author, editor
):
    load_catalogue()
    release = import_text_file(seed_file)
    release.officials.clear()
    release.created_by = editor
    release.save()
    entries = release.audit_entries.count()
    client.force_login(author)

    response = refused(
        client, reverse("admin:news_release_mentions", args=[release.pk]), {"link_confident": "1"}
    )

    assert response.redirect_chain == [(change_url(release), 302)]
    assert messages_of(response) == [gettext("You may not edit this release.")]
    assert not release.officials.exists()
    assert release.audit_entries.count() == entries


def test_taking_a_release_out_of_the_bin_without_the_right_comes_back_saying_why(client, author):
    release = ReleaseFactory(created_by=author, deleted_at=timezone.now())
    client.force_login(author)

    response = refused(client, reverse("admin:news_release_untrash", args=[release.pk]))

    assert response.redirect_chain == [(change_url(release), 302)]
    assert messages_of(response) == [gettext("You may not restore releases from the bin.")]
    release.refresh_from_db()
    assert release.deleted_at is not None
