"""The one exception the importers raise for a file they cannot take, and its wording."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ImportFailed(Exception):
    """A file could not be imported; str() is one line naming the file (and line, if known)."""

    def __init__(self, path: str | os.PathLike[str], reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.reason = " ".join(reason.split())
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.reason}"


class ImportSkipped(ImportFailed):
    """Nothing of the file was imported on purpose: its releases are in the database already."""


def describe_os_error(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def describe_validation_error(error: ValidationError) -> str:
    """All the messages of error on one line: "field: message; other: message"."""
    if not hasattr(error, "error_dict"):
        return _join(error.messages)
    parts = []
    for field, messages in error.message_dict.items():
        parts.append(
            _join(messages) if field == NON_FIELD_ERRORS else f"{field}: {_join(messages)}"
        )
    return "; ".join(parts)


def _join(messages: list[str]) -> str:
    # A URLField with a validator of its own says "Enter a valid URL." twice.
    return " ".join(dict.fromkeys(str(message) for message in messages))
