"""A time line of printings: where each outlet's article (or occurrence) stands in time, drawn as SVG.

The page's Content-Security-Policy allows no inline style, so positions are SVG attributes computed
here. Only times to the minute are placed; a bare date could be any minute of its day, and is listed
beside the line instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

WIDTH = 1000
ROW = 24
MARGIN = 12  # room for a mark's circle at either end
LABEL_AFTER = 0.7  # past this share of the width a label stands left of its mark


@dataclass(frozen=True, slots=True)
class Printed:
    """One printing to place: when, by whom, and where its page is."""

    published: str | None
    label: str
    href: str | None
    first: bool = False
    altered: bool = False


@dataclass(frozen=True, slots=True)
class Mark:
    printed: Printed
    x: float
    y: int
    label_x: float
    label_anchor: str  # start or end
    minutes: int  # after the earliest placed printing


@dataclass(frozen=True, slots=True)
class TimeLine:
    marks: tuple[Mark, ...]
    undated: tuple[Printed, ...]  # a date alone, or no time at all
    start: str | None
    end: str | None
    height: int
    width: int = WIDTH


def moment(published: str | None) -> datetime | None:
    """The time of a printing given to the minute, or None for a bare date or nothing."""
    if not published or "T" not in published:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None


def time_line(printed: list[Printed]) -> TimeLine:
    """The printings placed by time, one row each, in time order."""
    timed = sorted(((moment(p.published), p) for p in printed if moment(p.published)), key=lambda pair: pair[0])
    undated = tuple(p for p in printed if moment(p.published) is None)
    if not timed:
        return TimeLine((), undated, None, None, 0)
    first, last = timed[0][0], timed[-1][0]
    span = (last - first).total_seconds() or 1.0
    marks = []
    for row, (when, p) in enumerate(timed):
        share = (when - first).total_seconds() / span if last > first else 0.0
        x = MARGIN + share * (WIDTH - 2 * MARGIN)
        after = share <= LABEL_AFTER
        marks.append(Mark(p, round(x, 1), ROW * row + ROW // 2 + 4, round(x + 10 if after else x - 10, 1),
                          "start" if after else "end", int((when - first).total_seconds() // 60)))
    return TimeLine(tuple(marks), undated, timed[0][1].published, timed[-1][1].published, ROW * len(timed) + 8)
