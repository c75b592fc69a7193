"""The typography a Russian or Belarusian reader expects, set at render; the stored text stays."""

from __future__ import annotations

import pytest

from news.typography import NBSP, typeset_html, typeset_text

DASH = "\u2014"
EN_DASH = "\u2013"


@pytest.mark.parametrize("language", ["ru", "be"])
def test_direct_speech_opens_with_a_dash_tied_to_its_first_word(language):
    assert typeset_html("<p>- Нас многое объединяет.</p>", language) == (
        f"<p>{DASH}{NBSP}Нас многое объединяет.</p>"
    )


def test_a_hyphen_between_words_is_a_dash_that_never_starts_a_line():
    text = "Нас многое объединяет, - отметил Шульган."

    assert typeset_text(text, "ru") == f"Нас многое объединяет,{NBSP}{DASH} отметил Шульган."


def test_an_en_dash_between_words_and_after_an_inline_tag_is_set_the_same_way():
    assert typeset_html("<p><strong>Шульган</strong> – министр</p>", "ru") == (
        f"<p><strong>Шульган</strong>{NBSP}{DASH} министр</p>"
    )


def test_hyphens_inside_words_and_number_ranges_stay():
    assert typeset_text("Северо-Запад, 2024-2025", "ru") == "Северо-Запад, 2024-2025"


@pytest.mark.parametrize("typed", ["28 - 30 августа", "28 – 30 августа", "28 — 30 августа"])
def test_a_spaced_dash_between_numbers_is_an_unspaced_en_dash(typed):
    assert typeset_text(typed, "ru") == f"28{EN_DASH}30{NBSP}августа"


def test_number_ranges_in_a_paragraph_and_a_time_span_become_en_dashes():
    html = "<p>Визит пройдёт 28 - 30 августа 2024 - 2025 гг., с 10:00 — 12:00.</p>"

    assert typeset_html(html, "be") == (
        f"<p>Визит пройдёт 28{EN_DASH}30{NBSP}августа 2024{EN_DASH}2025{NBSP}гг., "
        f"с{NBSP}10:00{EN_DASH}12:00.</p>"
    )


def test_an_unspaced_en_dash_range_is_kept_and_a_dash_between_words_is_not_a_range():
    assert typeset_text("28–30 августа", "ru") == f"28{EN_DASH}30{NBSP}августа"
    assert typeset_text("Минск - 30 км", "ru") == f"Минск{NBSP}{DASH} 30{NBSP}км"
    assert typeset_text("в 2024 - году", "ru") == f"в{NBSP}2024{NBSP}{DASH} году"


@pytest.mark.parametrize(
    ("typed", "set_"),
    [
        ("в 2024 г. и 2023 гг.", f"в{NBSP}2024{NBSP}г. и{NBSP}2023{NBSP}гг."),
        ("28 августа", f"28{NBSP}августа"),
        ("№ 5", f"№{NBSP}5"),
        ("визит в Беларусь", f"визит в{NBSP}Беларусь"),
        ("А. Н. Шульган", f"А.{NBSP}Н.{NBSP}Шульган"),
    ],
)
def test_what_must_not_be_parted_is_tied_with_a_no_break_space(typed, set_):
    assert typeset_text(typed, "ru") == set_


def test_straight_quotes_become_guillemets_and_guillemets_are_kept():
    assert typeset_text('на "Минской почте"', "ru") == f"на{NBSP}«Минской почте»"
    assert typeset_text("парк «Великий камень»", "ru") == "парк «Великий камень»"


def test_markup_attributes_and_verbatim_text_are_never_touched():
    html = '<p><a href="/a - b/" title="в 2024">в 2024 г.</a></p><pre>a - b</pre>'

    assert typeset_html(html, "ru") == (
        f'<p><a href="/a - b/" title="в 2024">в{NBSP}2024{NBSP}г.</a></p><pre>a - b</pre>'
    )


def test_english_text_is_left_as_typed():
    assert typeset_text("Minister - visit in 2024", "en") == "Minister - visit in 2024"


@pytest.mark.django_db
def test_the_release_page_sets_the_body_and_lead_but_stores_them_as_typed(client):
    from tests.factories import PublishedReleaseFactory

    release = PublishedReleaseFactory(
        summary="Визит в Минск", body="<p>- Нас интересует опыт, - сказал он.</p>"
    )

    html = client.get(release.get_absolute_url()).content.decode()

    assert f"Визит в{NBSP}Минск" in html
    assert f"<p>{DASH}{NBSP}Нас интересует опыт,{NBSP}{DASH} сказал он.</p>" in html
    release.refresh_from_db()
    assert release.body == "<p>- Нас интересует опыт, - сказал он.</p>"


def test_a_short_word_before_a_link_is_tied_to_the_linked_word():
    html = '<p>Встреча в <a href="/x/">Минске</a> и <strong>переговоры</strong>.</p>'

    assert str(typeset_html(html, "ru")) == (
        f'<p>Встреча в{NBSP}<a href="/x/">Минске</a> и{NBSP}<strong>переговоры</strong>.</p>'
    )
