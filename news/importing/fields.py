"""Values both import formats share: publication times and source URLs."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.utils import timezone


def site_time(value: datetime.datetime) -> datetime.datetime:
    """value as an aware time; a naive one is read in the site's zone (Europe/Minsk)."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def parse_site_time(text: str) -> datetime.datetime:
    """An ISO 8601 date and time; naive means the site's zone. ValueError when it is not one."""
    try:
        value = site_time(datetime.datetime.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date and time (2024-08-28T10:00)") from None
    try:
        value.astimezone(datetime.UTC)  # how the database stores it
    except OverflowError:
        raise ValueError(f"{text!r} is out of range (years 1 to 9999, in UTC)") from None
    return value


def parse_date(text: str) -> datetime.date:
    """An ISO 8601 date. ValueError when it is not one."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date (2024-08-28)") from None


def publisher_of(url: str) -> str:
    """The site a URL belongs to, as a reader would name it: mpt.gov.by."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    if host.startswith("xn--") or ".xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except UnicodeError:
            pass
    return host.removeprefix("www.")[:200]
