"""Release HTML read as plain text: one function (news.html.html_to_text) for mentions, search
snippets and the comparison of versions."""

from __future__ import annotations

import pytest

from news.diff import plain_text
from news.search import add_snippets
from tests.factories import PublishedReleaseFactory


def test_html_to_text_keeps_paragraphs_apart_and_decodes_entities():
    from news.html import html_to_text

    markup = "<p>Резиденты <strong>ПВТ</strong> &laquo;Белпочта&raquo;</p><p>Второй<br>абзац.</p>"

    assert html_to_text(markup) == "Резиденты ПВТ «Белпочта»\n\nВторой\nабзац."


def test_html_to_text_keeps_table_cells_apart():
    from news.html import html_to_text

    markup = "<table><tr><td>Минск</td><td>Белград</td></tr></table>"

    assert html_to_text(markup) == "Минск Белград"


def test_html_to_text_with_a_limit_stops_reading_soon_after_it():
    from news.html import html_to_text

    markup = "<p>слово</p>" * 10_000

    text = html_to_text(markup, limit=1_000)

    assert 1_000 < len(text) < 3_000
    assert text.startswith("слово\n\nслово")


def test_comparison_of_versions_keeps_table_cells_apart():
    assert plain_text("<table><tr><td>Минск</td><td>Белград</td></tr></table>") == "Минск Белград"
    assert plain_text("<p>Первый  абзац.</p><p>Второй <b>абзац</b></p>") == (
        "Первый абзац.\nВторой абзац"
    )


@pytest.mark.django_db
def test_search_snippet_shows_a_plain_text_lead_as_written():
    release = PublishedReleaseFactory(
        summary="Тарифы снизил <Beltelecom> на 5 %", body="<p>Тарифы на <strong>связь</strong>.</p>"
    )

    add_snippets([release], "тарифы")

    assert "&lt;Beltelecom&gt;" in release.snippet
    assert release.snippet.count("<mark>Тарифы</mark>") == 2
    assert "связь" in release.snippet
    assert "strong" not in release.snippet


def test_html_to_text_leaves_out_scripts_and_styles():
    from news.html import html_to_text

    assert html_to_text("<p>Текст</p><script>alert(1)</script><style>p{}</style>") == "Текст"
