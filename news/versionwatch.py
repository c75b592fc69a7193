"""The public version without a query per request, kept exact by PostgreSQL's LISTEN/NOTIFY.

PublicVersion.objects.advance() sends a notification, with the new number, in the transaction
that changes what readers see; PostgreSQL delivers it when that transaction commits. Each
process listens on a connection of its own and keeps the version it last read. A request first
drains that connection's pending notifications (a read of its socket: no round trip to the
database), and the version is read again only when

- this process committed a change (it sees its own at once),
- a notification came (another process committed one; PostgreSQL delivers the notice within
  a fraction of a millisecond of the commit),
- the version's next scheduled release is due (it appears with nothing written),
- the version is older than REFRESH_SECONDS (a bound, should a notification ever be lost),
- or it is older than a notified number (a read replica has not caught up yet).

Where there is nothing to listen to (SQLite), or listening fails, every request reads the
version from the database as before: exact, one query. So it does with read replicas: each
request reads the version from the replica its page is read from, so that a lagging replica's
page is never filed under a newer version than its data.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from ministry.replicas import replica_aliases
from news.models import public_version as version_row
from news.models.public_version import CHANNEL, PublicVersion, Version

logger = logging.getLogger(__name__)

# Read the version again after this many seconds even if no notification came.
REFRESH_SECONDS = 10.0
# After the listening connection fails, wait this long before connecting again.
RETRY_SECONDS = 5.0


class VersionWatch:
    """This process's copy of the public version and the connection that says when it moves."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._listener: Any = None
        self._version: Version | None = None
        self._read_at = 0.0
        self._expected = 0
        self._retry_at = 0.0
        self._changes_here = version_row.changes_committed_here

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def current(self) -> Version:
        if (
            not settings.NEWS_PAGE_CACHE_LISTEN
            or connections[self.alias].vendor != "postgresql"
            or replica_aliases()
        ):
            return PublicVersion.objects.current()
        with self._lock:
            if self._pid != os.getpid():
                # A forked worker: the parent's connection and copy are not this process's.
                self._reset()
            if not self._listen() or self._notified() or self._due() or self._changed_here():
                self._version = None
            if self._version is not None:
                return self._version
            version = PublicVersion.objects.current()
            if self._listener is not None and version.number >= self._expected:
                self._version, self._read_at = version, time.monotonic()
            return version

    def close(self) -> None:
        with self._lock:
            self._close()

    def _listen(self) -> bool:
        """Is the listening connection up? Opens it (before any version is kept) if not."""
        if self._listener is not None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        wrapper = connections[self.alias]
        try:
            listener = wrapper.Database.connect(**wrapper.get_connection_params())
            listener.autocommit = True
            listener.execute(f"LISTEN {CHANNEL}")
        except wrapper.Database.Error as error:
            logger.warning("Cannot listen for changes; reading the version each time: %s", error)
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return False
        self._listener = listener
        return True

    def _notified(self) -> bool:
        """Did a change commit since the last request? Reads what the socket holds, no more."""
        pgconn = self._listener.pgconn
        try:
            pgconn.consume_input()
        except connections[self.alias].Database.Error as error:
            logger.warning("Lost the connection listening for changes: %s", error)
            self._close()
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return True
        notified = False
        while (notice := pgconn.notifies()) is not None:
            notified = True
            try:
                self._expected = max(self._expected, int(notice.extra))
            except ValueError:
                pass
        return notified

    def _changed_here(self) -> bool:
        changes, self._changes_here = self._changes_here, version_row.changes_committed_here
        return changes != self._changes_here

    def _due(self) -> bool:
        version = self._version
        if version is None:
            return False
        if time.monotonic() - self._read_at > REFRESH_SECONDS:
            return True
        return version.next_change is not None and version.next_change <= timezone.now()

    def _close(self) -> None:
        listener, self._listener, self._version = self._listener, None, None
        if listener is not None:
            try:
                listener.close()
            except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is gone
                pass


watch = VersionWatch()


def public_version() -> Version:
    """What readers see now (news.models.PublicVersion), for this request."""
    return watch.current()
