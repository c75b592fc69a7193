"""Revisions: what a save keeps, and how two versions are told apart."""

from __future__ import annotations

import pytest
from django.urls import reverse
from taggit.utils import parse_tags

from news import revisions
from news.diff import plain_text, word_diff
from news.editing import release_link_entities, release_stage_changes, revision_restore
from news.models import Release, Revision, State, snapshot_of
from news.preview_links import preview_link_create
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)


def test_plain_text_keeps_words_a_paragraph_a_line_and_drops_markup():
    html = "<p>Первый <strong>абзац</strong>.</p><p>Второй&nbsp;абзац</p><script>x()</script>"

    assert plain_text(html) == "Первый абзац.\nВторой абзац"


def test_word_diff_marks_removed_and_added_words_and_escapes_text():
    diff = word_diff("Визит <b> 28 августа", "Визит <b> 29 августа 2024")

    assert diff == "Визит &lt;b&gt; <del>28</del><ins>29</ins> августа<ins> 2024</ins>"


def test_compare_lists_only_changed_fields_with_their_labels():
    before = {"title": "Старый", "place": "Минск", "tags": ["связь"]}
    after = {"title": "Новый", "place": "Минск", "tags": ["связь", "почта"]}

    changes = revisions.compare(before, after)

    assert [(change.name, change.label) for change in changes] == [
        ("title", "заголовок"),
        ("tags", "темы"),
    ]


def test_compare_leaves_out_a_field_one_version_was_stored_without():
    changes = revisions.compare({"title": "Старый"}, {"title": "Новый", "place": "Минск"})

    assert [change.name for change in changes] == ["title"]


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
    first = release_stage_changes(
        release=release, user=editor, data={**snapshot_of(release), "title": "Второй"}
    )
    release_stage_changes(
        release=release, user=editor, data={**snapshot_of(release), "title": "Третий"}
    )

    revision_restore(revision=first, user=editor)

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


# Versions stored before a field was added to them: the field keeps what the release has -------


def without(data: dict, *names: str) -> dict:
    return {key: value for key, value in data.items() if key not in names}


@pytest.mark.django_db
def test_restoring_a_revision_stored_without_a_field_keeps_what_the_release_has(editor):
    delegation = DelegationFactory()
    release = ReleaseFactory(title="Первый", place="Минск")
    old = Revision.objects.create(
        release=release, data=without(snapshot_of(release), "delegations", "place")
    )
    release.delegations.add(delegation)
    Release.objects.filter(pk=release.pk).update(title="Второй")

    revision_restore(revision=old, user=editor)

    release.refresh_from_db()
    assert release.title == "Первый"
    assert release.place == "Минск"
    assert list(release.delegations.all()) == [delegation]


@pytest.mark.django_db
def test_a_pending_version_stored_without_topics_and_links_opens_in_the_admin(client, editor):
    release = PublishedReleaseFactory(tags=["связь"])
    data = without(snapshot_of(release), "tags", "officials", "countries")
    release_stage_changes(release=release, user=editor, data=data)
    client.force_login(editor)

    response = client.get(reverse("admin:news_release_change", args=[release.pk]))

    assert response.status_code == 200
    assert "связь" in str(response.context["adminform"].form["tags"].value())


@pytest.mark.django_db
def test_linking_a_mention_to_a_pending_version_stored_without_that_link(editor):
    country = CountryFactory(code="RS")
    release = PublishedReleaseFactory()
    data = without(snapshot_of(release), "countries", "tags")
    release_stage_changes(release=release, user=editor, data=data)

    release_link_entities(release=release, user=editor, countries=[country])

    release.refresh_from_db()
    assert release.pending_revision.data["countries"] == [country.pk]
    assert release.pending_revision.data["tags"] == []


@pytest.mark.django_db
def test_a_preview_of_a_pending_version_stored_without_officials_shows_the_release_s(
    client, editor
):
    release = PublishedReleaseFactory(title="Живой")
    release.officials.add(OfficialFactory(full_name="Пётр Петров"))
    data = {**without(snapshot_of(release), "officials"), "title": "Будущий"}
    release_stage_changes(release=release, user=editor, data=data)
    link = preview_link_create(release=release, user=editor, pending=True)

    html = client.get(link.get_absolute_url()).content.decode()

    assert "Будущий" in html
    assert "Пётр Петров" in html


@pytest.mark.django_db
def test_comparing_with_a_revision_stored_without_a_link_does_not_call_it_changed(client, editor):
    release = ReleaseFactory(title="Первый")
    old = Revision.objects.create(release=release, data=without(snapshot_of(release), "countries"))
    release.countries.add(CountryFactory(code="RS"))
    Release.objects.filter(pk=release.pk).update(title="Второй")
    client.force_login(editor)

    response = client.get(reverse("admin:news_release_revisions", args=[release.pk]), {"a": old.pk})

    assert [change.name for change in response.context["changes"]] == ["title"]


@pytest.mark.django_db
def test_a_topic_with_a_comma_in_a_pending_version_stays_one_topic_in_the_change_form(editor):
    release = PublishedReleaseFactory()
    data = {**snapshot_of(release), "tags": ["почта, телеграф", "связь"]}
    revision = release_stage_changes(release=release, user=editor, data=data)

    assert sorted(parse_tags(revision.form_initial()["tags"])) == ["почта, телеграф", "связь"]
