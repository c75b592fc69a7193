"""The release body's rich-text editor, and what becomes of HTML pasted from Word."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import feedparser
import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from news.admin.release_forms import ReleaseAdminForm
from news.admin.widgets import BODY_EXTENSIONS, ReleaseBodyWidget
from news.html import ALLOWED_TAGS, external_images, sanitize
from news.models import Release
from tests.factories import PublishedReleaseFactory, ReleaseFactory

# What Word puts on the clipboard (trimmed): its styles, its XML, its namespaces and its spans.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=Generator content="Microsoft Word 15">
<style><!-- p.MsoNormal {margin:0cm; font-family:"Calibri",sans-serif;} --></style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings>
</xml><![endif]--></head>
<body lang=RU style='tab-interval:35.4pt'>
<!--StartFragment-->
<p class=MsoNormal style='margin-bottom:0cm;line-height:normal'><b
style='mso-bidi-font-weight:normal'><span lang=RU style='font-size:14.0pt;font-family:
"Times New Roman",serif;mso-fareast-language:RU'>Министр провёл встречу</span></b><span
lang=RU style='font-size:14.0pt'><o:p></o:p></span></p>
<p class=MsoNormal><span lang=RU style='font-size:14.0pt'>Стороны обсудили
<i style='mso-bidi-font-style:normal'>сотрудничество</i> в области связи.<o:p></o:p></span></p>
<p class=MsoNormal><font face="Arial" color="#ff0000" size=4>Красный шрифт</font></p>
<ul style='margin-top:0cm' type=disc>
 <li class=MsoNormal style='mso-list:l0 level1 lfo1'><span
 lang=RU>Первый пункт<o:p></o:p></span></li>
 <li class=MsoNormal style='mso-list:l0 level1 lfo1'><span
 lang=RU>Второй пункт<o:p></o:p></span></li>
</ul>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=319 valign=top style='width:239.25pt;border:solid windowtext 1.0pt'>
  <p class=MsoNormal><b>Показатель</b><o:p></o:p></p></td>
  <td width=319 valign=top style='width:239.25pt'><p class=MsoNormal>Значение<o:p></o:p></p></td>
 </tr>
</table>
<p class=MsoNormal><![if !supportLists]><span style='font-family:Symbol'>·</span><![endif]>Ещё
<a href="https://mpt.gov.by/" target="_blank" style='color:blue'>ссылка</a></p>
<!--EndFragment-->
</body></html>"""


def tags_in(html: str) -> set[str]:
    return {name.lower() for name in re.findall(r"<([a-zA-Z][\w:]*)", html)}


def test_the_release_form_edits_the_body_with_the_rich_text_editor():
    widget = ReleaseAdminForm().fields["body"].widget
    assert isinstance(widget, ReleaseBodyWidget)
    # The summary stays plain text.
    assert not isinstance(ReleaseAdminForm().fields["summary"].widget, ReleaseBodyWidget)


def test_the_toolbar_offers_only_what_the_server_keeps():
    extensions = {name: on for name, on in BODY_EXTENSIONS.items() if name != "NoInlineStyles"}
    offered = allowlist_from_extensions(extensions)["tags"]
    assert offered <= ALLOWED_TAGS, offered - ALLOWED_TAGS
    assert {"h2", "h3", "h4", "strong", "em", "u", "s", "sub", "sup"} <= offered
    assert {"ul", "ol", "li", "a", "blockquote", "table", "td", "th", "hr"} <= offered
    assert not {"h1", "h5", "img", "code", "pre", "span"} & offered


def test_the_change_page_loads_the_editor_from_the_sites_own_static_files(client, superuser):
    client.force_login(superuser)
    release = ReleaseFactory()
    response = client.get(reverse("admin:news_release_change", args=[release.pk]))
    html = response.content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert "/static/js/prose-editor-csp.js" in html
    assert "/static/css/prose-editor-base.css" in html
    # The import map is an inline script: it carries the request's nonce, like every other one.
    importmap = re.search(r"<script[^>]*type=\"importmap\"[^>]*>", html)
    assert importmap and 'nonce="' in importmap.group(0)
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    sources = re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"", html)
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources


def test_word_junk_is_dropped_and_its_structure_kept():
    body = sanitize(WORD_HTML)
    assert tags_in(body) <= {"p", "b", "i", "ul", "li", "table", "tbody", "tr", "td", "a"}
    assert "<p><b>Министр провёл встречу</b></p>" in body
    assert "<i>сотрудничество</i>" in body
    assert re.search(r"<ul>\s*<li>Первый пункт</li>\s*<li>Второй пункт</li>\s*</ul>", body)
    assert re.search(
        r"<table>.*<td>\s*<p><b>Показатель</b></p></td>.*Значение.*</table>", body, re.S
    )
    assert "<p>Красный шрифт</p>" in body
    assert '<a href="https://mpt.gov.by/" rel="noopener noreferrer">ссылка</a>' in body
    for junk in [
        "Mso",
        "mso-",
        "style",
        "class=",
        "lang=",
        "<o:p",
        "o:p>",
        "<font",
        "<span",
        "<!--",
        "[if",
        "endif",
        "<xml",
        "OfficeDocumentSettings",
        "Calibri",
        "Generator",
        "width=",
        "border=",
        "target=",
    ]:
        assert junk not in body, junk


@pytest.mark.django_db
def test_word_html_posted_through_the_admin_form_is_stored_clean(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:news_release_add"),
        {
            "title": "Встреча",
            "kind": "press_release",
            "language": "ru",
            "summary": "Лид",
            "body": WORD_HTML,
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    body = Release.objects.get().body
    assert body == sanitize(WORD_HTML)
    assert "<ul>" in body and "<table>" in body and "<b>" in body
    assert "Mso" not in body and "style" not in body


# Images from other sites: refused when saved, dropped from what was stored before

TRACKER = "https://tracker.example/pixel.gif?reader=1"
LOCAL_IMAGE = '<img src="/media/images/ab/photo.jpg" alt="Встреча">'


@pytest.mark.parametrize(
    "src",
    [
        TRACKER,
        "http://tracker.example/p.gif",
        "//tracker.example/p.gif",
        "/\\tracker.example/p.gif",
        " https://tracker.example/p.gif",
        "ht&#x09;tps://tracker.example/p.gif",
        "http://127.0.0.1:8000/admin/p.gif",  # this site, but not its media or static files
    ],
)
def test_sanitize_drops_images_from_other_sites(src):
    body = f'<p>Текст</p><figure><img src="{src}" alt="x"><figcaption>Подпись</figcaption></figure>'

    assert sanitize(body) == "<p>Текст</p><figure><figcaption>Подпись</figcaption></figure>"
    assert external_images(body)


@pytest.mark.parametrize(
    "src",
    [
        "/media/images/ab/photo.jpg",
        "/static/img/logo.png",
        "images/photo.jpg",
        "http://127.0.0.1:8000/media/images/ab/photo.jpg",  # SITE_URL + MEDIA_URL
    ],
)
def test_sanitize_keeps_images_of_this_site(src):
    body = f'<p><img src="{src}" alt="Встреча"></p>'

    assert sanitize(body) == body
    assert external_images(body) == []


def test_images_on_a_media_host_of_its_own_are_local(settings):
    settings.MEDIA_URL = "https://media.mpt.gov.by/uploads/"
    assert sanitize('<img src="https://media.mpt.gov.by/uploads/a.jpg">')
    assert not sanitize('<img src="https://media.mpt.gov.by.evil.example/uploads/a.jpg">')
    assert not sanitize('<img src="https://media.mpt.gov.by/other/a.jpg">')


def author_form(**changes) -> dict:
    data = {
        "title": "Встреча",
        "kind": "press_release",
        "language": "ru",
        "summary": "Лид",
        "body": "<p>Текст</p>",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_author_cannot_save_a_body_with_an_image_from_another_site(client, author):
    client.force_login(author)

    response = client.post(
        reverse("admin:news_release_add"),
        author_form(body=f'<p>Текст</p><img src="{TRACKER}">'),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "Изображения в тексте должны быть из библиотеки изображений; это изображение находится "
        "на другом сайте: " + TRACKER
    ]
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_author_saves_a_body_with_an_image_from_the_library(client, author):
    client.force_login(author)

    response = client.post(
        reverse("admin:news_release_add"), author_form(body=f"<p>Текст</p>{LOCAL_IMAGE}")
    )

    assert response.status_code == 302
    assert LOCAL_IMAGE in Release.objects.get().body


@pytest.fixture
def stored_with_a_tracker():
    """A release saved before images from other sites were refused."""
    release = PublishedReleaseFactory(slug="old")
    body = f'<p>Текст</p><p><img src="{TRACKER}" alt="x"></p><p>{LOCAL_IMAGE}</p>'
    Release.objects.filter(pk=release.pk).update(body=body)
    return release


@pytest.mark.django_db
@pytest.mark.parametrize("feed", ["news:feed-rss", "news:feed-atom"])
def test_an_image_from_another_site_stored_before_is_not_in_the_feeds(
    client, stored_with_a_tracker, feed
):
    response = client.get(reverse(feed))

    (entry,) = feedparser.parse(response.content).entries
    assert "tracker.example" not in response.content.decode()
    assert entry.content[0].value.startswith("<p>Текст</p><p></p><p><img ")
    assert 'src="/media/images/ab/photo.jpg"' in entry.content[0].value


@pytest.mark.django_db
def test_an_image_from_another_site_stored_before_is_not_in_the_api(client, stored_with_a_tracker):
    body = client.get("/api/v1/releases/old").json()["body"]

    assert body == f"<p>Текст</p><p></p><p>{LOCAL_IMAGE}</p>"


@pytest.mark.django_db
def test_the_migration_cleans_bodies_stored_before_so_the_page_shows_no_outside_image(
    client, stored_with_a_tracker
):
    migration = importlib.import_module("news.migrations.0014_resanitize_bodies")
    schema_editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))

    migration.resanitize(django_apps, schema_editor)

    page = client.get(stored_with_a_tracker.get_absolute_url()).content.decode()
    assert "tracker.example" not in page
    assert 'src="/media/images/ab/photo.jpg"' in page
