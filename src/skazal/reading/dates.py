"""Dates as pages write them, to ISO 8601: "2022-05-12T14:05:00+03:00", "12 мая 2022, 14:05", "12.05.2022".

What the text gives is kept and nothing is added: "12 мая" without a year becomes "--05-12",
"в мае 2022 года" becomes "2022-05", and a date no calendar has (31 февраля) is dropped.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib import resources

FIRST_YEAR, LAST_YEAR = 1900, 2100
DATE_LINE_CHARS = 100
DATE_LINE_OTHER_WORDS = 4
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-яё]")
_DIGIT = re.compile(r"\d")
_TIME = r"(?P<{h}>\d{{1,2}}):(?P<{m}>\d{{2}})(?::(?P<{s}>\d{{2}}))?"
_ZONE = r"(?:\s*\(?(?P<zone>Z|[+-]\d{2}:?\d{2}|GMT|UTC|МСК|MSK)(?![\w:]))?"
_ISO = re.compile(
    r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?(?![\d-])"
    r"(?:[T\s]" + _TIME.format(h="hour", m="minute", s="second") + r"(?:\.\d+)?" + _ZONE + ")?"
)
_NUMERIC = re.compile(
    r"(?:" + _TIME.format(h="hour0", m="minute0", s="second0") + r"(?:[\s,|]+|\s+[-–—]\s+))?"
    r"(?<![\d.])(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4}|\d{2})(?![\d.]\d)"
    r"(?:(?:\s*,\s*|\s+(?:в\s+)?|\s*\|\s*|\s+[-–—]\s+)" + _TIME.format(h="hour", m="minute", s="second") + _ZONE + ")?"
)


@cache
def _calendar_words() -> dict:
    return tomllib.loads(resources.files("skazal.data").joinpath("date_months.toml").read_text(encoding="utf-8"))


@cache
def _months() -> dict[str, int]:
    table = _calendar_words()["months"]
    return {name: int(number) for number, names in table.items() for name in names}


@cache
def _line_words() -> frozenset[str]:
    return frozenset(_calendar_words()["line"]["words"])


@cache
def _phrase() -> re.Pattern:
    names = "|".join(sorted(map(re.escape, _months()), key=len, reverse=True))
    return re.compile(
        r"(?:" + _TIME.format(h="hour0", m="minute0", s="second0") + r"(?:[\s,|]+|\s+[-–—]\s+))?"
        r"(?:(?<!\d)(?P<day>\d{1,2})\.?\s+)?(?P<month>" + names + r")(?![а-яёa-z])\.?"
        r"(?:\s*,?\s*(?P<year>\d{4})(?!\d)(?:\s*(?:года|год|г)(?![а-яё])\.?)?)?"
        r"(?:(?:\s*,\s*|\s+(?:в\s+)?|\s*\|\s*|\s*-\s*)" + _TIME.format(h="hour", m="minute", s="second") + _ZONE + ")?",
        re.I,
    )


def parse_date(text: str) -> str | None:
    """The first real date in `text` as ISO 8601 (possibly partial), or None."""
    return next((date for date, _ in _real_dates(text)), None)


def date_line(text: str) -> str | None:
    """The date of a line that does little but date something ("Пятница, 22 апреля 2016 г.",
    "Piter 6 Января 2012 14:05:28"), or None for a sentence that mentions a date."""
    if len(text) > DATE_LINE_CHARS:
        return None
    for date, match in _real_dates(text):
        rest = _WORD.findall(text[: match.start()] + " " + text[match.end() :])
        if (match.end() - match.start()) * 2 < len(text.strip()) or len(rest) > DATE_LINE_OTHER_WORDS:
            return None
        telling = [word for word in rest if word.islower() and _CYRILLIC.match(word) and word not in _line_words()]
        return None if telling else date
    return None


def only_date(text: str) -> str | None:
    """The date of a line that is a date and nothing else ("13 октября 2012 года", "Пятница,
    22 апреля 2016 г."); a caption that names someone ("Евгения Чудновец, 26 марта 2017 года") is no date line."""
    found, match = next(_real_dates(text), (None, None)) if date_line(text) else (None, None)
    if found is None:
        return None
    rest = _WORD.findall(text[: match.start()] + " " + text[match.end() :])
    return found if all(word.lower() in _line_words() for word in rest) else None


def opening_date(text: str) -> str | None:
    """The full date a text opens with, as Wikinews dates its news ("13 октября 2012 года в
    Москве …"), or None: a date further in is what the story mentions, not when it was told."""
    date, match = next(_real_dates(text.lstrip()[:DATE_LINE_CHARS]), (None, None))
    return date if date is not None and match.start() == 0 and is_full_date(date) else None


def _real_dates(text: str) -> Iterator[tuple[str, re.Match]]:
    if not _DIGIT.search(text):
        return
    found = [match for pattern in (_ISO, _NUMERIC, _phrase()) for match in pattern.finditer(text)]
    for match in sorted(found, key=lambda m: m.start()):
        date = _from_match(match)
        if date is not None:
            yield date, match


def is_full_date(date: str | None) -> bool:
    """True for a date with year, month and day ("2022-05-12…"), not a partial one."""
    return bool(date) and re.match(r"\d{4}-\d{2}-\d{2}", date) is not None


def _from_match(match: re.Match) -> str | None:
    parts = match.groupdict()
    month = parts["month"]
    month = int(month) if month.isdigit() else _months()[month.lower()]
    year = _full_year(parts["year"]) if parts["year"] else None
    day = int(parts["day"]) if parts.get("day") else None
    if year is None and day is None:
        return None
    if not _real_day(year, month, day):
        return None
    date = _calendar(year, month, day)
    hour, minute, second = _clock(parts)
    if hour is None or day is None or year is None:
        return date
    zone = _zone(parts.get("zone"))
    if hour > 23 or minute > 59 or (second or 0) > 59 or not _real_zone(zone):
        return date
    clock = f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second is not None else "")
    return f"{date}T{clock}{zone}"


def _full_year(text: str) -> int | None:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= dt.date.today().year % 100 + 1 else 1900
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def _real_day(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        # Without a year, 29 февраля stands: 2000 was a leap year.
        dt.date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def _calendar(year: int | None, month: int, day: int | None) -> str:
    if year is None:
        return f"--{month:02d}-{day:02d}"
    if day is None:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _clock(parts: dict) -> tuple[int | None, int | None, int | None]:
    for suffix in ("", "0"):
        hour = parts.get("hour" + suffix)
        if hour is not None:
            second = parts.get("second" + suffix)
            return int(hour), int(parts["minute" + suffix]), int(second) if second is not None else None
    return None, None, None


def _real_zone(zone: str) -> bool:
    """Whether a time zone offset ("+03:00", or none) is one a clock can have: within ±14:00 ("+42:00" is not)."""
    return not zone or int(zone[1:3]) * 60 + int(zone[4:6]) <= 14 * 60 and int(zone[4:6]) < 60


def _zone(zone: str | None) -> str:
    if not zone:
        return ""
    zone = zone.upper()
    if zone in ("Z", "GMT", "UTC"):
        return "+00:00"
    if zone in ("МСК", "MSK"):
        return "+03:00"
    digits = zone.replace(":", "")
    return f"{digits[:3]}:{digits[3:]}"


def in_local_time(moment: str, shown: str) -> str:
    """A UTC `moment` in the page's own time zone, when the page `shown` the same moment as local time.

    "2018-08-22T21:02:00+00:00" shown as "00:02, 23 августа 2018" is "2018-08-23T00:02:00+03:00".
    """
    utc, local = _moment(moment), _moment(shown)
    if utc is None or local is None or utc.utcoffset() != dt.timedelta(0) or local.tzinfo is not None:
        return moment
    offset = local - utc.replace(tzinfo=None, second=0, microsecond=0)
    if offset % dt.timedelta(minutes=15) or abs(offset) > dt.timedelta(hours=14):
        return moment
    return (utc + offset).replace(tzinfo=dt.timezone(offset)).isoformat()


def _moment(date: str) -> dt.datetime | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}T", date):
        return None
    return dt.datetime.fromisoformat(date)
