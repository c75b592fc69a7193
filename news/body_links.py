"""Links in a release's body to the officials, organisations and countries it mentions.

Applied when the page is rendered, on sanitized HTML; the stored text is unchanged. Only what the
release is linked to (its mentions) and readers may see is linked, at its first mention.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from django.db import models
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from news.mentions.catalogue import Catalogue
from news.mentions.recognise import find_mentions

_TAG = re.compile(r"(<[^>]*>)")
# No link inside a link, a heading, or a quotation (a link there reads as part of the quote).
_NO_LINKS_IN = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"})
_PARAGRAPHS = frozenset({"p", "li", "td", "th", "caption"})
# Direct speech opens its paragraph with a dash: its attribution ("- отметил Шульган") is left
# unlinked, so the quote and the name stay one piece of text.
_DIRECT_SPEECH = re.compile(r"^\s*[-\u2013\u2014]\s")


def link_release_text(
    summary: str, body: str, language: str, entities: Iterable[models.Model]
) -> tuple[SafeString, SafeString]:
    """The lead (plain text) and body (sanitized HTML), each entity linked where first named.

    entities are Official, Organisation and Country rows; recognition runs on each text run.
    """
    catalogue = catalogue_of(entities, language)
    linked: set[models.Model] = set()
    lead = link_html(escape(summary), language, catalogue, linked)
    return lead, link_html(body, language, catalogue, linked)


def link_html(
    body: str, language: str, catalogue: Catalogue, linked: set[models.Model]
) -> SafeString:
    """body with the first mention of each entity of catalogue not yet in linked linked."""
    if not body or not (catalogue.officials or catalogue.organisations or catalogue.countries):
        return mark_safe(body)  # noqa: S308 - the caller passes sanitized HTML
    parts = _TAG.split(body)
    closed: list[str] = []  # open tags where no link goes
    in_speech = False
    for index, part in enumerate(parts):
        if index % 2:
            name = (part.strip("</> ").split(None, 1) or [""])[0].lower()
            closing = part.startswith("</")
            if name in _NO_LINKS_IN:
                if closing and name in closed:
                    closed.remove(name)
                elif not closing and not part.endswith("/>"):
                    closed.append(name)
            if name in _PARAGRAPHS and not closing:
                in_speech = None  # decided by the paragraph's first text
            continue
        if not part.strip():
            continue
        text = html.unescape(part)
        if in_speech is None:
            in_speech = bool(_DIRECT_SPEECH.match(text))
        if closed or in_speech:
            continue
        parts[index] = _link_text(text, part, language, catalogue, linked)
    return mark_safe("".join(parts))  # noqa: S308 - text escaped, links to our own pages


def catalogue_of(entities: Iterable[models.Model], language: str) -> Catalogue:
    """A recognition catalogue of just these entities."""
    from news.models import Country, Official, Organisation

    catalogue = Catalogue(language=language)
    for entity in entities:
        if isinstance(entity, Official):
            catalogue.add_official(entity)
        elif isinstance(entity, Organisation):
            catalogue.add_organisation(entity)
        elif isinstance(entity, Country):
            catalogue.add_country(entity)
    return catalogue


def _link_text(
    text: str, raw: str, language: str, catalogue: Catalogue, linked: set[models.Model]
) -> str:
    firsts = []
    for mention in find_mentions(text, language, catalogue=catalogue).mentions:
        # "сербской делегацией" is not a name of Serbia to follow.
        spans = [span for span in mention.spans if span.via != "adjective"]
        if mention.entity in linked or not spans:
            continue
        firsts.append((spans[0], mention.entity))
    firsts.sort(key=lambda item: item[0].start)
    pieces: list[str] = []
    at = 0
    last = None  # the link just made: its entity, its place in pieces, its words
    for span, entity in firsts:
        if span.start < at:  # overlaps a link just made: "Министерства ... Республики Сербия"
            continue
        words = text[span.start : span.end]
        if last and not text[at : span.start].strip():
            # Two links with only a space between read as one. A post's organisation before a
            # name ("Министра ... Республики Сербия Деяна Ристича") gives way to the official.
            previous, index, previous_words = last
            if not _gives_way(previous, entity):
                continue
            pieces[index] = escape(previous_words)
            linked.discard(previous)  # linked where next named
        linked.add(entity)
        pieces += [escape(text[at : span.start]), _anchor(entity, words)]
        last = (entity, len(pieces) - 1, words)
        at = span.end
    if not pieces:
        return raw
    return "".join(pieces) + escape(text[at:])


def _gives_way(linked: models.Model, next_to_it: models.Model) -> bool:
    """Whether the link just made gives way to the one right after it: only to an official."""
    from news.models import Official

    return isinstance(next_to_it, Official) and not isinstance(linked, Official)


def _anchor(entity: models.Model, words: str) -> str:
    return format_html('<a class="mention" href="{}">{}</a>', entity.get_absolute_url(), words)
