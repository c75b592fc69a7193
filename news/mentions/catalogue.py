"""The index recognition matches against: every known entity's names as lemma sequences.

Built from the database in four queries (officials, organisations with their countries,
countries, tags); build one with Catalogue.load() and pass it to find_mentions() to recognise
many texts against the same catalogue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pycountry
from django.db import models
from taggit.models import Tag

from news.mentions import countries as country_words
from news.mentions.language import (
    is_feminine_first_name,
    lemmas,
    looks_like_patronymic,
    name_forms,
    normalise,
    tokenise,
)
from news.mentions.report import EntityType
from news.models import Country, Official, Organisation
from news.models.countries import country_name
from news.names import name_for

FUNCTION_WORDS = frozenset(
    {"и", "в", "во", "на", "по", "для", "с", "со", "при", "о", "об", "из", "к", "от", "до"}
)
QUOTED_RE = re.compile(r"[«\"„“]([^»\"“”]+)[»\"“”]")
# An organisation named "Министерство X" is also named by the position "Министр X".
POSITION_OF_HEAD = {"министерство": "министр"}


@dataclass(frozen=True)
class Phrase:
    """A way of naming entities: lemma sets word by word, and when it may match."""

    words: tuple[frozenset[str], ...]
    type: EntityType
    keys: frozenset  # primary keys (ISO codes for countries) of the entities it names
    via: str
    capitalised: bool = False  # the first word must start with a capital in the text
    exact: str = ""  # the text must read exactly this (acronyms)
    # The organisation's own country, when its name was cut before "Республики X":
    # the phrase does not match when another country follows it in the text.
    own_country: str | None = None
    # Punctuation the text must have before each word, when the name has some (a comma).
    gaps: tuple[str, ...] = ()


@dataclass
class Catalogue:
    language: str
    officials: dict[int, Official] = field(default_factory=dict)
    organisations: dict[int, Organisation] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    tags: dict[int, Tag] = field(default_factory=dict)
    phrases: dict[str, list[Phrase]] = field(default_factory=lambda: defaultdict(list))
    # Lowercase word form -> {(official pk, "first" | "patronymic" | "surname")}.
    name_forms: dict[str, set[tuple[int, str]]] = field(default_factory=lambda: defaultdict(set))
    first_initials: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, language: str = "ru") -> Catalogue:
        catalogue = cls(language=language)
        for official in Official.objects.only(
            "pk", "full_name", "full_name_be", "full_name_en", "slug"
        ):
            catalogue.add_official(official)
        for country in Country.objects.all():
            catalogue.add_country(country)
        for organisation in Organisation.objects.select_related("country"):
            catalogue.add_organisation(organisation)
        for tag in Tag.objects.all():
            catalogue.add_tag(tag)
        return catalogue

    def entity(self, type: EntityType, key) -> models.Model:
        return {
            EntityType.OFFICIAL: self.officials,
            EntityType.ORGANISATION: self.organisations,
            EntityType.COUNTRY: self.countries,
            EntityType.TOPIC: self.tags,
        }[type][key]

    def add_phrase(self, phrase: Phrase) -> None:
        if not phrase.words:
            return
        if phrase.exact:
            self.phrases[phrase.exact].append(phrase)
            return
        for lemma in phrase.words[0]:
            self.phrases[lemma].append(phrase)

    def words_of(self, text: str) -> tuple[frozenset[str], ...]:
        return tuple(token.lemmas for token in tokenise(text, self.language))

    def gaps_of(self, text: str) -> tuple[str, ...]:
        gaps = tuple(token.between for token in tokenise(text, self.language))
        return ("", *gaps[1:]) if any(gaps[1:]) else ()

    # Officials -----------------------------------------------------------------------------

    def add_official(self, official: Official) -> None:
        # A Belarusian or English text names them in its language (news.names).
        full_name = name_for(official, self.language).text
        parts = [p for p in re.split(r"\s+", full_name.strip()) if p]
        if not parts:
            return
        self.officials[official.pk] = official
        if len(parts) == 1:
            self._add_name_forms(official.pk, parts[0], "surname", feminine=False)
            return
        if len(parts) >= 3 and looks_like_patronymic(parts[-1]):
            # Surname first, as in lists: Шульган Константин Иванович.
            first, patronymic, surname = parts[1], parts[2], parts[0]
        else:
            first, surname = parts[0], parts[-1]
            patronymic = parts[1] if len(parts) == 3 else ""
        feminine = is_feminine_first_name(first)
        self.first_initials[official.pk] = normalise(first)[0]
        self._add_name_forms(official.pk, first, "first", feminine=feminine)
        self._add_name_forms(official.pk, surname, "surname", feminine=feminine)
        if patronymic:
            self._add_name_forms(official.pk, patronymic, "patronymic", feminine=feminine)

    def _add_name_forms(self, pk: int, word: str, role: str, *, feminine: bool) -> None:
        if self.language == "ru":
            forms = name_forms(word, feminine=feminine, surname=role == "surname")
        else:
            forms = {normalise(word)}
        for form in forms:
            self.name_forms[form].add((pk, role))

    # Countries -----------------------------------------------------------------------------

    def add_country(self, country: Country) -> None:
        code = country.code.upper()
        self.countries[code] = country
        for name in country_names(code, self.language):
            words = self.words_of(name)
            exact = name if name.isupper() and len(words) == 1 else ""
            self.add_phrase(
                Phrase(words, EntityType.COUNTRY, frozenset({code}), "name", True, exact)
            )

    # Organisations -------------------------------------------------------------------------

    def add_organisation(self, organisation: Organisation) -> None:
        self.organisations[organisation.pk] = organisation
        key = frozenset({organisation.pk})
        own_country = organisation.country.code if organisation.country_id else None
        name = name_for(organisation, self.language).text.strip()
        words, gaps = self.words_of(name), self.gaps_of(name)
        cut = qualifier_start(words, self.language)
        # A name with its country is specific enough to be found in lower case too; without
        # one, "парк высоких технологий" in lower case is any park of the kind.
        self.add_phrase(
            Phrase(
                words,
                EntityType.ORGANISATION,
                key,
                "name",
                name[:1].isupper() and not cut,
                own_country=None if cut else own_country,
                gaps=gaps,
            )
        )
        bare = words[:cut] if cut else words
        if cut:
            self.add_phrase(
                Phrase(
                    bare,
                    EntityType.ORGANISATION,
                    key,
                    "name",
                    True,
                    own_country=own_country,
                    gaps=gaps[:cut],
                )
            )
        head = normalise(name.split()[0]) if name.split() else ""
        if head in POSITION_OF_HEAD:
            position = (frozenset({POSITION_OF_HEAD[head]}),)
            variants = [(words, None)] + ([(bare, own_country)] if cut else [])
            for variant, guard in variants:
                self.add_phrase(
                    Phrase(
                        position + variant[1:],
                        EntityType.ORGANISATION,
                        key,
                        "position",
                        own_country=guard,
                        gaps=gaps[: len(variant)],
                    )
                )
        for quoted in QUOTED_RE.findall(name):
            self._add_short_name(quoted, key, "quoted name", own_country)
        short = organisation.short_name and name_for(organisation, self.language, "short_name")
        short = str(short or "").strip()
        if short:
            self._add_short_name(short, key, "short name", own_country)
        acronym = make_acronym(QUOTED_RE.sub("", _cut_text(name, cut, self.language)))
        if acronym and normalise(acronym) != normalise(short):
            self._add_short_name(acronym, key, "acronym", own_country)

    def _add_short_name(self, short: str, key: frozenset, via: str, country: str | None) -> None:
        words = self.words_of(short)
        exact = short if short.isupper() and len(words) == 1 else ""
        self.add_phrase(
            Phrase(words, EntityType.ORGANISATION, key, via, True, exact, own_country=country)
        )

    # Topics --------------------------------------------------------------------------------

    def add_tag(self, tag: Tag) -> None:
        self.tags[tag.pk] = tag
        key = frozenset({tag.pk})
        self.add_phrase(Phrase(self.words_of(tag.name), EntityType.TOPIC, key, "name"))
        # "5G" is also written "5 G": split words where digits and letters meet.
        split = re.sub(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)", " ", tag.name)
        if split != tag.name:
            self.add_phrase(Phrase(self.words_of(split), EntityType.TOPIC, key, "name"))


def make_acronym(name: str) -> str:
    """The initials of a name's significant words: Парк высоких технологий -> ПВТ."""
    letters = [
        part[0]
        for word in name.split()
        if normalise(word) not in FUNCTION_WORDS
        for part in word.split("-")
        if part[:1].isalpha()
    ]
    acronym = "".join(letters).upper()
    return acronym if 3 <= len(acronym) <= 8 else ""


def _cut_text(name: str, cut: int, language: str) -> str:
    return name[: tokenise(name, language)[cut].start] if cut else name


def qualifier_start(words: tuple[frozenset[str], ...], language: str) -> int:
    """Where a trailing country qualifier ("Республики Беларусь") begins in words, or 0."""
    index = country_names_by_first_lemma(language)
    for start in range(2, len(words)):
        position = start
        while position < len(words) and words[position] & country_words.STATE_WORDS:
            position += 1
        rest = words[position:]
        if rest and any(
            len(name) == len(rest) and all(a & b for a, b in zip(name, rest, strict=True))
            for lemma in rest[0]
            for _, name in index.get(lemma, ())
        ):
            return start
    return 0


def country_names(code: str, language: str) -> list[str]:
    names = [country_name(code, language)]
    if language == "ru":
        names += country_words.OTHER_NAMES.get(code, ())
    return list(dict.fromkeys(n for n in names if n))


@cache
def all_country_names(language: str) -> tuple[tuple[str, tuple[frozenset[str], ...]], ...]:
    """Every country pycountry knows, as (code, lemma sets): to tell one qualifier from another."""
    names = []
    for country in pycountry.countries:
        for name in country_names(country.alpha_2, language):
            words = tuple(lemmas(w, language) for w in re.findall(r"[^\W_]+(?:-[^\W_]+)*", name))
            if words:
                names.append((country.alpha_2, words))
    return tuple(names)


@cache
def country_names_by_first_lemma(language: str) -> dict[str, list[tuple[str, tuple]]]:
    """all_country_names() by the lemmas of their first word."""
    index: dict[str, list[tuple[str, tuple]]] = defaultdict(list)
    for code, words in all_country_names(language):
        for lemma in words[0]:
            index[lemma].append((code, words))
    return dict(index)
