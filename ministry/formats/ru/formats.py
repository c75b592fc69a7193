"""Django's Russian formats, with the day and month as they are said: "3 декабря", not
"3 Декабрь" (the admin's date drill-down reads MONTH_DAY_FORMAT)."""

from django.conf.locale.ru.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "j E"
