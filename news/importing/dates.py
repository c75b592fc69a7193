"""Find the dates an event takes place on in the text of a release.

Pure functions on strings: Russian, Belarusian and English month names, ranges with any dash.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_RUSSIAN = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
_BELARUSIAN = [
    "студзеня", "лютага", "сакавіка", "красавіка", "траўня", "чэрвеня",
    "ліпеня", "жніўня", "верасня", "кастрычніка", "лістапада", "снежня",
]  # fmt: skip
_ENGLISH = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
# Abbreviations as newsrooms write them ("28 авг.", "Aug 28"); the dot is optional.
_ABBREVIATIONS = {
    "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for spelling in (_RUSSIAN, _BELARUSIAN, _ENGLISH):
        for number, name in enumerate(spelling, start=1):
            names[name] = number
    names["мая"] = 5  # Belarusian writes May as траўня or мая
    # Belarusian typed on a Russian keyboard: Latin i for і, у for ў.
    for name, number in list(names.items()):
        names.setdefault(name.replace("і", "i"), number)
        names.setdefault(name.replace("ў", "у").replace("і", "i"), number)
    for name, number in _ABBREVIATIONS.items():
        names.setdefault(name, number)
    return names


MONTHS = _month_names()

_month = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_DAY = r"(?<![\w.,:/])(?:0?[1-9]|[12]\d|3[01])(?!\d)(?:-?го|st|nd|rd|th)?"
_MONTH = rf"(?:{_month})(?![^\W\d_])\.?"
_YEAR = r"(?<!\d)[12]\d{3}(?!\d)(?:\s*(?:г(?:ода|оду|г)?\.?(?![^\W\d_])))?"
_NUMERIC_MONTH = r"(?:0?[1-9]|1[0-2])"
# A dash of any kind, or a word: "с 28 по 30", "з 28 па 30", "from 28 to 30".
_TO = r"(?:\s*[-‐‑‒–—―−]\s*|\s+(?:по|до|па|да|to|till|until|through)\s+)"
# Between two days of one month "and" reads as a range too: "28 и 29 августа".
_TO_DAY = r"(?:\s*[-‐‑‒–—―−]\s*|\s+(?:по|до|па|да|to|till|until|through|и|і|and)\s+)"

_DAY_MONTH = r"(?P<{d}>{day})(?:\s+of)?\s*(?P<{m}>{month})(?:\s*,?\s*(?P<{y}>{year}))?"
_MONTH_DAY = r"(?P<{m}>{month})\s*(?P<{d}>{day})(?:\s*,?\s*(?P<{y}>{year}))?"


def _day_month(suffix: str) -> str:
    return _DAY_MONTH.format(
        d=f"d{suffix}", m=f"m{suffix}", y=f"y{suffix}", day=_DAY, month=_MONTH, year=_YEAR
    )


def _month_day(suffix: str) -> str:
    return _MONTH_DAY.format(
        d=f"d{suffix}", m=f"m{suffix}", y=f"y{suffix}", day=_DAY, month=_MONTH, year=_YEAR
    )


# The alternatives are tried at each position in order, longest form first; the leftmost
# match in the text wins.
_PATTERN = re.compile(
    "|".join(
        [
            # 30 августа 2024 г. – 2 сентября 2025 г.; 30 августа – 2 сентября 2024 г.
            f"(?P<full>{_day_month('1')}{_TO}{_day_month('2')})",
            # 28 – 30 августа 2024 г.; с 28 по 30 августа
            rf"(?P<days>(?P<d3>{_DAY}){_TO_DAY}{_day_month('4')})",
            # August 30 – September 2, 2024
            f"(?P<en_full>{_month_day('5')}{_TO}{_month_day('6')})",
            # August 28–30, 2024
            rf"(?P<en_days>{_month_day('7')}{_TO_DAY}(?P<d8>{_DAY})(?:\s*,?\s*(?P<y8>{_YEAR}))?)",
            # 28 августа 2024 г.
            f"(?P<single>{_day_month('9')})",
            # August 28, 2024
            f"(?P<en_single>{_month_day('10')})",
            # 28.08.2024 – 30.08.2024; 28.08 – 30.08.2024; 28–30.08.2024; 28.08.2024
            rf"(?P<numeric>(?P<d11>{_DAY})(?:\.(?P<m11>{_NUMERIC_MONTH})(?:\.(?P<y11>\d{{4}}))?)?"
            rf"{_TO}(?P<d12>{_DAY})\.(?P<m12>{_NUMERIC_MONTH})\.(?P<y12>\d{{4}})(?!\d)"
            rf"|(?P<d13>{_DAY})\.(?P<m13>{_NUMERIC_MONTH})\.(?P<y13>\d{{4}})(?!\d))",
        ]
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Candidate:
    """A date or range as written: the year may be missing from either end."""

    start_day: int
    start_month: int
    start_year: int | None
    end_day: int | None
    end_month: int | None
    end_year: int | None

    @property
    def explicit_year(self) -> int | None:
        return self.start_year or self.end_year

    def resolve(self, default_year: int | None) -> tuple[datetime.date, datetime.date | None]:
        """The calendar dates; ValueError when they do not exist or cannot be placed."""
        if self.end_day is None or self.end_month is None:
            year = self.start_year or default_year
            if year is None:
                raise ValueError("no year")
            return datetime.date(year, self.start_month, self.start_day), None
        start_year, end_year = self.start_year, self.end_year
        wraps = self.end_month < self.start_month  # 30 декабря – 2 января
        if start_year is None and end_year is None:
            start_year = default_year
        if start_year is None and end_year is not None:
            start_year = end_year - 1 if wraps else end_year
        if start_year is None:
            raise ValueError("no year")
        if end_year is None:
            end_year = start_year + 1 if wraps else start_year
        start = datetime.date(start_year, self.start_month, self.start_day)
        end = datetime.date(end_year, self.end_month, self.end_day)
        if end < start:
            raise ValueError("ends before it starts")
        return start, (end if end != start else None)


def _number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _year(text: str | None) -> int | None:
    return _number(text) if text else None


def _written(g: Callable[[str], str | None], n: int) -> tuple[int, int, int | None]:
    """The day, month and year of the date whose groups end in n (d1, m1, y1...)."""
    return _number(g(f"d{n}")), _month_number(g(f"m{n}")), _year(g(f"y{n}"))


def _candidates(text: str) -> Iterator[_Candidate]:
    for match in _PATTERN.finditer(text):
        g = match.group
        if g("full"):
            yield _Candidate(*_written(g, 1), *_written(g, 2))
        elif g("days"):
            month, year = _month_number(g("m4")), _year(g("y4"))
            yield _Candidate(_number(g("d3")), month, year, _number(g("d4")), month, year)
        elif g("en_full"):
            yield _Candidate(*_written(g, 5), *_written(g, 6))
        elif g("en_days"):
            month, year = _month_number(g("m7")), _year(g("y7")) or _year(g("y8"))
            yield _Candidate(_number(g("d7")), month, year, _number(g("d8")), month, year)
        elif g("single"):
            yield _Candidate(*_written(g, 9), None, None, None)
        elif g("en_single"):
            yield _Candidate(*_written(g, 10), None, None, None)
        elif g("d12"):
            end_month, end_year = int(g("m12")), int(g("y12"))
            # 28–30.08.2024 names its month once; 28.12 – 02.01.2025 may cross a year.
            start_year = _year(g("y11")) if g("m11") else end_year
            yield _Candidate(
                _number(g("d11")), int(g("m11") or end_month), start_year,
                _number(g("d12")), end_month, end_year,
            )  # fmt: skip
        else:
            yield _Candidate(_number(g("d13")), int(g("m13")), int(g("y13")), None, None, None)


def parse_event_dates(
    text: str, default_year: int | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The first date or date range in text, as (start, end).

    A single day gives (day, None), and so does a range that starts and ends on one day. A date
    written without a year takes default_year; without one it is passed over, like a date that
    does not exist (31 февраля) or a range that ends before it starts. (None, None) when nothing
    in text can be placed in the calendar.
    """
    for candidate in _candidates(text):
        try:
            return candidate.resolve(default_year)
        except ValueError:
            continue
    return None, None


def first_year(text: str) -> int | None:
    """The year of the first date in text that is written with its year."""
    for candidate in _candidates(text):
        if candidate.explicit_year is None:
            continue
        try:
            candidate.resolve(None)
        except ValueError:
            continue
        return candidate.explicit_year
    return None
