"""Linking what a release mentions: known officials, organisations, countries and topics.

    report = find_mentions(text)              # recognise, store nothing
    report = link_mentions(release)           # recognise and link confident matches
    highlight(report.text, report.spans())    # safe HTML with <mark> for the admin

Russian is matched through its inflected forms (pymorphy3); other languages word for word.
find_mentions() (recognise.py) reads the text with phrases.py (organisations, countries, topics),
known_officials.py and new_officials.py, and makes the mentions from their matches (matches.py).
"""

from news.mentions.catalogue import Catalogue
from news.mentions.linking import link_mentions, release_text
from news.mentions.recognise import find_mentions
from news.mentions.report import (
    Confidence,
    EntityType,
    Mention,
    MentionReport,
    OfficialSuggestion,
    Span,
    highlight,
)

__all__ = [
    "Catalogue",
    "Confidence",
    "EntityType",
    "Mention",
    "MentionReport",
    "OfficialSuggestion",
    "Span",
    "find_mentions",
    "highlight",
    "link_mentions",
    "release_text",
]
