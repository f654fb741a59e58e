"""Quotation marks: «…», „…“, “…” and straight "…", nested or not, found by their offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "…», — сказал он", but not the dash of a copula inside the words ("«Эхо Москвы» — это площадка")
_ATTRIBUTION_AFTER = re.compile(r"\s*[,.!?…]?\s*[—–]\s*(?!(?:это|то|так|не|как|и|а|но|вот|значит|всё|все)\b)[а-яё]")

_CLOSERS = {"«": "»", "„": "“", "“": "”"}
OPENERS = '«„“"'
CLOSERS = '»“”"'
# the only characters the scan below acts on
_MARK = re.compile("[" + re.escape(OPENERS + CLOSERS) + "]")


@dataclass(frozen=True, slots=True)
class Quoted:
    """Words in quotation marks: `start` is the opening mark, `end` is one past the closing mark
    (or the end of the scanned text when the mark is never closed)."""

    start: int
    end: int
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


def straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([«„—-:") and not after.isspace()


def quoted_spans(text: str, start: int = 0, end: int | None = None) -> list[Quoted]:
    """The outermost quotations in `text[start:end]`, in order."""
    end = len(text) if end is None else end
    found: list[Quoted] = []
    stack: list[tuple[str, int]] = []
    for mark in _MARK.finditer(text, start, end):
        i, char = mark.start(), mark.group()
        if char == '"':
            if stack and stack[-1][0] == '"' and not straight_opens(text, i):
                _close(stack, found, i)
            elif straight_opens(text, i):
                stack.append(('"', i))
            continue
        if stack and char == stack[-1][0]:
            _close(stack, found, i)
        elif char in _CLOSERS:
            stack.append((_CLOSERS[char], i))
        elif char == "»" and any(closer == "»" for closer, _ in stack):
            while stack[-1][0] != "»":
                stack.pop()
            _close(stack, found, i)
        if char == "»" and stack and _ATTRIBUTION_AFTER.match(text, i + 1, end):
            # Words attributed right after this mark ("…», — сказал он") end the whole quotation,
            # whatever inner mark the writer left open.
            del stack[1:]
            _close(stack, found, i)
    if stack:
        found.append(Quoted(stack[0][1], end, closed=False))
    return found


def _close(stack: list[tuple[str, int]], found: list[Quoted], i: int) -> None:
    _, opened = stack.pop()
    if not stack:
        found.append(Quoted(opened, i + 1, closed=True))
