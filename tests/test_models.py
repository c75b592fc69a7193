from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from news.models import Country, Language, Release, SourceURL, State
from tests.factories import (
    AppointmentFactory,
    OfficialFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
)

pytestmark = pytest.mark.django_db


class TestSlugs:
    def test_russian_title_gives_readable_latin_slug(self):
        release = ReleaseFactory(
            title="Визит Министра информации и телекоммуникаций Республики Сербия в Беларусь"
        )
        assert release.slug.startswith("vizit-ministra-informatsii-i-telekommunikatsii-")
        assert release.slug.isascii()

    def test_belarusian_letters_are_transliterated(self):
        release = ReleaseFactory(title="Беларусь і Сербія ўзгаднілі супрацоўніцтва")
        assert release.slug == "belarus-i-serbiia-uzgadnili-supratsounitstva"

    def test_same_title_twice_gets_a_new_unique_slug(self):
        first = ReleaseFactory(title="Переговоры в Минске")
        second = ReleaseFactory(title="Переговоры в Минске")
        assert first.slug == "peregovory-v-minske"
        assert second.slug == "peregovory-v-minske-2"

    def test_very_long_title_is_cut_at_a_word_boundary(self):
        release = ReleaseFactory(title=("Очень длинный заголовок " * 20).strip())
        assert len(release.slug) <= 200
        assert not release.slug.endswith("-")

    def test_title_without_letters_still_gets_a_slug(self):
        assert ReleaseFactory(title="…").slug == "release"

    def test_slug_is_kept_when_the_title_changes(self):
        release = ReleaseFactory(title="Первый заголовок")
        release.title = "Исправленный заголовок"
        release.save()
        assert release.slug == "pervyi-zagolovok"


class TestVisibility:
    def test_live_release_is_published(self):
        release = PublishedReleaseFactory()
        assert list(Release.objects.published()) == [release]
        assert release.is_public

    def test_draft_is_not_published(self):
        ReleaseFactory(state=State.DRAFT)
        assert not Release.objects.published().exists()

    def test_scheduled_release_is_not_published_until_its_time(self):
        release = PublishedReleaseFactory(
            published_at=timezone.now() + datetime.timedelta(minutes=1)
        )
        assert not Release.objects.published().exists()
        assert release.is_scheduled
        assert list(Release.objects.scheduled()) == [release]

    @pytest.mark.parametrize(
        "state", [State.SUBMITTED, State.APPROVED, State.WITHDRAWN, State.UNPUBLISHED]
    )
    def test_other_states_are_not_listed(self, state):
        ReleaseFactory(state=state, published_at=timezone.now() - datetime.timedelta(days=1))
        assert not Release.objects.published().exists()

    def test_published_release_must_have_a_time(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReleaseFactory(state=State.PUBLISHED, published_at=None)
        assert not Release.objects.exists()


class TestEventDates:
    def test_event_cannot_end_before_it_starts_in_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReleaseFactory(
                event_start=datetime.date(2024, 8, 30), event_end=datetime.date(2024, 8, 28)
            )
        assert not Release.objects.exists()

    def test_event_end_before_start_is_a_form_error(self):
        release = ReleaseFactory.build(
            event_start=datetime.date(2024, 8, 30), event_end=datetime.date(2024, 8, 28)
        )
        with pytest.raises(ValidationError) as error:
            release.full_clean()
        assert "event_end" in error.value.message_dict

    def test_one_day_event_is_valid(self):
        release = ReleaseFactory(event_start=datetime.date(2024, 8, 28), event_end=None)
        release.full_clean()


class TestBody:
    def test_script_and_inline_handlers_are_removed_when_saved(self):
        release = ReleaseFactory(
            body='<p onclick="x()">Текст<script>alert(1)</script></p><a href="javascript:x()">a</a>'
        )
        release.refresh_from_db()
        assert "script" not in release.body
        assert "onclick" not in release.body
        assert "javascript" not in release.body
        assert "Текст" in release.body

    def test_structure_is_kept(self):
        body = "<h2>Итоги</h2><ul><li>5G</li></ul><blockquote><p>Цитата</p></blockquote>"
        assert ReleaseFactory(body=body).body == body


class TestOfficials:
    def test_a_2024_release_shows_the_position_held_in_2024(self):
        official = OfficialFactory(full_name="Константин Шульган")
        AppointmentFactory(
            official=official,
            title="Министр связи и информатизации",
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2025, 6, 30),
        )
        AppointmentFactory(official=official, title="Посол", start=datetime.date(2025, 7, 1))
        release = ReleaseFactory(event_start=datetime.date(2024, 8, 28))
        release.officials.add(official)

        [(shown, appointment)] = release.officials_with_positions()
        assert shown == official
        assert appointment.title == "Министр связи и информатизации"
        assert official.current_appointment.title == "Посол"

    def test_without_event_dates_the_publication_day_decides(self):
        official = OfficialFactory()
        AppointmentFactory(official=official, title="Заместитель", end=datetime.date(2023, 12, 31))
        AppointmentFactory(official=official, title="Министр", start=datetime.date(2024, 1, 1))
        release = PublishedReleaseFactory(
            published_at=datetime.datetime(2023, 6, 1, 12, tzinfo=datetime.UTC)
        )
        release.officials.add(official)
        assert release.officials_with_positions()[0][1].title == "Заместитель"

    def test_appointment_cannot_end_before_it_starts(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            AppointmentFactory(start=datetime.date(2024, 1, 2), end=datetime.date(2024, 1, 1))


class TestSources:
    def test_only_web_addresses_are_accepted(self):
        release = ReleaseFactory()
        for url in ["javascript:alert(1)", "ftp://example.org/a", "data:text/html,x"]:
            with pytest.raises(ValidationError):
                SourceURL(release=release, url=url).full_clean()

    @pytest.mark.parametrize("url", ["http://[::1", "https://[x]/", "http://]/"])
    def test_an_address_that_cannot_be_taken_apart_is_refused_not_raised(self, url):
        release = ReleaseFactory()
        with pytest.raises(ValidationError):
            SourceURL(release=release, url=url).full_clean()

    def test_a_release_has_one_primary_source(self):
        source = SourceURLFactory(is_primary=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            SourceURLFactory(release=source.release, is_primary=True)

    def test_a_release_can_have_several_sources(self):
        source = SourceURLFactory(is_primary=True)
        SourceURLFactory(release=source.release, is_primary=False)
        assert source.release.sources.count() == 2
        assert source.release.primary_source == source


class TestCountries:
    @pytest.mark.parametrize(
        ("language", "name"), [("ru", "Сербия"), ("be", "Сербія"), ("en", "Serbia")]
    )
    def test_name_follows_the_reader_language(self, language, name):
        country = Country.objects.create(code="rs")
        with override(language):
            assert str(country) == name
        assert country.code == "RS"

    def test_unknown_code_is_refused(self):
        with pytest.raises(ValidationError):
            Country(code="XX").full_clean()


class TestIdentity:
    def test_guid_survives_a_new_title_and_slug(self):
        release = PublishedReleaseFactory()
        guid = release.guid
        release.title, release.slug = "Новый заголовок", "novyi-zagolovok"
        release.save()
        release.refresh_from_db()
        assert release.guid == guid
        assert guid.startswith("urn:uuid:")

    def test_translations_share_a_key_one_per_language(self):
        original = ReleaseFactory(language=Language.RU)
        english = ReleaseFactory(language=Language.EN, translation_key=original.translation_key)
        assert list(original.translations()) == [english]
        with pytest.raises(IntegrityError), transaction.atomic():
            ReleaseFactory(language=Language.EN, translation_key=original.translation_key)

    def test_release_url_uses_its_slug(self):
        release = ReleaseFactory(title="Визит в Минск")
        assert release.get_absolute_url() == "/news/vizit-v-minsk/"
