"""How long the free texts of releases and the catalogue may be: declared here, once.

Each model's clean() calls check_text_lengths(self), so full_clean() refuses an oversized text
on every path that stores one (the admin, the importers, the workflow's services). The limits
are far above any real text: they keep one author from making pages and feeds megabytes long.
Text fields with a max_length in the database need no entry here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# A lead, a reason for withdrawal, a short biography, the purpose of a visit: a few paragraphs.
SHORT_TEXT_MAX_CHARS = 10_000
BODY = "body"  # the release body's limit is the NEWS_BODY_MAX_CHARS setting

TEXT_LIMITS: dict[str, dict[str, int | str]] = {
    "news.Release": {
        "summary": SHORT_TEXT_MAX_CHARS,
        "body": BODY,
        "withdrawal_reason": SHORT_TEXT_MAX_CHARS,
    },
    "news.Official": {"bio": SHORT_TEXT_MAX_CHARS},
    "news.Delegation": {"purpose": SHORT_TEXT_MAX_CHARS},
    "news.ProgrammeItem": {"description": SHORT_TEXT_MAX_CHARS},
    "news.Page": {"body": BODY, "body_be": BODY, "body_en": BODY},
}


def text_limit(model: type[models.Model] | models.Model, field: str) -> int | None:
    limit = TEXT_LIMITS.get(model._meta.label, {}).get(field)
    return settings.NEWS_BODY_MAX_CHARS if limit == BODY else limit


def check_text_lengths(instance: models.Model) -> None:
    """Raise ValidationError naming each text of instance over its limit, with both sizes."""
    errors = {}
    for field in TEXT_LIMITS.get(instance._meta.label, {}):
        limit, size = text_limit(instance, field), len(getattr(instance, field) or "")
        if limit is not None and size > limit:
            errors[field] = ValidationError(
                _("This text is %(size)s characters long; at most %(limit)s are allowed."),
                code="too_long",
                params={
                    "size": number_format(size, force_grouping=True),
                    "limit": number_format(limit, force_grouping=True),
                },
            )
    if errors:
        raise ValidationError(errors)
