"""Importing releases: plain-text files one by one, JSON Lines in bulk, and the command."""

from __future__ import annotations

import datetime
import gc
import html
import json
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from taggit.models import Tag

from news.importing import ImportFailed
from news.importing.decoding import plausibility
from news.importing.fields import import_user
from news.importing.jsonl import import_jsonl_file, jsonl_line_limit
from news.importing.records import read_record
from news.importing.text import import_text_file, parse_text, read_text_file
from news.models import (
    Appointment,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    SourceURL,
    State,
    TaggedRelease,
)
from tests.factories import AppointmentFactory, OrganisationFactory, ReleaseFactory

DATA = Path(__file__).resolve().parent / "data"
MINSK = ZoneInfo("Europe/Minsk")
SEED_TITLE = "Визит Министра информации и телекоммуникаций Республики Сербия в Беларусь"
SEED_URL = (
    "https://www.mpt.gov.by/"
    "vizit-ministra-informacii-i-telekommunikaciy-respubliki-serbiya-v-belarus"
)
SEED_BYTES = (
    Path(__file__).resolve().parent.parent / "news/demo/serbia_visit_2024.txt"
).read_bytes()


def run(*args: object, **options: object) -> tuple[str, str]:
    """Run import_release; return what it wrote to stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_release", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*args: object) -> tuple[str, str, CommandError]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_release", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), failure.value


def seed_paragraphs(seed_file: Path) -> list[str]:
    """The seed's paragraphs as written: no title, no footer."""
    blocks = [b.strip() for b in seed_file.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    return blocks[1 : blocks.index("Source URL:")]


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# The seed release, as a plain-text file


@pytest.mark.django_db
def test_seed_file_becomes_one_draft_press_release(seed_file):
    release = import_text_file(seed_file)

    assert Release.objects.count() == 1
    release.refresh_from_db()
    assert release.title == SEED_TITLE
    assert release.kind == Kind.PRESS_RELEASE
    assert release.language == "ru"
    assert release.state == State.DRAFT
    assert release.published_at is None
    assert not Release.objects.published().exists()


@pytest.mark.django_db
def test_seed_event_dates_come_from_the_lead(seed_file):
    release = import_text_file(seed_file)

    assert release.event_start == datetime.date(2024, 8, 28)
    assert release.event_end == datetime.date(2024, 8, 30)


@pytest.mark.django_db
def test_seed_summary_is_the_first_paragraph(seed_file):
    release = import_text_file(seed_file)

    assert release.summary == seed_paragraphs(seed_file)[0]
    assert release.summary.startswith("28 – 30 августа 2024 г. проходит визит")


@pytest.mark.django_db
def test_seed_keeps_every_paragraph(seed_file):
    release = import_text_file(seed_file)

    text = release.summary + html.unescape(release.body)
    for paragraph in seed_paragraphs(seed_file):
        assert paragraph in text
    assert "Source URL" not in text
    assert release.body.count("<p>") == len(seed_paragraphs(seed_file)) - 1


@pytest.mark.django_db
def test_seed_quote_is_a_blockquote(seed_file):
    release = import_text_file(seed_file)

    assert "<blockquote><p>- Нас интересует опыт Сербии" in release.body
    assert release.body.count("<blockquote>") == 1


@pytest.mark.django_db
def test_seed_source_url_is_the_primary_source(seed_file):
    release = import_text_file(seed_file)

    source = SourceURL.objects.get()
    assert source.release == release
    assert source.url == SEED_URL
    assert source.is_primary
    assert source.publisher == "mpt.gov.by"
    assert release.primary_source == source


@pytest.mark.django_db
def test_seed_slug_is_latin(seed_file):
    release = import_text_file(seed_file)

    assert release.slug.startswith("vizit-ministra-")
    assert release.slug.isascii()


@pytest.mark.django_db
def test_importing_the_seed_twice_when_duplicates_are_allowed_gives_two_slugs(seed_file):
    first = import_text_file(seed_file)
    second = import_text_file(seed_file, allow_duplicates=True)

    assert first.slug != second.slug
    assert second.slug == f"{first.slug}-2"
    assert SourceURL.objects.filter(url=SEED_URL).count() == 2


# Encodings and line endings


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "cp866", "utf-16", "utf-8-sig"])
@pytest.mark.django_db
def test_seed_in_another_encoding_imports_identically(seed_file, tmp_path, encoding):
    text = seed_file.read_text(encoding="utf-8")
    if encoding in {"koi8-r", "cp866"}:  # they have no en dash or guillemets
        text = text.translate(str.maketrans({"–": "-", "«": '"', "»": '"'}))
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(text, encoding="utf-8")
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(text.encode(encoding))

    expected = import_text_file(utf8)
    imported = import_text_file(other, allow_duplicates=True)

    for field in ["title", "summary", "body", "event_start", "event_end"]:
        assert getattr(imported, field) == getattr(expected, field), field
    assert imported.title == SEED_TITLE
    assert [s.url for s in imported.sources.all()] == [SEED_URL]


def test_windows_line_endings_and_non_breaking_spaces_read_like_the_seed(seed_file, tmp_path):
    text = seed_file.read_text(encoding="utf-8")
    windows = text.replace(" – ", "\u00a0– ").replace("- Нас", "-\u00a0Нас").replace("\n", "\r\n")
    path = tmp_path / "windows.txt"
    path.write_bytes(windows.encode("cp1251"))

    assert read_text_file(path) == read_text_file(seed_file)


def test_word_plain_text_without_blank_lines_has_a_paragraph_per_line():
    parsed = parse_text("Заголовок\r\nПервый абзац.\r\nВторой абзац.\r\n– Цитата, – сказал он.\r\n")

    assert parsed.title == "Заголовок"
    assert parsed.summary == "Первый абзац."
    assert parsed.paragraphs == ["Второй абзац.", "– Цитата, – сказал он."]
    assert "<blockquote>" in parsed.body


def test_line_break_inside_a_paragraph_is_kept():
    parsed = parse_text("Заголовок\n\nЛид.\n\nАдрес:\nг. Минск, пр. Победителей, 10\n")

    assert parsed.body == "<p>Адрес:<br>г. Минск, пр. Победителей, 10</p>"


def test_event_year_comes_from_the_first_full_date_in_the_text():
    parsed = parse_text(
        "Переговоры\n\n28 августа состоялись переговоры.\n\nВизит 28 августа 2024 г."
    )

    assert parsed.event_start == datetime.date(2024, 8, 28)
    assert parsed.event_end is None


def test_text_without_any_dates_has_no_event_dates():
    parsed = parse_text("Заголовок\n\nСостоялись переговоры.\n")

    assert (parsed.event_start, parsed.event_end) == (None, None)


# Source URLs


def test_several_source_urls_in_angle_brackets_or_bare():
    parsed = parse_text(
        "Заголовок\n\nЛид.\n\nSource URL:\n\n<https://mpt.gov.by/a>\nhttps://belta.by/b\n"
        "Source URL: <https://www.sb.by/c>\nSource URL: https://mpt.gov.by/a\n"
    )

    assert parsed.source_urls == [
        "https://mpt.gov.by/a",
        "https://belta.by/b",
        "https://www.sb.by/c",
    ]


@pytest.mark.django_db
def test_first_source_url_is_primary_and_publisher_is_the_host():
    import_text_file(DATA / "belarusian_release.txt", language="be")

    sources = list(SourceURL.objects.order_by("pk").values_list("url", "is_primary", "publisher"))
    assert sources == [
        ("https://www.mpt.gov.by/be/vizit-ministra-serbii", True, "mpt.gov.by"),
        ("https://www.belta.by/be/society/view/vizit-serbii", False, "belta.by"),
    ]


@pytest.mark.django_db
def test_belarusian_release():
    release = import_text_file(DATA / "belarusian_release.txt", language="be")

    assert release.language == "be"
    assert release.title.startswith("Візіт Міністра")
    assert release.slug.startswith("vizit-ministra-")
    assert (release.event_start, release.event_end) == (
        datetime.date(2024, 8, 28),
        datetime.date(2024, 8, 30),
    )
    assert "<blockquote><p>— Нас цікавіць" in release.body


def test_source_line_without_a_url_is_an_ordinary_paragraph():
    parsed = parse_text("Заголовок\n\nЛид.\n\nИсточник: БелТА\n")

    assert parsed.source_urls == []
    assert parsed.paragraphs == ["Источник: БелТА"]


def test_text_after_the_footer_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "footer.txt"
    path.write_text("Заголовок\n\nЛид.\n\nSource URL:\nhttps://mpt.gov.by/a\n\nЕщё абзац\n")

    with pytest.raises(
        ImportFailed, match=r"footer\.txt:8: 'Ещё' after 'Source URL:' is not a URL"
    ):
        read_text_file(path)


@pytest.mark.django_db
def test_javascript_source_url_fails_the_file_and_stores_nothing(tmp_path):
    path = tmp_path / "evil.txt"
    path.write_text(
        "Заголовок\n\nЛид.\n\nSource URL:\n<https://mpt.gov.by/a>\n<javascript:alert(1)>\n"
    )

    with pytest.raises(ImportFailed) as failure:
        import_text_file(path)

    assert str(failure.value).startswith(f"{path}: source URL 'javascript:alert(1)':")
    assert "\n" not in str(failure.value)
    assert not Release.objects.exists()
    assert not SourceURL.objects.exists()


# Files that are not releases


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b" \r\n\t\r\n\xc2\xa0\n", "contains only whitespace", id="whitespace"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks binary", id="png"),
        pytest.param(bytes(range(128, 256)) * 8, "is neither Unicode nor Russian", id="junk"),
        pytest.param(
            b"\xef\xbb\xbf\n\nSource URL: https://mpt.gov.by/a\n", "has no title", id="footer"
        ),
        pytest.param(
            SEED_BYTES[:2000] + b"\xff" + SEED_BYTES[2000:],
            "is UTF-8 with a broken byte at offset",
            id="broken-utf8",
        ),
        pytest.param(
            "Визит\n".encode() + b"\xff\xfe", "is neither Unicode nor Russian", id="utf8-and-junk"
        ),
        pytest.param(("Текст " * 100).encode(), "has no title", id="no-title-line"),
    ],
)
@pytest.mark.django_db
def test_file_that_is_not_a_release_fails_with_one_line_naming_it(tmp_path, content, reason):
    path = tmp_path / "release.txt"
    path.write_bytes(content)

    with pytest.raises(ImportFailed) as failure:
        import_text_file(path)

    message = str(failure.value)
    assert message.startswith(str(path))
    assert reason in message
    assert "\n" not in message
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_missing_file_fails_naming_it(tmp_path):
    with pytest.raises(ImportFailed, match=r"missing\.txt: no such file$"):
        import_text_file(tmp_path / "missing.txt")


# The command


@pytest.mark.django_db
def test_command_imports_text_file_and_reports_the_slug(seed_file):
    out, err = run(seed_file)

    release = Release.objects.get()
    assert out == f"{seed_file}: {release.slug} (draft) {SEED_TITLE}\n"
    assert err == ""


@pytest.mark.django_db
def test_command_goes_on_after_failed_files_and_exits_non_zero(seed_file, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    missing = tmp_path / "missing.txt"

    out, err, failure = run_failing(empty, seed_file, binary, missing)

    assert Release.objects.get().title == SEED_TITLE
    assert out.count("\n") == 1 and str(seed_file) in out
    assert err.splitlines() == [
        f"{empty}: is empty",
        f"{binary}: looks binary (contains NUL bytes)",
        f"{missing}: no such file",
    ]
    assert failure.returncode != 0
    assert "3 of 4 files failed" in str(failure)


@pytest.mark.django_db
def test_command_publish_makes_the_release_public_now(seed_file):
    run(seed_file, "--publish")

    release = Release.objects.published().get()
    assert release.state == State.PUBLISHED


@pytest.mark.django_db
def test_command_publish_at_schedules_the_release_until_its_minute_comes(seed_file):
    with time_machine.travel(datetime.datetime(2024, 9, 1, 9, 59, 30, tzinfo=MINSK), tick=False):
        out, _ = run(seed_file, "--publish-at", "2024-09-01T10:00")

        release = Release.objects.get()
        assert "(scheduled for 2024-09-01 10:00)" in out
        assert release.state == State.PUBLISHED
        assert release.published_at == datetime.datetime(2024, 9, 1, 7, 0, tzinfo=datetime.UTC)
        assert not Release.objects.published().exists()
        assert Release.objects.scheduled().get() == release

    with time_machine.travel(datetime.datetime(2024, 9, 1, 10, 0, 0, tzinfo=MINSK), tick=False):
        assert Release.objects.published().get() == release


@pytest.mark.django_db
def test_command_publish_at_with_offset_is_taken_as_given(seed_file):
    run(seed_file, "--publish-at", "2024-09-01T10:00:00+00:00")

    assert Release.objects.get().published_at == datetime.datetime(
        2024, 9, 1, 10, 0, tzinfo=datetime.UTC
    )


@pytest.mark.django_db
def test_command_refuses_publish_together_with_publish_at(seed_file):
    with pytest.raises(CommandError):
        run(seed_file, "--publish", "--publish-at", "2024-09-01T10:00")
    with pytest.raises(CommandError, match="not both"):
        run(seed_file, publish=True, publish_at="2024-09-01T10:00")

    assert not Release.objects.exists()


@pytest.mark.django_db
def test_command_refuses_a_publish_at_that_is_not_a_time(seed_file):
    with pytest.raises(CommandError, match="--publish-at: '1 сентября' is not an ISO date"):
        run(seed_file, "--publish-at", "1 сентября")

    assert not Release.objects.exists()


@pytest.mark.django_db
def test_command_language_option(seed_file):
    run(DATA / "belarusian_release.txt", "--language", "be")

    assert Release.objects.get().language == "be"


# JSON Lines


@pytest.mark.django_db
def test_jsonl_fields_are_mapped():
    summary = import_jsonl_file(DATA / "releases.jsonl")

    assert summary.releases == 3
    visit = Release.objects.get(title__startswith="Константин Шульган")
    assert (
        visit.summary == "28 августа в Министерстве связи и информатизации состоялись переговоры."
    )
    assert visit.body == "<p>Стороны обсудили сотрудничество в области почтовой связи.</p>"
    assert visit.kind == Kind.VISIT
    assert visit.language == "ru"
    assert visit.state == State.PUBLISHED
    assert (visit.event_start, visit.event_end) == (
        datetime.date(2024, 8, 28),
        datetime.date(2024, 8, 30),
    )
    assert visit.slug.startswith("konstantin-shulgan-")
    assert sorted(visit.tags.names()) == ["Сербия", "почтовая связь"]
    assert list(visit.sources.values_list("url", "is_primary", "publisher", "title")) == [
        (SEED_URL, True, "mpt.gov.by", SEED_TITLE),
        ("https://www.belta.by/society/view/serbiya-2024", False, "belta.by", ""),
    ]
    assert sorted(visit.officials.values_list("full_name", flat=True)) == [
        "Деян Ристич",
        "Константин Шульган",
    ]
    assert list(visit.organisations.values_list("name", flat=True)) == [
        "Министерство связи и информатизации Республики Беларусь"
    ]


@pytest.mark.django_db
def test_jsonl_naive_times_are_minsk_time_and_offsets_are_kept():
    import_jsonl_file(DATA / "releases.jsonl")

    visit = Release.objects.get(kind=Kind.VISIT)
    assert visit.published_at == datetime.datetime(2024, 8, 28, 10, 0, tzinfo=MINSK)
    assert visit.published_at == datetime.datetime(2024, 8, 28, 7, 0, tzinfo=datetime.UTC)
    english = Release.objects.get(language="en")
    assert english.published_at == datetime.datetime(2024, 8, 30, 15, 30, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_jsonl_line_without_published_at_is_a_draft():
    import_jsonl_file(DATA / "releases.jsonl")

    park = Release.objects.get(title__startswith="Сербская делегация")
    assert park.state == State.DRAFT
    assert park.published_at is None
    assert park.kind == Kind.PRESS_RELEASE
    assert park.event_start == datetime.date(2024, 8, 29)


@pytest.mark.django_db
def test_jsonl_publish_at_publishes_only_lines_without_a_time_of_their_own():
    publish_at = datetime.datetime(2030, 1, 1, 9, 0)

    import_jsonl_file(DATA / "releases.jsonl", publish_at=publish_at)

    park = Release.objects.get(title__startswith="Сербская делегация")
    assert park.state == State.PUBLISHED
    assert park.published_at == datetime.datetime(2030, 1, 1, 9, 0, tzinfo=MINSK)
    assert park.is_scheduled
    visit = Release.objects.get(kind=Kind.VISIT)
    assert visit.published_at == datetime.datetime(2024, 8, 28, 10, 0, tzinfo=MINSK)


@pytest.mark.django_db
def test_jsonl_plain_text_body_becomes_paragraphs():
    import_jsonl_file(DATA / "releases.jsonl")

    english = Release.objects.get(language="en")
    assert english.body == (
        "<p>The guests saw the park.</p>\n"
        "<blockquote><p>- We are impressed, - said Dejan Ristić.</p></blockquote>"
    )


@pytest.mark.django_db
def test_jsonl_officials_organisations_and_tags_are_created_once_across_lines():
    summary = import_jsonl_file(DATA / "releases.jsonl")

    assert Official.objects.filter(full_name="Деян Ристич").count() == 1
    assert Organisation.objects.filter(name__startswith="Министерство связи").count() == 1
    assert [t for t in Tag.objects.values_list("name", flat=True) if t.lower() == "сербия"] == [
        "Сербия"  # "сербия" on the second line is the same tag
    ]
    assert Tag.objects.count() == 3
    assert TaggedRelease.objects.count() == 4
    assert Appointment.objects.filter(official__full_name="Деян Ристич").count() == 1
    assert summary.officials == 3
    assert summary.organisations == 3
    assert summary.tags == 3
    assert len(set(Official.objects.values_list("slug", flat=True))) == 3
    assert len(set(Organisation.objects.values_list("slug", flat=True))) == 3


@pytest.mark.django_db
def test_jsonl_links_existing_officials_organisations_and_tags():
    existing = AppointmentFactory(
        official__full_name="Константин Шульган",
        official__slug="konstantin-shulgan",
        title="Министр связи и информатизации",
    ).official
    ministry = OrganisationFactory(name="Министерство связи и информатизации Республики Беларусь")
    Tag.objects.create(name="Сербия", slug="serbiia")

    summary = import_jsonl_file(DATA / "releases.jsonl")

    visit = Release.objects.get(kind=Kind.VISIT)
    assert existing in visit.officials.all()
    assert ministry in visit.organisations.all()
    assert Official.objects.filter(full_name="Константин Шульган").count() == 1
    assert existing.appointments.count() == 1
    assert Tag.objects.filter(name__in=["Сербия", "сербия"]).count() == 1
    assert summary.officials == 2
    assert summary.tags == 2


@pytest.mark.django_db
def test_jsonl_gives_an_official_a_new_position_as_an_appointment():
    existing = AppointmentFactory(
        official__full_name="Деян Ристич", title="Министр торговли"
    ).official

    import_jsonl_file(DATA / "releases.jsonl")

    assert sorted(existing.appointments.values_list("title", flat=True)) == [
        "Министр информации и телекоммуникаций Республики Сербия",
        "Министр торговли",
    ]


@pytest.mark.django_db
def test_jsonl_slugs_are_unique_within_the_file_and_against_the_database(tmp_path):
    ReleaseFactory(title="Переговоры")
    path = write_jsonl(tmp_path / "same.jsonl", [{"title": "Переговоры"}] * 3)

    import_jsonl_file(path, allow_duplicates=True)

    assert sorted(Release.objects.values_list("slug", flat=True)) == [
        "peregovory",
        "peregovory-2",
        "peregovory-3",
        "peregovory-4",
    ]


@pytest.mark.django_db
def test_jsonl_body_is_sanitised():
    import_jsonl_file(DATA / "releases.jsonl")

    assert "script" not in Release.objects.get(kind=Kind.VISIT).body


@pytest.mark.django_db
def test_jsonl_tolerates_a_byte_order_mark_blank_lines_and_windows_endings(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"title": "\xd0\x9f\xd0\xb5\xd1\x80\xd0\xb2\xd1\x8b\xd0\xb9"}\r\n\r\n'
        b'{"title": "Second"}\r\n'
    )

    assert import_jsonl_file(path).releases == 2
    assert sorted(Release.objects.values_list("title", flat=True)) == ["Second", "Первый"]


GOOD = {"title": "Переговоры", "officials": [{"name": "Новый Чиновник", "position": "Министр"}]}


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        pytest.param('{"title": "Незакрытая', "invalid JSON", id="invalid-json"),
        pytest.param('["title"]', "expected a JSON object", id="not-an-object"),
        pytest.param({"summary": "Без заголовка"}, "title is missing", id="missing-title"),
        pytest.param({"title": " "}, "title is missing", id="blank-title"),
        pytest.param(
            {"title": "T", "language": "de"}, "unknown language 'de'", id="unknown-language"
        ),
        pytest.param({"title": "T", "kind": "blog"}, "unknown kind 'blog'", id="unknown-kind"),
        pytest.param(
            {"title": "T", "headline": "x"}, "unknown field 'headline'", id="unknown-field"
        ),
        pytest.param(
            {"title": "T", "sources": [{"url": "javascript:alert(1)"}]}, "sources[0]", id="bad-url"
        ),
        pytest.param(
            {"title": "T", "sources": [{"url": "ftp://mpt.gov.by/a"}]}, "sources[0]", id="ftp-url"
        ),
        pytest.param(
            {"title": "T", "event_start": "2024-08-30", "event_end": "2024-08-28"},
            "event_end",
            id="end-before-start",
        ),
        pytest.param(
            {"title": "T", "event_end": "2024-08-28"}, "event_start", id="end-without-start"
        ),
        pytest.param(
            {"title": "T", "event_start": "2024-02-31"},
            "event_start: '2024-02-31' is not an ISO date",
            id="bad-date",
        ),
        pytest.param(
            {"title": "T", "published_at": "28.08.2024"},
            "published_at: '28.08.2024'",
            id="bad-datetime",
        ),
        pytest.param({"title": "T", "tags": "связь"}, "tags must be a list", id="tags-not-a-list"),
        pytest.param(
            {"title": "T", "officials": [{"position": "Министр"}]},
            "officials[0].name is missing",
            id="official-without-name",
        ),
        pytest.param({"title": "T" * 501}, "title: ", id="title-too-long"),
    ],
)
@pytest.mark.django_db
def test_jsonl_bad_line_fails_the_whole_file_naming_the_line(tmp_path, bad_line, reason):
    path = write_jsonl(tmp_path / "bad.jsonl", [GOOD, GOOD, bad_line, GOOD])

    with pytest.raises(ImportFailed) as failure:
        import_jsonl_file(path, batch_size=2)  # the first two lines are stored before line 3

    message = str(failure.value)
    assert message.startswith(f"{path}:3: ")
    assert reason in message
    assert "\n" not in message
    assert not Release.objects.exists()
    assert not Official.objects.exists()
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_jsonl_without_releases_fails(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n")

    with pytest.raises(ImportFailed, match=r"empty\.jsonl: contains no releases"):
        import_jsonl_file(path)


@pytest.mark.django_db
def test_command_imports_jsonl_and_other_files_go_on_when_one_fails(seed_file, tmp_path):
    bad = write_jsonl(tmp_path / "bad.jsonl", [GOOD, {"title": "T", "language": "de"}])

    out, err, _ = run_failing(DATA / "releases.jsonl", bad, seed_file)

    assert Release.objects.count() == 4
    assert f"{DATA / 'releases.jsonl'}: 3 releases" in out
    assert err == f"{bad}:2: unknown language 'de' (expected ru, be, en)\n"


@pytest.mark.django_db
def test_command_publish_at_applies_to_jsonl_lines_without_a_time(tmp_path):
    path = write_jsonl(tmp_path / "drafts.jsonl", [{"title": "Первый"}, {"title": "Второй"}])

    run(path, "--publish-at", "2024-09-01T10:00", "--language", "be")

    assert set(Release.objects.values_list("state", "published_at", "language")) == {
        (State.PUBLISHED, datetime.datetime(2024, 9, 1, 10, 0, tzinfo=MINSK), "be")
    }


def _record(n: int) -> dict:
    return {
        "title": f"Переговоры о сотрудничестве № {n}",
        "summary": "Состоялись переговоры.",
        "body": "<p>Стороны обсудили сотрудничество.</p>",
        "published_at": "2024-08-28T10:00",
        "tags": [f"тема {n % 7}", "связь"],
        "sources": [{"url": f"https://mpt.gov.by/news/{n}"}, f"https://belta.by/{n}"],
        "officials": [{"name": f"Чиновник {n % 11}", "position": f"Должность {n % 3}"}],
        "organisations": [f"Организация {n % 5}"],
        "event_start": "2024-08-28",
        "event_end": "2024-08-30",
    }


@pytest.mark.django_db
def test_jsonl_query_count_grows_with_batches_not_lines(tmp_path, django_assert_max_num_queries):
    path = write_jsonl(tmp_path / "many.jsonl", [_record(n) for n in range(300)])
    user = import_user()

    # 9 reads up front and 2 of the user's rights, then at most 11 inserts per batch of 100
    # lines (revisions and audit entries among them), and savepoints.
    with django_assert_max_num_queries(11 + 3 * 11 + 2):
        summary = import_jsonl_file(path, batch_size=100, user=user)

    assert summary.releases == 300
    assert Release.objects.published().count() == 300
    assert SourceURL.objects.count() == 600
    assert TaggedRelease.objects.count() == 600
    assert Official.objects.count() == 11
    assert Appointment.objects.count() == 33  # each official meets each position once
    assert Organisation.objects.count() == 5
    assert Tag.objects.count() == 8


@pytest.mark.django_db
def test_jsonl_import_runs_without_the_cycle_collector_and_turns_it_back_on(tmp_path):
    # An import makes millions of objects and next to no reference cycles: the collector's
    # passes over all that is alive cost a sixth of a 100,000-line import and freed nothing.
    good = write_jsonl(tmp_path / "many.jsonl", [_record(n) for n in range(200)])
    bad = write_jsonl(tmp_path / "bad.jsonl", [_record(1), {"title": "T", "kind": "blog"}])
    collector_on = set()

    def progress(size: int) -> None:
        collector_on.add(gc.isenabled())

    assert import_jsonl_file(good, batch_size=50, progress=progress).releases == 200
    assert collector_on == {False}
    assert gc.isenabled()
    with pytest.raises(ImportFailed):
        import_jsonl_file(bad, progress=progress)
    assert gc.isenabled()


def test_reading_a_line_needs_no_database():
    record = read_record(json.dumps(_record(7)).encode(), language=Language.BE, publish_at=None)

    assert record.release.title == "Переговоры о сотрудничестве № 7"
    assert record.release.language == Language.BE
    assert [source.url for source in record.sources] == [
        "https://mpt.gov.by/news/7",
        "https://belta.by/7",
    ]
    assert record.officials == [("Чиновник 7", "Должность 1")]


# Hostile JSON Lines: whatever a line holds, the file fails in one line and the next one imports

NESTED_LISTS = "[" * 100_000 + "]" * 100_000
NESTED_OBJECTS = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        pytest.param(NESTED_LISTS, "nested too deeply", id="nested-lists"),
        pytest.param(NESTED_OBJECTS, "nested too deeply", id="nested-objects"),
        pytest.param(
            '{"title": "T", "sources": ' + NESTED_LISTS + "}",
            "nested too deeply",
            id="nested-inside-a-field",
        ),
        pytest.param('{"title": ' + "1" * 5000 + "}", "invalid JSON", id="5000-digit-number"),
        pytest.param('{"title": "T", "tags": [' + "9" * 5000 + "]}", "invalid JSON", id="in-list"),
        pytest.param("5", "expected a JSON object, found a number", id="number"),
        pytest.param("null", "expected a JSON object, found null", id="null"),
        pytest.param('"Переговоры"', "expected a JSON object, found a string", id="string"),
        pytest.param("true", "expected a JSON object, found true/false", id="boolean"),
        pytest.param({"title": 5}, "title must be a string, not a number", id="title-number"),
        pytest.param({"title": ["T"]}, "title must be a string, not a list", id="title-list"),
        pytest.param({"title": {"ru": "T"}}, "title must be a string, not an object", id="dict"),
        pytest.param({"title": "T", "body": True}, "body must be a string", id="body-boolean"),
        pytest.param({"title": "T", "summary": 1.5}, "summary must be a string", id="summary"),
        pytest.param({"title": "T", "published_at": 20240828}, "published_at must be", id="time"),
        pytest.param({"title": "T", "tags": {"a": 1}}, "tags must be a list", id="tags-dict"),
        pytest.param({"title": "T", "tags": [7]}, "tags[0] must be a non-empty", id="tag-number"),
        pytest.param(
            {"title": "T", "sources": {"url": "https://mpt.gov.by/"}},
            "sources must be a list",
            id="sources-dict",
        ),
        pytest.param({"title": "T", "sources": [5]}, "sources[0] must be a URL", id="source"),
        pytest.param(
            {"title": "T", "sources": [{"url": ["https://mpt.gov.by/"]}]},
            "sources[0].url must be a string, not a list",
            id="source-url-list",
        ),
        pytest.param(
            {"title": "T", "officials": [{"name": {"first": "Иван"}}]},
            "officials[0].name must be a string, not an object",
            id="official-name-dict",
        ),
        pytest.param(
            {"title": "T", "organisations": [None]},
            "organisations[0] must be a non-empty",
            id="organisation-null",
        ),
        pytest.param({"title": "T\u0000"}, "title contains a NUL character", id="nul-in-title"),
        pytest.param(
            {"title": "T", "tags": ["a\u0000"]}, "tags[0] contains a NUL character", id="nul-in-tag"
        ),
        pytest.param(
            '{"title": "T", "officials": ["\\udc00"]}',
            "officials[0] contains a broken character (a lone UTF-16 surrogate)",
            id="lone-surrogate",
        ),
        pytest.param(
            '{"title": "T", "body": "<p>\\ud800</p>"}',
            "body contains a broken character",
            id="surrogate-in-body",
        ),
        pytest.param(
            {"title": "T", "published_at": "0001-01-01T00:00"},
            "published_at: '0001-01-01T00:00' is out of range",
            id="year-1",
        ),
        pytest.param(
            {"title": "T", "published_at": "9999-12-31T23:59-05:00"},
            "is out of range",
            id="year-9999",
        ),
    ],
)
@pytest.mark.django_db
def test_jsonl_hostile_line_fails_the_file_in_one_line_naming_it(tmp_path, bad_line, reason):
    path = write_jsonl(tmp_path / "bad.jsonl", [GOOD, GOOD, bad_line, GOOD])

    with pytest.raises(ImportFailed) as failure:
        import_jsonl_file(path, batch_size=2)

    message = str(failure.value)
    assert message.startswith(f"{path}:3: ")
    assert reason in message
    assert "\n" not in message and len(message) < 300 + len(str(path))
    assert not Release.objects.exists()
    assert not Official.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize("bad_line", [b"\xff\xfe{}", b'{"title": "T\x00"}', b"\x00" * 10])
@pytest.mark.django_db
def test_jsonl_line_with_invalid_utf8_or_nul_bytes_fails_naming_it(tmp_path, bad_line):
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"title": "A"}\n' + bad_line + b'\n{"title": "B"}\n')

    with pytest.raises(ImportFailed, match=r"bytes\.jsonl:2: (is not UTF-8 text|invalid JSON)"):
        import_jsonl_file(path)

    assert not Release.objects.exists()


@pytest.mark.django_db
def test_jsonl_line_longer_than_a_release_can_be_is_refused_without_reading_it_whole(tmp_path):
    limit = jsonl_line_limit()
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"title": "A"}\n{"title": "B", "body": "')
        handle.write(b"x" * (limit + 1))
        handle.write(b'"}\n{"title": "C"}\n')

    with pytest.raises(ImportFailed) as failure:
        import_jsonl_file(path)

    assert str(failure.value) == (
        f"{path}:2: the line is longer than {limit:,} bytes, more than any release can hold"
    )
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_command_reports_a_nested_brackets_file_in_one_line_and_imports_the_next(tmp_path):
    nested = tmp_path / "nested.jsonl"
    nested.write_text(NESTED_LISTS + "\n")
    good = write_jsonl(tmp_path / "good.jsonl", [{"title": "Переговоры"}])

    out, err, failure = run_failing(nested, good)

    assert Release.objects.get().title == "Переговоры"
    assert out == f"{good}: 1 releases (0 new officials, 0 new organisations, 0 new tags)\n"
    assert err == f"{nested}:1: invalid JSON: nested too deeply\n"
    assert "Traceback" not in err
    assert "1 of 2 files failed" in str(failure)


# Files in a Western encoding, and --encoding

LATIN_RELEASE = (
    "Café naïve résumé à Genève\n\n"
    "Le ministre a présenté son résumé naïf au café « Über » de Genève.\n\n"
    "Source URL:\n<https://www.mpt.gov.by/fr>\n"
)
LATIN_TITLE = "Café naïve résumé à Genève"


@pytest.fixture
def latin1_file(tmp_path: Path) -> Path:
    path = tmp_path / "cafe.txt"
    path.write_bytes(LATIN_RELEASE.encode("latin-1"))
    return path


@pytest.mark.django_db
def test_command_reads_a_latin1_file_in_the_encoding_given_without_a_warning(latin1_file):
    out, err = run(latin1_file, "--encoding", "latin-1")

    release = Release.objects.get()
    assert release.title == LATIN_TITLE
    assert "présenté son résumé naïf au café « Über »" in release.summary
    assert err == ""


@pytest.mark.django_db
def test_command_guesses_a_latin1_file_right_and_warns_that_it_guessed(latin1_file):
    out, err = run(latin1_file)

    release = Release.objects.get()
    assert release.title == LATIN_TITLE  # not "Cafй naпve rйsumй"
    assert err == (
        f"{latin1_file}: warning: not Unicode, read as Windows-1252 (Western European, "
        "Latin-1) (a guess); if the text reads wrong, give the file's encoding with --encoding\n"
    )
    assert out.startswith(f"{latin1_file}: {release.slug} (draft) {LATIN_TITLE}")


@pytest.mark.django_db
def test_command_warns_when_a_russian_single_byte_encoding_was_guessed(seed_file, tmp_path):
    path = tmp_path / "cp1251.txt"
    path.write_bytes(seed_file.read_text(encoding="utf-8").encode("cp1251"))

    out, err = run(path)

    assert Release.objects.get().title == SEED_TITLE
    assert err.startswith(f"{path}: warning: not Unicode, read as Windows-1251 (a guess); ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.django_db
def test_command_does_not_warn_about_unicode_it_recognises_for_certain(
    seed_file, tmp_path, encoding
):
    path = tmp_path / "unicode.txt"
    path.write_bytes(seed_file.read_text(encoding="utf-8").encode(encoding))

    out, err = run(path)

    assert Release.objects.get().title == SEED_TITLE
    assert err == ""


@pytest.mark.parametrize("name", ["klingon", "rot13", "base64", ""])
@pytest.mark.django_db
def test_command_refuses_an_encoding_that_is_not_one_before_importing_anything(seed_file, name):
    with pytest.raises(CommandError, match=rf"^--encoding: '{name}' is not a text encoding"):
        run(seed_file, "--encoding", name)

    assert not Release.objects.exists()


@pytest.mark.django_db
def test_command_reports_a_file_not_in_the_encoding_given_and_goes_on(
    seed_file, latin1_file, tmp_path
):
    cp1251 = tmp_path / "cp1251.txt"
    cp1251.write_bytes(seed_file.read_text(encoding="utf-8").encode("cp1251"))

    out, err, failure = run_failing(cp1251, latin1_file, "--encoding", "utf-8")

    assert not Release.objects.exists()
    first_cyrillic = cp1251.read_bytes().index("В".encode("cp1251"))
    assert err.splitlines() == [
        f"{cp1251}: is not utf-8 text: cannot read the byte at offset {first_cyrillic}",
        f"{latin1_file}: is not utf-8 text: cannot read the byte at offset 3",
    ]
    assert "2 of 2 files failed" in str(failure)


def test_a_wrong_single_byte_reading_that_mixes_scripts_in_words_is_implausible():
    latin = "Café naïve résumé: le ministre a présenté son rapport."
    assert plausibility(latin) > 1
    assert plausibility(latin.encode("cp1252").decode("cp1251")) < 1  # Cafй naпve rйsumй
    russian = "Министр провёл встречу с делегацией."
    assert plausibility(russian) > 1
    assert plausibility(russian.encode("cp1251").decode("cp1252")) < 1  # Ìèíèñòð


@pytest.mark.django_db
def test_jsonl_release_with_an_image_from_another_site_fails_the_file_naming_the_line(tmp_path):
    tracker = '<p>Текст</p><img src="https://tracker.example/p.gif">'
    path = write_jsonl(tmp_path / "img.jsonl", [GOOD, {"title": "T", "body": tracker}])

    out, err, failure = run_failing(path)

    assert err == (
        f"{path}:2: body: Images in the text must come from the image library; "
        "this one is on another site: https://tracker.example/p.gif\n"
    )
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_jsonl_release_with_an_image_from_the_library_is_stored(tmp_path):
    image = '<p><img src="/media/images/ab/photo.jpg" alt="Встреча"></p>'
    path = write_jsonl(tmp_path / "img.jsonl", [{"title": "T", "body": image}])

    import_jsonl_file(path)

    assert Release.objects.get().body == image
