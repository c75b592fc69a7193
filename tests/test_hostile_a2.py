"""Hostile input to what a2 added: the compare view's "live" side, a live release's inline rows
with their place in the version (`row`), and Django's object history of a release."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news.models import Release, SourceURL
from tests.admin_forms import change_page_data
from tests.factories import PublishedReleaseFactory, ReleaseFactory, SourceURLFactory

pytestmark = pytest.mark.django_db

URL = "https://www.mpt.gov.by/news/1"


@pytest.fixture
def live() -> Release:
    release = PublishedReleaseFactory(title="Визит в Белград")
    SourceURLFactory(release=release, url=URL, title="Сайт министерства")
    return release


def change_url(release: Release) -> str:
    return reverse("admin:news_release_change", args=[release.pk])


def opened(client, release: Release) -> dict:
    return change_page_data(client.get(change_url(release)))


@pytest.mark.parametrize(
    "query",
    [
        {"a": "live", "b": "live"},
        {"a": "current", "b": "live"},
        {"a": "LIVE"},
        {"a": "live", "b": "now"},
        {"a": "live", "b": str(10**30)},
        {"a": "live\x00"},
        {"a": ["live", "1"]},
    ],
)
def test_the_compare_view_answers_any_side_without_an_error(client, editor, live, query):
    client.force_login(editor)

    response = client.get(reverse("admin:news_release_revisions", args=[live.pk]), query)

    assert response.status_code in (200, 400, 404)


def test_a_revision_of_another_release_is_not_compared(client, editor, live):
    other = ReleaseFactory()
    revision = other.revisions.create(data={"title": "Чужая"})
    client.force_login(editor)

    response = client.get(
        reverse("admin:news_release_revisions", args=[live.pk]), {"a": "live", "b": revision.pk}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("row", ["-1", "abc", "1.5", "99999", str(10**30), "٣", " 0 "])
def test_any_row_place_is_answered_and_a_bad_one_stores_nothing(client, editor, live, row):
    client.force_login(editor)
    data = opened(client, live)
    data.update({"sources-0-row": row, "sources-0-title": "Новости"})

    response = client.post(change_url(live), data)

    assert response.status_code in (200, 302)
    live.refresh_from_db()
    sources = live.pending_revision.data["sources"] if live.pending_revision else None
    if response.status_code == 200:
        assert live.pending_revision is None
    elif row.strip() == "0":
        assert [(s["id"], s["title"]) for s in sources] == [(live.sources.get().pk, "Новости")]
    else:  # a place no row of the version has: the form's row is a new one
        assert [(s["id"], s["title"]) for s in sources] == [(None, "Новости")]
    assert list(live.sources.values_list("title", flat=True)) == ["Сайт министерства"]


def test_two_forms_claiming_one_row_keep_one_row(client, editor, live):
    client.force_login(editor)
    data = opened(client, live)
    data.update({"sources-1-row": "0", "sources-1-url": "https://belta.by/1"})

    response = client.post(change_url(live), data)

    assert response.status_code == 302
    live.refresh_from_db()
    assert [row["url"] for row in live.pending_revision.data["sources"]] == ["https://belta.by/1"]


def test_another_release_s_source_named_by_its_id_is_not_touched(client, editor, live):
    others = SourceURLFactory(release=ReleaseFactory(), url="https://belta.by/2")
    client.force_login(editor)
    data = opened(client, live)
    data.update({"sources-0-id": str(others.pk), "sources-0-title": "Подмена"})

    response = client.post(change_url(live), data)

    assert response.status_code in (200, 302)
    others.refresh_from_db()
    assert others.title == "Министерство связи и информатизации"
    assert SourceURL.objects.filter(title="Подмена").count() == 0


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://user:pw@evil.example/", "http://a\x01b", "x" * 2000]
)
def test_a_hostile_source_address_in_a_correction_is_refused_and_nothing_is_kept(
    client, editor, live, url
):
    client.force_login(editor)
    data = opened(client, live)
    data["sources-0-url"] = url

    response = client.post(change_url(live), data)

    assert response.status_code == 200
    live.refresh_from_db()
    assert live.pending_revision is None


def test_an_author_cannot_correct_a_live_release_s_rows(client, author, live):
    client.force_login(author)
    data = {"sources-TOTAL_FORMS": "1", "sources-INITIAL_FORMS": "0", "sources-0-url": URL + "x"}

    response = client.post(change_url(live), data)

    assert response.status_code in (302, 403)
    live.refresh_from_db()
    assert live.pending_revision is None


@pytest.mark.parametrize("object_id", ["abc", "0", str(10**30), "1%00"])
def test_the_object_history_of_no_release_is_404(client, editor, object_id):
    client.force_login(editor)

    response = client.get(f"/admin/news/release/{object_id}/history/")

    assert response.status_code in (302, 404)
