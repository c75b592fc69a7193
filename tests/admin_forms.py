"""What a browser posts to the admin, for tests that save through it."""

from __future__ import annotations

from typing import Any

from django import forms

from news.models import Release


def release_form_data(release: Release, **changes: Any) -> dict[str, Any]:
    """What the release change form posts for this release, with some fields changed."""
    data = {
        "title": release.title,
        "kind": release.kind,
        "language": release.language,
        "summary": release.summary,
        "body": release.body,
        "slug": release.slug,
        "tags": ", ".join(release.tags.names()) if release.pk else "",
        "seen_version": release.version,
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def change_page_data(response: Any) -> dict[str, Any]:
    """What the browser sends back for an admin change page as it was opened."""
    context = response.context
    all_forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        all_forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in all_forms:
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            elif value is not None:
                data[field.html_name] = str(value)
    return data
