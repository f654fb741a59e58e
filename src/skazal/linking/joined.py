"""Quotations that join two statements, split into one printing for each.

An outlet often prints two statements of one speaker as one quotation ("Я думаю, что льготная
ипотека … позволит. Вы знаете, люди у нас хорошо считают …") where others print them apart. A
verbatim printing is cut between two of its sentences when another article of its story quotes the
words before the cut and those after it as two quotations, or when the earliest printing of its
words holds one side alone and another printing the other: the cut is where outlets parted the
statements (a statement first printed whole and cut short by some outlets later stays one). Each
part is then linked as a printing of its own.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from skazal.linking.records import SpokenWords
from skazal.linking.timeline import order_key
from skazal.linking.utterances import Printing
from skazal.linking.words import is_vague, lemmas, same_speaker

_SENTENCE_GAP = re.compile(r"(?<=[.!?…])\s+")
COVERED = 0.8  # share of a sentence (or of the other printing, when shorter) aligned with it
INSIDE = 0.8  # share of the other printing's words found in the sentences it covers
MIN_PART = 4  # lemmas: a shorter part is a lead-in or a tail, not a statement


def split_joined(printings: Iterable[Printing]) -> list[Printing]:
    """The printings, each verbatim one that joins statements printed apart elsewhere cut in parts."""
    printings = list(printings)
    of_story: dict[str, list[Printing]] = {}
    for printing in printings:
        if printing.story is not None and printing.quote.kind == "direct":
            of_story.setdefault(printing.story, []).append(printing)
    split = []
    for printing in printings:
        others = of_story.get(printing.story, []) if printing.quote.kind == "direct" else []
        split.extend(_parts(printing, others))
    return split


def _parts(printing: Printing, others: list[Printing]) -> list[Printing]:
    spans = _sentence_spans(printing.quote.text)
    if len(spans) < 2:
        return [printing]
    sentences = [lemmas(printing.quote.text[start:end]) for start, end in spans]
    whole = (0, len(spans) - 1)
    runs: dict[str, set[tuple[int, int]]] = {}  # each other article's quotations holding some sentences alone
    earliest: tuple[tuple, tuple[int, int]] = (order_key(printing.article.record), whole)
    for other in others:
        if not _may_be_one(printing, other):
            continue
        run = _covered_run(sentences, other.lemmas)
        if run is None:
            continue
        earliest = min(earliest, (order_key(other.article.record), run))
        if run != whole:
            runs.setdefault(other.article.record.url, set()).add(run)
    apart = set().union(*runs.values()) if runs else set()
    cuts = [k for k in range(len(spans) - 1)
            if any(_parted_at(k, held) for held in runs.values()) or _first_printed_apart(k, earliest[1], apart)]
    cuts = [k for k in cuts if _long_enough(sentences, cuts, k)]
    if not cuts:
        return [printing]
    bounds = [0, *(k + 1 for k in cuts), len(spans)]
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        start, end = spans[a][0], spans[b - 1][1]
        if b < len(spans):  # a statement printed alone ends where its quotation mark closes, on no full stop
            end = len(printing.quote.text[:end].rstrip("."))
        parts.append(_part(printing, start, end))
    return parts


def _parted_at(k: int, held: set[tuple[int, int]]) -> bool:
    """One article quotes the sentences up to `k` and those after it as two quotations."""
    return any(end == k for _, end in held) and any(start == k + 1 for start, _ in held)


def _first_printed_apart(k: int, first: tuple[int, int], apart: set[tuple[int, int]]) -> bool:
    """The earliest printing held one side of the cut alone, and some printing holds the other side
    alone: the statements came out apart (a statement first printed whole stays one, however outlets
    cut it later)."""
    if first[1] == k:
        return any(start == k + 1 for start, _ in apart)
    if first[0] == k + 1:
        return any(end == k for _, end in apart)
    return False


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for gap in _SENTENCE_GAP.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _may_be_one(printing: Printing, other: Printing) -> bool:
    if other.article.record.url == printing.article.record.url:
        return False
    if not printing.content & other.content:
        return False
    a, b = printing.quote.speaker, other.quote.speaker
    return is_vague(a) or is_vague(b) or same_speaker(a, b)


def _covered_run(sentences: list[list[str]], other: tuple[str, ...]) -> tuple[int, int] | None:
    """The first and last sentence the other printing holds, when they run on and hold most of it."""
    covered = [k for k, words in enumerate(sentences) if words and _aligned(words, other) >= COVERED]
    if not covered or covered != list(range(covered[0], covered[-1] + 1)):
        return None
    run = [word for words in sentences[covered[0]:covered[-1] + 1] for word in words]
    inside = _matched(run, other) / len(other) if other else 0.0
    return (covered[0], covered[-1]) if inside >= INSIDE else None


def _aligned(sentence: list[str], other: tuple[str, ...]) -> float:
    return _matched(sentence, other) / min(len(sentence), len(other))


def _matched(a: list[str] | tuple[str, ...], b: list[str] | tuple[str, ...]) -> int:
    return sum(block.size for block in Levenshtein.opcodes(a, b).as_matching_blocks())


def _long_enough(sentences: list[list[str]], cuts: list[int], cut: int) -> bool:
    """Both sides of the cut, up to the cuts beside it, have words enough to be statements."""
    before = max((k for k in cuts if k < cut), default=-1)
    after = min((k for k in cuts if k > cut), default=len(sentences) - 1)
    left = sum(len(words) for words in sentences[before + 1:cut + 1])
    right = sum(len(words) for words in sentences[cut + 1:after + 1])
    return left >= MIN_PART and right >= MIN_PART


def _part(printing: Printing, start: int, end: int) -> Printing:
    quote = printing.quote
    text = quote.text[start:end]
    words = SpokenWords(quote.kind, text, quote.speaker, quote.start + start, quote.start + end)
    sentences = tuple(tuple(lemmas(part)) for part in _SENTENCE_GAP.split(text))
    return Printing(printing.article, words, printing.story, tuple(lemmas(text)), sentences)
