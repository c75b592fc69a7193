"""Latin slugs from Cyrillic titles, and unique ones."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.utils.text import slugify
from unidecode import unidecode

SLUG_MAX_LENGTH = 200
# Room left for a suffix that makes a slug unique: "-2", "_13"...
SUFFIX_ROOM = 8


def latin_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Transliterate text to a lowercase Latin slug, cut at a word boundary; may be empty."""
    slug = slugify(unidecode(text))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def slug_for(text: str, prefix: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """latin_slug(text), or prefix-<digest of text> when text has no letter or digit to keep.

    Never empty, only [-a-z0-9_], the same for the same text: "—" and "?" differ.
    """
    if slug := latin_slug(text, max_length):
        return slug
    digest = hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{prefix}-{digest}"[:max_length]


def unique_slug(text: str, is_taken: Callable[[str], bool], fallback: str = "item") -> str:
    """Return latin_slug(text) (or fallback), suffixed with -2, -3... until is_taken() says
    it is free."""
    base = latin_slug(text, SLUG_MAX_LENGTH - SUFFIX_ROOM) or fallback
    slug, n = base, 1
    while is_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug
