"""Belarusian formats, which Django lacks (it would show "Сьн. 3, 2024, 2 папаўдні"): the
Russian ones, in the month forms of Belarusian: "3 снежня 2024 г. 14:00"."""

from ministry.formats.ru.formats import *  # noqa: F403
