"""Django's MAILERS setting from EMAIL_URL (as DATABASE_URL gives the database), or from the
classic EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER and EMAIL_HOST_PASSWORD variables."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
TRUE = ("1", "true", "yes", "on")


def smtp(host: str, port: int, **options: Any) -> dict[str, Any]:
    return {"BACKEND": SMTP, "OPTIONS": {"host": host, "port": port, "timeout": 30, **options}}


def mailer(environ: Mapping[str, str], *, debug: bool, base_dir: Path) -> dict[str, Any]:
    """The default mailer. EMAIL_URL: smtp://user:password@host:587 (STARTTLS with ?tls=1),
    smtps://... (TLS from the start), console: or file:///path. Without it, the EMAIL_*
    variables (SMTP); with none of them: the console under DEBUG (`make run` prints mail), else
    SMTP on localhost:25."""
    url = environ.get("EMAIL_URL", "")
    if not url:
        if debug and not any(name.startswith("EMAIL_") for name in environ):
            return {"BACKEND": CONSOLE}
        return smtp(
            environ.get("EMAIL_HOST", "localhost"),
            int(environ.get("EMAIL_PORT", "25")),
            username=environ.get("EMAIL_HOST_USER", ""),
            password=environ.get("EMAIL_HOST_PASSWORD", ""),
            use_tls=environ.get("EMAIL_USE_TLS", "").lower() in TRUE,
        )
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": CONSOLE}
    if parts.scheme == "file":
        path = unquote(parts.path) or str(base_dir / "mail")
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": path},
        }
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    return smtp(
        parts.hostname or "localhost",
        parts.port or (465 if parts.scheme == "smtps" else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_ssl=parts.scheme == "smtps",
        use_tls=parse_qs(parts.query).get("tls", ["0"])[0].lower() in TRUE,
    )
