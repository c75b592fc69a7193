"""What a journalist takes from the site: the photo in full resolution, and feeds to follow."""

from __future__ import annotations

import pytest

from news.models import Licence
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    ImageFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
)

pytestmark = pytest.mark.django_db


def test_under_each_photo_a_link_downloads_the_full_resolution_master_with_credit_and_licence(
    client,
):
    image = ImageFactory(credit="Пресс-служба Минсвязи", licence=Licence.CC_BY)
    release = PublishedReleaseFactory(lead_image=image)

    page = client.get(release.get_absolute_url()).text

    caption = page.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
    assert f'<a class="picture__download" href="{image.url}" download>' in caption
    assert f"{image.width}×{image.height}" in caption
    assert "Пресс-служба Минсвязи" in caption and image.licence_label in caption
    master = client.get(image.url)
    assert master.status_code == 200


def test_every_entity_page_shows_its_rss_and_atom_feeds(client):
    official = OfficialFactory()
    organisation = OrganisationFactory()
    country = CountryFactory(code="RS")
    visit = DelegationFactory(country=country)
    release = PublishedReleaseFactory(tags=["цифровизация"])
    release.officials.add(official)
    release.organisations.add(organisation)
    release.countries.add(country)
    release.delegations.add(visit)
    topic = release.tags.get()

    for entity, feeds in [
        (official, f"/feeds/officials/{official.slug}/"),
        (organisation, f"/feeds/organisations/{organisation.slug}/"),
        (country, "/feeds/countries/rs/"),
        (visit, f"/feeds/delegations/{visit.slug}/"),
        (topic, f"/feeds/topics/{topic.slug}/"),
    ]:
        page = client.get(entity.get_absolute_url())
        assert page.status_code == 200, entity
        assert '<p class="follow">' in page.text, entity
        follow = page.text.split('<p class="follow">', 1)[1].split("</p>", 1)[0]
        assert f'<a href="{feeds}rss/">RSS</a>' in follow, entity
        assert f'<a href="{feeds}atom/">Atom</a>' in follow, entity
        assert client.get(f"{feeds}rss/").status_code == 200
