"""A corrected release says so: under its title, in listings and in the feeds, with one date."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from news import corrections
from news.editing import release_stage_changes
from news.models import snapshot_of
from tests.factories import PublishedReleaseFactory

pytestmark = pytest.mark.django_db

MINSK = datetime.timezone(datetime.timedelta(hours=3))
PUBLISHED = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=MINSK)
CORRECTED = datetime.datetime(2026, 12, 3, 14, 5, tzinfo=MINSK)


def correct(release, editor, publisher, *, note="", minor=False, at=CORRECTED, time_machine):
    time_machine.move_to(at, tick=False)
    data = {**snapshot_of(release), "title": release.title + " (уточнено)"}
    release_stage_changes(release=release, user=editor, data=data)
    corrections.release_publish_changes(release=release, user=publisher, note=note, minor=minor)
    release.refresh_from_db()


@pytest.fixture
def release(time_machine):
    time_machine.move_to(PUBLISHED, tick=False)
    return PublishedReleaseFactory(title="Визит", published_at=PUBLISHED)


def test_a_corrected_release_says_updated_under_its_title(
    client, release, editor, publisher, time_machine
):
    correct(release, editor, publisher, note="Уточнено место", time_machine=time_machine)

    html = client.get(release.get_absolute_url()).content.decode()

    header = html[html.index('<header class="release__header">') :]
    header = header[: header.index("</header>")]
    assert "<strong>Обновлено</strong>" in header
    assert '<time datetime="2026-12-03T14:05:00+03:00">3 декабря 2026, 14:05</time>' in header
    assert '<a href="#changes-heading">что изменилось</a>' in header
    # The changes follow the text, not the footer's last line.
    assert html.index('id="changes-heading"') < html.index('class="release__about"')


def test_the_listing_marks_a_corrected_release(client, release, editor, publisher, time_machine):
    untouched = PublishedReleaseFactory(title="Переговоры", published_at=PUBLISHED)
    correct(release, editor, publisher, note="Уточнено место", time_machine=time_machine)

    html = client.get(reverse("news:release-list")).content.decode()

    corrected = html[html.index("Визит (уточнено)") :]
    assert corrected.index('<span class="updated-mark">обновлено') < corrected.index("</article>")
    other = html[html.index(untouched.title) :]
    assert "updated-mark" not in other[: other.index("</article>")]


@pytest.mark.parametrize("feed", ["news:feed-rss", "news:feed-atom"])
def test_the_feeds_give_the_same_updated_date(
    client, release, editor, publisher, time_machine, feed
):
    correct(release, editor, publisher, note="Уточнено место", time_machine=time_machine)

    entry = feedparser.parse(client.get(reverse(feed)).content).entries[0]

    assert datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC) == CORRECTED


def test_a_minor_correction_or_a_pending_edit_is_no_update_for_readers(
    client, release, editor, publisher, time_machine
):
    correct(release, editor, publisher, minor=True, time_machine=time_machine)
    time_machine.move_to(CORRECTED + datetime.timedelta(days=1), tick=False)
    release_stage_changes(
        release=release, user=editor, data={**snapshot_of(release), "title": "Черновик правки"}
    )

    release.refresh_from_db()
    assert release.corrected_at is None
    assert release.modified_for_readers == PUBLISHED
    assert "Обновлено" not in client.get(release.get_absolute_url()).content.decode()
    entry = feedparser.parse(client.get(reverse("news:feed-atom")).content).entries[0]
    assert datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC) == PUBLISHED


def test_the_update_time_is_the_change_notes_time(release, editor, publisher, time_machine):
    correct(release, editor, publisher, note="Уточнено место", time_machine=time_machine)

    assert release.corrected_at == release.change_notes.get().created_at == CORRECTED
    assert timezone.localtime(release.modified_for_readers).hour == 14
