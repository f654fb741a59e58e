"""Publication times as a reader reads them: "3 мая 2020, 10:53 UTC", "3 May 2020"; the ISO value stays in
`<time datetime>` for machines (and for static/local-times.js, which shows it in the reader's own zone)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from skazal.web.language import strings


def readable_time(value: str | None, language: str) -> str:
    """An ISO day or time, written out in the language; its zone is the one it was given in (UTC for "Z").
    A value that is neither is shown as it is."""
    if not value:
        return ""
    months = strings(language)["months"]
    if "T" not in value:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {months[day.month - 1]} {day.year}"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    written = f"{moment.day} {months[moment.month - 1]} {moment.year}, {moment:%H:%M}"
    offset = moment.utcoffset()
    return f"{written} {_zone(offset)}" if offset is not None else written


def _zone(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '−'}{hours}" + (f":{rest:02}" if rest else "")
