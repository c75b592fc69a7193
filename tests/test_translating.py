"""Making a release's translation from the admin: a new draft in the group, text to translate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from lxml import html as lxml_html

from news.bin import release_trash
from news.models import Language, Release, State
from news.translating import release_translate
from tests.factories import (
    CountryFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    SourceURLFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    release = PublishedReleaseFactory(
        title="Визит делегации Сербии", language=Language.RU, place="Минск", tags=["связь"]
    )
    release.officials.add(OfficialFactory())
    release.organisations.add(OrganisationFactory())
    release.countries.add(CountryFactory(code="RS"))
    release.delegations.add(DelegationFactory())
    SourceURLFactory(release=release, url="https://www.mpt.gov.by/news/1")
    return release


def test_a_translation_is_a_new_draft_of_the_translator_in_the_group(original, author):
    translation = release_translate(release=original, user=author, language=Language.EN)

    assert translation.pk != original.pk
    assert translation.translation_key == original.translation_key
    assert (translation.language, translation.state) == (Language.EN, State.DRAFT)
    assert translation.created_by == author
    assert translation.revisions.count() == 1


def test_a_translation_copies_the_text_and_keeps_what_the_release_speaks_of(original, author):
    translation = release_translate(release=original, user=author, language=Language.BE)

    for field in ["title", "summary", "body", "kind", "event_start", "place"]:
        assert getattr(translation, field) == getattr(original, field), field
    for links in ["officials", "organisations", "countries", "delegations"]:
        assert list(getattr(translation, links).all()) == list(getattr(original, links).all())
    assert list(translation.tags.names()) == ["связь"]
    assert [s.url for s in translation.sources.all()] == ["https://www.mpt.gov.by/news/1"]
    assert translation.slug != original.slug


def test_the_original_is_not_changed(original, author):
    before = (original.version, original.state, original.updated_at)

    release_translate(release=original, user=author, language=Language.EN)

    original.refresh_from_db()
    assert (original.version, original.state, original.updated_at) == before


def test_there_is_one_release_per_language_in_a_group(original, author):
    release_translate(release=original, user=author, language=Language.EN)

    with pytest.raises(ValidationError):
        release_translate(release=original, user=author, language=Language.EN)
    with pytest.raises(ValidationError):
        release_translate(release=original, user=author, language=Language.RU)
    assert Release.objects.count() == 2


def test_a_release_in_the_bin_and_a_person_without_the_right_get_no_translation(original, editor):
    reader = UserFactory(username="reader")
    with pytest.raises(PermissionDenied):
        release_translate(release=original, user=reader, language=Language.EN)
    release_trash(release=original, user=editor)
    with pytest.raises(ValidationError):
        release_translate(release=original, user=editor, language=Language.EN)
    assert Release.objects.count() == 1


# In the admin --------------------------------------------------------------------------------


def page(client, url):
    return lxml_html.fromstring(client.get(url).content.decode())


def test_the_change_page_offers_the_missing_languages(client, original, editor):
    PublishedReleaseFactory(language=Language.BE, translation_key=original.translation_key)
    client.force_login(editor)

    html = page(client, reverse("admin:news_release_change", args=[original.pk]))

    offers = [link.text_content() for link in html.xpath('//ul[@class="translation-create"]//a')]
    assert offers == ["Создать английскую версию"]


def test_an_author_makes_the_english_version_after_a_page_that_says_what_happens(
    client, original, author
):
    client.force_login(author)
    url = reverse("admin:news_release_translate", args=[original.pk, "en"])

    asked = client.get(url)
    response = client.post(url)

    assert asked.status_code == 200
    assert Release.objects.count() == 1 + 1
    translation = Release.objects.get(language=Language.EN)
    assert response["Location"] == reverse("admin:news_release_change", args=[translation.pk])
    assert translation.created_by == author


def test_a_second_english_version_is_refused_with_a_message(client, original, editor):
    client.force_login(editor)
    url = reverse("admin:news_release_translate", args=[original.pk, "en"])
    client.post(url)

    response = client.post(url, follow=True)

    assert Release.objects.filter(language=Language.EN).count() == 1
    told = [str(m) for m in response.context["messages"]]
    assert told[-1] == "У публикации уже есть версия на этом языке."
