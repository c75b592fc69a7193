from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from news.demo.flags import PARTNERS
from news.models import Delegation, Image, Official, Organisation, Release
from news.synthetic import GENITIVE, VISIT_EVENTS, VISIT_MEMBERS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def module_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, module_media: Path) -> None:
    """The pictures' renditions take seconds to make: this module's tests share them."""
    settings.MEDIA_ROOT = module_media


def test_generates_published_releases_with_everything_they_mention():
    call_command("generate_releases", "40")

    assert Release.objects.count() == 40
    assert Release.objects.published().count() == 40
    release = Release.objects.first()
    assert release.officials.exists()
    assert release.organisations.exists()
    assert release.tags.exists()
    assert release.sources.get().is_primary
    assert release.countries.exists()


def test_the_same_seed_gives_the_same_releases(tmp_path):
    first, second, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    call_command("generate_releases", "25", "--seed", "7", "--jsonl", str(first))
    call_command("generate_releases", "25", "--seed", "7", "--jsonl", str(second))
    call_command("generate_releases", "25", "--seed", "8", "--jsonl", str(other))

    assert first.read_text() == second.read_text()
    assert first.read_text() != other.read_text()
    assert len([json.loads(line) for line in first.read_text().splitlines()]) == 25


def test_jsonl_output_stores_nothing(tmp_path):
    call_command("generate_releases", "25", "--jsonl", str(tmp_path / "a.jsonl"))

    assert not Release.objects.exists()
    assert not Delegation.objects.exists()
    assert not Image.objects.exists()


def test_officials_and_organisations_are_shared_across_releases():
    call_command("generate_releases", "200")
    assert Official.objects.count() <= 300
    assert Organisation.objects.count() <= 100
    busiest = Official.objects.annotate(n=Count("releases")).order_by("-n").first()
    assert busiest.n > 1


def test_every_release_is_linked_to_the_country_it_names():
    call_command("generate_releases", "100")

    for release in Release.objects.prefetch_related("countries"):
        [country] = release.countries.all()
        assert GENITIVE[country.code] in release.title


def test_visits_gather_the_talks_with_one_country_over_a_few_days():
    call_command("generate_releases", "300")

    delegations = Delegation.objects.select_related("country", "head")
    assert delegations.count() >= 2
    for delegation in delegations:
        releases = list(delegation.releases.prefetch_related("countries"))
        assert len(releases) >= 1
        assert delegation.title == f"Визит делегации {GENITIVE[delegation.country.code]}"
        assert 1 <= (delegation.end - delegation.start).days <= 3
        for release in releases:
            assert release.title.split(" делегации ")[0] in VISIT_EVENTS
            assert list(release.countries.all()) == [delegation.country]
            assert delegation.start <= release.event_start <= delegation.end
        members = set(delegation.members.all())
        assert delegation.head in members
        assert len(members) <= VISIT_MEMBERS
        assert members <= set(Official.objects.filter(releases__delegations=delegation))
        assert delegation.organisation is not None


def test_most_releases_lead_with_one_of_a_few_pictures_of_their_country():
    call_command("generate_releases", "300")

    illustrated = Release.objects.filter(lead_image__isnull=False)
    assert 0.5 < illustrated.count() / 300 < 0.7
    assert Image.objects.count() == 2 * len(PARTNERS)
    for release in illustrated.select_related("lead_image").prefetch_related("countries"):
        [country] = release.countries.all()
        partner = PARTNERS[country.code][0]
        assert release.lead_image.alt == f"Иллюстрация: цвета флагов Беларуси и {partner}"
    for image in Image.objects.all():
        assert default_storage.exists(image.file)
        assert default_storage.exists(image.rendition(320).name)


def _generated(seed: int) -> dict[str, object]:
    """What generating 300 releases stores, told without primary keys; then rolled back."""
    with transaction.atomic():
        call_command("generate_releases", "300", "--seed", str(seed))
        facts = {
            "visits": sorted(
                Release.objects.filter(delegations__isnull=False).values_list(
                    "title", "delegations__slug"
                )
            ),
            "delegations": sorted(
                Delegation.objects.values_list(
                    "slug", "head__full_name", "organisation__name", "host__name", "start", "end"
                )
            ),
            "members": sorted(
                Delegation.members.through.objects.values_list(
                    "delegation__slug", "official__full_name"
                )
            ),
            "pictures": sorted(Release.objects.values_list("title", "lead_image__sha256")),
        }
        transaction.set_rollback(True)
    return facts


def test_the_same_seed_gives_the_same_visits_and_pictures():
    first, again, other = _generated(7), _generated(7), _generated(8)

    assert first == again
    assert first["visits"]
    assert first["visits"] != other["visits"]
    assert first["pictures"] != other["pictures"]


def test_generated_archive_pages_answer(client):
    call_command("generate_releases", "300")
    release = Release.objects.filter(delegations__isnull=False, lead_image__isnull=False).first()
    delegation = release.delegations.get()

    assert client.get(reverse("news:release-list")).status_code == 200

    page = client.get(release.get_absolute_url())
    assert page.status_code == 200
    assert "<picture" in page.text
    assert release.lead_image.alt in page.text
    assert delegation.get_absolute_url() in page.text

    page = client.get(delegation.get_absolute_url())
    assert page.status_code == 200
    assert delegation.head.full_name in page.text
    assert release.title in page.text

    page = client.get(delegation.country.get_absolute_url())
    assert page.status_code == 200
    assert delegation.get_absolute_url() in page.text


def test_zero_releases_is_refused():
    with pytest.raises(CommandError):
        call_command("generate_releases", "0")
