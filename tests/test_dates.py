"""parse_event_dates: the first date or range a release mentions, as (start, end)."""

from __future__ import annotations

from datetime import date

import pytest

from news.importing.dates import first_year, parse_event_dates

# (id, text, start, end): what a newsroom writes and the dates it means.
WRITTEN_DATES = [
    ("en-dash-range", "28 – 30 августа 2024 г. проходит визит", "2024-08-28", "2024-08-30"),
    ("hyphen-range", "28 - 30 августа 2024 г.", "2024-08-28", "2024-08-30"),
    ("em-dash-no-spaces", "28—30 августа 2024 года", "2024-08-28", "2024-08-30"),
    ("no-space-before-month", "28–30августа 2024", "2024-08-28", "2024-08-30"),
    ("non-breaking-spaces", "28\u00a0–\u00a030\u00a0августа\u00a02024", "2024-08-28", "2024-08-30"),
    ("s-po-range", "с 28 по 30 августа 2024 г.", "2024-08-28", "2024-08-30"),
    ("two-days-with-i", "28 и 29 августа 2024 года", "2024-08-28", "2024-08-29"),
    ("cross-month", "30 августа – 2 сентября 2024 г.", "2024-08-30", "2024-09-02"),
    ("cross-month-s-po", "с 30 августа по 2 сентября 2024 г.", "2024-08-30", "2024-09-02"),
    ("cross-year", "30 декабря 2024 г. – 2 января 2025 г.", "2024-12-30", "2025-01-02"),
    ("cross-year-one-year-given", "30 декабря – 2 января 2025 г.", "2024-12-30", "2025-01-02"),
    ("capitals", "ЗАСЕДАНИЕ СОСТОИТСЯ 3 СЕНТЯБРЯ 2024 Г.", "2024-09-03", None),
    ("belarusian", "28 – 30 жніўня 2024 г.", "2024-08-28", "2024-08-30"),
    ("belarusian-z-pa", "з 28 па 30 жніўня 2024 г.", "2024-08-28", "2024-08-30"),
    ("belarusian-latin-i", "28 жнiўня 2024 г.", "2024-08-28", None),
    ("belarusian-may", "1 траўня 2024 г.", "2024-05-01", None),
    ("english", "28–30 August 2024", "2024-08-28", "2024-08-30"),
    ("english-month-first", "August 28–30, 2024", "2024-08-28", "2024-08-30"),
    ("english-cross-month", "August 30 – September 2, 2024", "2024-08-30", "2024-09-02"),
    ("english-ordinal", "on the 3rd of September 2024", "2024-09-03", None),
    ("abbreviated-month", "28 авг. 2024 г.", "2024-08-28", None),
    ("numeric", "28.08.2024", "2024-08-28", None),
    ("numeric-range", "28–30.08.2024", "2024-08-28", "2024-08-30"),
    ("numeric-cross-year", "28.12 – 02.01.2025", "2024-12-28", "2025-01-02"),
]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [case[1:] for case in WRITTEN_DATES],
    ids=[case[0] for case in WRITTEN_DATES],
)
def test_finds_date_or_range(text, start, end):
    expected_end = date.fromisoformat(end) if end else None
    assert parse_event_dates(text) == (date.fromisoformat(start), expected_end)


def test_single_day_has_no_end():
    assert parse_event_dates("28 августа 2024 года в Минске") == (date(2024, 8, 28), None)


def test_range_within_one_day_has_no_end():
    assert parse_event_dates("28 – 28 августа 2024 г.") == (date(2024, 8, 28), None)


def test_first_date_in_text_wins():
    text = "28 августа 2024 г. состоялись переговоры; следующая встреча 5 сентября 2024 г."
    assert parse_event_dates(text) == (date(2024, 8, 28), None)


def test_date_without_year_takes_default_year():
    assert parse_event_dates("28 августа в Министерстве", default_year=2024) == (
        date(2024, 8, 28),
        None,
    )


def test_range_without_year_takes_default_year():
    assert parse_event_dates("28 – 30 августа", default_year=2024) == (
        date(2024, 8, 28),
        date(2024, 8, 30),
    )


def test_date_without_year_is_no_date_without_default_year():
    assert parse_event_dates("28 августа в Министерстве") == (None, None)


def test_year_given_in_text_beats_default_year():
    assert parse_event_dates("28 августа 2023 г.", default_year=2024) == (date(2023, 8, 28), None)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("31 февраля 2024 г.", id="february-31"),
        pytest.param("29 февраля 2023 г.", id="not-a-leap-year"),
        pytest.param("30 – 31 июня 2024 г.", id="june-31-in-range"),
        pytest.param("с 30 по 28 августа 2024 г.", id="ends-before-it-starts"),
        pytest.param("32 августа 2024 г.", id="day-32"),
        pytest.param("31.02.2024", id="numeric-february-31"),
    ],
)
def test_impossible_dates_are_ignored(text):
    assert parse_event_dates(text) == (None, None)


def test_search_goes_on_past_an_impossible_date():
    assert parse_event_dates("31 февраля 2024 г., то есть 2 марта 2024 г.") == (
        date(2024, 3, 2),
        None,
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "В ноябре текущего года отмечается 30-летие отношений", id="month-without-day"
        ),
        pytest.param("выставка EXPO-2027 состоится в Белграде", id="year-alone"),
        pytest.param("это 5 G и искусственный интеллект", id="number-and-letter"),
        pytest.param("в 10:00 – 12 участников", id="time-and-count"),
        pytest.param("1 марш-бросок", id="month-name-prefix"),
        pytest.param("", id="empty"),
    ],
)
def test_text_without_a_date(text):
    assert parse_event_dates(text) == (None, None)


def test_first_year_is_the_year_of_the_first_full_date():
    text = "28 августа в Министерстве. Визит 28 – 30 августа 2024 г. EXPO-2027."
    assert first_year(text) == 2024


def test_first_year_is_none_without_a_full_date():
    assert first_year("28 августа в Министерстве, в 2024 году") is None
