"""Names of people, organisations and visits in the reader's language.

Editors may give each name in Belarusian and English (the `<field>_be`, `<field>_en` fields).
Where they have not: a person's name in English is transliterated (from the Belarusian name by
the Belarusian national Latin romanisation, else from the Russian by the passport (ICAO Doc 9303)
table); anything else, and any name in Belarusian, stays as written in Russian, marked so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.html import format_html

# Which field of which model holds a person's name: those alone are transliterated.
PERSON_FIELDS = {("official", "full_name")}
# The field read when a template names a model's instance without saying which.
NAME_FIELDS = {
    "official": "full_name",
    "appointment": "title",
    "organisation": "name",
    "delegation": "title",
}

ICAO = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia".split(),
        strict=True,
    )
)
ICAO["ь"] = ""
ICAO["ъ"] = "ie"

_BE_PLAIN = dict(
    zip(
        "абвгґджзійклмнопрстуўфхцчшыэ",
        "a b v h g d ž z i j k l m n o p r s t u ŭ f ch c č š y e".split(),
        strict=True,
    )
)
# е ё ю я: j… at a word's start and after a vowel, apostrophe, ь or ў; i… after a consonant.
_BE_IOTATED = {"е": "e", "ё": "o", "ю": "u", "я": "a"}
# ь softens the consonant before it: зь → ź.
_BE_SOFT = {"з": "ź", "л": "ĺ", "н": "ń", "с": "ś", "ц": "ć"}
_BE_J_AFTER = set("аеёіоуыэюяўь'’ʼ")


@dataclass(frozen=True)
class Name:
    """A name as shown, and the language it is written in."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text

    def in_page(self, page_language: str) -> str:
        """The name as HTML, marked with lang where it differs from the page's."""
        if self.language == page_language:
            return format_html("{}", self.text)
        return format_html('<span lang="{}">{}</span>', self.language, self.text)


def transliterate_ru(text: str) -> str:
    """Russian to Latin by the passport table (ICAO Doc 9303): Шульган → Shulgan."""
    return _transliterate(text, lambda lower, _before, _after: ICAO.get(lower))


def transliterate_be(text: str) -> str:
    """Belarusian to Latin by the national romanisation: Шульган → Šulhan."""

    def letter(lower: str, before: str, after: str) -> str | None:
        if lower in _BE_IOTATED:
            after_consonant = before.isalpha() and before not in _BE_J_AFTER
            return ("i" if after_consonant else "j") + _BE_IOTATED[lower]
        if lower in ("ь", "'", "’", "ʼ"):
            return ""
        if after == "ь" and lower in _BE_SOFT:
            return _BE_SOFT[lower]
        return _BE_PLAIN.get(lower)

    return _transliterate(text, letter)


def _transliterate(text: str, letter: Callable[[str, str, str], str | None]) -> str:
    """Each letter by letter(itself, the one before, the one after; all lower case)."""
    lower = text.lower()
    out = []
    for index, char in enumerate(text):
        before = lower[index - 1] if index else ""
        after = lower[index + 1] if index + 1 < len(text) else ""
        latin = letter(lower[index], before, after)
        if latin is None:
            out.append(char)
        elif char.isupper() and (after.isalpha() and text[index + 1].isupper()):
            out.append(latin.upper())  # ШУЛЬГАН stays in capitals
        elif char.isupper():
            out.append(latin.capitalize())
        else:
            out.append(latin)
    return "".join(out)


def name_for(obj: Any, language: str, field: str | None = None) -> Name:
    """obj's name (field, or its model's name field) in language, or its fallback, marked."""
    model = obj._meta.model_name
    field = field or NAME_FIELDS.get(model, "name")
    russian = str(getattr(obj, field) or "")
    # A topic is taggit's tag: its other names are beside it, in TopicTranslation.
    holder = getattr(obj, "translation", None) if model in ("tag", "topic") else obj
    if not hasattr(holder, f"{field}_en"):
        return Name(russian, language if holder is obj else settings.LANGUAGE_CODE)
    if language == settings.LANGUAGE_CODE:
        return Name(russian, language)
    given = getattr(holder, f"{field}_{language}", "")
    if given:
        return Name(given, language)
    if language == "en" and (model, field) in PERSON_FIELDS and russian:
        belarusian = getattr(obj, f"{field}_be", "")
        if belarusian:
            return Name(transliterate_be(belarusian), "en")
        return Name(transliterate_ru(russian), "en")
    return Name(russian, settings.LANGUAGE_CODE)


_CYRILLIC = re.compile("[а-яёіў]", re.IGNORECASE)
# Letters one of the two languages has and the other has not.
_RUSSIAN_ONLY = re.compile("[ищъ]", re.IGNORECASE)
_BELARUSIAN_ONLY = re.compile("[іў]", re.IGNORECASE)


def typed_name(text: str, page_language: str) -> Name:
    """A name typed as it is (a release's place): Cyrillic on an English page is Russian, and
    so is Cyrillic on a Belarusian page with a letter only Russian has ("Минск", not "Мінск")."""
    if page_language == "en" and _CYRILLIC.search(text):
        return Name(text, settings.LANGUAGE_CODE)
    if page_language == "be" and _RUSSIAN_ONLY.search(text) and not _BELARUSIAN_ONLY.search(text):
        return Name(text, settings.LANGUAGE_CODE)
    return Name(text, page_language)


def place_name(place: str, organisation: Any, language: str) -> Name:
    """Where a programme item is: the organisation's name in language when the place is its
    name or short name as written in Russian (drafts copy it), else the place as typed."""
    if organisation is None or place not in ("", organisation.short_name, organisation.name):
        return typed_name(place, language)
    fields = ["short_name", "name"] if place and place == organisation.short_name else ["name"]
    names = [name_for(organisation, language, field) for field in fields]
    return next((name for name in names if name.language == language), names[0])
