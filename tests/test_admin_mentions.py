from __future__ import annotations

import re

import pytest
from django.urls import reverse

from news.demo import load_catalogue
from news.importing.text import import_text_file
from news.mentions import recognise as recognition
from news.models import Release, Revision, State
from tests.factories import PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    return load_catalogue()


@pytest.fixture
def seed_draft(catalogue, seed_file, editor):
    """The seed release as a draft with nothing linked yet."""
    release = import_text_file(seed_file)
    for relation in ["officials", "organisations", "countries"]:
        getattr(release, relation).clear()
    release.tags.clear()
    release.created_by = editor
    release.save()
    return release


def change_page(client, release):
    return client.get(reverse("admin:news_release_change", args=[release.pk]))


def link(client, release, **data):
    return client.post(reverse("admin:news_release_mentions", args=[release.pk]), data)


def test_the_change_page_lists_what_the_text_mentions(client, editor, seed_draft):
    client.force_login(editor)
    page = change_page(client, seed_draft).text
    assert "Упомянуто в тексте" in page
    for name in ["Константин Шульган", "Деян Ристич", "Парк высоких технологий", "Сербия"]:
        assert name in page
    assert "<mark>Минсвязи</mark>" in page


def test_one_click_links_every_sure_mention_and_keeps_a_revision(client, editor, seed_draft):
    client.force_login(editor)
    revisions = Revision.objects.filter(release=seed_draft).count()

    response = link(client, seed_draft, link_confident="1")

    assert response.status_code == 302
    seed_draft.refresh_from_db()
    assert {o.full_name for o in seed_draft.officials.all()} == {
        "Константин Шульган",
        "Деян Ристич",
    }
    assert {c.code for c in seed_draft.countries.all()} == {"BY", "RS"}
    assert "почтовая связь" in seed_draft.tags.names()
    assert Revision.objects.filter(release=seed_draft).count() == revisions + 1
    assert (
        "linked" in change_page(client, seed_draft).text
        or "связано" in change_page(client, seed_draft).text
    )


def test_ticked_mentions_alone_are_linked(client, editor, seed_draft):
    client.force_login(editor)
    page = change_page(client, seed_draft)
    official = next(
        row for row in page.context["mention_rows"] if row["mention"].type == "official"
    )

    link(client, seed_draft, mention=official["key"])

    assert list(seed_draft.officials.all()) == [official["mention"].entity]
    assert not seed_draft.organisations.exists()


def test_what_the_text_does_not_mention_cannot_be_linked_this_way(client, editor, seed_draft):
    client.force_login(editor)
    elsewhere = ReleaseFactory()

    link(client, seed_draft, mention=[f"official:{elsewhere.pk + 1000}", "country:99999"])

    assert not seed_draft.officials.exists()
    assert not seed_draft.countries.exists()


def test_linking_on_a_live_release_waits_as_a_pending_version(client, publisher, catalogue):
    client.force_login(publisher)
    release = PublishedReleaseFactory(
        title="Встреча с Константином Шульганом", summary="Сербская делегация в Минсвязи."
    )

    link(client, release, link_confident="1")

    release.refresh_from_db()
    assert release.state == State.PUBLISHED
    assert not release.officials.exists()  # the public page is unchanged
    assert release.pending_revision is not None
    assert release.pending_revision.data["officials"]


def test_someone_who_may_not_edit_the_release_is_refused(client, author, seed_draft):
    client.force_login(author)  # the draft belongs to the editor
    response = link(client, seed_draft, link_confident="1")
    assert response.status_code == 302  # back to the release, saying why
    assert not Release.objects.get(pk=seed_draft.pk).officials.exists()


# Long texts ---------------------------------------------------------------------------------


@pytest.fixture
def short_bound(monkeypatch):
    """Recognition reads 2,000 characters here: long texts without megabytes of test data."""
    monkeypatch.setattr(recognition, "TEXT_MAX_CHARS", 2_000)
    return 2_000


def padded(release, *, after: str) -> None:
    """Store a body longer than the bound, with after written only past the bound."""
    filler = "<p>Стороны обсудили сотрудничество в области связи.</p>" * 100
    Release.objects.filter(pk=release.pk).update(body=f"{filler}<p>{after}</p>")


def test_the_panel_of_a_long_text_reads_only_the_bound_and_says_so(
    client, editor, catalogue, short_bound
):
    release = ReleaseFactory(title="Визит делегации Сербии", summary="", created_by=editor)
    padded(release, after="Встреча с Константином Шульганом.")
    client.force_login(editor)

    response = change_page(client, release)

    report = response.context["mention_report"]
    assert len(report.text) <= short_bound
    assert [m.entity.code for m in report.countries] == ["RS"]
    assert not report.officials
    assert report.truncated
    assert re.search(r"\b2[\s\u00a0,.]?000\b", response.text), "the panel says how much it read"


def test_linking_reads_only_the_bound_of_a_long_text(client, editor, catalogue, short_bound):
    release = ReleaseFactory(title="Визит делегации Сербии", summary="", created_by=editor)
    padded(release, after="Встреча с Константином Шульганом.")
    client.force_login(editor)

    link(client, release, link_confident="1")

    release.refresh_from_db()
    assert [c.code for c in release.countries.all()] == ["RS"]
    assert not release.officials.exists()
