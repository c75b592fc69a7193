"""Revisions: what a save keeps, and how two versions are told apart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news import workflow
from news.diff import compare, plain_text, word_diff
from news.models import Release, State, snapshot_of
from tests.factories import OfficialFactory, PublishedReleaseFactory, ReleaseFactory


def test_plain_text_keeps_words_a_paragraph_a_line_and_drops_markup():
    html = "<p>Первый <strong>абзац</strong>.</p><p>Второй&nbsp;абзац</p><script>x()</script>"

    assert plain_text(html) == "Первый абзац.\nВторой абзац"


def test_word_diff_marks_removed_and_added_words_and_escapes_text():
    diff = word_diff("Визит <b> 28 августа", "Визит <b> 29 августа 2024")

    assert diff == "Визит &lt;b&gt; <del>28</del><ins>29</ins> августа<ins> 2024</ins>"


def test_compare_lists_only_changed_fields():
    before = {"title": "Старый", "place": "Минск", "tags": ["связь"]}
    after = {"title": "Новый", "place": "Минск", "tags": ["связь", "почта"]}

    changes = compare(before, after, {"title": "заголовок", "place": "место", "tags": "темы"})

    assert [change.name for change in changes] == ["title", "tags"]


@pytest.mark.django_db
def test_snapshot_keeps_text_dates_tags_and_relation_ids():
    official = OfficialFactory()
    release = ReleaseFactory(tags=["связь"], event_start="2024-08-28")
    release.officials.add(official)
    release.refresh_from_db()

    data = snapshot_of(release)

    assert data["title"] == release.title
    assert data["event_start"] == "2024-08-28"
    assert data["tags"] == ["связь"]
    assert data["officials"] == [official.pk]


@pytest.mark.django_db
def test_every_admin_save_keeps_a_revision_with_who_and_what(client, editor):
    release = ReleaseFactory(created_by=editor, title="Первый")
    client.force_login(editor)
    data = {
        "title": "Второй",
        "kind": release.kind,
        "language": release.language,
        "summary": release.summary,
        "body": release.body,
        "slug": release.slug,
        "tags": "почта",
        "seen_version": release.version,
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }

    client.post(reverse("admin:news_release_change", args=[release.pk]), data)

    revision = release.revisions.get()
    assert revision.user == editor
    assert (revision.data["title"], revision.data["tags"]) == ("Второй", ["почта"])
    assert revision.version == Release.objects.get(pk=release.pk).version


@pytest.mark.django_db
def test_restoring_an_old_revision_of_a_live_release_makes_it_pending(author, editor):
    release = PublishedReleaseFactory(title="Первый")
    first = workflow.release_stage_changes(
        release=release, user=editor, data={**snapshot_of(release), "title": "Второй"}
    )
    workflow.release_stage_changes(
        release=release, user=editor, data={**snapshot_of(release), "title": "Третий"}
    )

    workflow.revision_restore(revision=first, user=editor)

    release.refresh_from_db()
    assert release.title == "Первый"
    assert release.state == State.PUBLISHED
    assert release.pending_revision.data["title"] == "Второй"


@pytest.mark.django_db
def test_conflict_on_a_release_without_revisions_says_the_change_cannot_be_shown(
    client, editor, other_editor
):
    release = ReleaseFactory(title="Из импорта")
    url = reverse("admin:news_release_change", args=[release.pk])
    stale = {
        "title": "Правка",
        "kind": release.kind,
        "language": release.language,
        "slug": release.slug,
        "seen_version": release.version,
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    client.force_login(other_editor)
    client.post(url, {**stale, "title": "Первая правка"})
    client.force_login(editor)

    response = client.post(url, stale)

    assert response.status_code == 200
    assert response.context["conflict"]["changes"] is None
    assert Release.objects.get(pk=release.pk).title == "Первая правка"
