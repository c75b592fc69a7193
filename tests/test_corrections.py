"""A publisher corrects a live release alone, saying why; a second person reviews it afterwards.

And where a move's button is absent for this person, the workflow panel says why in one line,
from the same checks that hide the button.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from news import corrections, workflow
from news.editing import release_stage_changes
from news.models import Action, State, snapshot_of
from news.release_writes import TransitionError
from news.roles import ask_another, only_roles_may
from tests.admin_forms import release_form_data
from tests.factories import PublishedReleaseFactory, ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(release) -> str:
    return reverse("admin:news_release_change", args=[release.pk])


def move_url(release, name: str) -> str:
    return reverse("admin:news_release_transition", args=[release.pk, name])


def corrected_by(release, user, **changes):
    release_stage_changes(release=release, user=user, data={**snapshot_of(release), **changes})
    release.refresh_from_db()
    return release


def why_not(client, release) -> list[str]:
    """The lines of the workflow panel that say why a move is absent."""
    page = client.get(change_url(release)).content.decode()
    return [
        line.split(">", 1)[1].split("</li>")[0]
        for line in page.splitlines()
        if "data-why-not" in line
    ]


# The move ------------------------------------------------------------------------------------


def test_a_publisher_publishes_their_own_correction_alone_with_a_reason(client, publisher):
    release = PublishedReleaseFactory(place="Гродно")
    corrected_by(release, publisher, place="Минск")

    note = corrections.release_publish_correction(
        release=release,
        user=publisher,
        reason="Визит перенесён, журналисты ждут",
        note="Исправлено место встречи",
    )

    release.refresh_from_db()
    assert (release.state, release.place, release.pending_revision) == (
        State.PUBLISHED,
        "Минск",
        None,
    )
    assert release.needs_post_review
    entry = release.audit_entries.first()
    assert (entry.action, entry.user, entry.comment) == (
        Action.FORCE_PUBLISH,
        publisher,
        "Визит перенесён, журналисты ждут",
    )
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Минск" in page
    assert note.text in page


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(publisher):
    release = PublishedReleaseFactory(place="Гродно")
    corrected_by(release, publisher, place="Минск")
    before = (release.version, release.audit_entries.count())

    with pytest.raises(TransitionError) as error:
        corrections.release_publish_correction(
            release=release, user=publisher, reason="  ", note="Исправлено место"
        )

    assert "reason" in error.value.error_dict
    release.refresh_from_db()
    assert (release.place, release.needs_post_review) == ("Гродно", False)
    assert (release.version, release.audit_entries.count()) == before
    assert release.pending_revision is not None


def test_a_correction_alone_is_only_for_ones_own_changes(publisher):
    release = PublishedReleaseFactory()
    editor = UserFactory(username="correcting-editor", roles=["Editor"])
    corrected_by(release, editor, place="Минск")

    with pytest.raises(TransitionError) as error:
        corrections.release_publish_correction(release=release, user=publisher, reason="Срочно")

    assert error.value.code == "not_own"
    # Another person's changes go out the usual way, with a second pair of eyes.
    corrections.release_publish_changes(release=release, user=publisher, note="Исправлено место")
    release.refresh_from_db()
    assert not release.needs_post_review


def test_an_editor_may_not_publish_their_own_correction(editor):
    release = corrected_by(PublishedReleaseFactory(), editor, place="Минск")

    with pytest.raises(PermissionDenied):
        corrections.release_publish_correction(release=release, user=editor, reason="Срочно")

    release.refresh_from_db()
    assert release.pending_revision is not None


def test_a_second_persons_review_clears_the_flag_and_the_corrector_cannot_give_it(
    publisher, editor
):
    release = corrected_by(PublishedReleaseFactory(), publisher, place="Минск")
    corrections.release_publish_correction(
        release=release, user=publisher, reason="Срочно", minor=True
    )
    corrector_as_reviewer = UserFactory(username="both-roles", roles=["Publisher", "Editor"])
    release_stage_changes(
        release=release, user=corrector_as_reviewer, data={**snapshot_of(release), "place": "Брест"}
    )
    corrections.release_publish_correction(
        release=release, user=corrector_as_reviewer, reason="Ещё раз", minor=True
    )

    with pytest.raises(TransitionError):
        workflow.release_post_review(release=release, user=corrector_as_reviewer)
    workflow.release_post_review(release=release, user=editor, comment="Проверено")

    release.refresh_from_db()
    assert not release.needs_post_review
    assert release.audit_entries.first().action == Action.POST_REVIEW


def test_a_publisher_corrects_a_live_release_alone_from_the_admin(client, publisher):
    release = PublishedReleaseFactory(place="Гродно")
    client.force_login(publisher)
    client.post(change_url(release), release_form_data(release, place="Минск"))
    release.refresh_from_db()

    page = client.get(change_url(release)).content.decode()
    assert 'data-move="publish_correction"' in page
    assert 'data-move="publish_changes"' not in page
    response = client.post(
        move_url(release, "publish_correction"),
        {
            "reason": "Журналисты уже едут по неверному адресу",
            "note": "Исправлено место встречи",
            "version": release.version,
        },
    )

    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.place, release.needs_post_review) == ("Минск", True)
    public = client.get(release.get_absolute_url()).content.decode()
    assert "Исправлено место встречи" in public


# Why a button is absent ----------------------------------------------------------------------


def test_the_publisher_of_their_own_changes_is_told_to_ask_another_publisher(client, publisher):
    release = corrected_by(PublishedReleaseFactory(), publisher, place="Минск")
    client.force_login(publisher)

    lines = why_not(client, release)

    label = workflow.TRANSITIONS["publish_changes"].label
    assert f"<strong>{label}.</strong> {ask_another('news.publish_release')}" in lines


def test_an_editor_who_made_the_last_change_is_told_to_ask_another_editor(client, author, editor):
    release = ReleaseFactory(state=State.SUBMITTED, created_by=author, last_edited_by=editor)
    client.force_login(editor)

    lines = why_not(client, release)

    label = workflow.TRANSITIONS["approve"].label
    assert f"<strong>{label}.</strong> {ask_another('news.review_release')}" in lines
    assert gettext("Needs a second person: ask %(roles)s.") % {
        "roles": pgettext("whom to ask", "another editor")
    } == ask_another("news.review_release")


def test_an_editor_on_a_live_release_is_told_only_a_publisher_takes_it_down(client, editor):
    release = PublishedReleaseFactory()
    client.force_login(editor)

    lines = why_not(client, release)

    withdraw = workflow.TRANSITIONS["withdraw"].label
    unpublish = workflow.TRANSITIONS["unpublish"].label
    assert lines == [
        f"<strong>{withdraw}, {unpublish}.</strong> {only_roles_may('news.withdraw_release')}"
    ]


def test_the_refusal_of_a_forged_move_says_the_same_as_the_panel(client, publisher):
    release = corrected_by(PublishedReleaseFactory(), publisher, place="Минск")
    client.force_login(publisher)

    response = client.post(
        move_url(release, "publish_changes"),
        {"note": "Исправлено", "version": release.version},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [ask_another("news.publish_release")]
    release.refresh_from_db()
    assert release.pending_revision is not None


def test_moves_with_nothing_to_act_on_are_not_explained(client, publisher):
    release = PublishedReleaseFactory()  # no changes, no review awaited, not scheduled
    client.force_login(publisher)

    assert why_not(client, release) == []


def test_an_author_on_their_draft_is_told_who_publishes_without_review(client, author):
    release = ReleaseFactory(created_by=author, last_edited_by=author)
    client.force_login(author)

    lines = why_not(client, release)

    label = workflow.TRANSITIONS["force_publish"].label
    assert lines == [f"<strong>{label}.</strong> {only_roles_may('news.force_publish_release')}"]
