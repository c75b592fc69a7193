"""Where a text names an entity (a Match: token positions), and the mentions the matches make."""

from __future__ import annotations

from dataclasses import dataclass

from news.mentions.catalogue import Catalogue
from news.mentions.language import Token
from news.mentions.report import Confidence, EntityType, Mention, Span


@dataclass(frozen=True)
class Match:
    """Words tokens[first..last] that name the entities of type with these keys."""

    type: EntityType
    keys: frozenset
    first: int  # token indices, inclusive
    last: int
    via: str
    confident: bool = True
    note: str = ""


def covered(matches) -> set[int]:
    return {i for m in matches for i in range(m.first, m.last + 1)}


def mentions_of(
    matches: list[Match], tokens: list[Token], text: str, catalogue: Catalogue
) -> list[Mention]:
    """One mention per entity, with the spans of all its matches, in the order of EntityType."""
    grouped: dict[tuple[EntityType, object], Mention] = {}
    seen: set[tuple[EntityType, object, int, int]] = set()  # spans already in a mention
    for match in sorted(matches, key=lambda m: (m.first, m.last)):
        start, end = tokens[match.first].start, tokens[match.last].end
        if text[end : end + 1] == "»" and text.count("«", start, end) > text.count("»", start, end):
            end += 1  # close the quote the name opened: Производства «Минская почта»
        span = Span(start, end, text[start:end], match.via)
        for key in match.keys:
            mention = grouped.get((match.type, key))
            if mention is None:
                mention = grouped[(match.type, key)] = Mention(
                    type=match.type,
                    entity=catalogue.entity(match.type, key),
                    spans=[],
                    confidence=Confidence.SUGGESTION,
                    note=match.note,
                )
            if (match.type, key, start, end) not in seen:
                seen.add((match.type, key, start, end))
                mention.spans.append(span)
            if match.confident:
                mention.confidence = Confidence.CONFIDENT
                mention.note = ""
    order = list(EntityType)
    return sorted(grouped.values(), key=lambda m: (order.index(m.type), m.spans[0].start))
