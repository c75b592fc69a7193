from __future__ import annotations

import datetime
import difflib
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from news.exporting import export_jsonl
from news.importing.records import FIELDS, STAYS_BEHIND
from news.models import (
    Appointment,
    Contact,
    Country,
    Delegation,
    Image,
    Kind,
    Language,
    Official,
    Organisation,
    Release,
    State,
)
from news.revisions import FIELD_NAMES
from news.slugs import latin_slug
from news.synthetic import generate_records
from tests.factories import (
    AppointmentFactory,
    ContactFactory,
    CountryFactory,
    DelegationFactory,
    ImageFactory,
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
        {"url": "https://www.mpt.gov.by/news/1", "title": "Минсвязи", "publisher": ""},
        {"url": "https://www.belta.by/x", "title": "БЕЛТА", "publisher": ""},
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

    assert queries() == few <= 9


# Export into an empty database: the same releases, ids, feed items and pages


@pytest.fixture
def catalogued_newsroom():
    """Releases using every field the format carries: place, contact, countries, a visit, a
    lead image, a translation, a slug not made from the title."""
    serbia, belarus = CountryFactory(code="RS"), CountryFactory(code="BY")
    visit = DelegationFactory(
        title="Визит делегации Сербии", slug="vizit-serbii", country=serbia, purpose="Связь"
    )
    shulgan = OfficialFactory(
        full_name="Константин Шульган", slug=latin_slug("Константин Шульган", 192)
    )
    AppointmentFactory(official=shulgan, title="Министр связи и информатизации", start=None)
    park = OrganisationFactory(
        name="Парк высоких технологий", slug=latin_slug("Парк высоких технологий", 192)
    )
    now = timezone.now()
    russian = PublishedReleaseFactory(
        title="Визит сербской делегации",
        slug="serbiia-vizit-2024",
        kind=Kind.VISIT,
        place="Минск, ул. Кальварийская, 7",
        contact=ContactFactory(),
        lead_image=ImageFactory(alt="Министры на встрече"),
        event_start=datetime.date(2024, 8, 28),
        event_end=datetime.date(2024, 8, 30),
        published_at=now - datetime.timedelta(days=3),
        tags=["Сербия", "связь"],
    )
    russian.countries.add(serbia, belarus)
    russian.delegations.add(visit)
    russian.officials.add(shulgan)
    russian.organisations.add(park)
    SourceURLFactory(release=russian, url="https://www.mpt.gov.by/news/1", title="Минсвязи")
    english = PublishedReleaseFactory(
        title="Serbian delegation visits Minsk",
        language=Language.EN,
        translation_key=russian.translation_key,
        published_at=now - datetime.timedelta(days=2),
    )
    english.delegations.add(visit)
    PublishedReleaseFactory(
        title="Заява", language=Language.BE, published_at=now - datetime.timedelta(days=1)
    )
    return russian, english


def _page(client, url: str) -> str:
    caches["default"].clear()
    response = client.get(url)
    assert response.status_code == 200
    # What differs between any two responses: the CSP nonce and the CSRF token; and the time
    # the row was last written (updated_at), which a new row cannot keep.
    text = response.content.decode()
    text = re.sub(r'(nonce|csrfmiddlewaretoken" value)="[^"]*"', r'\1=""', text)
    text = re.sub(r"<(atom:)?updated>[^<]*</(atom:)?updated>", "<updated/>", text)
    text = re.sub(r"<lastBuildDate>[^<]*</lastBuildDate>", "", text)
    return re.sub(r'(modified_time" content=|"dateModified": )"[^"]*"', r"\1", text)


def _site(client) -> dict[str, str]:
    urls = [reverse("news:feed-rss"), reverse("news:feed-atom")]
    urls += [release.get_absolute_url() for release in Release.objects.published()]
    return {url: _page(client, url) for url in urls}


def test_export_imported_into_an_empty_database_gives_the_same_site(catalogued_newsroom, client):
    russian, english = catalogued_newsroom
    before = _site(client)
    exported = export()

    for model in [Release, Delegation, Appointment, Official, Organisation, Country, Tag,
                  Contact, Image]:  # fmt: skip
        model.objects.all().delete()
    path = Path(settings.MEDIA_ROOT).parent / "export.jsonl"
    path.write_text(exported, encoding="utf-8")
    import_file(path)

    assert set(Release.objects.values_list("uid", flat=True)) == {
        russian.uid,
        english.uid,
        Release.objects.get(language=Language.BE).uid,
    }
    assert f">{russian.guid}</guid>" in before[reverse("news:feed-rss")]
    after = _site(client)
    for url, page in before.items():
        changed = difflib.unified_diff(page.splitlines(), after[url].splitlines(), lineterm="")
        assert page == after[url], f"{url} changed:\n" + "\n".join(list(changed)[:40])
    assert Release.objects.get(uid=english.uid).translations().get().uid == russian.uid
    assert export() == exported


def test_every_field_of_a_version_but_gallery_and_documents_is_in_an_exported_line(
    catalogued_newsroom,
):
    line = json.loads(export().split("\n")[0])

    assert set(FIELD_NAMES) - STAYS_BEHIND <= set(line) <= FIELDS
    assert STAYS_BEHIND == {"gallery_items", "attachments"}
    assert line["uuid"] == str(catalogued_newsroom[0].uid)
    assert line["slug"] == "serbiia-vizit-2024"
    assert line["countries"] == ["BY", "RS"]
    assert line["delegations"][0]["slug"] == "vizit-serbii"
    assert line["lead_image"]["alt"] == "Министры на встрече"
