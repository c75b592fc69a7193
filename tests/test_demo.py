from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from news.demo import load_catalogue, load_demo
from news.models import Delegation, Official, Organisation, Release
from news.typography import typeset_text

pytestmark = pytest.mark.django_db

SEED_URL = "https://www.mpt.gov.by/vizit-ministra-informacii-i-telekommunikaciy-respubliki-serbiya-v-belarus"


def test_demo_content_is_the_seed_release_with_all_it_mentions():
    call_command("load_demo", "--no-admin")

    release = Release.objects.published().get()
    assert (
        release.title == "Визит Министра информации и телекоммуникаций Республики Сербия в Беларусь"
    )
    assert (release.event_start, release.event_end) == (
        datetime.date(2024, 8, 28),
        datetime.date(2024, 8, 30),
    )
    assert release.primary_source.url == SEED_URL
    assert {o.full_name for o in release.officials.all()} == {"Константин Шульган", "Деян Ристич"}
    assert release.delegations.get().country.code == "RS"
    assert {c.code for c in release.countries.all()} == {"BY", "RS"}
    assert "Парк высоких технологий" in {o.name for o in release.organisations.all()}
    assert {"5G", "искусственный интеллект", "почтовая связь", "умные города"} <= set(
        release.tags.names()
    )


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", "--no-admin")
    call_command("load_demo", "--no-admin")
    assert Release.objects.count() == 1
    assert Official.objects.count() == 2
    assert Delegation.objects.count() == 1
    assert Organisation.objects.count() == 6


def test_demo_admin_account_is_made_once_with_a_password_shown_once(capsys, django_user_model):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "admin / " in first
    call_command("load_demo")
    assert "admin / " not in capsys.readouterr().out
    assert django_user_model.objects.filter(username="admin", is_superuser=True).count() == 1


def test_seed_release_page_shows_everything_a_reader_needs(client):
    call_command("load_demo", "--no-admin")
    release = Release.objects.get()

    listing = client.get(reverse("news:release-list")).text
    assert release.title in listing

    page = client.get(release.get_absolute_url()).text
    for paragraph in [
        "проходит визит Министра информации и телекоммуникаций Республики Сербия Деяна Ристича",
        "28 августа в Министерстве связи и информатизации Республики Беларусь",
        "30-летие установления дипломатических отношений",
        "Нас интересует опыт Сербии в сфере внедрения новых технологий",
        "Страны договорились подготовить к подписанию",
        "Индустриальном парке «Великий камень»",
    ]:
        # The page sets the text's typography: no-break spaces after numbers and short words.
        assert typeset_text(paragraph, "ru") in re.sub(r"<[^>]+>", "", page)
    assert "<p>—\u00a0Нас интересует опыт Сербии" in page  # direct speech opens with a dash
    assert "Константин Шульган" in page
    assert "Министр связи и информатизации Республики Беларусь" in page
    assert "Деян Ристич" in page
    assert "Министр информации и телекоммуникаций Республики Сербия" in page
    # "28 – 30 августа" as typed: an unspaced en dash, each number tied to its word.
    assert 'class="release__lead">28–30\u00a0августа 2024\u00a0г. проходит визит' in page
    assert "<dd>28–30\u00a0августа 2024\u00a0г.</dd>" in page
    assert "искусственный интеллект" in page
    assert f'href="{SEED_URL}"' in page


def test_importing_the_seed_links_what_it_mentions_with_no_manual_step(seed_file):
    load_catalogue()

    call_command("import_release", str(seed_file), "--publish")

    release = Release.objects.get()
    assert {o.full_name for o in release.officials.all()} == {"Константин Шульган", "Деян Ристич"}
    assert {o.slug for o in release.organisations.all()} == {
        "minsviazi",
        "ministerstvo-informatsii-i-telekommunikatsii-serbii",
        "minskaia-pochta",
        "park-vysokikh-tekhnologii",
        "velikii-kamen",
    }
    assert {c.code for c in release.countries.all()} == {"BY", "RS"}
    assert {
        "5G",
        "искусственный интеллект",
        "электронная коммерция",
        "электронное правительство",
        "умные города",
        "почтовая связь",
    } <= set(release.tags.names())


def test_demo_lead_image_is_an_illustration_stored_once_with_its_renditions():
    from django.core.files.storage import default_storage

    from news.demo.illustration import ALT, CREDIT, illustration_bytes
    from news.images import renditions
    from news.models import Image

    assert illustration_bytes() == illustration_bytes()  # same pixels, same sha256, every run
    call_command("load_demo", "--no-admin")
    call_command("load_demo", "--no-admin")

    image = Image.objects.get()
    assert Release.objects.get().lead_image == image
    assert (image.alt, image.credit) == (ALT, CREDIT)
    assert image.alt.startswith("Иллюстрация")
    assert image.caption and image.licence_label
    assert (image.width, image.height) == (3000, 2000)
    for rendition in renditions(image.file, width=image.width, height=image.height):
        assert default_storage.exists(rendition.name), rendition.name


def test_demo_lead_image_is_found_by_its_content_when_the_release_lost_it():
    from news.models import Image

    release = load_demo()
    first = release.lead_image
    Release.objects.filter(pk=release.pk).update(lead_image=None)

    assert load_demo().lead_image == first
    assert Image.objects.count() == 1


def test_seed_release_page_offers_the_lead_image_as_avif_and_webp_by_width(client):
    from html.parser import HTMLParser

    from news.images import rendition_widths

    release = load_demo()
    widths = rendition_widths(release.lead_image.width)

    class Pictures(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth, self.pictures = 0, []

        def handle_starttag(self, tag, attrs):
            if tag == "picture":
                self.depth += 1
                self.pictures.append([])
            elif self.depth and tag in ("source", "img"):
                self.pictures[-1].append((tag, dict(attrs)))

        def handle_endtag(self, tag):
            if tag == "picture":
                self.depth -= 1

    parser = Pictures()
    parser.feed(client.get(release.get_absolute_url()).text)
    [lead] = [p for p in parser.pictures if release.lead_image.file.rsplit("/", 1)[0] in str(p)]
    sources = {attrs["type"]: attrs for tag, attrs in lead if tag == "source"}
    [img] = [attrs for tag, attrs in lead if tag == "img"]

    assert list(sources) == ["image/avif", "image/webp"]
    for fmt, attrs in zip(["avif", "webp"], sources.values(), strict=True):
        candidates = [c.split() for c in attrs["srcset"].split(", ")]
        assert [c[1] for c in candidates] == [f"{w}w" for w in widths]
        urls = [url for url, _ in candidates]
        assert all(url.endswith(f"/{w}.{fmt}") for url, w in zip(urls, widths, strict=True))
        assert "100vw" in attrs["sizes"]
    assert img["sizes"] == sources["image/avif"]["sizes"]
    assert img["srcset"].endswith(f"{widths[-1]}w")
    assert (img["width"], img["height"]) == ("1920", "1280")
    assert img["alt"] == release.lead_image.alt
    assert img["fetchpriority"] == "high" and "loading" not in img
