from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from news.exporting import export_jsonl
from news.importing.jsonl import FIELDS
from news.models import (
    Appointment,
    Country,
    Delegation,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    State,
)
from news.synthetic import generate_records
from tests.factories import (
    AppointmentFactory,
    OfficialFactory,
    OrganisationFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
)

pytestmark = pytest.mark.django_db


def export() -> str:
    out = StringIO()
    call_command("export_releases", stdout=out, verbosity=0)
    return out.getvalue()


def empty_the_database() -> None:
    Delegation.objects.all().delete()
    Release.objects.all().delete()
    Appointment.objects.all().delete()
    Official.objects.all().delete()
    Organisation.objects.all().delete()
    Country.objects.all().delete()
    Tag.objects.all().delete()


def import_file(path: Path) -> None:
    call_command("import_release", str(path), stdout=StringIO(), verbosity=0)


@pytest.fixture
def newsroom():
    """Releases with everything the format carries, awkward text included, and hidden ones."""
    ministry = OrganisationFactory(name="Министерство  связи и информатизации")
    park = OrganisationFactory(name="Парк высоких технологий")
    shulgan = OfficialFactory(full_name="Константин Шульган")
    AppointmentFactory(official=shulgan, title="Министр связи и информатизации", start=None)
    guest = OfficialFactory(full_name="Деян Ристич")
    now = timezone.now()
    visit = PublishedReleaseFactory(
        title="Визит «Сербия & Беларусь» 😀",
        summary='Строка\u2028с разделителем, кавычки " и ]]> и \\ обратная черта.',
        body="<p>Стороны обсудили <strong>сотрудничество</strong>.</p><p>עברית</p>",
        language=Language.RU,
        kind=Kind.VISIT,
        published_at=now - datetime.timedelta(days=2),
        event_start=datetime.date(2024, 8, 28),
        event_end=datetime.date(2024, 8, 30),
        tags=["Сербия", "почта", "5G"],
    )
    visit.officials.add(shulgan, guest)
    visit.organisations.add(ministry, park)
    SourceURLFactory(release=visit, url="https://www.mpt.gov.by/news/1", title="Минсвязи")
    SourceURLFactory(release=visit, url="https://www.belta.by/x", title="БЕЛТА", is_primary=False)
    plain = PublishedReleaseFactory(
        title="Заявление",
        summary="",
        body="Текст без разметки & амперсанд",
        language=Language.BE,
        kind=Kind.STATEMENT,
        published_at=now - datetime.timedelta(days=1),
    )
    plain.officials.add(shulgan)
    PublishedReleaseFactory(
        title="Same minute", published_at=plain.published_at, language=Language.EN, body=""
    )
    ReleaseFactory(title="Черновик", tags=["секрет"])
    ReleaseFactory(
        title="Запланированный",
        state=State.PUBLISHED,
        published_at=now + datetime.timedelta(days=1),
    )
    ReleaseFactory(
        title="Отозванный", state=State.WITHDRAWN, published_at=now - datetime.timedelta(days=3)
    )


def test_export_writes_public_releases_oldest_first_in_the_import_format(newsroom):
    # Lines end at "\n" only: U+2028 inside a string is text, as the importer reads it.
    lines = [json.loads(line) for line in export().split("\n") if line]

    assert [line["title"] for line in lines] == [
        "Визит «Сербия & Беларусь» 😀",
        "Заявление",
        "Same minute",
    ]
    visit = lines[0]
    assert set(visit) <= FIELDS
    assert visit["tags"] == ["5G", "почта", "Сербия"]
    assert visit["sources"] == [
        {"url": "https://www.mpt.gov.by/news/1", "title": "Минсвязи"},
        {"url": "https://www.belta.by/x", "title": "БЕЛТА"},
    ]
    assert visit["officials"] == [
        {"name": "Деян Ристич", "position": ""},
        {"name": "Константин Шульган", "position": "Министр связи и информатизации"},
    ]
    assert visit["organisations"] == [
        "Министерство связи и информатизации",
        "Парк высоких технологий",
    ]
    assert (visit["event_start"], visit["event_end"]) == ("2024-08-28", "2024-08-30")
    assert visit["published_at"].endswith("+03:00")
    assert visit["kind"] == "visit" and visit["language"] == "ru"


def test_export_and_import_round_trip_gives_the_same_content(newsroom, tmp_path):
    first = tmp_path / "first.jsonl"
    call_command("export_releases", "--output", str(first), verbosity=0)

    empty_the_database()
    assert not Release.objects.exists()
    import_file(first)

    assert Release.objects.published().count() == 3
    assert export() == first.read_text(encoding="utf-8")


def test_round_trip_of_a_generated_newsroom(tmp_path):
    source = tmp_path / "generated.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in generate_records(150)),
        encoding="utf-8",
    )
    import_file(source)
    first = export()

    empty_the_database()
    again = tmp_path / "again.jsonl"
    again.write_text(first, encoding="utf-8")
    import_file(again)

    assert first.count("\n") == 150
    assert export() == first


def test_export_to_stdout_and_to_a_file_agree(newsroom, tmp_path):
    path = tmp_path / "out.jsonl"
    err = StringIO()

    call_command("export_releases", "-o", str(path), stderr=err)

    assert path.read_text(encoding="utf-8") == export()
    assert "3 releases written" in err.getvalue()


def test_export_of_an_empty_site_is_empty():
    assert export() == ""


def test_export_leaves_out_drafts_scheduled_and_withdrawn(newsroom):
    text = export()

    for hidden in ["Черновик", "Запланированный", "Отозванный", "секрет"]:
        assert hidden not in text


def test_export_costs_the_same_queries_however_many_releases():
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_jsonl(StringIO())
        return len(captured)

    official = OfficialFactory()
    AppointmentFactory(official=official)
    for release in PublishedReleaseFactory.create_batch(3, tags=["а"]):
        release.officials.add(official)
    few = queries()
    for release in PublishedReleaseFactory.create_batch(20, tags=["б", "в"]):
        release.officials.add(official)

    assert queries() == few <= 6
