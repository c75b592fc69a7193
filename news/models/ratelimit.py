from __future__ import annotations

import datetime

from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _


class ApiRateWindowQuerySet(models.QuerySet):
    def hit(self, *, ident: str, window_start: datetime.datetime) -> int:
        """Count one request of ident in the window that starts then; return the new count.

        One INSERT ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL and SQLite 3.35+): the
        database adds one atomically, so workers and servers never lose a request between
        them. A window's first request also deletes the windows that have ended.
        """
        db = router.db_for_write(self.model)
        connection = connections[db]
        meta = self.model._meta
        table = connection.ops.quote_name(meta.db_table)
        ident_col, start_col, count_col = (
            connection.ops.quote_name(meta.get_field(name).column)
            for name in ("ident", "window_start", "count")
        )
        start = connection.ops.adapt_datetimefield_value(window_start)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({ident_col}, {start_col}, {count_col}) VALUES (%s, %s, 1) "
                f"ON CONFLICT ({ident_col}, {start_col}) "
                f"DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
                f"RETURNING {count_col}",
                [ident, start],
            )
            (count,) = cursor.fetchone()
        if count == 1:
            self.using(db).filter(window_start__lt=window_start).delete()
        return count


class ApiRateWindow(models.Model):
    """How many API requests one client address made in one rate window."""

    ident = models.CharField(_("client"), max_length=100)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("requests"), default=0)

    objects = ApiRateWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("API rate window")
        verbose_name_plural = _("API rate windows")
        constraints = [
            models.UniqueConstraint(
                fields=["ident", "window_start"], name="api_rate_window_unique_ident_start"
            ),
        ]
        indexes = [models.Index(fields=["window_start"], name="api_rate_window_start_idx")]

    def __str__(self) -> str:
        return f"{self.ident} @ {self.window_start:%Y-%m-%d %H:%M:%S}: {self.count}"
