"""The XML of the feeds: RSS 2.0 and Atom 1.0 with full bodies and lead images, always valid."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

# Everything XML 1.0 forbids: C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF. Text pasted from Word brings \x0b and friends along.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

MEDIA_NS = "http://search.yahoo.com/mrss/"


def xml_safe(text: str) -> str:
    """Remove the characters XML 1.0 does not allow, so the feed stays well-formed."""
    return _NOT_XML_CHAR.sub("", text)


def _xml_safe_value(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe_value(v) for v in value)
    if isinstance(value, dict):
        return {key: _xml_safe_value(v) for key, v in value.items()}
    return value


class XmlSafeFeedMixin:
    """Clean every string of the feed and its items: whatever the content, the XML is valid."""

    feed: dict[str, Any]
    items: list[dict[str, Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feed = {key: _xml_safe_value(value) for key, value in self.feed.items()}

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: _xml_safe_value(value) for key, value in self.items[-1].items()}


def _add_media_elements(handler: Any, item: dict[str, Any]) -> None:
    image = item.get("image")
    if image:
        attrs = {"url": image["url"], "medium": "image", "type": image["type"]}
        attrs.update({k: str(image[k]) for k in ("fileSize", "width", "height") if image.get(k)})
        handler.startElement("media:content", attrs)
        if image.get("alt"):
            handler.addQuickElement("media:description", image["alt"], {"type": "plain"})
        handler.endElement("media:content")


class ReleaseRssFeed(XmlSafeFeedMixin, Rss201rev2Feed):
    """RSS 2.0 with the full body in content:encoded, the update time and the lead image."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_NS,
        }

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)  # with <atom:link rel="self">
        if settings.WEBSUB_HUB_URL:
            hub = {"rel": "hub", "href": settings.WEBSUB_HUB_URL}
            handler.addQuickElement("atom:link", None, hub)

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("updateddate"):
            handler.addQuickElement("atom:updated", item["updateddate"].isoformat())
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        _add_media_elements(handler, item)


class ReleaseAtomFeed(XmlSafeFeedMixin, Atom1Feed):
    """Atom 1.0 with the full body as the entry's HTML content and the lead image."""

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)  # with <link rel="self">
        if settings.WEBSUB_HUB_URL:
            handler.addQuickElement("link", "", {"rel": "hub", "href": settings.WEBSUB_HUB_URL})

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        _add_media_elements(handler, item)
