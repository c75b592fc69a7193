"""What recognition returns: mentions with their spans, suggestions, and HTML to show them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class EntityType(StrEnum):
    OFFICIAL = "official"
    ORGANISATION = "organisation"
    COUNTRY = "country"
    TOPIC = "topic"


class Confidence(StrEnum):
    CONFIDENT = "confident"
    SUGGESTION = "suggestion"


@dataclass(frozen=True, order=True)
class Span:
    """Offsets into the report's text: text[start:end] is what was matched."""

    start: int
    end: int
    text: str = field(compare=False)
    via: str = field(default="name", compare=False)  # name, initials, surname, adjective...


@dataclass
class Mention:
    """One known entity the text mentions, with every place it does so."""

    type: EntityType
    entity: models.Model  # Official, Organisation, Country or taggit Tag
    spans: list[Span]
    confidence: Confidence
    note: str = ""  # why it is only a suggestion

    @property
    def pk(self) -> int:
        return self.entity.pk

    @property
    def is_confident(self) -> bool:
        return self.confidence == Confidence.CONFIDENT

    def __str__(self) -> str:
        return f"{self.type}: {self.entity} ({self.confidence}, {len(self.spans)}×)"


@dataclass
class OfficialSuggestion:
    """A person the catalogue does not know, named after a position: a new Official to create."""

    full_name: str  # in the nominative: Деян Ристич
    position: str  # its head in the nominative: Министр информации и телекоммуникаций ...
    span: Span  # position and name together, as written
    name_span: Span

    def __str__(self) -> str:
        return f"{self.full_name} — {self.position}"


@dataclass
class MentionReport:
    text: str  # the plain text all spans point into
    language: str
    mentions: list[Mention] = field(default_factory=list)
    new_officials: list[OfficialSuggestion] = field(default_factory=list)
    linked: list[Mention] = field(default_factory=list)  # filled by link_mentions()
    truncated: bool = False  # text is the beginning of a longer text, the rest was not read

    def of_type(self, type: EntityType, *, confident_only: bool = False) -> list[Mention]:
        return [
            m for m in self.mentions if m.type == type and (m.is_confident or not confident_only)
        ]

    @property
    def officials(self) -> list[Mention]:
        return self.of_type(EntityType.OFFICIAL)

    @property
    def organisations(self) -> list[Mention]:
        return self.of_type(EntityType.ORGANISATION)

    @property
    def countries(self) -> list[Mention]:
        return self.of_type(EntityType.COUNTRY)

    @property
    def topics(self) -> list[Mention]:
        return self.of_type(EntityType.TOPIC)

    @property
    def confident(self) -> list[Mention]:
        return [m for m in self.mentions if m.is_confident]

    @property
    def suggestions(self) -> list[Mention]:
        return [m for m in self.mentions if not m.is_confident]

    def entities(self, type: EntityType, *, confident_only: bool = True) -> list[models.Model]:
        return [m.entity for m in self.of_type(type, confident_only=confident_only)]

    def spans(self) -> list[Span]:
        found = [span for m in self.mentions for span in m.spans]
        found += [s.span for s in self.new_officials]
        return sorted(found)

    def highlighted(self) -> SafeString:
        return highlight(self.text, self.spans())


def highlight(text: str, spans: Iterable[Span | tuple[int, int]]) -> SafeString:
    """text, escaped, with <mark> around each span (overlapping spans are merged)."""
    ranges = sorted(
        (s.start, s.end) if isinstance(s, Span) else (int(s[0]), int(s[1])) for s in spans
    )
    merged: list[list[int]] = []
    for start, end in ranges:
        start, end = max(0, start), min(len(text), end)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    position = 0
    for start, end in merged:
        parts.append(escape(text[position:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    # Every part is escaped or built by format_html.
    return mark_safe("".join(parts))
