"""Find the known officials, organisations, countries and topics a text mentions."""

from __future__ import annotations

from news.mentions.catalogue import Catalogue
from news.mentions.known_officials import official_matches, resolve_surnames
from news.mentions.language import tokenise
from news.mentions.matches import covered, mentions_of
from news.mentions.new_officials import new_officials
from news.mentions.phrases import country_word_matches, longest, phrase_matches
from news.mentions.report import EntityType, MentionReport

# Recognition reads at most this much of a text: a release is a few thousand characters, and
# whatever comes after this many is not worth seconds of an editor's wait on every page.
TEXT_MAX_CHARS = 100_000


def find_mentions(
    text: str, language: str = "ru", *, catalogue: Catalogue | None = None
) -> MentionReport:
    """Recognise the catalogue's entities in text; build the catalogue from the DB if not given.

    Reads the first TEXT_MAX_CHARS characters of text (report.truncated says when there were
    more). Costs four queries when no catalogue is passed.
    """
    language = (language or "ru").split("-")[0].lower()
    if catalogue is None or catalogue.language != language:
        catalogue = Catalogue.load(language)
    truncated = len(text) > TEXT_MAX_CHARS
    if truncated:
        text = _cut(text, TEXT_MAX_CHARS)
    tokens = tokenise(text, language)

    named_by_phrase = longest(phrase_matches(tokens, catalogue))
    org_tokens = covered(m for m in named_by_phrase if m.type == EntityType.ORGANISATION)
    # A topic inside an organisation's name ("почтовой связи «Белпочта»") is not a topic.
    matches = [
        m
        for m in named_by_phrase
        if m.type != EntityType.TOPIC or not ({*range(m.first, m.last + 1)} & org_tokens)
    ]
    matches += country_word_matches(tokens, catalogue, language)
    officials = resolve_surnames(official_matches(text, tokens, catalogue))
    matches += officials

    report = MentionReport(
        text=text,
        language=language,
        mentions=mentions_of(matches, tokens, text, catalogue),
        truncated=truncated,
    )
    if language == "ru":
        taken = covered(officials)
        named = covered(m for m in matches if m.type != EntityType.OFFICIAL)
        report.new_officials = new_officials(text, tokens, taken, named)
    return report


def _cut(text: str, limit: int) -> str:
    """The first limit characters of text, ending between words when one ends near the limit."""
    head = text[:limit]
    near = max(0, limit - 200)
    end = max(head.rfind(" ", near), head.rfind("\n", near))
    return head[:end] if end > 0 else head
