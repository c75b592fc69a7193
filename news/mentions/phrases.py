"""Organisations, countries and topics a text names: the catalogue's phrases, word by word."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from news.mentions import countries as country_words
from news.mentions.catalogue import Catalogue, Phrase, country_names_by_first_lemma
from news.mentions.language import Token, parses
from news.mentions.matches import Match
from news.mentions.report import EntityType


def phrase_matches(tokens: list[Token], catalogue: Catalogue) -> list[Match]:
    """Every place a phrase of the catalogue matches, overlapping ones too (see longest())."""
    found = []
    for i, token in enumerate(tokens):
        candidates: dict[int, Phrase] = {}
        for key in (*token.lemmas, token.text):
            for phrase in catalogue.phrases.get(key, ()):
                candidates[id(phrase)] = phrase
        for phrase in candidates.values():
            last = i + len(phrase.words) - 1
            if last >= len(tokens):
                continue
            if phrase.exact and token.text != phrase.exact:
                continue
            if phrase.capitalised and not token.is_capitalised:
                continue
            if phrase.type == EntityType.COUNTRY and len(phrase.words) == 1 and not phrase.exact:
                # A capital opening a sentence proves nothing: "Того же дня" is not Togo.
                if token.opens_sentence and not _is_place(token.text):
                    continue
            if not all(
                tokens[k].between == (phrase.gaps[k - i] if phrase.gaps else "")
                and tokens[k].lemmas & phrase.words[k - i]
                for k in range(i + 1, last + 1)
            ):
                continue
            if phrase.own_country and _other_country_follows(
                tokens, last + 1, phrase.own_country, catalogue.language
            ):
                continue
            found.append(Match(phrase.type, phrase.keys, i, last, phrase.via))
    return found


def _is_place(word: str) -> bool:
    return "Geox" in parses(word.lower())[0].tag


def longest(matches: list[Match]) -> list[Match]:
    """Per type, keep the longest matches that do not overlap (the earlier one on a tie)."""
    kept: list[Match] = []
    kept_places: set[tuple[EntityType, int, int]] = set()
    taken: dict[EntityType, set[int]] = defaultdict(set)
    for match in sorted(matches, key=lambda m: (m.first - m.last, m.first)):
        words = set(range(match.first, match.last + 1))
        place = (match.type, match.first, match.last)
        # The same words may name several entities of one type (an ambiguous name).
        if words & taken[match.type] and place not in kept_places:
            continue
        taken[match.type] |= words
        kept.append(match)
        kept_places.add(place)
    # Words that name several entities (two organisations with one short name) only suggest.
    keys_at: dict[tuple, set] = defaultdict(set)
    for match in kept:
        keys_at[(match.type, match.first, match.last)] |= match.keys
    return [
        replace(match, confident=False, note=f"the name fits {len(keys)} entities")
        if len(keys := keys_at[(match.type, match.first, match.last)]) > 1
        else match
        for match in kept
    ]


def _other_country_follows(tokens: list[Token], start: int, own: str, language: str) -> bool:
    """Whether the words from start qualify a name by a country other than own."""
    position = start
    while (
        position < len(tokens)
        and tokens[position].joined
        and tokens[position].lemmas & country_words.STATE_WORDS
    ):
        position += 1
    if position >= len(tokens) or not tokens[position].joined:
        return False
    index = country_names_by_first_lemma(language)
    for lemma in tokens[position].lemmas:
        for code, words in index.get(lemma, ()):
            end = position + len(words)
            if end <= len(tokens) and all(
                tokens[k].lemmas & words[k - position] for k in range(position, end)
            ):
                return code != own
    return position > start  # "Республики ..." with a country we cannot tell


def country_word_matches(tokens: list[Token], catalogue: Catalogue, language: str) -> list[Match]:
    """Countries named by an adjective (сербской делегацией) or their people (белорусы)."""
    if language != "ru":
        return []
    demonyms = {lemma: code for code, words in country_words.DEMONYMS.items() for lemma in words}
    found = []
    for i, token in enumerate(tokens):
        codes = set(country_words.adjective_countries(token.lower))
        codes |= {demonyms[lemma] for lemma in token.lemmas if lemma in demonyms}
        for code in codes & catalogue.countries.keys():
            found.append(Match(EntityType.COUNTRY, frozenset({code}), i, i, "adjective"))
    return found
