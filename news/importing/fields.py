"""Values both import formats share: publication times, source URLs, who imports and where from."""

from __future__ import annotations

import datetime
import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from news.importing.errors import describe_validation_error

if TYPE_CHECKING:
    from news.models import Release

# The account imports act as when no user is named: it cannot log in, and may publish.
IMPORT_USERNAME = "import"


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


def import_user(username: str | None = None) -> AbstractBaseUser:
    """Who an import acts as in revisions and the audit log: the active user named, or the
    account "import", made on demand (no password; the right to publish, nothing else).

    LookupError for a name that is not an active user's.
    """
    model = get_user_model()
    if username is not None:
        user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
        if user is None or not user.is_active:
            raise LookupError(f"no active user named {username!r}")
        return user
    user, created = model._default_manager.get_or_create(**{model.USERNAME_FIELD: IMPORT_USERNAME})
    if created:
        user.set_unusable_password()
        user.save()
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="news", codename="publish_release")
        )
    return user


def import_comment(path: str | os.PathLike[str], line: int | None = None) -> str:
    """What the audit entry of an imported release says: the file, and the line of a JSON Lines."""
    where = f"{path}:{line}" if line else str(path)
    return f"Imported from {where}"


def describe_refusal(error: PermissionDenied | ValidationError) -> str:
    """Why the workflow refused a move, in one line."""
    if isinstance(error, ValidationError):
        return describe_validation_error(error)
    return str(error)


def duplicate_reason(existing: Release) -> str:
    """Why a release was not imported: the database has one like it (Release.objects.same_as)."""
    return (
        f"skipped, a duplicate: release {existing.slug!r} has the same title and event date "
        "(--allow-duplicates imports it anyway)"
    )
