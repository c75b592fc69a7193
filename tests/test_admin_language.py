"""The admin in Russian and Belarusian: no English left, names in the right case and number."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, translation

from ministry.admin_names import ACCUSATIVE
from news.models import AuditEntry
from tests.admin_forms import change_page_data
from tests.factories import (
    ImageFactory,
    PublishedReleaseFactory,
    ReleaseFactory,
    SourceURLFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Latin words a Russian or Belarusian page may hold: formats and standards named in help texts,
# the licences' own names, and the keys Django's multiple-select hint names.
ALLOWED = {"HTML", "URL", "JPEG", "PNG", "WebP", "GIF", "AVIF", "CC", "BY", "SA"}
ALLOWED |= {"Control", "Command", "Mac"}
# A Latin word standing alone: not part of an address, a slug, a file name or an identifier.
LATIN_WORD = re.compile(r"(?<![\w/.@:-])[A-Za-z]{2,}(?![\w/.@:-])")

BAD_PHRASES = {
    "ru": [
        "публикация для изменения",
        "Добавить публикация",
        "Изменить публикация",
        "был изменен",
        "объект типа",
        "добавить другой объект",
        "и и нажмите",
    ],
    "be": ["Дадаць публікацыя", "Змяніць публікацыя", "абраныя выява", "яшчэ выява"],
}
# A month in the nominative after a day number: "3 Декабрь", "3 Снежань".
NOMINATIVE_MONTH_AFTER_DAY = re.compile(
    r"\d (Январь|Февраль|Март|Апрель|Май|Июнь|Июль|Август|Сентябрь|Октябрь|Ноябрь|Декабрь"
    r"|Студзень|Люты|Сакавік|Красавік|Травень|Чэрвень|Ліпень|Жнівень|Верасень|Кастрычнік"
    r"|Лістапад|Снежань)",
    re.IGNORECASE,
)
# A count with a name that does not agree with it: "4 журнал действий".
COUNT_WITH_A_COLLECTIVE_NAME = re.compile(r"\d+ (журнал|журнала)")


class _VisibleText(HTMLParser):
    """What a reader sees or hears: text, button labels and labelling attributes; not scripts,
    hidden rows, what is typed in a text box, or what is marked as in another language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    SILENT = {"script", "style", "template", "noscript", "textarea"}

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    @property
    def silent(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        silent = (
            self.silent
            or tag in self.SILENT
            or "hidden" in values
            or "hidden" in values.get("class", "").split()
            or values.get("lang", self.language).split("-")[0] != self.language
        )
        if not silent:
            for name in ("title", "placeholder", "aria-label", "alt"):
                if values.get(name):
                    self.parts.append(values[name])
            if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
                self.parts.append(values.get("value", ""))
        if tag not in self.VOID:
            self.stack.append((tag, silent))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.silent and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, language: str) -> str:
    parser = _VisibleText(language)
    parser.feed(html)
    return "\n".join(parser.parts)


def english_words(text: str) -> list[str]:
    return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED]


@pytest.fixture
def newsroom():
    """A day's material, named in Belarusian so that it is neither English nor Russian."""
    release = PublishedReleaseFactory(
        title="Візіт дэлегацыі Сербіі",
        slug="vizit-2024",
        summary="Адбыліся перамовы.",
        published_at=datetime.datetime(2024, 12, 3, 11, 0, tzinfo=datetime.UTC),
    )
    SourceURLFactory(release=release, title="Міністэрства сувязі")
    release.tags.add("сувязь")
    ReleaseFactory(title="Перамовы ў Мінску", slug="peramovy-2024", summary="Чарнавік.")
    ImageFactory(alt="Міністр на сустрэчы", caption="Перамовы ў Мінску", credit="Прэс-служба")
    for day in (2, 3, 3, 3):
        AuditEntry.objects.create(
            release=release,
            action="publish",
            created_at=datetime.datetime(2024, 12, day, 9, 0, tzinfo=datetime.UTC),
        )
    return release


def admin_pages(release) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:news_release_changelist"),
        reverse("admin:news_release_add"),
        reverse("admin:news_release_change", args=[release.pk]),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:taggit_tag_change", args=[release.tags.get().pk]),
        reverse("admin:news_image_changelist"),
        reverse("admin:news_image_add"),
        reverse("admin:news_auditentry_changelist"),
        reverse("admin:news_auditentry_changelist") + "?created_at__year=2024&created_at__month=12",
    ]


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="рэдактар", roles=["Editor"]))
    return client


@pytest.mark.parametrize("language", ["ru", "be"])
def test_an_editors_admin_pages_hold_no_english_word(editor_client, newsroom, language):
    editor_client.cookies["django_language"] = language

    for url in admin_pages(newsroom):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language, url
        text = visible_text(response.content.decode(), language)
        assert english_words(text) == [], url


@pytest.mark.parametrize("language", ["ru", "be"])
def test_an_editors_admin_pages_hold_no_known_bad_phrase(editor_client, newsroom, language):
    editor_client.cookies["django_language"] = language

    for url in admin_pages(newsroom):
        text = visible_text(editor_client.get(url).content.decode(), language)
        for phrase in BAD_PHRASES[language]:
            assert phrase not in text, (url, phrase)
        assert not NOMINATIVE_MONTH_AFTER_DAY.search(text), url
        assert not COUNT_WITH_A_COLLECTIVE_NAME.search(text), url


def test_the_belarusian_admin_has_no_russian_left(editor_client, newsroom):
    editor_client.cookies["django_language"] = "be"

    for url in admin_pages(newsroom):
        text = visible_text(editor_client.get(url).content.decode(), "be")
        # Letters Belarusian does not have: a Russian string that fell through.
        assert re.findall(r"\w*[ИиЩщЪъ]\w*", text) == [], url
        # The official spelling, not the classical one of Django's catalogue ("Выйсьці").
        assert re.findall(r"\w*(?:[зсц]ь[бвгдзклмнпстфхцчшў]|ньн)\w*", text) == [], url


@pytest.mark.parametrize(
    ("language", "title", "button", "count"),
    [
        ("ru", "Публикации", "Добавить публикацию", "2 результата"),
        ("be", "Публікацыі", "Дадаць публікацыю", "2 вынікі"),
    ],
)
def test_the_release_list_is_titled_and_counted_in_the_right_forms(
    editor_client, newsroom, language, title, button, count
):
    editor_client.cookies["django_language"] = language

    text = visible_text(
        editor_client.get(reverse("admin:news_release_changelist")).content.decode(), language
    )

    assert f"\n{title}\n{button}\n" in text
    assert count in text


def test_forms_say_add_and_change_with_the_name_in_the_accusative(editor_client, newsroom):
    add = editor_client.get(reverse("admin:news_release_add")).content.decode()
    change = editor_client.get(
        reverse("admin:news_release_change", args=[newsroom.pk])
    ).content.decode()
    image = editor_client.get(reverse("admin:news_image_add")).content.decode()

    assert "<h1>Добавить публикацию</h1>" in add
    assert '<li aria-current="page">Добавить публикацию</li>' in add
    assert "<h1>Изменить публикацию</h1>" in change
    assert "<h1>Добавить изображение</h1>" in image
    assert 'value="Сохранить и добавить ещё"' in add


def test_saving_a_release_says_so_whatever_the_gender_of_its_name(editor_client, newsroom):
    url = reverse("admin:news_release_change", args=[newsroom.pk])
    data = change_page_data(editor_client.get(url))

    response = editor_client.post(url, {**data, "_continue": "1"}, follow=True)

    messages = [re.sub(r"<[^>]+>", "", str(message)) for message in response.context["messages"]]
    saved = "Сохранено: публикация «Візіт дэлегацыі Сербіі». Ниже можно продолжить правку."
    assert saved in messages


@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", ["3 декабря", "4 результата"]), ("be", ["3 снежня", "4 вынікі"])],
)
def test_the_audit_log_drills_down_to_days_in_the_genitive(
    editor_client, newsroom, language, words
):
    editor_client.cookies["django_language"] = language

    text = visible_text(
        editor_client.get(
            reverse("admin:news_auditentry_changelist"),
            {"created_at__year": 2024, "created_at__month": 12},
        ).content.decode(),
        language,
    )

    for word in words:
        assert word in text


def test_belarusian_dates_have_formats_of_their_own():
    with translation.override("be"):
        assert formats.date_format(datetime.date(2024, 12, 3)) == "3 снежня 2024 г."
        assert formats.date_format(datetime.date(2024, 12, 3), "MONTH_DAY_FORMAT") == "3 снежня"


def test_every_model_in_the_admin_has_its_accusative():
    assert {model._meta.label_lower for model in admin.site._registry} <= set(ACCUSATIVE)


@pytest.mark.parametrize("language", ["ru", "be"])
def test_the_editor_chooses_the_admins_language_and_the_readers_pages_keep_theirs(
    editor_client, language
):
    response = editor_client.post(
        reverse("set_language"), {"language": language, "next": reverse("admin:index")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert editor_client.get(reverse("admin:index"))["Content-Language"] == language
    assert editor_client.get("/")["Content-Language"] == "ru"


def test_the_admin_is_russian_whatever_the_browser_asks(editor_client):
    response = editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en")

    assert response["Content-Language"] == "ru"


@pytest.mark.parametrize(("language", "word"), [("ru", "Рисунки SVG"), ("be", "Малюнкі SVG")])
def test_an_svg_upload_is_refused_in_the_admins_language(editor_client, language, word):
    editor_client.cookies["django_language"] = language
    url = reverse("admin:news_image_add")
    token = editor_client.get(url).context["adminform"].form["lock_token"].value()
    drawing = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    response = editor_client.post(
        url,
        {
            "upload": SimpleUploadedFile("map.svg", drawing, content_type="image/svg+xml"),
            "alt": "Карта",
            "caption": "",
            "credit": "Прэс-служба",
            "licence": "cc_by",
            "licence_text": "",
            "lock_token": token or "",
        },
    )

    errors = " ".join(response.context["adminform"].form.errors["upload"])
    assert word in errors
    assert english_words(errors.replace("SVG", "").replace("XML", "")) == []
