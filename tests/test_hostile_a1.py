"""Hostile input to the confirmation pages, the correction move and the bin's confirmation.

No 5xx, nothing half-stored, nothing unpublished leaks.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from news.bin import release_trash
from news.editing import release_stage_changes
from news.models import AuditEntry, Release, State, snapshot_of
from tests.factories import PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = [
    "x" * 100_000,
    "<script>alert(1)</script>",
    "\u202e\u0000",
]


def move_url(object_id, name: str) -> str:
    return reverse("admin:news_release_transition", args=[object_id, name])


def state_of(release) -> tuple:
    release.refresh_from_db()
    return (
        release.state,
        release.version,
        release.pending_revision_id,
        release.needs_post_review,
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("object_id", ["abc", "0", "-1", "1.5", "%00", "9" * 30])
@pytest.mark.parametrize("name", ["withdraw", "unpublish", "discard_changes", "no-such-move"])
def test_a_question_for_no_release_is_404(client, publisher, object_id, name):
    client.force_login(publisher)

    assert client.get(move_url(object_id, name)).status_code == 404


def test_a_question_about_a_release_in_the_bin_goes_back_saying_why(client, editor, publisher):
    release = PublishedReleaseFactory()
    release_trash(release=release, user=editor)
    client.force_login(publisher)

    response = client.get(move_url(release.pk, "unpublish"))

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.state == State.PUBLISHED


def test_the_question_is_not_asked_of_someone_who_may_not_make_the_move(client, author):
    release = PublishedReleaseFactory(title="Чужая публикация")
    client.force_login(author)

    response = client.get(move_url(release.pk, "unpublish"), follow=True)

    assert response.redirect_chain == [
        (reverse("admin:news_release_change", args=[release.pk]), 302)
    ]
    assert 'data-confirm="unpublish"' not in response.content.decode()


@pytest.mark.parametrize("reason", HOSTILE_TEXT)
@pytest.mark.parametrize("replacement", ["", "abc", "-1", "999999", "1 OR 1=1"])
def test_hostile_take_down_input_is_refused_whole_or_taken_whole(
    client, publisher, reason, replacement
):
    release = PublishedReleaseFactory()
    before = state_of(release)
    client.force_login(publisher)

    response = client.post(
        move_url(release.pk, "unpublish"),
        {"reason": reason, "replacement": replacement, "version": release.version},
    )

    assert response.status_code < 500
    after = state_of(release)
    if after != before:
        # Taken: the whole reason in the audit log, the page gone.
        assert release.state == State.UNPUBLISHED
        assert release.audit_entries.get().comment == reason.strip()
        assert client.get(release.get_absolute_url()).status_code == 410


def test_a_take_down_cannot_redirect_to_a_draft(client, publisher):
    release = PublishedReleaseFactory()
    draft = ReleaseFactory(title="Черновик не для читателей")
    before = state_of(release)
    client.force_login(publisher)

    client.post(
        move_url(release.pk, "unpublish"),
        {"reason": "Дубль", "replacement": draft.pk, "version": release.version},
    )

    assert state_of(release) == before
    assert client.get(release.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("reason", HOSTILE_TEXT)
@pytest.mark.parametrize("note", ["", "y" * 301, "<b>жирный</b>"])
def test_hostile_correction_input_is_refused_whole_or_taken_whole(client, publisher, reason, note):
    release = PublishedReleaseFactory(place="Гродно")
    data = {**snapshot_of(release), "place": "Минск"}
    release_stage_changes(release=release, user=publisher, data=data)
    before = state_of(release)
    client.force_login(publisher)

    response = client.post(
        move_url(release.pk, "publish_correction"),
        {"reason": reason, "note": note, "version": release.version},
    )

    assert response.status_code < 500
    after = state_of(release)
    if after == before:
        assert release.place == "Гродно"
    else:
        assert (release.place, release.needs_post_review) == ("Минск", True)
        assert release.pending_revision is None


@pytest.mark.parametrize("selected", [["abc"], ["-1"], ["1 OR 1=1"], []])
def test_hostile_ids_to_empty_the_bin_delete_nothing(client, editor, superuser, selected):
    binned = ReleaseFactory()
    release_trash(release=binned, user=editor)
    kept = ReleaseFactory()
    client.force_login(superuser)
    url = reverse("admin:news_release_changelist") + "?bin=yes"

    for data in [
        {"action": "delete_for_good", "_selected_action": selected},
        {"action": "delete_for_good", "_selected_action": selected, "post": "yes"},
    ]:
        assert client.post(url, data).status_code < 500

    assert set(Release.objects.values_list("pk", flat=True)) == {binned.pk, kept.pk}


def test_emptying_the_bin_never_deletes_a_release_outside_it(client, superuser):
    kept = PublishedReleaseFactory()
    client.force_login(superuser)
    url = reverse("admin:news_release_changelist") + "?bin=yes"

    client.post(url, {"action": "delete_for_good", "_selected_action": [kept.pk], "post": "yes"})

    assert Release.objects.filter(pk=kept.pk).exists()
