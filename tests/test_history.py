"""One truthful history of a release: each revision named for what it is and credited to who
wrote it, side by side with the audit log; "Compare" on a pending edit compares it with what
readers see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from news import corrections, workflow
from news.editing import release_record_edit, release_stage_changes
from news.history import EARLIER, LIVE, PENDING
from news.models import Release, snapshot_of
from tests.factories import ReleaseFactory

COMPARE_LINK = re.compile(r'href="([^"]*/revisions/\?[^"]*)"')


def published_by_the_book(author, editor, publisher) -> Release:
    """Written by the author, approved by the editor, published by the publisher."""
    release = ReleaseFactory(title="Визит в Белград", created_by=author)
    release_record_edit(release=release, user=author, created=True)
    workflow.release_submit(release=release, user=author)
    workflow.release_approve(release=release, user=editor)
    workflow.release_publish(release=release, user=publisher)
    return Release.objects.get(pk=release.pk)


@pytest.fixture
def corrected(author, editor, publisher) -> Release:
    """Live, with the editor's correction of the title waiting as its pending version."""
    release = published_by_the_book(author, editor, publisher)
    release_stage_changes(
        release=release, user=editor, data={**snapshot_of(release), "title": "Визит в Сербию"}
    )
    release.refresh_from_db()
    return release


def change_page(client, user, release: Release):
    client.force_login(user)
    return client.get(reverse("admin:news_release_change", args=[release.pk]))


def test_compare_in_the_pending_changes_notice_compares_them_with_the_live_version(
    client, editor, corrected
):
    page = change_page(client, editor, corrected).content.decode()
    link = COMPARE_LINK.search(page).group(1).replace("&amp;", "&")

    response = client.get(link)

    assert [change.name for change in response.context["changes"]] == ["title"]
    html = response.content.decode()
    assert "<del>Белград</del><ins>Сербию</ins>" in html
    assert "Версии совпадают" not in html
    assert "<strong>Опубликованная версия</strong>" in html
    assert "<strong>Неопубликованные изменения</strong>" in html


def test_an_old_compare_link_of_the_pending_version_with_itself_compares_with_the_live_one(
    client, editor, corrected
):
    client.force_login(editor)

    response = client.get(
        reverse("admin:news_release_revisions", args=[corrected.pk]),
        {"a": corrected.pending_revision_id},
    )

    assert [change.name for change in response.context["changes"]] == ["title"]


def test_revisions_are_named_live_pending_and_earlier_never_the_pending_one_as_now(
    client, editor, corrected
):
    response = change_page(client, editor, corrected)

    kinds = [item.kind for item in response.context["history"] if item.revision]
    assert kinds == [PENDING, LIVE]
    html = response.content.decode()
    assert "текущая версия" not in html
    assert "неопубликованные изменения" in html


def test_after_publication_each_revision_is_credited_to_its_author_not_the_publisher(
    client, author, editor, publisher, corrected
):
    corrections.release_publish_changes(release=corrected, user=publisher, note="Уточнили страну.")

    response = change_page(client, editor, corrected)

    revisions = [item for item in response.context["history"] if item.revision]
    assert [(item.kind, item.user) for item in revisions] == [(LIVE, editor), (EARLIER, author)]
    assert not corrected.revisions.filter(user=publisher).exists()
    assert corrected.change_notes.get().before.user == author


def test_one_history_lists_revisions_and_audit_entries_in_time_order_with_comments(
    client, author, editor, publisher
):
    release = ReleaseFactory(created_by=author)
    release_record_edit(release=release, user=author, created=True)
    workflow.release_submit(release=release, user=author)
    workflow.release_send_back(release=release, user=editor, comment="Добавьте место встречи.")

    response = change_page(client, author, release)

    items = response.context["history"]
    assert [item.time for item in items] == sorted((item.time for item in items), reverse=True)
    assert [(item.revision is not None, item.user) for item in items] == [
        (False, editor),
        (False, author),
        (True, author),
    ]
    html = response.content.decode()
    assert 'id="history"' in html
    assert "Добавьте место встречи." in html


def test_django_s_object_history_of_a_release_leads_to_its_one_history(client, editor, corrected):
    client.force_login(editor)

    response = client.get(reverse("admin:news_release_history", args=[corrected.pk]))

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:news_release_change", args=[corrected.pk]) + "#history"
    )


def test_django_s_object_history_of_a_release_is_not_shown_to_someone_who_may_not_see_it(
    client, django_user_model, corrected
):
    nobody = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(nobody)

    response = client.get(reverse("admin:news_release_history", args=[corrected.pk]))

    assert response.status_code in (302, 403)
    assert "#history" not in response.get("Location", "")
