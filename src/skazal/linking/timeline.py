"""Publication times as numbers: hours since the epoch, for windows and penalties."""
from __future__ import annotations

from datetime import UTC, datetime

from skazal.ingest.records import ArticleRecord

DAY_ONLY_HOUR = 12  # a date without a time is placed at noon: within half a day of any time that day


def hours(record: ArticleRecord) -> float | None:
    if not record.published:
        return None
    text = record.published.rstrip("Z")
    moment = datetime.fromisoformat(text if "T" in text else f"{text}T{DAY_ONLY_HOUR:02d}:00")
    return moment.replace(tzinfo=UTC).timestamp() / 3600


def order_key(record: ArticleRecord) -> tuple[str, str, str]:
    """Articles in time order; a day-only date sorts after every minute of its day, never before."""
    published = record.published or "9999"
    if record.time_precision == "day":
        published += "T99:99Z"
    return published, record.url, record.page_text
