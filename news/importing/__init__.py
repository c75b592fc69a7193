"""Bringing releases in from files: plain text, one release each, or JSON Lines in bulk.

news.importing.text.import_text_file and news.importing.jsonl.import_jsonl_file store releases;
both raise ImportFailed. The package itself imports no models, so dates can be parsed without a
configured Django.
"""

from news.importing.dates import parse_event_dates
from news.importing.errors import ImportFailed

__all__ = ["ImportFailed", "parse_event_dates"]
