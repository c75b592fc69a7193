"""Russian text as the recogniser sees it: tokens with offsets, lemmas, name forms, countries.

Morphology comes from pymorphy3 and its Russian dictionaries (installed from PyPI, nothing is
fetched at run time). For other languages every word is its own lowercase "lemma", so
recognition falls back to exact matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pymorphy3

WORD_RE = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*|[^\w\s]")
QUOTES = "«»\"„“”‘’'"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    lemmas: frozenset[str]
    # Punctuation between the previous word and this one, quotes left out ("" for none).
    between: str
    # First word of the text, of a paragraph or line, or after . ! ? …
    opens_sentence: bool

    @property
    def joined(self) -> bool:
        """Only spaces and quotes stand between this word and the one before."""
        return self.between == ""

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def lower(self) -> str:
        return normalise(self.text)


def normalise(word: str) -> str:
    return word.lower().replace("ё", "е").replace("‐", "-").replace("‑", "-")


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=20_000)
def parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    return tuple(analyzer().parse(word))


@lru_cache(maxsize=100_000)
def russian_lemmas(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 considers for word, lowercased, with е for ё."""
    lower = normalise(word)
    if not any("а" <= ch <= "я" for ch in lower):
        return frozenset({lower})
    found = {lower} | {normalise(p.normal_form) for p in parses(lower)}
    if "-" in lower:
        # The last part carries the meaning: вице-министра -> министр, ИТ-образования.
        found |= russian_lemmas(lower.rsplit("-", 1)[1])
    return frozenset(found)


def lemmas(word: str, language: str) -> frozenset[str]:
    if language == "ru":
        return russian_lemmas(word)
    return frozenset({normalise(word)})


def tokenise(text: str, language: str = "ru") -> list[Token]:
    """The words of text (punctuation kept apart), each lemmatised once (the cache is shared)."""
    words: list[Token] = []
    between: list[str] = []  # punctuation since the previous word
    for match in WORD_RE.finditer(text):
        piece = match.group()
        if not piece[0].isalnum():
            between.append(piece)
            continue
        gap = text[words[-1].end : match.start()] if words else ""
        words.append(
            Token(
                text=piece,
                start=match.start(),
                end=match.end(),
                lemmas=lemmas(piece, language),
                between="".join(m for m in between if m not in QUOTES) if words else "^",
                opens_sentence=not words or "\n" in gap or any(m in ".!?…" for m in between),
            )
        )
        between = []
    return words


# Names ---------------------------------------------------------------------------------------

SIBILANTS_AND_VELARS = "гкхжшчщц"
INDECLINABLE_SURNAME_ENDINGS = ("о", "е", "и", "у", "ю", "ых", "их")


def name_forms(word: str, *, feminine: bool, surname: bool) -> set[str]:
    """The case forms of a first name or surname, lowercased: by pymorphy3 and by rule.

    Rules cover names pymorphy3 does not know (Деян, Ристич, Шульган); generating a few
    impossible forms is harmless, they only ever compare with the text.
    """
    w = normalise(word)
    forms = {w}
    for parse in parses(w):
        if {"Name", "Surn", "Patr"} & parse.tag.grammemes and parse.word == w:
            if "nomn" in parse.tag and "sing" in parse.tag:
                for form in parse.lexeme:
                    if "sing" in form.tag and (form.tag.gender == parse.tag.gender):
                        forms.add(normalise(form.word))
    forms |= _rule_forms(w, feminine=feminine, surname=surname)
    return forms


def _rule_forms(w: str, *, feminine: bool, surname: bool) -> set[str]:
    hard_or_soft = "и" if w[-2:-1] and w[-2] in SIBILANTS_AND_VELARS else "ы"
    if surname and w.endswith(INDECLINABLE_SURNAME_ENDINGS):
        return set()
    if w.endswith(("ский", "цкий")):
        stem = w[:-2]
        return {stem + e for e in ("ого", "ому", "им", "ом")}
    if w.endswith(("ская", "цкая")):
        stem = w[:-2]
        return {stem + e for e in ("ой", "ую")}
    if w.endswith(("ый", "ой")) and surname:
        stem = w[:-2]
        return {stem + e for e in ("ого", "ому", "ым", "ом")}
    if w.endswith("ия"):
        stem = w[:-1]
        return {stem + e for e in ("и", "ю", "ей")}
    if w.endswith("а"):
        stem = w[:-1]
        if surname and feminine and stem.endswith(("ов", "ев", "ин", "ын")):
            return {stem + e for e in ("ой", "у")}
        return {stem + e for e in (hard_or_soft, "е", "у", "ой", "ою", "ей")}
    if w.endswith("я"):
        stem = w[:-1]
        return {stem + e for e in ("и", "е", "ю", "ей")}
    if feminine:
        return set()
    if w.endswith("ий"):
        stem = w[:-1]
        return {stem + e for e in ("я", "ю", "ем", "и")}
    if w.endswith(("й", "ь")):
        stem = w[:-1]
        return {stem + e for e in ("я", "ю", "ем", "е")}
    if surname and w.endswith(("ов", "ев", "ин", "ын")):
        return {w + e for e in ("а", "у", "ым", "е")}
    if w[-1] in "бвгджзклмнпрстфхцчшщ":
        return {w + e for e in ("а", "у", "ом", "ем", "е")}
    return set()


def is_feminine_first_name(word: str) -> bool:
    w = normalise(word)
    for parse in parses(w):
        if "Name" in parse.tag and parse.word == w and "nomn" in parse.tag:
            return parse.tag.gender == "femn"
    return w.endswith(("а", "я")) and w not in {"илья", "никита", "кузьма", "фома", "лука"}


def looks_like_first_name(word: str) -> bool:
    """A capitalised word that may be a given name: pymorphy3 knows it as one, or knows no noun."""
    if not word[:1].isupper() or word.isupper():
        return False
    found = parses(normalise(word))
    if any("Name" in p.tag for p in found):
        return True
    return not any(
        p.tag.POS in {"NOUN", "ADJF", "PREP", "CONJ", "PRCL", "NPRO", "VERB"} and p.is_known
        for p in found
    )


def looks_like_surname(word: str) -> bool:
    if not word[:1].isupper() or word.isupper() or len(word) < 2:
        return False
    found = parses(normalise(word))
    if any("Surn" in p.tag for p in found):
        return True
    if any({"Geox", "Orgn", "Name"} & p.tag.grammemes for p in found[:1]):
        return False
    return not analyzer().word_is_known(normalise(word))


def looks_like_patronymic(word: str) -> bool:
    w = normalise(word)
    return bool(re.search(r"(ович|евич|ич|овн|евн|ичн)(а|у|ем|ом|е|ой|ы)?$", w)) and any(
        "Patr" in p.tag for p in parses(w)
    )


def to_nominative(word: str, *, gender: str | None = None) -> str:
    """word put in the nominative singular, keeping its capital, e.g. Ристича -> Ристич."""
    w = normalise(word)
    candidates = [
        p
        for p in parses(w)
        if p.tag.POS == "NOUN" and (gender is None or p.tag.gender in {gender, "ms-f", None})
    ] or list(parses(w))
    named = [p for p in candidates if {"Name", "Surn", "Patr"} & p.tag.grammemes]
    best = (named or candidates)[0]
    form = best.inflect({"nomn", "sing"}) if "nomn" not in best.tag else best
    result = form.word if form is not None else best.normal_form
    if word[:1].isupper():
        result = result[:1].upper() + result[1:]
    return result


def gender_of_first_name(word: str) -> str | None:
    w = normalise(word)
    for parse in parses(w):
        if "Name" in parse.tag:
            return parse.tag.gender
    return None
