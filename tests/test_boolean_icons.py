"""Yes/no icons of read-only fields and list columns say yes or no in the admin's language."""

from __future__ import annotations

import pytest
from django.contrib.admin.utils import display_for_field, display_for_value
from django.db import models
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "value", "word"),
    [("ru", False, "Нет"), ("ru", True, "Да"), ("be", False, "Не"), ("en", None, "Unknown")],
)
def test_a_read_only_yes_or_no_is_named_in_the_admin_s_language(language, value, word):
    with translation.override(language):
        field = display_for_field(value, models.BooleanField(null=True), "—")
        column = display_for_value(value, "—", boolean=True)
    assert f'alt="{word}"' in field
    assert field == column
