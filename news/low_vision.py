"""The low-vision mode: text size, colours, letter spacing and images, as the reader sets them.

The settings follow the national portal's versions for the visually impaired. Each is a plain
link (no script, no form), kept in one cookie; the page cache keeps a copy per combination.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

LOW_VISION_COOKIE = "low_vision"

# Each setting: its values in order, the first being the mode's default, with their labels:
# what the switch shows (short, so that it fits a phone at the largest text) and what it means.
SIZES = {
    "1": ("A", _("Large text")),
    "2": ("A+", _("Larger text")),
    "3": ("A++", _("Largest text")),
}
SCHEMES = {
    "bw": (_("Aa"), _("Black on white")),
    "wb": (_("Aa"), _("White on black")),
    "blue": (_("Aa"), _("Dark blue on light blue")),
}
SPACINGS = {
    "normal": (_("standard"), _("Standard letter spacing")),
    "wide": (_("wide"), _("Wide letter spacing")),
}
IMAGES = {"on": (_("show"), _("Show images")), "off": (_("hide"), _("Hide images"))}
CHOICES = {"size": SIZES, "scheme": SCHEMES, "spacing": SPACINGS, "images": IMAGES}
HEADINGS = {
    "size": _("Text size"),
    "scheme": _("Colours"),
    "spacing": _("Letter spacing"),
    "images": _("Images"),
}


@dataclass(frozen=True)
class Choice:
    setting: str
    value: str
    short: str
    label: str
    current: bool


@dataclass(frozen=True)
class Display:
    """One reader's low-vision settings; the cookie holds them as "2.wb.wide.off"."""

    size: str = "1"
    scheme: str = "bw"
    spacing: str = "normal"
    images: str = "on"

    @classmethod
    def from_cookie(cls, value: str) -> Display | None:
        """The settings in the cookie, or None for the standard version (or a value not ours)."""
        if value == "on":  # the cookie of the single preset that came first
            return cls()
        if value == "no-images":
            return cls(images="off")
        parts = value.split(".")
        if len(parts) != len(CHOICES) or any(
            part not in choices for part, choices in zip(parts, CHOICES.values(), strict=True)
        ):
            return None
        return cls(*parts)

    @property
    def cookie(self) -> str:
        return ".".join(dataclasses.astuple(self))

    @property
    def css_classes(self) -> str:
        classes = ["low-vision", f"low-vision--size-{self.size}", f"low-vision--{self.scheme}"]
        if self.spacing == "wide":
            classes.append("low-vision--wide")
        if self.images == "off":
            classes.append("low-vision--no-images")
        return " ".join(classes)

    def changed(self, query: dict[str, str]) -> Display:
        """These settings with the valid ones of query applied; anything else is ignored."""
        valid = {
            name: query[name]
            for name, choices in CHOICES.items()
            if isinstance(query.get(name), str) and query[name] in choices
        }
        return dataclasses.replace(self, **valid)

    def options(self) -> list[tuple[str, list[Choice]]]:
        """For the switch: each setting's heading and its choices."""
        return [
            (
                HEADINGS[name],
                [
                    Choice(name, value, short, label, value == getattr(self, name))
                    for value, (short, label) in choices.items()
                ],
            )
            for name, choices in CHOICES.items()
        ]


def display_for(request: HttpRequest) -> Display | None:
    """The reader's low-vision settings, or None for the standard version."""
    return Display.from_cookie(request.COOKIES.get(LOW_VISION_COOKIE, ""))


def low_vision(request: HttpRequest) -> HttpResponse:
    """Switch the low-vision mode on or off, or change one of its settings; a cookie keeps them.

    A plain link (GET) so that it works from any page without a form or a script; the change is
    only the reader's own display preference.
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    add_never_cache_headers(response)
    mode = request.GET.get("mode", "")
    if mode == "off":
        response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
        return response
    display = display_for(request) or Display()
    if mode == "no-images":
        display = dataclasses.replace(display, images="off")
    elif mode == "on" and display.images == "off" and "images" not in request.GET:
        display = dataclasses.replace(display, images="on")
    display = display.changed(request.GET.dict())
    response.set_cookie(
        LOW_VISION_COOKIE,
        display.cookie,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
