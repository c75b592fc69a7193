"""Hostile input to the press service's pages, visits' programmes and body links: no 5xx,
nothing unpublished named or linked, nothing executed."""

from __future__ import annotations

import datetime

import pytest

from news.models import Page, ProgrammeItem, Release, State
from scripts.hostile_scan import CORE_VALUES
from tests.factories import (
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
)

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/be", "/en"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_hostile_page_slugs_are_404_never_5xx(client, prefix):
    Page.objects.create(slug="contacts", title="Контакты", body="<p>Текст</p>")
    for value in [*CORE_VALUES, "contacts%00", "..%2Fadmin", "%3Cscript%3E"]:
        status = client.get(f"{prefix}/about/{value}/").status_code
        assert status in (404, 301, 302), (value, status)


def test_hostile_page_text_is_shown_inert(client):
    Page.objects.create(
        slug="x",
        title="<script>alert(1)</script>",
        body=(
            '<p>Текст<img src="https://evil.example/p.gif"><a href="javascript:alert(1)">a</a></p>'
        ),
        title_en="<b>bold</b>",
        body_en="<style>*{}</style>",
    )

    ru = client.get("/about/x/").text
    en = client.get("/en/about/x/").text

    assert "<script>alert(1)" not in ru and "&lt;script&gt;" in ru
    assert "evil.example" not in ru and "javascript:" not in ru
    assert "<style>" not in en


def test_hostile_names_in_a_release_body_are_linked_escaped(client):
    official = OfficialFactory(full_name='Иван "><script>alert(1)</script> Петров')
    organisation = OrganisationFactory(name="Завод <b>«Х&Y»</b>")
    release = PublishedReleaseFactory(
        summary="<script>alert(2)</script> Завод <b>«Х&Y»</b>",
        body=(
            "<p>Иван Петров & Завод &lt;b&gt;«Х&amp;Y»&lt;/b&gt;</p>"
            "<p><a href='/x/'>unclosed <strong>Иван Петров</p><h2>Иван"
        ),
    )
    release.officials.add(official)
    release.organisations.add(organisation)

    page = client.get(release.get_absolute_url())

    assert page.status_code == 200
    assert "<script>alert" not in page.text


def test_a_release_not_published_links_nothing_through_a_visit_programme(client):
    visit = DelegationFactory()
    PublishedReleaseFactory(event_start=datetime.date(2024, 8, 29)).delegations.add(visit)
    hidden = PublishedReleaseFactory(
        title="Секретная публикация", event_start=datetime.date(2024, 8, 29)
    )
    hidden.delegations.add(visit)
    Release.objects.filter(pk=hidden.pk).update(state=State.WITHDRAWN)
    ProgrammeItem.objects.create(
        delegation=visit,
        date=datetime.date(2024, 8, 29),
        place="<script>alert(3)</script>",
        description="<img src=x onerror=alert(4)>",
    )

    page = client.get(visit.get_absolute_url())

    assert page.status_code == 200
    assert "Секретная публикация" not in page.text
    assert "<script>alert(3)" not in page.text and "<img src=x" not in page.text


def test_the_draft_programme_action_with_hostile_ids_stores_nothing(client, editor):
    client.force_login(editor)
    for ids in [["999999"], ["abc"], ["-1"], ["1 OR 1=1"]]:
        response = client.post(
            "/admin/news/delegation/", {"action": "draft_programme", "_selected_action": ids}
        )
        assert response.status_code < 500, ids
    assert ProgrammeItem.objects.count() == 0


def test_a_programme_item_posted_outside_the_visit_or_oversized_is_refused(client, editor):
    from tests.admin_forms import change_page_data

    visit = DelegationFactory()
    client.force_login(editor)
    url = f"/admin/news/delegation/{visit.pk}/change/"
    data = change_page_data(client.get(url))
    data.update(
        {
            "programme-TOTAL_FORMS": "2",
            "programme-0-date": "2024-09-30",
            "programme-0-place": "Минск",
            "programme-1-date": "2024-08-29",
            "programme-1-description": "x" * 20_000,
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200  # the form again, with its errors
    assert ProgrammeItem.objects.count() == 0
