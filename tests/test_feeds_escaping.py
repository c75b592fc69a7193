"""Names and texts with HTML's special characters, as a feed reader (feedparser) reads them.

Titles are plain text: the reader gets the name exactly. Descriptions are HTML: the reader gets
the text escaped once, which it shows as written.
"""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse
from django.utils.html import escape

from news.models import ChangeNote
from tests.factories import OfficialFactory, PublishedReleaseFactory, RevisionFactory

pytestmark = pytest.mark.django_db

MINISTRY = "Министерство связи и информатизации"
TOPIC = "A & B <i>x</i>"
OFFICIAL = "O'Brien & Sons"
SUMMARY = "Tom & Jerry <b>x</b> 'q' \"r\""
NOTE = "Исправлено: «A & B <i>»"
FORMATS = pytest.mark.parametrize("fmt", ["rss", "atom"])


@pytest.fixture
def feeds(client):
    """The topic's and the official's feeds, read by feedparser, by format."""
    official = OfficialFactory(full_name=OFFICIAL, slug="obrien")
    release = PublishedReleaseFactory(
        title="Tom & Jerry <b>", summary=SUMMARY, body="<p>a &amp; b &lt;c&gt;</p>", tags=[TOPIC]
    )
    release.officials.add(official)
    revision = RevisionFactory(release=release)
    ChangeNote.objects.create(release=release, text=NOTE, before=revision, after=revision)
    topic = release.tags.get()

    def read(scope: str, fmt: str) -> feedparser.FeedParserDict:
        args = [topic.slug] if scope == "tag" else [official.slug]
        response = client.get(reverse(f"news:{scope}-feed-{fmt}", args=args))
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        return feed

    return read


@FORMATS
@pytest.mark.parametrize(("scope", "name"), [("tag", TOPIC), ("official", OFFICIAL)])
def test_a_name_in_the_channel_title_reaches_the_reader_exactly(feeds, fmt, scope, name):
    assert feeds(scope, fmt).feed.title == f"{MINISTRY}: {name}"


@pytest.mark.parametrize(("scope", "name"), [("tag", TOPIC), ("official", OFFICIAL)])
def test_a_name_in_the_rss_channel_description_is_html_escaped_once(feeds, scope, name):
    channel = feeds(scope, "rss").feed

    assert channel.subtitle_detail.type == "text/html"
    assert escape(name) in channel.subtitle
    assert "<i>" not in channel.subtitle and "&amp;amp;" not in channel.subtitle


@pytest.mark.parametrize(("scope", "name"), [("tag", TOPIC), ("official", OFFICIAL)])
def test_a_name_in_the_atom_subtitle_is_plain_text(feeds, scope, name):
    channel = feeds(scope, "atom").feed

    assert channel.subtitle_detail.type == "text/plain"
    assert name in channel.subtitle


@FORMATS
def test_item_title_and_topic_reach_the_reader_exactly(feeds, fmt):
    (entry,) = feeds("tag", fmt).entries

    assert entry.title == "Tom & Jerry <b>"
    assert [tag.term for tag in entry.tags] == [TOPIC]


@FORMATS
def test_item_description_is_the_lead_and_change_note_html_escaped_once(feeds, fmt):
    (entry,) = feeds("official", fmt).entries

    assert entry.summary_detail.type == "text/html"
    assert entry.summary == f"{escape(SUMMARY)} (Обновлено: {escape(NOTE)})"


@FORMATS
def test_item_content_is_the_stored_html_as_it_is(feeds, fmt):
    (entry,) = feeds("tag", fmt).entries

    assert entry.content[0].value.startswith("<p>a &amp; b &lt;c&gt;</p>")
    assert f"{escape(NOTE)}</em></p>" in entry.content[0].value
