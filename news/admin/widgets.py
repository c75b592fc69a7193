"""The one place that says how the release body is edited: django-prose-editor, limited to the
structure news.html.sanitize keeps, and working under the site's Content-Security-Policy.

The editor only makes editing pleasant; what is stored is whatever the server's sanitize()
lets through, so a forged post gains nothing over the toolbar.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

# What news/html.py's ALLOWED_TAGS has a button for; images come from the gallery, not the body.
BODY_EXTENSIONS: dict[str, Any] = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # Tiptap's inline <style> is refused by the CSP: its rules come from a static file.
    "NoInlineStyles": True,
}


class ReleaseBodyWidget(AdminProseEditorWidget):
    """The rich-text editor of a release's body, from the package's own static files."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, preset="configurable", config={"extensions": BODY_EXTENSIONS})

    @property
    def media(self) -> Media:
        return super().media + Media(
            css={"all": ["css/prose-editor-base.css"]}, js=["js/prose-editor-i18n.js"]
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["js_modules"] = [*config["js_modules"], static("js/prose-editor-csp.js")]
        return config


class TopicsWidget(forms.Textarea):
    """One topic per line: no quotes to learn. static/js/topics-widget.js turns it into chips
    with suggestions of existing topics; without JavaScript it stays this plain box."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"rows": 3, "class": "topics-input", **(attrs or {})})

    class Media:
        js = ["js/topics-widget.js"]

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            names = [getattr(topic, "name", topic) for topic in value]
            return "\n".join(sorted(names, key=str.casefold))
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {
            **(attrs or {}),
            "data-suggest-url": reverse("admin:news_release_topics"),
            "data-entry-label": gettext("Add a topic"),
            "data-remove-label": gettext("Remove the topic"),
        }
        return super().get_context(name, value, attrs)
