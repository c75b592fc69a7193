"""Hostile input to the names in three languages and to the readers' language fallback:
no 5xx, no markup let through, nothing stored half, nothing unpublished listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news.models import Language, Official
from news.names import name_for, transliterate_be, transliterate_ru
from scripts.hostile_scan import CORE_TEXT
from tests.admin_forms import change_page_data
from tests.factories import (
    AppointmentFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    UserFactory,
)
from tests.test_hostile_input import XSS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [*CORE_TEXT, *XSS, "ЬЬЬ", "ъ", "Ё" * 300, "'’ʼ", ""])
def test_transliteration_takes_any_text(text):
    assert isinstance(transliterate_ru(text), str)
    assert isinstance(transliterate_be(text), str)


@pytest.mark.parametrize("markup", XSS[:6])
def test_a_name_in_markup_is_shown_as_text_in_every_language(client, markup):
    appointment = AppointmentFactory(title=markup, title_en=markup)
    official = appointment.official
    official.full_name_en = markup
    official.full_name = markup
    official.save()
    PublishedReleaseFactory().officials.add(official)
    for prefix in ["", "/be", "/en"]:
        body = client.get(f"{prefix}/officials/{official.slug}/").content.decode()
        assert markup not in body, prefix
    assert "<" not in str(name_for(official, "en").in_page("en"))


def test_an_overlong_english_name_is_refused_and_nothing_is_stored(client):
    appointment = AppointmentFactory(title="Министр")
    official = appointment.official
    client.force_login(UserFactory(username="editor", roles=["Editor"]))
    url = reverse("admin:news_official_change", args=[official.pk])
    data = change_page_data(client.get(url))
    data.update({"full_name_en": "x" * 201, "appointments-0-title_en": "Minister", "bio": "B"})

    response = client.post(url, data)

    assert response.status_code == 200
    official.refresh_from_db()
    appointment.refresh_from_db()
    assert (official.full_name_en, official.bio, appointment.title_en) == ("", "", "")


@pytest.mark.parametrize("query", ["Serbia", *CORE_TEXT[:20]])
@pytest.mark.parametrize("prefix", ["/en", "/be"])
def test_search_and_listings_in_another_language_never_fail_nor_show_drafts(client, prefix, query):
    PublishedReleaseFactory(title="Переговоры с Сербией Serbia", language=Language.RU)
    ReleaseFactory(title="Черновик Serbia", language=Language.EN)
    for url, params in [(f"{prefix}/search/", {"q": query}), (f"{prefix}/", {"before": query})]:
        response = client.get(url, params)
        assert response.status_code in (200, 400, 404), (url, query)
        assert "Черновик" not in response.content.decode()


def test_an_official_with_no_names_at_all_shows_an_empty_name_not_an_error():
    official = Official(full_name="", slug="x")
    assert name_for(official, "en").text == ""
    assert name_for(official, "be").text == ""
