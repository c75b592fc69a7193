"""The workflow as editors meet it in the admin: buttons, refusals, conflicts, the bin."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from news import workflow
from news.bin import bin_empty, release_trash
from news.editing import release_record_edit
from news.models import Action, AuditEntry, Release, Revision, State
from tests.admin_forms import release_form_data
from tests.factories import OfficialFactory, PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def change_url(release: Release) -> str:
    return reverse("admin:news_release_change", args=[release.pk])


def move_url(release: Release, name: str) -> str:
    return reverse("admin:news_release_transition", args=[release.pk, name])


def logged_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Adding and editing --------------------------------------------------------------------------


def test_author_adds_a_draft_and_is_named_its_author_with_a_first_revision(client, author):
    logged_in(client, author)
    release = Release(title="Новый черновик", kind="news", language="ru", summary="Лид")
    data = release_form_data(release, slug="", state=State.PUBLISHED)

    response = client.post(reverse("admin:news_release_add"), data)

    assert response.status_code == 302
    release = Release.objects.get()
    assert release.state == State.DRAFT, "the state is not a form field"
    assert release.created_by == author
    assert release.last_edited_by == author
    assert release.revisions.get().data["title"] == "Новый черновик"


def test_state_cannot_be_changed_through_the_form(client, editor):
    release = ReleaseFactory()
    logged_in(client, editor)

    client.post(change_url(release), release_form_data(release, state=State.PUBLISHED))

    release.refresh_from_db()
    assert release.state == State.DRAFT


def test_author_edits_own_draft_but_only_sees_others(client, author, other_author):
    own = ReleaseFactory(created_by=author)
    others = ReleaseFactory(created_by=other_author)
    logged_in(client, author)

    assert client.post(change_url(own), release_form_data(own, title="Правка")).status_code == 302
    response = client.post(change_url(others), release_form_data(others, title="Чужая правка"))

    assert response.status_code == 403
    others.refresh_from_db()
    assert others.title != "Чужая правка"
    page = client.get(change_url(others)).content.decode()
    assert 'name="_save"' not in page


def test_author_cannot_edit_own_release_once_submitted(client, author):
    release = ReleaseFactory(created_by=author, state=State.SUBMITTED)
    logged_in(client, author)

    response = client.post(change_url(release), release_form_data(release, title="Поздняя правка"))

    assert response.status_code == 403
    release.refresh_from_db()
    assert release.title != "Поздняя правка"


def test_editing_an_approved_release_sends_it_back_to_review(client, author, editor):
    release = ReleaseFactory(created_by=author, last_edited_by=author, state=State.APPROVED)
    logged_in(client, editor)

    client.post(change_url(release), release_form_data(release, summary="Другой лид"))

    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    assert release.audit_entries.first().action == Action.REOPEN


# Buttons -------------------------------------------------------------------------------------


def test_change_page_offers_only_the_moves_the_person_may_make(client, author, editor):
    release = ReleaseFactory(created_by=author, last_edited_by=author, state=State.SUBMITTED)

    author_page = logged_in(client, author).get(change_url(release)).content.decode()
    editor_page = logged_in(client, editor).get(change_url(release)).content.decode()

    assert 'data-move="approve"' not in author_page
    assert 'data-move="send_back"' in editor_page
    assert 'data-move="approve"' in editor_page
    assert 'data-move="publish"' not in editor_page


def test_author_submits_from_the_change_page(client, author):
    release = ReleaseFactory(created_by=author, last_edited_by=author)

    response = logged_in(client, author).post(move_url(release, "submit"))

    assert response.status_code == 302
    assert response["Location"] == change_url(release)
    release.refresh_from_db()
    assert release.state == State.SUBMITTED


def test_forged_approval_by_an_author_is_refused_and_changes_nothing(client, author, other_author):
    release = ReleaseFactory(created_by=other_author, state=State.SUBMITTED)

    response = logged_in(client, author).post(move_url(release, "approve"))

    assert response.status_code == 302  # back to the release, saying why
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    assert not AuditEntry.objects.exists()


def test_moves_are_post_only(client, editor):
    release = ReleaseFactory(state=State.SUBMITTED)

    response = logged_in(client, editor).get(move_url(release, "approve"))

    assert response.status_code == 405
    release.refresh_from_db()
    assert release.state == State.SUBMITTED


def test_refused_move_shows_an_admin_error_and_changes_nothing(client, author, editor):
    release = ReleaseFactory(created_by=author, state=State.SUBMITTED)

    response = logged_in(client, editor).post(
        move_url(release, "send_back"), {"comment": ""}, follow=True
    )

    assert any("author should change" in m or "автор" in m for m in messages_of(response))
    release.refresh_from_db()
    assert release.state == State.SUBMITTED


def test_send_back_comment_is_shown_to_the_author(client, author, editor):
    release = ReleaseFactory(created_by=author, last_edited_by=author, state=State.SUBMITTED)
    logged_in(client, editor).post(move_url(release, "send_back"), {"comment": "Уточните дату"})

    page = logged_in(client, author).get(change_url(release)).content.decode()

    assert "Уточните дату" in page
    assert 'data-move="submit"' in page


def test_a_button_pressed_on_a_page_opened_before_a_change_is_refused(client, author, editor):
    release = ReleaseFactory(created_by=author, last_edited_by=author, state=State.SUBMITTED)
    seen = release.version
    workflow.release_send_back(release=release, user=editor, comment="Исправьте")
    workflow.release_submit(release=release, user=author)

    response = logged_in(client, editor).post(
        move_url(release, "approve"), {"version": seen}, follow=True
    )

    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    assert messages_of(response)


def test_publisher_schedules_with_a_local_time(client, author, publisher):
    release = ReleaseFactory(created_by=author, state=State.APPROVED)
    at = timezone.localtime() + datetime.timedelta(hours=2)

    logged_in(client, publisher).post(
        move_url(release, "publish"), {"at": at.strftime("%Y-%m-%dT%H:%M")}
    )

    release.refresh_from_db()
    assert release.is_scheduled
    assert release.published_at == at.replace(second=0, microsecond=0)


# Optimistic locking --------------------------------------------------------------------------


def test_second_save_from_a_stale_form_is_refused_and_shows_the_other_change(
    client, editor, other_editor
):
    release = ReleaseFactory(created_by=editor, title="Исходный заголовок")
    release_record_edit(release=release, user=editor, created=True)
    stale = release_form_data(release)

    logged_in(client, other_editor).post(change_url(release), {**stale, "title": "Заголовок Б"})
    response = logged_in(client, editor).post(
        change_url(release), {**stale, "title": "Заголовок А", "summary": "Мой лид"}
    )

    assert response.status_code == 200
    release.refresh_from_db()
    assert release.title == "Заголовок Б", "the first save is never silently overwritten"
    html = response.content.decode()
    assert "other-editor" in html
    assert " Б</ins>" in html
    assert "\nЗаголовок А</textarea>" in html, "the second editor's own text is kept"

    # Having seen the other change, saving again is a deliberate merge.
    merged = response.context["adminform"].form.data.copy()
    merged["title"] = "Заголовок Б, уточнённый"
    assert client.post(change_url(release), merged).status_code == 302
    release.refresh_from_db()
    assert (release.title, release.summary) == ("Заголовок Б, уточнённый", "Мой лид")


def test_a_move_made_meanwhile_also_makes_the_form_stale(client, author, editor):
    release = ReleaseFactory(created_by=author, last_edited_by=author)
    stale = release_form_data(release, title="Правка")
    workflow.release_submit(release=release, user=author)

    response = logged_in(client, editor).post(change_url(release), stale)

    assert response.status_code == 200
    release.refresh_from_db()
    assert release.title != "Правка"


# Live releases: edits wait as a pending version ----------------------------------------------


def test_editing_a_live_release_leaves_the_public_page_alone_until_published(
    client, editor, publisher
):
    release = PublishedReleaseFactory(title="Живой заголовок")
    logged_in(client, editor).post(
        change_url(release), release_form_data(release, title="Новый заголовок")
    )

    release.refresh_from_db()
    assert release.title == "Живой заголовок"
    assert release.pending_revision.data["title"] == "Новый заголовок"
    assert "Живой заголовок" in client.get(release.get_absolute_url()).content.decode()
    form_page = client.get(change_url(release)).content.decode()
    assert "\nНовый заголовок</textarea>" in form_page, "editing goes on from the pending version"

    logged_in(client, publisher).post(
        move_url(release, "publish_changes"), {"note": "Уточнён заголовок"}
    )

    page = client.get(release.get_absolute_url()).content.decode()
    assert "Новый заголовок" in page
    assert "Уточнён заголовок" in page


# Revisions -----------------------------------------------------------------------------------


def test_two_revisions_are_compared_field_by_field_with_the_body_as_a_word_diff(client, editor):
    release = ReleaseFactory(created_by=editor, body="<p>Стороны обсудили связь.</p>")
    first = release_record_edit(release=release, user=editor, created=True)
    logged_in(client, editor).post(
        change_url(release), release_form_data(release, body="<p>Стороны подписали соглашение.</p>")
    )
    second = release.revisions.first()

    response = client.get(
        reverse("admin:news_release_revisions", args=[release.pk]) + f"?a={first.pk}&b={second.pk}"
    )

    html = response.content.decode()
    assert "<del>обсудили связь.</del>" in html
    assert "<ins>подписали соглашение.</ins>" in html


def test_restoring_a_revision_makes_it_the_newest_draft(client, author, editor):
    release = ReleaseFactory(created_by=author, title="Первый вариант")
    first = release_record_edit(release=release, user=author, created=True)
    logged_in(client, editor).post(
        change_url(release), release_form_data(release, title="Второй вариант")
    )
    workflow.release_submit(release=release, user=editor)

    response = client.post(reverse("admin:news_release_restore", args=[release.pk, first.pk]))

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.title == "Первый вариант"
    assert release.state == State.DRAFT
    assert release.revisions.count() == 3
    assert release.audit_entries.first().action == Action.RESTORE_REVISION


def test_an_author_cannot_restore_a_revision_of_someone_elses_release(client, author, other_author):
    release = ReleaseFactory(created_by=other_author, title="Чужой")
    revision = release_record_edit(release=release, user=other_author, created=True)

    response = logged_in(client, author).post(
        reverse("admin:news_release_restore", args=[release.pk, revision.pk])
    )

    assert response.status_code == 302  # back to the release, saying why
    assert Revision.objects.count() == 1


# Change list: badges, filters, bulk actions --------------------------------------------------


def test_change_list_shows_state_badges_and_filters_scheduled(client, editor):
    ReleaseFactory(title="Черновик")
    PublishedReleaseFactory(
        title="На завтра", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    logged_in(client, editor)

    html = client.get(reverse("admin:news_release_changelist")).content.decode()
    scheduled = client.get(reverse("admin:news_release_changelist") + "?state=scheduled")

    assert 'class="state-badge state-badge--draft"' in html
    assert 'class="state-badge state-badge--scheduled"' in html
    assert [r.title for r in scheduled.context["cl"].result_list] == ["На завтра"]


def test_change_list_finds_releases_by_author_topic_and_official(client, author, editor):
    mine = ReleaseFactory(title="Мой", created_by=author, tags=["почта"])
    theirs = ReleaseFactory(title="Чужой", created_by=editor)
    official = OfficialFactory(full_name="Пётр Петров")
    theirs.officials.add(official)
    url = reverse("admin:news_release_changelist")
    logged_in(client, author)

    def found(query: str) -> list[str]:
        return sorted(r.title for r in client.get(url + query).context["cl"].result_list)

    assert found("?author=me") == ["Мой"]
    assert found("?author=others") == ["Чужой"]
    assert found("?q=почта") == ["Мой"]
    assert found("?q=Петров") == ["Чужой"]
    assert found("?q=editor") == ["Чужой"]
    assert mine.pk != theirs.pk


def test_bulk_actions_are_offered_by_role(client, author, editor, publisher):
    url = reverse("admin:news_release_changelist")

    def actions(user) -> set[str]:
        choices = logged_in(client, user).get(url).context["action_form"].fields["action"].choices
        return {name for name, _ in choices if name}

    assert actions(author) == {"submit_selected"}
    assert actions(editor) >= {"submit_selected", "approve_selected", "move_to_bin"}
    assert "delete_selected" not in actions(editor)
    assert "publish_selected" not in actions(editor)
    assert "publish_selected" in actions(publisher)


def test_bulk_approval_refuses_what_the_editor_changed_last(client, author, editor):
    theirs = ReleaseFactory(state=State.SUBMITTED, last_edited_by=author)
    own = ReleaseFactory(state=State.SUBMITTED, last_edited_by=editor)

    response = logged_in(client, editor).post(
        reverse("admin:news_release_changelist"),
        {"action": "approve_selected", "_selected_action": [theirs.pk, own.pk]},
        follow=True,
    )

    theirs.refresh_from_db()
    own.refresh_from_db()
    assert (theirs.state, own.state) == (State.APPROVED, State.SUBMITTED)
    assert any(own.title in m for m in messages_of(response))


def test_forged_bulk_action_of_another_role_does_nothing(client, author):
    release = ReleaseFactory(state=State.APPROVED)

    logged_in(client, author).post(
        reverse("admin:news_release_changelist"),
        {"action": "publish_selected", "_selected_action": [release.pk]},
    )

    release.refresh_from_db()
    assert release.state == State.APPROVED


# The audit log -------------------------------------------------------------------------------


def test_audit_log_is_shown_on_the_release_and_filterable_across_releases(client, author, editor):
    release = ReleaseFactory(created_by=author, last_edited_by=author)
    workflow.release_submit(release=release, user=author)
    workflow.release_send_back(release=release, user=editor, comment="Переписать лид")
    logged_in(client, editor)

    page = client.get(change_url(release)).content.decode()
    log = client.get(reverse("admin:news_auditentry_changelist") + "?action=send_back")

    assert "Переписать лид" in page
    assert 'class="audit-entry audit-entry--submit"' in page
    assert [e.action for e in log.context["cl"].result_list] == [Action.SEND_BACK]


def test_nobody_edits_the_audit_log(client, superuser):
    release = ReleaseFactory()
    release_trash(release=release, user=superuser)
    entry = AuditEntry.objects.get()
    logged_in(client, superuser)

    assert client.get(reverse("admin:news_auditentry_add")).status_code == 403
    client.post(reverse("admin:news_auditentry_change", args=[entry.pk]), {"comment": "x"})
    entry.refresh_from_db()
    assert entry.comment == ""


# The editors' desk ---------------------------------------------------------------------------


def queue(response, key: str) -> tuple[int, list[str]]:
    """The count and titles of one queue on the admin's first page."""
    html = response.content.decode()
    start = html.index(f'id="queue-{key}"')
    section = html[start : html.index("</section>", start)]
    count = int(section.split('class="desk__count">')[1].split("<")[0])
    titles = [part.split("</a>")[0] for part in section.split('/change/">')[1:]]
    return count, titles


def test_desk_shows_each_person_their_queues_with_counts(client, author, editor, publisher):
    ReleaseFactory(title="Мой черновик", created_by=author)
    ReleaseFactory(title="Чужой черновик")
    ReleaseFactory(title="На проверке", state=State.SUBMITTED, last_edited_by=author)
    ReleaseFactory(title="Моя правка", state=State.SUBMITTED, last_edited_by=editor)
    ReleaseFactory(title="Одобренный", state=State.APPROVED)
    PublishedReleaseFactory(
        title="Запланированный", published_at=timezone.now() + datetime.timedelta(hours=3)
    )
    PublishedReleaseFactory(title="Свежий")
    ReleaseFactory(title="Отозванный", state=State.WITHDRAWN, withdrawn_at=timezone.now())

    as_author = logged_in(client, author).get(reverse("admin:index"))
    assert queue(as_author, "my-drafts") == (1, ["Мой черновик"])
    assert 'id="queue-review"' not in as_author.content.decode()

    as_editor = logged_in(client, editor).get(reverse("admin:index"))
    assert queue(as_editor, "review") == (1, ["На проверке"])
    assert 'id="queue-approved"' not in as_editor.content.decode()

    as_publisher = logged_in(client, publisher).get(reverse("admin:index"))
    assert queue(as_publisher, "approved") == (1, ["Одобренный"])
    assert queue(as_publisher, "scheduled") == (1, ["Запланированный"])
    assert queue(as_publisher, "published") == (1, ["Свежий"])
    assert queue(as_publisher, "withdrawn") == (1, ["Отозванный"])


def test_desk_shows_when_each_scheduled_release_goes_out(client, publisher):
    at = timezone.now() + datetime.timedelta(hours=3)
    PublishedReleaseFactory(title="Запланированный", published_at=at)

    html = logged_in(client, publisher).get(reverse("admin:index")).content.decode()

    assert f'datetime="{timezone.localtime(at).isoformat()}"' in html


# The bin -------------------------------------------------------------------------------------


def test_deleting_moves_a_release_to_the_bin_and_off_the_list(client, editor):
    release = ReleaseFactory(title="Лишний")
    logged_in(client, editor)

    response = client.post(reverse("admin:news_release_delete", args=[release.pk]), {"post": "yes"})

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.deleted_at is not None
    listed = client.get(reverse("admin:news_release_changelist")).context["cl"].result_list
    binned = client.get(reverse("admin:news_release_changelist") + "?bin=yes")
    assert release not in listed
    assert list(binned.context["cl"].result_list) == [release]


def test_author_may_bin_own_draft_only(client, author, other_author):
    own = ReleaseFactory(created_by=author)
    others = ReleaseFactory(created_by=other_author)
    logged_in(client, author)

    client.post(reverse("admin:news_release_delete", args=[own.pk]), {"post": "yes"})
    response = client.post(reverse("admin:news_release_delete", args=[others.pk]), {"post": "yes"})

    assert response.status_code == 403
    own.refresh_from_db()
    others.refresh_from_db()
    assert own.deleted_at is not None
    assert others.deleted_at is None


def test_bulk_move_to_the_bin_respects_who_may_delete_what(client, author, other_author):
    own = ReleaseFactory(created_by=author)
    others = ReleaseFactory(created_by=other_author)

    logged_in(client, author).post(
        reverse("admin:news_release_changelist"),
        {"action": "move_to_bin", "_selected_action": [own.pk, others.pk]},
    )

    own.refresh_from_db()
    others.refresh_from_db()
    assert (own.deleted_at is not None, others.deleted_at is not None) == (False, False), (
        "an author has no delete permission, so the bulk action is not theirs"
    )


def test_editor_moves_selected_releases_to_the_bin(client, editor):
    release = PublishedReleaseFactory()

    logged_in(client, editor).post(
        reverse("admin:news_release_changelist"),
        {"action": "move_to_bin", "_selected_action": [release.pk]},
    )

    release.refresh_from_db()
    assert release.deleted_at is not None
    assert client.get(release.get_absolute_url()).status_code == 404


def test_a_release_is_restored_from_the_bin(client, editor):
    release = ReleaseFactory()
    release_trash(release=release, user=editor)

    logged_in(client, editor).post(
        reverse("admin:news_release_changelist") + "?bin=yes",
        {"action": "restore_from_bin", "_selected_action": [release.pk]},
    )

    release.refresh_from_db()
    assert release.deleted_at is None
    assert [e.action for e in release.audit_entries.all()] == [Action.UNTRASH, Action.TRASH]


def test_only_a_superuser_empties_the_bin(client, editor, superuser):
    release = ReleaseFactory()
    release_trash(release=release, user=editor)
    url = reverse("admin:news_release_changelist") + "?bin=yes"
    data = {"action": "delete_for_good", "_selected_action": [release.pk], "post": "yes"}

    with pytest.raises(PermissionDenied):
        bin_empty(user=editor)
    logged_in(client, editor).post(url, data)
    assert Release.objects.filter(pk=release.pk).exists()

    logged_in(client, superuser).post(url, data)
    assert not Release.objects.filter(pk=release.pk).exists()


def test_emptying_the_bin_leaves_releases_outside_it(superuser):
    kept = ReleaseFactory()
    binned = ReleaseFactory()
    release_trash(release=binned, user=superuser)

    assert bin_empty(user=superuser) == 1

    assert list(Release.objects.all()) == [kept]


def test_authors_do_not_see_the_audit_log_across_releases(client, author, editor):
    url = reverse("admin:news_auditentry_changelist")

    assert logged_in(client, author).get(url).status_code == 403
    assert logged_in(client, editor).get(url).status_code == 200


def test_publisher_unpublishes_from_the_admin_with_a_redirect_to_the_replacement(client, publisher):
    release = PublishedReleaseFactory()
    replacement = PublishedReleaseFactory()

    logged_in(client, publisher).post(
        move_url(release, "unpublish"),
        {"replacement": replacement.pk, "reason": "Дубликат", "version": release.version},
    )

    release.refresh_from_db()
    assert (release.state, release.replaced_by) == (State.UNPUBLISHED, replacement)
    response = client.get(release.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == replacement.get_absolute_url()
