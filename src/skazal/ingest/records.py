"""Article records as input: JSON Lines or CSV of `url`, `title`, `text`, `published`, `outlet`.

The shape of the multi-outlet corpus and of the public Lenta.ru / Gazeta / RIA datasets. Each
record is one page; its outlet and its publication time are kept, with the precision the time
was given at ("minute" where a clock time is given, "day" where only a date is).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from skazal.errors import SkazalError

RECORD_SUFFIXES = (".jsonl", ".csv")
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


class BadArticleRecord(SkazalError):
    """A line of an article file that is not a record skazal can read (no JSON object, no text)."""


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    url: str
    title: str
    text: str
    outlet: str | None
    published: str | None  # "YYYY-MM-DDTHH:MMZ" at minute precision, "YYYY-MM-DD" at day precision
    time_precision: str | None  # "minute", "day" or None when no time is given
    id: str | None = None

    @property
    def page_text(self) -> str:
        """The record as a text scrape: the title, a blank line, the text."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


def is_record_file(path: Path) -> bool:
    return path.suffix.lower() in RECORD_SUFFIXES


def read_records(path: Path) -> Iterator[ArticleRecord | BadArticleRecord]:
    """Every article of a .jsonl or .csv file, in file order; a `BadArticleRecord` for each bad line."""
    with path.open(encoding="utf-8", newline="") as handle:
        if path.suffix.lower() == ".csv":
            rows: Iterator[tuple[int, object]] = enumerate(csv.DictReader(handle), start=2)
        else:
            rows = ((number, line) for number, line in enumerate(handle, start=1) if line.strip())
        for number, row in rows:
            try:
                yield article_record(json.loads(row) if isinstance(row, str) else row)
            except (BadArticleRecord, json.JSONDecodeError) as error:
                yield BadArticleRecord(f"{path}:{number}: {error}")


def records_from_text(text: str, suffix: str = ".jsonl") -> list[ArticleRecord]:
    """Records from JSON Lines or CSV text (tests, stdin); a bad record raises `BadArticleRecord`."""
    if suffix == ".csv":
        return [article_record(row) for row in csv.DictReader(io.StringIO(text))]
    return [article_record(json.loads(line)) for line in text.splitlines() if line.strip()]


def article_record(fields: object) -> ArticleRecord:
    if not isinstance(fields, dict):
        raise BadArticleRecord("not a JSON object")
    text = (fields.get("text") or "").strip()
    url = (fields.get("url") or "").strip()
    if not text:
        raise BadArticleRecord(f"no text ({url or 'no url'})")
    published, precision = published_at(fields.get("published"), fields.get("time_precision"))
    return ArticleRecord(
        url=url,
        title=(fields.get("title") or "").strip(),
        text=text,
        outlet=(fields.get("outlet") or "").strip() or None,
        published=published,
        time_precision=precision,
        id=fields.get("id") or None,
    )


def published_at(value: object, precision: object = None) -> tuple[str | None, str | None]:
    """An ISO time and its precision; a record marked day-only ("day", "day?") keeps only its date."""
    match = _DATE.match(str(value or ""))
    if match is None:
        return None, None
    year, month, day, hour, minute, _ = match.groups()
    date = f"{year}-{month}-{day}"
    if hour is None or str(precision or "").startswith("day"):
        return date, "day"
    return f"{date}T{hour}:{minute}Z", "minute"
