"""Helpers for text: Latin slugs from Cyrillic titles."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify
from unidecode import unidecode

SLUG_MAX_LENGTH = 200


def latin_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Transliterate text to a lowercase Latin slug, cut at a word boundary."""
    slug = slugify(unidecode(text))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def unique_slug(text: str, is_taken: Callable[[str], bool], fallback: str = "item") -> str:
    """Return latin_slug(text), suffixed with -2, -3... until is_taken() says it is free."""
    base = latin_slug(text, SLUG_MAX_LENGTH - 8) or fallback
    slug, n = base, 1
    while is_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug
