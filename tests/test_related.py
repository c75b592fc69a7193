"""Related releases are stored when a release is published and kept as a fresh computation would
find them: after a publication, an edit of links, a withdrawal, unpublication or the bin."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from news import corrections, related, workflow
from news.bin import release_trash, release_untrash
from news.editing import release_stage_changes
from news.models import RelatedRelease, Release, State, snapshot_of
from news.preview_links import preview_link_create
from tests.factories import (
    DelegationFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WEIGHTS = {"visit": 3, "official": 2, "topic": 1}


def links(release: Release) -> set[tuple[str, object]]:
    return (
        {("visit", pk) for pk in release.delegations.values_list("pk", flat=True)}
        | {("official", pk) for pk in release.officials.values_list("pk", flat=True)}
        | {("topic", name) for name in release.tags.names()}
    )


def fresh(release: Release, limit: int = related.SHOWN) -> list[str]:
    """The rule, computed here from scratch: published releases sharing the most (a visit 3,
    an official 2, a topic 1), the newest first among equals; no translation of it."""
    mine = links(release)
    scored = []
    for other in Release.objects.published().exclude(translation_key=release.translation_key):
        score = sum(WEIGHTS[kind] for kind, _key in mine & links(other))
        if score:
            scored.append((score, other.published_at, other.pk, other.title))
    return [title for *_order, title in sorted(scored, reverse=True)[:limit]]


def stored(release: Release) -> list[str]:
    return [item.title for item in release.related()]


def assert_every_list_fresh() -> None:
    for release in Release.objects.published():
        assert stored(release) == fresh(release), release.title


def ago(**kwargs) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kwargs)


@pytest.fixture
def publisher(db):
    return UserFactory(username="related-publisher", roles=["Publisher"])


@pytest.fixture
def world(db):
    """Twelve published releases on one topic, some sharing an official or a visit, listed."""
    official, visit = OfficialFactory(), DelegationFactory()
    releases = []
    for n in range(12):
        release = PublishedReleaseFactory(
            title=f"Выпуск {n}", tags=["экспорт", f"тема {n % 3}"], published_at=ago(days=20 - n)
        )
        if n % 4 == 0:
            release.officials.add(official)
        if n % 5 == 0:
            release.delegations.add(visit)
        releases.append(release)
    call_command("rebuild_related", verbosity=0)
    return {"releases": releases, "official": official, "visit": visit}


def approved(title: str, **kwargs) -> Release:
    release = ReleaseFactory(title=title, state=State.APPROVED, **kwargs)
    return release


def test_rebuild_stores_for_every_published_release_what_a_fresh_computation_finds(world):
    assert RelatedRelease.objects.count() == 12 * related.KEPT
    assert_every_list_fresh()
    assert stored(world["releases"][0])[:2] == ["Выпуск 10", "Выпуск 5"]


def test_rebuild_prints_its_progress(world, capsys):
    call_command("rebuild_related")
    out = capsys.readouterr().out
    assert "12/12" in out
    assert "Related releases computed for 12 releases." in out


def test_publishing_stores_the_new_release_list_and_it_joins_the_older_lists(world, publisher):
    new = approved("Новый визит", tags=["экспорт"])
    new.delegations.add(world["visit"])

    workflow.release_publish(release=new, user=publisher)

    assert stored(new) == fresh(new) != []
    # It shares the visit (3) with releases 0, 5 and 10: first in their lists, as the newest.
    assert stored(world["releases"][5])[0] == "Новый визит"
    assert_every_list_fresh()


def test_a_draft_is_in_no_list_and_a_scheduled_release_appears_in_its_minute(world, publisher):
    draft = ReleaseFactory(title="Черновик")
    draft.delegations.add(world["visit"])
    scheduled = approved("Назначенный", tags=["экспорт"])
    scheduled.delegations.add(world["visit"])

    workflow.release_publish(release=scheduled, user=publisher, at=timezone.now() + ONE_HOUR)

    assert "Назначенный" not in stored(world["releases"][0])
    assert "Черновик" not in stored(world["releases"][0])
    with time_machine.travel(timezone.now() + 2 * ONE_HOUR):
        assert stored(world["releases"][0])[0] == "Назначенный"
        assert_every_list_fresh()


ONE_HOUR = datetime.timedelta(hours=1)


def test_withdrawing_takes_the_release_out_of_every_list_at_once(world, publisher):
    gone = world["releases"][10]

    workflow.release_withdraw(release=gone, user=publisher, reason="Ошибка в фактах")

    assert not RelatedRelease.objects.filter(related=gone).exists()
    assert_every_list_fresh()
    # Its own page keeps its list.
    assert stored(gone) == fresh(gone)


def test_unpublishing_and_the_bin_take_it_out_and_a_restore_brings_it_back(world, publisher):
    first, second = world["releases"][10], world["releases"][5]
    workflow.release_unpublish(release=first, user=publisher, reason="Дубль")
    release_trash(release=second, user=UserFactory(username="binner", is_superuser=True))

    assert not RelatedRelease.objects.filter(related__in=[first, second]).exists()
    assert not RelatedRelease.objects.filter(release__in=[first, second]).exists()
    assert_every_list_fresh()

    release_untrash(release=second, user=UserFactory(username="restorer", is_superuser=True))
    assert stored(world["releases"][0])[0] == "Выпуск 5"
    assert_every_list_fresh()


def test_lists_left_short_by_withdrawals_are_computed_again(world, publisher):
    subject = world["releases"][0]
    for release in world["releases"][1:7]:
        workflow.release_withdraw(release=release, user=publisher, reason="Снято")

    assert len(stored(subject)) == related.SHOWN
    assert_every_list_fresh()


def test_an_edit_of_its_links_moves_the_release_in_every_list(world, publisher):
    editor = UserFactory(username="related-editor", roles=["Editor"])
    moved = world["releases"][3]  # one topic in common with the others, no visit
    data = {**snapshot_of(moved), "delegations": [world["visit"].pk], "tags": ["экспорт"]}
    release_stage_changes(release=moved, user=editor, data=data)

    corrections.release_publish_changes(release=moved, user=publisher, minor=True)

    assert stored(moved) == fresh(moved)
    # Now a visit and a topic in common with release 0, as 10 and 5 (newer) have.
    assert stored(world["releases"][0])[:3] == ["Выпуск 10", "Выпуск 5", "Выпуск 3"]
    assert_every_list_fresh()


def test_a_translation_is_never_related_to_its_original(world, publisher):
    original = world["releases"][11]
    translation = approved("Translation", translation_key=original.translation_key, language="en")
    translation.tags.add("экспорт")
    translation.delegations.add(world["visit"])

    workflow.release_publish(release=translation, user=publisher)

    assert "Translation" not in stored(original)
    assert "Выпуск 11" not in stored(translation)
    assert_every_list_fresh()


def test_the_release_page_shows_the_stored_list_in_one_query(
    world, client, django_assert_num_queries
):
    # The release as the page reads it, its links prefetched: the list is one more query.
    subject = Release.objects.for_detail().get(pk=world["releases"][0].pk)
    with django_assert_num_queries(1):
        titles = stored(subject)
    html = client.get(subject.get_absolute_url()).content.decode()
    for title in titles:
        assert f">{title}</a>" in html


def test_a_preview_shows_the_related_releases_its_links_would_give(world, client, publisher):
    draft = ReleaseFactory(title="Черновик о визите")
    draft.delegations.add(world["visit"])
    link = preview_link_create(release=draft, user=publisher)

    html = client.get(link.get_absolute_url()).content.decode()

    assert not RelatedRelease.objects.filter(release=draft).exists()
    for title in fresh(draft):
        assert f">{title}</a>" in html


def test_the_first_release_sharing_a_topic_with_another_starts_its_list(publisher):
    lonely = PublishedReleaseFactory(title="Единственный о почте", tags=["почта"])
    call_command("rebuild_related", verbosity=0)
    assert stored(lonely) == []
    second = approved("Второй о почте", tags=["почта"])

    workflow.release_publish(release=second, user=publisher)

    assert stored(lonely) == ["Второй о почте"]
    assert stored(second) == ["Единственный о почте"]
