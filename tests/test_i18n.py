"""Three languages: the switcher, hreflang alternates, lang attributes, translated interface."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation

from news.models import Language, State
from tests.factories import PublishedReleaseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

MINSK = datetime.timezone(datetime.timedelta(hours=3))


@pytest.fixture(autouse=True)
def _russian():
    translation.activate("ru")


def switcher(html: str) -> str:
    start = html.index('<nav class="language-switcher"')
    return html[start : html.index("</nav>", start)]


def head(html: str) -> str:
    return html[: html.index("</head>")]


@pytest.fixture
def translated():
    """A Russian release with a published English translation and a Belarusian draft."""
    russian = PublishedReleaseFactory(title="Визит делегации", slug="vizit", language=Language.RU)
    english = PublishedReleaseFactory(
        title="Visit of a delegation",
        slug="visit",
        language=Language.EN,
        translation_key=russian.translation_key,
    )
    ReleaseFactory(
        title="Візіт дэлегацыі",
        slug="vizit-be",
        language=Language.BE,
        translation_key=russian.translation_key,
        state=State.DRAFT,
    )
    return russian, english


def test_switcher_on_every_page_links_the_same_page_in_the_other_languages(client):
    PublishedReleaseFactory(tags=["связь"])
    for url, be, en in [
        ("/", "/be/", "/en/"),
        ("/archive/", "/be/archive/", "/en/archive/"),
        ("/search/?q=%D1%81%D0%B2%D1%8F%D0%B7%D1%8C", "/be/search/?q=", "/en/search/?q="),
        ("/be/", "/be/", "/en/"),
    ]:
        nav = switcher(client.get(url).content.decode())
        assert f'href="{be}' in nav or 'lang="be">Беларуская</span>' in nav, url
        assert f'href="{en}' in nav, url
        assert 'hreflang="en" lang="en">English</a>' in nav, url


def test_switcher_marks_the_current_language_and_names_each_in_itself(client):
    nav = switcher(client.get("/en/").content.decode())

    assert '<span aria-current="true" lang="en">English</span>' in nav
    assert '<a href="/" hreflang="ru" lang="ru">Русский</a>' in nav
    assert '<a href="/be/" hreflang="be" lang="be">Беларуская</a>' in nav


def test_switcher_goes_to_the_published_translation_of_a_release(client, translated):
    russian, english = translated

    nav = switcher(client.get(russian.get_absolute_url()).content.decode())

    assert 'href="/en/news/visit/"' in nav
    # No published Belarusian translation: the same release with the Belarusian interface.
    assert 'href="/be/news/vizit/"' in nav
    assert "vizit-be" not in nav

    back = switcher(client.get("/en/news/visit/").content.decode())
    assert 'href="/news/vizit/"' in back


def test_release_page_links_its_published_translations_in_their_language(client, translated):
    russian, _english = translated

    html = client.get(russian.get_absolute_url()).content.decode()

    assert "На других языках" in html
    assert (
        '<a href="/en/news/visit/" hreflang="en" lang="en">English: Visit of a delegation</a>'
        in html
    )
    assert "Візіт дэлегацыі" not in html


def test_hreflang_alternates_are_absolute_with_a_default(client, translated):
    russian, _english = translated

    page = head(client.get(russian.get_absolute_url()).content.decode())

    assert '<link rel="alternate" hreflang="ru" href="http://testserver/news/vizit/">' in page
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/news/visit/">' in page
    # No Belarusian translation: its page would be the Russian text in Belarusian chrome.
    assert 'hreflang="be"' not in page
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/news/vizit/">' in page
    )


def test_lang_attributes_say_the_interface_and_the_text_language(client, translated):
    _russian, english = translated

    russian_interface = client.get(english.get_absolute_url()).content.decode()
    english_interface = client.get("/en/news/visit/").content.decode()
    listing = client.get("/en/").content.decode()

    assert '<html lang="ru">' in russian_interface
    assert '<article class="release" lang="en">' in russian_interface
    assert '<html lang="en">' in english_interface
    assert '<article class="release">' in english_interface
    assert '<article class="release-summary">' in listing
    assert 'lang="ru"' not in listing.split('id="content"')[1]


@pytest.mark.parametrize(
    ("prefix", "news", "search", "month", "day"),
    [
        ("", "Новости", "Поиск", "Август 2024", "28 августа 2024, 14:05"),
        ("/be", "Навіны", "Пошук", "Жнівень 2024", "28 жніўня 2024, 14:05"),
        ("/en", "News", "Search", "August 2024", "28 August 2024, 14:05"),
    ],
)
def test_interface_dates_and_month_names_are_in_the_readers_language(
    client, prefix, news, search, month, day
):
    PublishedReleaseFactory(published_at=datetime.datetime(2024, 8, 28, 14, 5, tzinfo=MINSK))

    home = client.get(f"{prefix}/").content.decode()
    archive = client.get(f"{prefix}/archive/2024/08/").content.decode()

    assert f">{news}</a>" in home
    assert f">{search}</button>" in home
    assert day in home
    assert f"<h1>{month}</h1>" in archive


def test_belarusian_interface_has_no_russian_left(client, translated):
    russian, _english = translated
    pages = ["/be/", f"/be{russian.get_absolute_url()}", "/be/search/?q=x", "/be/archive/"]

    for url in pages:
        html = client.get(url).content.decode()
        # The release's own text stays Russian; the interface around it must not be.
        for word in ["Новости", "Поиск", "Архив", "Страница", "Ничего не найдено", "Пресс-служба"]:
            assert word not in html, (url, word)


def test_date_ranges_read_naturally_in_belarusian():
    from news.templatetags.news_tags import format_date_range

    with translation.override("be"):
        assert format_date_range(datetime.date(2024, 8, 28)) == "28 жніўня 2024 г."
        assert (
            format_date_range(datetime.date(2024, 8, 28), datetime.date(2024, 8, 30))
            == "28–30 жніўня 2024 г."
        )
        assert (
            format_date_range(datetime.date(2024, 7, 30), datetime.date(2024, 8, 2))
            == "30 ліпеня – 2 жніўня 2024 г."
        )


def test_search_finds_word_forms_whatever_the_interface_language(client):
    PublishedReleaseFactory(title="Визит делегации Республики Сербия")

    for prefix in ["", "/be", "/en"]:
        html = client.get(f"{prefix}/search/", {"q": "Сербии"}).content.decode()
        assert "Визит делегации Республики Сербия" in html, prefix


@pytest.mark.parametrize("catalogue", ["django", "djangojs"])
@pytest.mark.parametrize("language", ["ru", "be"])
def test_catalogue_translates_every_string_it_holds(language, catalogue):
    from pathlib import Path

    po = Path(__file__).resolve().parent.parent / "locale" / language / "LC_MESSAGES"
    entries = (po / f"{catalogue}.po").read_text(encoding="utf-8").split("\n\n")
    header, entries = entries[0], entries[1:]
    untranslated = [
        entry
        for entry in entries
        if "#, fuzzy" in entry or re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, re.MULTILINE)
    ]
    assert untranslated == []
    assert "#, fuzzy" not in header
    assert f"Language: {language}" in header


@pytest.mark.parametrize("language", ["ru", "be"])
def test_revoking_a_preview_link_and_withdrawing_a_release_are_told_apart(language):
    from django.utils.translation import gettext, override

    with override(language):
        assert gettext("Disable link") != gettext("Withdraw")
