"""Recognising what a release mentions, and linking it: specifications, then a measurement.

The measurement runs find_mentions() over the labelled releases in tests/data/mentions/ and
prints micro precision and recall of the confident matches (see them with `pytest -s`).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import pytest
from taggit.models import Tag

from news.mentions import (
    Catalogue,
    Confidence,
    EntityType,
    MentionReport,
    find_mentions,
    highlight,
    link_mentions,
)
from news.models import Appointment, Country, Official, Organisation, Release

DATA = Path(__file__).resolve().parent / "data" / "mentions" / "releases.json"
LABELLED = json.loads(DATA.read_text(encoding="utf-8"))
SEED_FILE = Path(__file__).resolve().parent.parent / "news" / "demo" / "serbia_visit_2024.txt"
MIN_PRECISION = 0.9
MIN_RECALL = 0.8


@pytest.fixture
def catalogue(db) -> dict[str, dict]:
    """The labelled set's catalogue in the database; it holds the demo catalogue too."""
    data = LABELLED["catalogue"]
    countries = {code: Country.objects.create(code=code) for code in data["countries"]}
    organisations = {
        o["slug"]: Organisation.objects.create(
            name=o["name"],
            short_name=o["short_name"],
            slug=o["slug"],
            country=countries.get(o["country"]),
        )
        for o in data["organisations"]
    }
    officials = {}
    for person in data["officials"]:
        official = Official.objects.create(full_name=person["full_name"], slug=person["slug"])
        Appointment.objects.create(
            official=official,
            title=person["position"],
            organisation=organisations[person["organisation"]],
        )
        officials[person["slug"]] = official
    topics = {
        name: Tag.objects.create(name=name, slug=f"topic-{n}")
        for n, name in enumerate(data["topics"])
    }
    return {
        "officials": officials,
        "organisations": organisations,
        "countries": countries,
        "topics": topics,
    }


def labels(report: MentionReport, *, confident_only: bool = True) -> dict[str, set[str]]:
    """What the report found, named as the labelled set names it."""
    key = {
        EntityType.OFFICIAL: ("officials", lambda e: e.slug),
        EntityType.ORGANISATION: ("organisations", lambda e: e.slug),
        EntityType.COUNTRY: ("countries", lambda e: e.code),
        EntityType.TOPIC: ("topics", lambda e: e.name),
    }
    return {
        key[type][0]: {
            key[type][1](e) for e in report.entities(type, confident_only=confident_only)
        }
        for type in EntityType
    }


def names(mentions) -> set[str]:
    return {str(m.entity) for m in mentions}


# The seed release ----------------------------------------------------------------------------


def test_labelled_catalogue_holds_the_demo_catalogue():
    from news.demo import ORGANISATIONS, SEED_TAGS  # imports the importer: keep it local

    data = LABELLED["catalogue"]
    organisations = {(o["name"], o["short_name"]) for o in data["organisations"]}
    assert {(name, short_name) for name, short_name, *_ in ORGANISATIONS} <= organisations
    assert set(SEED_TAGS) <= set(data["topics"])
    assert {"Константин Шульган", "Деян Ристич"} <= {o["full_name"] for o in data["officials"]}


def test_seed_release_yields_everyone_and_everything_it_mentions(catalogue):
    report = find_mentions(SEED_FILE.read_text(encoding="utf-8"))
    found = labels(report)

    assert found["officials"] == {"shulgan", "ristic"}
    assert found["organisations"] == {
        "minsviazi",
        "mit-serbia",
        "minskaia-pochta",
        "pvt",
        "velikii-kamen",
    }
    assert found["countries"] == {"RS", "BY"}
    assert found["topics"] >= {
        "5G",
        "искусственный интеллект",
        "электронная коммерция",
        "электронное правительство",
        "умные города",
        "почтовая связь",
    }
    assert report.new_officials == []


def test_seed_release_names_the_belarusian_ministry_by_name_and_short_name(catalogue):
    report = find_mentions(SEED_FILE.read_text(encoding="utf-8"))
    ministry = next(m for m in report.organisations if m.entity.slug == "minsviazi")

    spans = {span.text for span in ministry.spans}
    assert "Министерстве связи и информатизации Республики Беларусь" in spans
    assert "Минсвязи" in spans


def test_seed_release_names_the_serbian_ministry_inside_a_position(catalogue):
    report = find_mentions(SEED_FILE.read_text(encoding="utf-8"))
    ministry = next(m for m in report.organisations if m.entity.slug == "mit-serbia")

    assert ministry.spans[0].text == "Министра информации и телекоммуникаций Республики Сербия"
    assert ministry.spans[0].via == "position"


# Officials -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Визит Деяна Ристича в Минск.", "ristic"),
        ("Переговоры с Константином Шульганом.", "shulgan"),
        ("Письмо Константину Шульгану.", "shulgan"),
        ("Выступила Алия Нурланова.", "nurlanova"),
        ("Встреча с Алией Нурлановой.", "nurlanova"),
        ("Доклад Дмитрия Гурского.", "gurskii"),
        ("Поздравление Игорю Бондарю.", "bondar"),
        ("С Ириной Малашенко.", "malashenko"),
    ],
)
def test_official_is_found_by_full_name_in_any_case(catalogue, text, slug):
    report = find_mentions(text)

    assert labels(report)["officials"] == {slug}


@pytest.mark.parametrize(
    "text",
    ["Как сказал К. Шульган, сеть готова.", "Слова К.Шульгана.", "Шульган К.И. отметил."],
)
def test_initials_and_surname_name_the_official(catalogue, text):
    report = find_mentions(text)

    assert labels(report)["officials"] == {"shulgan"}
    assert report.officials[0].spans[0].via == "initials"


def test_initials_of_another_first_name_are_not_the_official(catalogue):
    report = find_mentions("Слова П. Шульгана.")

    assert report.officials == []


def test_surname_alone_names_the_only_official_with_it(catalogue):
    report = find_mentions("- Работа продолжится, - отметил Шульган.")

    assert labels(report)["officials"] == {"shulgan"}
    assert report.officials[0].spans[0].via == "surname"


def test_surname_shared_by_two_officials_is_only_a_suggestion(catalogue):
    report = find_mentions("Как пояснил Ковалёв, график изменится.")

    assert labels(report)["officials"] == set()
    suggested = labels(report, confident_only=False)["officials"]
    assert suggested == {"a-kovalev", "s-kovalev"}
    assert {m.confidence for m in report.officials} == {Confidence.SUGGESTION}


def test_shared_surname_means_the_official_the_text_names_in_full(catalogue):
    report = find_mentions("Выступил Андрей Ковалёв. Как пояснил Ковалёв, график изменится.")

    assert labels(report, confident_only=False)["officials"] == {"a-kovalev"}
    assert len(report.officials[0].spans) == 2


def test_surname_then_first_name_as_in_lists_names_the_official(catalogue):
    report = find_mentions("Ковалёв Андрей – первый заместитель Министра;")

    assert labels(report, confident_only=False)["officials"] == {"a-kovalev"}
    assert report.officials[0].spans[0].text == "Ковалёв Андрей"


def test_namesake_with_another_first_name_is_not_the_official(catalogue):
    report = find_mentions("Учитель информатики Олег Шульган рассказал об олимпиаде.")

    assert report.officials == []


# Organisations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("В Министерстве связи и информатизации Республики Беларусь прошла встреча.", "minsviazi"),
        ("Коллегия Министерства связи и информатизации.", "minsviazi"),
        ("Глава Минсвязи выступил.", "minsviazi"),
        ("Отделения Белпочты работают.", "belpochta"),
        ("Резиденты ПВТ растут.", "pvt"),
        ("Сотрудники Производства «Минская почта».", "minskaia-pochta"),
        ("В Индустриальном парке «Великий камень» открыт центр.", "velikii-kamen"),
        ("Переговоры в Парке высоких технологий.", "pvt"),
        ("Директор НЦЭУ выступил.", "nceu"),
        ("Конгресс ВПС открылся.", "upu"),
    ],
)
def test_organisation_by_name_short_name_acronym_or_quoted_name(catalogue, text, slug):
    report = find_mentions(text)

    assert labels(report)["organisations"] == {slug}


def test_acronyms_are_made_from_the_initials_of_a_name(catalogue):
    report = find_mentions("Директор МСЭ и руководство ВПС.")

    assert labels(report)["organisations"] == {"itu", "upu"}


def test_short_name_shared_by_two_organisations_is_only_a_suggestion(catalogue):
    Organisation.objects.create(name="Парк водных технологий", short_name="ПВТ", slug="pvt-2")

    report = find_mentions("Резиденты ПВТ растут.")

    assert labels(report)["organisations"] == set()
    assert labels(report, confident_only=False)["organisations"] == {"pvt", "pvt-2"}


def test_ministry_of_another_country_with_the_same_name_is_not_ours(catalogue):
    report = find_mentions("Делегация Министерства связи и информатизации Республики Таджикистан.")

    assert "minsviazi" not in labels(report, confident_only=False)["organisations"]
    assert labels(report)["countries"] == {"TJ"}


def test_generic_words_are_not_organisations(catalogue):
    report = find_mentions("Сербия создаст свой парк высоких технологий, а камень великий лежит.")

    assert report.organisations == []


# Countries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Опыт Сербии интересен.", {"RS"}),
        ("Визит в Республику Беларусь.", {"BY"}),
        ("Сербская сторона согласилась.", {"RS"}),
        ("Готовность белорусской стороны.", {"BY"}),
        ("С сербскими партнерами.", {"RS"}),
        ("Белорусско-китайская компания.", {"BY", "CN"}),
        ("Рынок России и Объединенных Арабских Эмиратов.", {"RU", "AE"}),
        ("Кыргызская Республика и США.", {"KG"}),
    ],
)
def test_country_by_name_or_adjective(catalogue, text, codes):
    report = find_mentions(text)

    assert labels(report)["countries"] == codes


def test_country_words_that_are_not_names_are_not_countries(catalogue):
    Country.objects.create(code="TG")  # Того
    report = find_mentions("Визит.\nТого же дня грузовик доставил посылки в российскую глубинку.")

    assert labels(report)["countries"] == {"RU"}


def test_country_named_like_a_common_word_is_found_inside_a_sentence(catalogue):
    Country.objects.create(code="TG")

    report = find_mentions("Делегация Того посетила Минск.")

    assert labels(report)["countries"] == {"TG"}


# Topics --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Развитие электронной коммерции.", "электронная коммерция"),
        ("Внедрение технологий «умных городов».", "умные города"),
        ("Это 5 G и облака.", "5G"),
        ("Сети 5G в Минске.", "5G"),
        ("Соглашение в области почтовой связи.", "почтовая связь"),
        ("Искусственный интеллект в медицине.", "искусственный интеллект"),
        ("Модель электронного правительства.", "электронное правительство"),
    ],
)
def test_topic_by_its_words_in_any_form(catalogue, text, topic):
    report = find_mentions(text)

    assert labels(report)["topics"] == {topic}


def test_topic_words_inside_an_organisation_name_are_not_a_topic(catalogue):
    report = find_mentions("Республиканское унитарное предприятие почтовой связи «Белпочта».")

    assert labels(report)["organisations"] == {"belpochta"}
    assert labels(report)["topics"] == set()


# New officials -------------------------------------------------------------------------------


def test_unknown_person_after_a_position_is_suggested_as_a_new_official(catalogue):
    report = find_mentions(
        "Встречу провел заместитель Министра связи и информатизации Иван Петров."
    )

    [suggestion] = report.new_officials
    assert suggestion.full_name == "Иван Петров"
    assert suggestion.position == "Заместитель Министра связи и информатизации"
    assert suggestion.name_span.text == "Иван Петров"


@pytest.mark.parametrize(
    ("text", "full_name", "position"),
    [
        (
            "Визит Министра информации и телекоммуникаций Республики Сербия Деяна Ристича.",
            "Деян Ристич",
            "Министр информации и телекоммуникаций Республики Сербия",
        ),
        (
            "Письмо заместителя Министра связи Анны Петровой.",
            "Анна Петрова",
            "Заместитель Министра связи",
        ),
        (
            "Встреча с первым заместителем министра цифрового развития, связи и массовых "
            "коммуникаций Российской Федерации Андреем Сергеевым.",
            "Андрей Сергеев",
            "Первый заместитель министра цифрового развития, связи и массовых коммуникаций "
            "Российской Федерации",
        ),
    ],
)
def test_new_official_is_put_in_the_nominative(db, text, full_name, position):
    report = find_mentions(text)

    [suggestion] = report.new_officials
    assert (suggestion.full_name, suggestion.position) == (full_name, position)


def test_known_official_after_a_position_is_no_suggestion(catalogue):
    report = find_mentions("Министр связи и информатизации Константин Шульган открыл форум.")

    assert report.new_officials == []
    assert labels(report)["officials"] == {"shulgan"}


# Other languages -----------------------------------------------------------------------------


def test_belarusian_text_does_not_crash_and_matches_word_for_word(catalogue):
    text = (
        "Візіт Міністра інфармацыі і тэлекамунікацый Рэспублікі Сербія ў Беларусь. "
        "Перамовы правёў Канстанцін Шульган, — адзначыў Шульган. 5G і ПВТ."
    )
    report = find_mentions(text, language="be")

    found = labels(report)
    assert found["countries"] == {"RS", "BY"}
    assert found["officials"] == {"shulgan"}
    assert found["organisations"] == {"pvt"}
    assert found["topics"] == {"5G"}


# Linking -------------------------------------------------------------------------------------


def test_link_mentions_adds_confident_links_and_keeps_existing_ones(catalogue):
    release = Release.objects.create(
        title="Визит Деяна Ристича в Минсвязи",
        summary="Переговоры о почтовой связи.",
        body="<p>Сербская делегация посетила ПВТ. Как пояснил Ковалёв, все готово.</p>",
    )
    release.officials.add(catalogue["officials"]["volkov"])
    release.tags.add(catalogue["topics"]["филателия"])

    report = link_mentions(release)

    assert set(release.officials.values_list("slug", flat=True)) == {"volkov", "ristic"}
    assert set(release.organisations.values_list("slug", flat=True)) == {"minsviazi", "pvt"}
    assert set(release.countries.values_list("code", flat=True)) == {"RS"}
    assert set(release.tags.names()) == {"филателия", "почтовая связь"}
    assert {str(m.entity) for m in report.linked} >= {"Деян Ристич", "Сербия", "почтовая связь"}
    assert labels(report, confident_only=False)["officials"] >= {"a-kovalev", "s-kovalev"}
    assert all(not m.is_confident for m in report.suggestions)


def test_link_mentions_again_links_nothing_new(catalogue):
    release = Release.objects.create(title="Визит в Сербию", body="<p>Сербская сторона.</p>")
    link_mentions(release)

    report = link_mentions(release)

    assert report.linked == []
    assert list(release.countries.values_list("code", flat=True)) == ["RS"]


def test_link_mentions_reads_title_lead_and_body_as_plain_text(catalogue):
    release = Release.objects.create(
        title="Визит в Сербию",
        summary="Лид &amp; подробности.",
        body="<p>Резиденты <strong>ПВТ</strong> &laquo;Белпочта&raquo;</p><p>Второй абзац.</p>",
    )

    report = link_mentions(release)

    assert report.text == (
        "Визит в Сербию\n\nЛид &amp; подробности.\n\nРезиденты ПВТ «Белпочта»\n\nВторой абзац."
    )
    for mention in report.mentions:
        for span in mention.spans:
            assert report.text[span.start : span.end] == span.text


def test_highlight_escapes_the_text_and_marks_the_spans():
    html = highlight("<b>Сербия</b> & ПВТ", [(3, 9), (16, 19), (4, 6)])

    assert html == "&lt;b&gt;<mark>Сербия</mark>&lt;/b&gt; &amp; <mark>ПВТ</mark>"


def test_report_highlights_every_mention(catalogue):
    report = find_mentions("Сербия и <ПВТ>")

    assert report.highlighted() == "<mark>Сербия</mark> и &lt;<mark>ПВТ</mark>&gt;"


# Cost ----------------------------------------------------------------------------------------


def test_find_mentions_costs_a_few_queries_whatever_the_text(
    catalogue, django_assert_max_num_queries
):
    text = SEED_FILE.read_text(encoding="utf-8") * 3

    with django_assert_max_num_queries(4):
        find_mentions(text)


def test_a_catalogue_loaded_once_serves_many_texts(catalogue, django_assert_num_queries):
    loaded = Catalogue.load()

    with django_assert_num_queries(0):
        for release in LABELLED["releases"][:5]:
            find_mentions(release["text"], catalogue=loaded)


# Quality -------------------------------------------------------------------------------------


def test_labelled_releases_reach_the_precision_and_recall_we_promise(catalogue):
    """Micro precision and recall over (release, entity) pairs, confident matches only.

    New-official suggestions are counted apart ("new officials") and not in "all".
    """
    releases = LABELLED["releases"]
    assert len(releases) >= 30
    loaded = Catalogue.load()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # true pos., false pos., missed
    errors = []
    started = time.perf_counter()
    for release in releases:
        report = find_mentions(release["text"], catalogue=loaded)
        found = labels(report) | {"new_officials": {s.full_name for s in report.new_officials}}
        for kind, expected in release["expected"].items():
            got, want = found[kind], set(expected)
            for key in (kind, "all") if kind != "new_officials" else (kind,):
                counts[key][0] += len(got & want)
                counts[key][1] += len(got - want)
                counts[key][2] += len(want - got)
            if got != want:
                extra, missed = got - want or "-", want - got or "-"
                errors.append(f"  {release['id']}: {kind} extra {extra}, missed {missed}")
    elapsed = time.perf_counter() - started

    lines = [f"\nMentions in {len(releases)} labelled releases ({elapsed:.2f} s):"]
    for kind in ("officials", "organisations", "countries", "topics", "all", "new_officials"):
        tp, fp, fn = counts[kind]
        precision, recall = tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)
        lines.append(
            f"  {kind:14} precision {precision:.3f}  recall {recall:.3f}"
            f"  ({tp} tp, {fp} fp, {fn} fn)"
        )
    print("\n".join(lines + errors))  # noqa: T201

    tp, fp, fn = counts["all"]
    assert tp / (tp + fp) >= MIN_PRECISION
    assert tp / (tp + fn) >= MIN_RECALL
