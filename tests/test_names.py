"""Names of officials, organisations and visits in ru/be/en, with the fallbacks readers see."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from news.models import Language
from news.names import name_for, place_name, transliterate_be, transliterate_ru, typed_name
from tests.factories import (
    AppointmentFactory,
    DelegationFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
)

CYRILLIC = re.compile("[А-Яа-яЁёІіЎў]")


@pytest.mark.parametrize(
    "russian,latin",
    [
        ("Константин Шульган", "Konstantin Shulgan"),
        ("Юрий Ёлкин", "Iurii Elkin"),
        ("Наталья Щербакова", "Natalia Shcherbakova"),
        ("Дмитрий Объедков", "Dmitrii Obieedkov"),
        ("Хасан Цой", "Khasan Tsoi"),
    ],
)
def test_a_russian_name_is_transliterated_by_the_passport_table(russian, latin):
    assert transliterate_ru(russian) == latin


@pytest.mark.parametrize(
    "belarusian,latin",
    [
        ("Канстанцін Шульган", "Kanstancin Šuĺhan"),
        ("Яўген Ляшэнка", "Jaŭhien Liašenka"),
        ("Юрый Сяргееў", "Juryj Siarhiejeŭ"),
        ("Мікалай Ульянаў", "Mikalaj Uĺjanaŭ"),
        ("Васіль Зьміцер", "Vasiĺ Źmicier"),
    ],
)
def test_a_belarusian_name_is_transliterated_by_the_national_romanisation(belarusian, latin):
    assert transliterate_be(belarusian) == latin


def test_an_officials_english_name_comes_from_the_editor_then_belarusian_then_russian():
    official = OfficialFactory.build(full_name="Константин Шульган")
    assert name_for(official, "en").text == "Konstantin Shulgan"
    official.full_name_be = "Канстанцін Шульган"
    assert name_for(official, "en").text == "Kanstancin Šuĺhan"
    official.full_name_en = "Konstantin Shulgan"
    assert name_for(official, "en").text == "Konstantin Shulgan"
    assert name_for(official, "en").language == "en"


def test_an_officials_belarusian_name_falls_back_to_the_russian_one_not_a_letter_mapping():
    official = OfficialFactory.build(full_name="Константин Шульган")
    assert name_for(official, "be") == name_for(official, "ru")
    assert name_for(official, "be").language == "ru"
    official.full_name_be = "Канстанцін Шульган"
    assert (name_for(official, "be").text, name_for(official, "be").language) == (
        "Канстанцін Шульган",
        "be",
    )


def test_organisations_and_positions_fall_back_to_russian_marked_as_russian():
    organisation = OrganisationFactory.build(name="Министерство связи", name_en="")
    assert name_for(organisation, "en").in_page("en") == '<span lang="ru">Министерство связи</span>'
    organisation.name_en = "Ministry of Communications"
    assert name_for(organisation, "en").in_page("en") == "Ministry of Communications"
    appointment = AppointmentFactory.build(title="Министр", title_be="Міністр")
    assert name_for(appointment, "be").in_page("be") == "Міністр"
    assert name_for(appointment, "en").in_page("en") == '<span lang="ru">Министр</span>'


def test_a_typed_place_in_cyrillic_is_russian_on_an_english_page():
    assert typed_name("Минск", "en").in_page("en") == '<span lang="ru">Минск</span>'
    assert typed_name("Minsk", "en").in_page("en") == "Minsk"
    assert typed_name("Минск", "ru").in_page("ru") == "Минск"


def test_a_typed_text_with_letters_only_russian_has_is_russian_on_a_belarusian_page():
    assert typed_name("Минск", "be").in_page("be") == '<span lang="ru">Минск</span>'
    assert typed_name("Мінск", "be").in_page("be") == "Мінск"
    assert typed_name("Брэст", "be").in_page("be") == "Брэст"


def test_a_programme_place_copied_from_an_organisation_is_named_in_the_readers_language():
    park = OrganisationFactory.build(
        name="Парк высоких технологий", short_name="ПВТ", name_en="High Technologies Park"
    )
    # The short name has no English one: the full English name, not the Russian short one.
    assert place_name("ПВТ", park, "en").in_page("en") == "High Technologies Park"
    park.short_name_en = "HTP"
    assert place_name("ПВТ", park, "en").in_page("en") == "HTP"
    assert place_name("ПВТ", park, "ru").in_page("ru") == "ПВТ"
    assert (
        place_name("", park, "be").in_page("be") == '<span lang="ru">Парк высоких технологий</span>'
    )
    # A place typed otherwise is shown as typed, marked where it is Russian.
    assert place_name("Зал переговоров", park, "en").in_page("en") == (
        '<span lang="ru">Зал переговоров</span>'
    )
    assert place_name("Минск", None, "en").in_page("en") == '<span lang="ru">Минск</span>'


@pytest.fixture
def english_release(db):
    minister = OfficialFactory(full_name="Константин Шульган")
    ministry = OrganisationFactory(name="Министерство связи", name_en="Ministry of Communications")
    AppointmentFactory(
        official=minister, title="Министр связи", title_en="Minister of Communications"
    )
    visit = DelegationFactory(title="Визит делегации Сербии", title_en="Visit from Serbia")
    release = PublishedReleaseFactory(
        title="Talks with Serbia",
        summary="Talks were held.",
        body="<p>The sides discussed cooperation.</p>",
        language=Language.EN,
        place="Minsk",
    )
    release.officials.add(minister)
    release.organisations.add(ministry)
    release.delegations.add(visit)
    return release


def test_the_english_release_page_speaks_english_in_its_chrome_and_entities(
    client, english_release
):
    response = client.get(f"/en/news/{english_release.slug}/")
    page = lxml_html.fromstring(response.content)
    [main] = page.xpath("//main")
    for element in main.iter():
        if element.get("lang") == "ru":
            element.drop_tree()
    text = main.text_content()
    assert "Konstantin Shulgan" in text
    assert "Minister of Communications" in text
    assert "Ministry of Communications" in text
    assert "Visit from Serbia" in text
    assert not CYRILLIC.findall(text), CYRILLIC.findall(text)


def test_an_untranslated_place_on_the_english_page_is_marked_russian(client, english_release):
    english_release.place = "Минск"
    english_release.save()
    page = lxml_html.fromstring(client.get(f"/en/news/{english_release.slug}/").content)
    assert page.xpath('//dd/span[@lang="ru"][text()="Минск"]')


@pytest.mark.parametrize(
    "prefix,name,position",
    [
        ("/en", "Kanstancin Šuĺhan", "Minister of Communications"),
        ("/be", "Канстанцін Шульган", "Міністр сувязі"),
        ("", "Константин Шульган", "Министр связи"),
    ],
)
def test_the_officials_page_names_them_in_the_readers_language(client, db, prefix, name, position):
    minister = OfficialFactory(full_name="Константин Шульган", full_name_be="Канстанцін Шульган")
    AppointmentFactory(
        official=minister,
        title="Министр связи",
        title_be="Міністр сувязі",
        title_en="Minister of Communications",
    )
    PublishedReleaseFactory().officials.add(minister)
    page = lxml_html.fromstring(client.get(f"{prefix}/officials/{minister.slug}/").content)
    assert page.xpath("//h1")[0].text_content() == name
    assert position in page.xpath('//*[@class="entity__position"]')[0].text_content()
    assert name in page.xpath("//title")[0].text_content()


@pytest.mark.parametrize(
    "prefix,shown",
    [("/en", "Telecommunications"), ("/be", "Тэлекамунікацыі"), ("", "Связь")],
)
def test_topics_are_named_in_the_readers_language_on_every_page(client, db, prefix, shown):
    from news.models import Topic, TopicTranslation

    release = PublishedReleaseFactory(tags=["Связь"], language=prefix.strip("/") or "ru")
    topic = Topic.objects.get(name="Связь")
    TopicTranslation.objects.create(
        topic=topic, name_en="Telecommunications", name_be="Тэлекамунікацыі"
    )
    for url in [
        f"{prefix}/",
        f"{prefix}/topics/",
        f"{prefix}/topics/{topic.slug}/",
        f"{prefix}/news/{release.slug}/",
    ]:
        page = lxml_html.fromstring(client.get(url).content)
        links = page.xpath(f'//main//a[@href="{prefix}/topics/{topic.slug}/"]') or page.xpath(
            "//h1"
        )
        assert shown in [link.text_content() for link in links], url


def test_an_untranslated_topic_on_an_english_page_is_marked_russian(client, db):
    release = PublishedReleaseFactory(tags=["Связь"], language="en")
    page = lxml_html.fromstring(client.get(f"/en/news/{release.slug}/").content)
    assert page.xpath('//ul[@class="tags"]//span[@lang="ru"][text()="Связь"]')


def test_an_editor_gives_the_english_name_and_position_in_the_admin(client, db):
    from django.urls import reverse

    from tests.admin_forms import change_page_data
    from tests.factories import UserFactory

    appointment = AppointmentFactory(title="Министр связи")
    official = appointment.official
    PublishedReleaseFactory().officials.add(official)
    client.force_login(UserFactory(username="editor", roles=["Editor"]))
    url = reverse("admin:news_official_change", args=[official.pk])
    data = change_page_data(client.get(url))
    data.update(
        {
            "full_name_en": "Konstantin Shulgan",
            "appointments-0-title_en": "Minister of Communications",
        }
    )

    assert client.post(url, data).status_code == 302

    client.logout()
    page = lxml_html.fromstring(client.get(f"/en/officials/{official.slug}/").content)
    assert page.xpath("//h1")[0].text_content() == "Konstantin Shulgan"
    assert page.xpath('//*[@class="entity__position"]')[0].text_content() == (
        "Minister of Communications"
    )


def test_the_seed_release_in_english_chrome_names_its_people_and_bodies_in_english(client, db):
    from django.core.management import call_command

    call_command("load_demo", "--no-admin")
    from news.models import Release

    release = Release.objects.get()
    page = lxml_html.fromstring(client.get(f"/en/news/{release.slug}/").content)
    mentions = " ".join(
        item.text_content()
        for item in page.xpath('//main//section//li[not(ancestor::ul[@class="tags"])]')
    )
    assert "Konstantin Shulgan" in mentions
    assert "Dejan Ristić" in mentions
    assert "Ministry of Communications and Informatization of the Republic of Belarus" in mentions
