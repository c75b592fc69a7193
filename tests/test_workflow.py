"""The editorial workflow: who may move a release where, and what readers see in each state."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import feedparser
import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from news import corrections, workflow
from news.bin import release_trash
from news.editing import release_stage_changes
from news.models import Action, AuditEntry, ChangeNote, Release, Revision, State, snapshot_of
from news.release_writes import TransitionError
from tests.factories import PublishedReleaseFactory, ReleaseFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("news:release-list")
RSS_URL = reverse("news:feed-rss")
ATOM_URL = reverse("news:feed-atom")


def later(**kwargs) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**kwargs)


def snapshot(release: Release) -> tuple:
    """What a refused move must leave untouched."""
    release.refresh_from_db()
    return (
        release.state,
        release.published_at,
        release.version,
        release.needs_post_review,
        release.withdrawn_at,
        release.pending_revision_id,
        AuditEntry.objects.count(),
    )


# Releases in the state each move starts from ---------------------------------------------------


def draft_by(author) -> Release:
    return ReleaseFactory(created_by=author, last_edited_by=author)


def submitted_by(author) -> Release:
    return ReleaseFactory(state=State.SUBMITTED, created_by=author, last_edited_by=author)


def approved_by(author) -> Release:
    return ReleaseFactory(state=State.APPROVED, created_by=author, last_edited_by=author)


def live_by(author) -> Release:
    return PublishedReleaseFactory(created_by=author, last_edited_by=author)


def scheduled_by(author) -> Release:
    return PublishedReleaseFactory(
        created_by=author, last_edited_by=author, published_at=later(days=1)
    )


def forced_by_publisher(author) -> Release:
    publisher = UserFactory(username="forcing-publisher", roles=["Publisher"])
    release = submitted_by(author)
    workflow.release_force_publish(release=release, user=publisher, reason="Срочно")
    return release


def live_with_changes_by(author) -> Release:
    release = live_by(author)
    editor = UserFactory(username="changing-editor", roles=["Editor"])
    data = {**snapshot_of(release), "title": "Исправленный заголовок", "body": "<p>Новое</p>"}
    release_stage_changes(release=release, user=editor, data=data)
    return release


def live_with_changes_of(author, actor) -> Release:
    """A live release with unpublished changes the actor made (whoever may edit it or not)."""
    release = live_by(author)
    data = {**snapshot_of(release), "title": "Исправленный заголовок", "place": "Минск"}
    revision = Revision.objects.create(release=release, user=actor, version=1, data=data)
    Release.objects.filter(pk=release.pk).update(pending_revision=revision)
    release.refresh_from_db()
    return release


# Moves on one's own work: their release is made for the person who acts, (author, actor).
OWN_WORK = {"publish_correction"}

MOVES: dict[str, tuple[Callable, Callable]] = {
    "submit": (draft_by, lambda r, u: workflow.release_submit(release=r, user=u)),
    "send_back": (
        submitted_by,
        lambda r, u: workflow.release_send_back(release=r, user=u, comment="Уточните дату"),
    ),
    "approve": (submitted_by, lambda r, u: workflow.release_approve(release=r, user=u)),
    "publish": (approved_by, lambda r, u: workflow.release_publish(release=r, user=u)),
    "schedule": (
        approved_by,
        lambda r, u: workflow.release_publish(release=r, user=u, at=later(hours=2)),
    ),
    "force_publish": (
        submitted_by,
        lambda r, u: workflow.release_force_publish(release=r, user=u, reason="Срочно"),
    ),
    "post_review": (
        forced_by_publisher,
        lambda r, u: workflow.release_post_review(release=r, user=u),
    ),
    "unschedule": (scheduled_by, lambda r, u: workflow.release_unschedule(release=r, user=u)),
    "withdraw": (
        live_by,
        lambda r, u: workflow.release_withdraw(release=r, user=u, reason="Ошибка в фактах"),
    ),
    "unpublish": (
        live_by,
        lambda r, u: workflow.release_unpublish(release=r, user=u, reason="Дубль"),
    ),
    "publish_changes": (
        live_with_changes_by,
        lambda r, u: corrections.release_publish_changes(release=r, user=u, note="Уточнена дата"),
    ),
    "discard_changes": (
        live_with_changes_by,
        lambda r, u: corrections.release_discard_changes(release=r, user=u),
    ),
    "publish_correction": (
        live_with_changes_of,
        lambda r, u: corrections.release_publish_correction(
            release=r, user=u, reason="Неверный адрес источника", note="Исправлен источник"
        ),
    ),
}

# Who may make each move: the role matrix of the issue. "author" is the release's own author.
ALLOWED = {
    "submit": {"author", "editor", "superuser"},
    "send_back": {"editor", "superuser"},
    "approve": {"editor", "superuser"},
    "publish": {"publisher", "superuser"},
    "schedule": {"publisher", "superuser"},
    "force_publish": {"publisher", "superuser"},
    "post_review": {"editor", "superuser"},
    "unschedule": {"publisher", "superuser"},
    "withdraw": {"publisher", "superuser"},
    "unpublish": {"publisher", "superuser"},
    "publish_changes": {"publisher", "superuser"},
    "discard_changes": {"editor", "publisher", "superuser"},
    "publish_correction": {"publisher", "superuser"},
}
ROLES = ["author", "editor", "publisher", "superuser"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", list(MOVES))
def test_every_role_may_make_exactly_the_moves_of_its_role(request, author, move, role):
    make_release, act = MOVES[move]
    user = request.getfixturevalue(role)
    release = make_release(author, user) if move in OWN_WORK else make_release(author)

    if role in ALLOWED[move]:
        act(release, user)
        entry = release.audit_entries.first()
        assert entry.user == user
        assert entry.to_state == release.state
    else:
        before = snapshot(release)
        with pytest.raises(PermissionDenied):
            act(release, user)
        assert snapshot(release) == before


# Each move from the right state, and refused from the others ---------------------------------


def test_author_submits_own_draft_and_the_audit_log_says_so(author):
    release = draft_by(author)

    workflow.release_submit(release=release, user=author)

    assert release.state == State.SUBMITTED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.from_state, entry.to_state) == (
        Action.SUBMIT,
        State.DRAFT,
        State.SUBMITTED,
    )


def test_author_cannot_submit_someone_elses_draft(author, other_author):
    release = draft_by(other_author)
    before = snapshot(release)

    with pytest.raises(PermissionDenied):
        workflow.release_submit(release=release, user=author)

    assert snapshot(release) == before


def test_editor_sends_back_with_a_comment_the_author_can_read(author, editor):
    release = submitted_by(author)

    workflow.release_send_back(release=release, user=editor, comment="Уточните дату визита")

    assert release.state == State.DRAFT
    assert release.audit_entries.get().comment == "Уточните дату визита"


def test_sending_back_without_a_comment_is_refused(author, editor):
    release = submitted_by(author)
    before = snapshot(release)

    with pytest.raises(TransitionError) as error:
        workflow.release_send_back(release=release, user=editor, comment="  ")

    assert "comment" in error.value.message_dict
    assert snapshot(release) == before


def test_whoever_made_the_last_change_cannot_approve_it(editor, other_editor):
    release = submitted_by(editor)
    before = snapshot(release)

    with pytest.raises(TransitionError) as error:
        workflow.release_approve(release=release, user=editor)

    assert error.value.code == "same_person"
    assert snapshot(release) == before
    workflow.release_approve(release=release, user=other_editor)
    assert release.state == State.APPROVED


def test_second_pair_of_eyes_holds_for_a_superuser_too(superuser, editor):
    release = submitted_by(superuser)

    with pytest.raises(TransitionError):
        workflow.release_approve(release=release, user=superuser)


def test_publishing_now_makes_the_release_public_at_once(author, publisher):
    release = approved_by(author)

    workflow.release_publish(release=release, user=publisher)

    assert release.state == State.PUBLISHED
    assert release.is_public
    assert release.audit_entries.first().action == Action.PUBLISH


def test_scheduling_holds_the_release_back_to_the_minute(client, author, publisher):
    release = approved_by(author)
    at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=10)

    workflow.release_publish(release=release, user=publisher, at=at)

    assert release.audit_entries.first().action == Action.SCHEDULE
    assert release.is_scheduled
    with time_machine.travel(at - datetime.timedelta(seconds=1)):
        assert client.get(release.get_absolute_url()).status_code == 404
    with time_machine.travel(at):
        assert client.get(release.get_absolute_url()).status_code == 200


def test_publication_time_in_the_past_is_refused(author, publisher):
    release = approved_by(author)
    before = snapshot(release)

    with pytest.raises(TransitionError) as error:
        workflow.release_publish(release=release, user=publisher, at=later(hours=-2))

    assert "at" in error.value.message_dict
    assert snapshot(release) == before


def test_force_publish_needs_a_reason_and_flags_the_release(author, publisher):
    release = submitted_by(author)
    before = snapshot(release)

    with pytest.raises(TransitionError):
        workflow.release_force_publish(release=release, user=publisher, reason="")
    assert snapshot(release) == before

    workflow.release_force_publish(release=release, user=publisher, reason="Заявление министра")

    assert release.is_public
    assert release.needs_post_review
    assert release.audit_entries.first().comment == "Заявление министра"


def test_force_published_release_is_cleared_by_someone_else_reviewing_it(author, editor):
    release = forced_by_publisher(author)

    workflow.release_post_review(release=release, user=editor, comment="Проверено")

    assert not release.needs_post_review
    assert release.audit_entries.first().action == Action.POST_REVIEW


def test_the_force_publisher_cannot_review_their_own_forced_release(author):
    both = UserFactory(username="both", roles=["Publisher", "Editor"])
    release = submitted_by(author)
    workflow.release_force_publish(release=release, user=both, reason="Срочно")

    with pytest.raises(TransitionError):
        workflow.release_post_review(release=release, user=both)
    assert release.needs_post_review


def test_cancelling_a_schedule_returns_the_release_to_approved(author, publisher):
    release = scheduled_by(author)

    workflow.release_unschedule(release=release, user=publisher)

    assert release.state == State.APPROVED
    assert release.published_at is None


def test_a_live_release_cannot_be_unscheduled(author, publisher):
    release = live_by(author)

    with pytest.raises(TransitionError):
        workflow.release_unschedule(release=release, user=publisher)


def test_withdrawal_needs_a_public_explanation(author, publisher):
    release = live_by(author)
    before = snapshot(release)

    with pytest.raises(TransitionError):
        workflow.release_withdraw(release=release, user=publisher, reason="")

    assert snapshot(release) == before


def test_a_scheduled_release_is_unscheduled_not_withdrawn(author, publisher):
    release = scheduled_by(author)

    with pytest.raises(TransitionError):
        workflow.release_withdraw(release=release, user=publisher, reason="Ошибка")


def test_unpublishing_with_a_replacement_needs_a_public_one(author, publisher):
    release = live_by(author)
    draft = draft_by(author)

    with pytest.raises(TransitionError):
        workflow.release_unpublish(
            release=release, user=publisher, reason="Дубль", replacement=draft
        )
    with pytest.raises(TransitionError):
        workflow.release_unpublish(
            release=release, user=publisher, reason="Дубль", replacement=release
        )
    assert release.state == State.PUBLISHED


# Every move is refused from every state it does not start from --------------------------------

STARTS = {
    "submit": {State.DRAFT},
    "send_back": {State.SUBMITTED, State.APPROVED},
    "approve": {State.SUBMITTED},
    "publish": {State.APPROVED},
    "force_publish": {State.DRAFT, State.SUBMITTED},
    "withdraw": {State.PUBLISHED},
    "unpublish": {State.PUBLISHED, State.WITHDRAWN},
}
SUPERUSER_MOVES = {
    "submit": lambda r, u: workflow.release_submit(release=r, user=u),
    "send_back": lambda r, u: workflow.release_send_back(release=r, user=u, comment="Нет"),
    "approve": lambda r, u: workflow.release_approve(release=r, user=u),
    "publish": lambda r, u: workflow.release_publish(release=r, user=u),
    "force_publish": lambda r, u: workflow.release_force_publish(release=r, user=u, reason="Да"),
    "withdraw": lambda r, u: workflow.release_withdraw(release=r, user=u, reason="Да"),
    "unpublish": lambda r, u: workflow.release_unpublish(release=r, user=u, reason="Дубль"),
}


@pytest.mark.parametrize(
    ("move", "state"),
    [(move, state) for move, starts in STARTS.items() for state in State if state not in starts],
)
def test_move_from_a_wrong_state_is_refused_and_changes_nothing(author, superuser, move, state):
    published_at = later(days=-1) if state in (State.PUBLISHED, State.WITHDRAWN) else None
    release = ReleaseFactory(state=state, published_at=published_at, last_edited_by=author)
    before = snapshot(release)

    with pytest.raises(TransitionError) as error:
        SUPERUSER_MOVES[move](release, superuser)

    assert error.value.code == "state"
    assert snapshot(release) == before


def test_a_release_in_the_bin_cannot_move(author, superuser):
    release = submitted_by(author)
    release_trash(release=release, user=superuser)

    with pytest.raises(TransitionError):
        workflow.release_send_back(release=release, user=superuser, comment="Нет")


def test_moves_use_the_state_in_the_database_not_a_stale_copy(author, editor, other_editor):
    release = submitted_by(author)
    stale = Release.objects.get(pk=release.pk)
    workflow.release_send_back(release=release, user=editor, comment="Исправьте")

    with pytest.raises(TransitionError):
        workflow.release_approve(release=stale, user=other_editor)
    assert Release.objects.get(pk=release.pk).state == State.DRAFT


def test_available_transitions_are_those_the_person_may_make_now(author, editor, publisher):
    release = submitted_by(author)

    assert [t.name for t in workflow.available_transitions(release=release, user=author)] == []
    assert [t.name for t in workflow.available_transitions(release=release, user=editor)] == [
        "send_back",
        "approve",
    ]
    assert [t.name for t in workflow.available_transitions(release=release, user=publisher)] == [
        "force_publish"
    ]


def test_roles_are_groups_made_by_the_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Author", "Editor", "Publisher"}
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(codename="review_release").exists()
    assert not editor.permissions.filter(codename="publish_release").exists()


# Pending changes to a live release -----------------------------------------------------------


def test_changes_to_a_live_release_wait_until_published(client, author, publisher):
    release = live_with_changes_by(author)

    assert client.get(release.get_absolute_url()).content.decode().count("Исправленный") == 0

    note = corrections.release_publish_changes(
        release=release, user=publisher, note="Уточнён заголовок"
    )

    release.refresh_from_db()
    assert release.title == "Исправленный заголовок"
    assert release.pending_revision is None
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Исправленный заголовок" in html
    assert "Уточнён заголовок" in html
    assert note.get_absolute_url() in html


def test_a_reader_can_see_what_a_correction_changed(client, author, publisher):
    release = live_with_changes_by(author)
    old_title = release.title
    note = corrections.release_publish_changes(release=release, user=publisher, note="Уточнение")

    html = client.get(note.get_absolute_url()).content.decode()

    assert f"<del>{old_title.split()[0]}" in html or f"<del>{old_title}" in html
    assert "<ins>" in html
    assert "Новое" in html


def test_minor_correction_adds_no_public_note(author, publisher):
    release = live_with_changes_by(author)

    assert corrections.release_publish_changes(release=release, user=publisher, minor=True) is None

    assert not ChangeNote.objects.exists()
    release.refresh_from_db()
    assert release.title == "Исправленный заголовок"


def test_a_correction_that_is_not_minor_needs_a_note(author, publisher):
    release = live_with_changes_by(author)
    before = snapshot(release)

    with pytest.raises(TransitionError):
        corrections.release_publish_changes(release=release, user=publisher, note="")

    assert snapshot(release) == before


def test_whoever_made_the_pending_change_cannot_publish_it(author):
    release = live_by(author)
    both = UserFactory(username="both", roles=["Publisher"])
    release_stage_changes(release=release, user=both, data={"title": "Новый"})

    with pytest.raises(TransitionError):
        corrections.release_publish_changes(release=release, user=both, minor=True)


# What readers see in each state: listing, page and feeds agree ---------------------------------


def public_view(client, release: Release) -> dict[str, object]:
    """Where a reader, a feed reader, a search engine or an API client could find the release."""
    listing = release.title in client.get(LIST_URL).content.decode()
    page = client.get(release.get_absolute_url())
    rss = [e.title for e in feedparser.parse(client.get(RSS_URL).content).entries]
    atom = [e.title for e in feedparser.parse(client.get(ATOM_URL).content).entries]
    sitemap = client.get(reverse("sitemap-section", args=["releases"])).content.decode()
    news_sitemap = client.get(reverse("sitemap-news")).content.decode()
    found = client.get(reverse("news:search"), {"q": release.title}).content.decode()
    api = client.get("/api/v1/releases", {"page_size": 100}).json()
    seen = {
        "sitemap": release.get_absolute_url() in sitemap,
        "news sitemap": release.get_absolute_url() in news_sitemap,
        "search": f'href="{release.get_absolute_url()}"' in found,
        "api": release.slug in {item["slug"] for item in api["items"]},
    }
    # Every way in agrees with the listing; the page itself answers by its own rules.
    listed = {name: value for name, value in seen.items() if value != listing}
    assert not listed, f"disagree with the listing ({listing}): {listed}"
    return {
        "listing": listing,
        "page": page.status_code,
        "rss": release.title in rss,
        "atom": release.title in atom,
    }


@pytest.mark.parametrize(
    ("make", "listed", "status"),
    [
        (draft_by, False, 404),
        (submitted_by, False, 404),
        (approved_by, False, 404),
        (scheduled_by, False, 404),
        (live_by, True, 200),
    ],
)
def test_listing_page_and_feeds_agree_on_each_state(client, author, make, listed, status):
    release = make(author)

    assert public_view(client, release) == {
        "listing": listed,
        "page": status,
        "rss": listed,
        "atom": listed,
    }


def test_withdrawn_release_keeps_its_page_with_the_explanation_but_leaves_lists(
    client, author, publisher
):
    release = live_by(author)
    workflow.release_withdraw(release=release, user=publisher, reason="Сведения не подтвердились")

    assert public_view(client, release) == {
        "listing": False,
        "page": 200,
        "rss": False,
        "atom": False,
    }
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Сведения не подтвердились" in html
    assert 'class="notice notice--withdrawn"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_unpublished_release_is_gone(client, author, publisher):
    release = live_by(author)
    workflow.release_unpublish(release=release, user=publisher, reason="Дубль")

    assert public_view(client, release) == {
        "listing": False,
        "page": 410,
        "rss": False,
        "atom": False,
    }


def test_unpublished_release_redirects_to_its_replacement(client, author, publisher):
    release = live_by(author)
    replacement = live_by(author)
    workflow.release_unpublish(
        release=release, user=publisher, reason="Дубль", replacement=replacement
    )

    response = client.get(release.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == replacement.get_absolute_url()


def test_release_in_the_bin_disappears_from_the_site(client, author, superuser):
    release = live_by(author)
    release_trash(release=release, user=superuser)

    assert public_view(client, release) == {
        "listing": False,
        "page": 404,
        "rss": False,
        "atom": False,
    }


def test_change_note_page_of_a_release_not_on_the_record_is_404(client, author, publisher):
    release = live_with_changes_by(author)
    note = corrections.release_publish_changes(release=release, user=publisher, note="Уточнение")
    workflow.release_unpublish(release=release, user=publisher, reason="Дубль")

    assert client.get(note.get_absolute_url()).status_code == 404


def test_release_page_with_change_notes_takes_a_fixed_number_of_queries(
    client, author, publisher, django_assert_max_num_queries
):
    release = live_with_changes_by(author)
    corrections.release_publish_changes(release=release, user=publisher, note="Первое уточнение")
    client.get(reverse("news:feed-list"))  # the footer's list of pages, read once and kept

    # The page cache's version, the release and all it shows (news.articles: not kept yet).
    with django_assert_max_num_queries(14):
        response = client.get(release.get_absolute_url())

    assert "Первое уточнение" in response.content.decode()
