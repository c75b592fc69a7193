"""The headers of the messages to subscribers: the List-Unsubscribe link on one line, and the
same subject for thousands of messages encoded once (docs/benchmarks.md, "Subscribers")."""

from __future__ import annotations

import email.policy
import functools
from email.headerregistry import HeaderRegistry, UnstructuredHeader

from django.core.mail import EmailMultiAlternatives


class UnfoldedHeader(UnstructuredHeader):
    """A header written on one line: the List-Unsubscribe link is longer than the 78 characters
    Python folds at, and folding a word without spaces turns it into encoded words (=?utf-8?q?),
    which is no link to a mail program. RFC 5322 allows lines of 998."""

    def fold(self, *, policy: email.policy.Policy) -> str:
        if str(self).isascii() and len(self.name) + len(str(self)) < 990:
            return f"{self.name}: {self}{policy.linesep}"
        return super().fold(policy=policy)


class RepeatedHeader(UnstructuredHeader):
    """The subject, the same for all of a release's subscribers in a language: encoded (it is
    rarely ASCII) and folded once."""

    def fold(self, *, policy: email.policy.Policy) -> str:
        return _folded(self.name, str(self), policy.linesep, policy.max_line_length, policy.utf8)


@functools.lru_cache(maxsize=256)
def _folded(name: str, value: str, linesep: str, max_line_length: int, utf8: bool) -> str:
    policy = email.policy.default.clone(linesep=linesep, max_line_length=max_line_length, utf8=utf8)
    return policy.header_factory(name, value).fold(policy=policy)


class Headers(HeaderRegistry):
    """Python's header classes, each made once: HeaderRegistry makes a new class for every
    header of every message."""

    @functools.cache  # noqa: B019 (one registry, kept for the process)
    def __getitem__(self, name: str) -> type:
        return super().__getitem__(name)


HEADERS = Headers()
HEADERS.map_to_type("list-unsubscribe", UnfoldedHeader)
HEADERS.map_to_type("subject", RepeatedHeader)


class SubscriberMessage(EmailMultiAlternatives):
    """A message to subscribers, its headers written as above."""

    def message(self, *, policy: email.policy.Policy = email.policy.default):
        return super().message(policy=policy.clone(header_factory=HEADERS))
