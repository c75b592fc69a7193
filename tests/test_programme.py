"""A visit's programme: its days, places and organisations, linked to the releases of each day."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from news.models import Delegation, Organisation, ProgrammeItem, Release
from news.programmes import programme_draft
from tests.factories import (
    DelegationFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def programme_of(page: str) -> str:
    return page.split('<section class="programme"', 1)[1].split("</section>", 1)[0]


def test_the_seed_visit_page_shows_its_programme_with_the_three_organisations_visited(client):
    call_command("load_demo", "--no-admin")
    visit = Delegation.objects.get()
    release = Release.objects.get()

    programme = programme_of(client.get(visit.get_absolute_url()).text)

    for slug in ["minskaia-pochta", "park-vysokikh-tekhnologii", "velikii-kamen"]:
        organisation = Organisation.objects.get(slug=slug)
        assert f'<a href="{organisation.get_absolute_url()}">' in programme
    assert "Минская почта" in programme and "ПВТ" in programme and "Великий камень" in programme
    assert programme.count("<h3>") == 3  # 28, 29 and 30 August
    assert programme.index("28\u00a0августа") < programme.index("29\u00a0августа")
    # Each day links the release whose event covers it.
    assert programme.count(f'href="{release.get_absolute_url()}"') == 3


def test_a_day_links_only_published_releases_about_it(client):
    visit = DelegationFactory()
    ProgrammeItem.objects.create(delegation=visit, date=datetime.date(2024, 8, 29), place="ПВТ")
    first = PublishedReleaseFactory(title="Переговоры", event_start=datetime.date(2024, 8, 28))
    second = PublishedReleaseFactory(title="В ПВТ", event_start=datetime.date(2024, 8, 29))
    draft = ReleaseFactory(title="Черновик", event_start=datetime.date(2024, 8, 29))
    for release in [first, second, draft]:
        release.delegations.add(visit)

    programme = programme_of(client.get(visit.get_absolute_url()).text)

    assert second.get_absolute_url() in programme
    assert first.get_absolute_url() not in programme
    assert "Черновик" not in programme


def test_an_organisation_readers_may_not_see_is_named_in_the_programme_not_linked(client):
    visit = DelegationFactory()
    PublishedReleaseFactory().delegations.add(visit)
    secret = OrganisationFactory(name="Закрытый завод")
    ProgrammeItem.objects.create(
        delegation=visit, date=datetime.date(2024, 8, 29), organisation=secret
    )

    programme = programme_of(client.get(visit.get_absolute_url()).text)

    assert "Закрытый завод" in programme
    assert secret.get_absolute_url() not in programme


def test_a_programme_day_outside_the_visit_is_refused():
    visit = DelegationFactory()
    item = ProgrammeItem(delegation=visit, date=datetime.date(2024, 9, 1), place="Минск")

    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "date" in error.value.message_dict


def test_the_draft_programme_holds_the_organisations_the_visits_releases_name():
    call_command("load_demo", "--no-admin")
    visit = Delegation.objects.get()
    visit.programme.all().delete()

    drafted = programme_draft(delegation=visit)

    assert [item.organisation.slug for item in drafted] == [
        "minsviazi",
        "minskaia-pochta",
        "park-vysokikh-tekhnologii",
        "velikii-kamen",
    ]  # in the order the text names them; not the delegation's own ministry
    assert {item.date for item in drafted} == {datetime.date(2024, 8, 28)}
    assert "«Минская почта»" in drafted[1].description
    assert programme_draft(delegation=visit) == []  # run again, it adds nothing


def test_an_editor_drafts_the_programme_with_the_admin_action(client, editor):
    call_command("load_demo", "--no-admin")
    visit = Delegation.objects.get()
    visit.programme.all().delete()
    client.force_login(editor)

    response = client.post(
        "/admin/news/delegation/",
        {"action": "draft_programme", "_selected_action": [visit.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert visit.programme.count() == 4


def test_an_editor_edits_the_programme_inline_on_the_visit(client, editor):
    call_command("load_demo", "--no-admin")
    visit = Delegation.objects.get()
    client.force_login(editor)

    page = client.get(f"/admin/news/delegation/{visit.pk}/change/")

    assert page.status_code == 200
    assert 'name="programme-TOTAL_FORMS" value="4"' in page.text
