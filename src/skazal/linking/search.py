"""Printings the extractor did not give: a statement's words found again in the articles of its story.

A scraped text often hides a quotation from the extractor (glued to the sentence before it, its
marks lost). Each sentence of the reference wording is looked for in every article of the story
that has no verbatim printing of it (rapidfuzz's best aligned window); windows found side by side
make one printing, direct when it stands in quotation marks or after a dash, else reported. Both
texts are compared without what outlets print differently around the same words: editors' glosses
in brackets ("(медицинских масок — ред.)", "(масок. ― Ред.)"), no-break spaces, ё, quote and dash marks.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from skazal.linking.alterations import GLOSS
from skazal.linking.records import AnalysedArticle, SpokenWords
from skazal.linking.words import lemmas

MIN_WORDS = 6  # a sentence shorter than this is found by chance
MIN_SCORE = 85.0  # rapidfuzz's ratio of the best window: dashes, ё, "млн" for "миллионов"
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
# an opening mark or a paragraph's dash, then at most two words the aligned window left out ("«В")
_OPENED = re.compile(r"(?:[«\"“„]|(?<!\w)[—–-])\s*(?:[^\W\d_]+\s+){0,2}$")
_SAME_MARK = str.maketrans({"\xa0": " ", "\n": " ", "\t": " ", "\r": " ", "ё": "е", "Ё": "Е",
                            "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "—": "-", "–": "-", "―": "-"})
# glosses with the spaces around them, or a run of spaces: one space (a lone space of any kind is translated)
_GAP = re.compile(rf"(?:\s*(?:{GLOSS.pattern}))+\s*|\s{{2,}}")


def found_again(reference: str, article: AnalysedArticle, speaker: str | None) -> SpokenWords | None:
    """The reference's words in this article, as one printing, or None when too little of them is there."""
    text = article.record.text
    searched = _comparable(text)
    windows = []
    for sentence in _SENTENCE.findall(_comparable(reference).text):
        sentence = sentence.strip()
        if len(lemmas(sentence)) < MIN_WORDS:
            continue
        found = fuzz.partial_ratio_alignment(sentence, searched.text, score_cutoff=MIN_SCORE)
        if found is not None:
            windows.append((searched.origin(found.dest_start), searched.origin(found.dest_end - 1) + 1))
    if not windows:
        return None
    start, end = _word_bounds(text, min(s for s, _ in windows), max(e for _, e in windows))
    if end - start > 2 * len(reference):  # windows far apart: pieces of other sentences
        return None
    opened = _OPENED.search(text, max(0, start - 30), start)
    if opened is None:
        return SpokenWords("indirect", text[start:end], speaker, start, end)
    start = opened.end() - len(opened.group()[1:].lstrip())
    return SpokenWords("direct", text[start:end], speaker, start, end)


@dataclass(frozen=True, slots=True)
class _Comparable:
    """A text without glosses, its marks and spaces printed one way, and where each of its runs of
    characters starts in the text."""

    text: str
    starts: tuple[int, ...]  # offsets in `text` where a run begins
    origins: tuple[int, ...]  # the offsets in the original text where those runs begin

    def origin(self, offset: int) -> int:
        run = bisect_right(self.starts, offset) - 1
        return self.origins[run] + offset - self.starts[run]


@lru_cache(maxsize=8192)
def _comparable(text: str) -> _Comparable:
    parts: list[str] = []
    starts, origins = [0], [0]
    length = last = 0
    for gap in _GAP.finditer(text):
        run = text[last:gap.start()].translate(_SAME_MARK)
        parts.extend((run, " "))
        length += len(run)
        starts.extend((length, length + 1))
        origins.extend((gap.start(), gap.end()))
        length += 1
        last = gap.end()
    parts.append(text[last:].translate(_SAME_MARK))
    return _Comparable("".join(parts), tuple(starts), tuple(origins))


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The window trimmed to its first and last word, then widened to whole words."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end
