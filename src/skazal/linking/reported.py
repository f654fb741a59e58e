"""Reported speech the extractor did not give: a statement retold in another article of its story.

The extractor misses many reports (a clause with no speech verb it knows, "сообщила РБК ФНС", a
sentence that goes on with the last one's speaker). In every article of a story that has no
printing of an utterance, each sentence is compared with the utterance's printings by content
lemmas; a sentence sharing most of its words with one of them, both ways (neither a short sentence
inside a long quote nor the reverse), is a report of it: the words from the first shared one to
the last. A sentence reports one utterance at most, an article each utterance once, and only an
article that names the speaker (when there is one) reports them.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from razdel import sentenize

from skazal.linking.records import AnalysedArticle, SpokenWords
from skazal.linking.words import is_content, is_vague, lemma, lemma_spans, lemmas, name_tokens

MIN_SHARED = 4  # content lemmas: fewer are shared by chance within a story
# the last "что" or comma before the reported words: where a lead-in ends
_CLAUSE_OPENING = re.compile(r"(?:,|:|\bчто\b)\s*(?!.*(?:,|:|\bчто\b))", re.S)


@dataclass(frozen=True, slots=True)
class Said:
    """What is known of one utterance: its speaker and the content lemmas of each of its printings."""

    speaker: str | None
    printings: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Report:
    """A sentence of an article found to report utterance number `utterance`."""

    share: float
    utterance: int
    article: AnalysedArticle
    words: SpokenWords


def reports(
    utterances: list[Said], articles: Iterable[AnalysedArticle], printed: set[tuple[int, str]], needed: float
) -> list[Report]:
    """The reports found in the articles of one story; `printed` holds the (utterance, url) pairs
    that are printed already."""
    index: dict[str, list[tuple[int, int]]] = {}
    for k, said in enumerate(utterances):
        for n, words in enumerate(said.printings):
            for word in words:
                index.setdefault(word, []).append((k, n))
    found: dict[tuple[int, str], Report] = {}
    for article in articles:
        url = article.record.url
        quoted = _quoted_lemmas(article)
        for start, spans in sentences(article.record.text):
            content = frozenset(word for word, _, _ in spans if is_content(word))
            if len(content) < MIN_SHARED or len(content & quoted) > len(content) / 2:
                continue
            shared = Counter(at for word in content for at in index.get(word, ()))
            best: tuple[float, int] | None = None
            for (k, n), count in sorted(shared.items()):
                share = count / max(len(content), len(utterances[k].printings[n]))
                if count < MIN_SHARED or share < needed or (best is not None and share <= best[0]):
                    continue
                if (k, url) not in printed and _names(article, utterances[k].speaker):
                    best = (share, k)
            if best is None:
                continue
            share, k = best
            if (k, url) not in found or share > found[(k, url)].share:
                found[(k, url)] = Report(share, k, article, _words(article, start, spans, utterances[k]))
    return [found[key] for key in sorted(found)]


def _words(article: AnalysedArticle, start: int, spans: tuple[tuple[str, int, int], ...], said: Said) -> SpokenWords:
    """The sentence's words up to the last it shares with the utterance, from the first shared one's
    clause on (a lead-in "заявил он, что" is the report's, not the words reported)."""
    text = article.record.text
    known = frozenset().union(*said.printings)
    shared = [(begin, end) for word, begin, end in spans if word in known]
    lead_in = _CLAUSE_OPENING.search(text, start, shared[0][0])
    begin = lead_in.end() if lead_in else start
    return SpokenWords("indirect", text[begin:shared[-1][1]], said.speaker, begin, shared[-1][1])


def _names(article: AnalysedArticle, speaker: str | None) -> bool:
    """The article names the speaker: a word of the name, or the name as one abbreviation, is in its text."""
    if is_vague(speaker):
        return True
    words = _text_lemmas(article.record.text)
    return any(lemma(token) in words for token in name_tokens(speaker) if len(token) > 2)


def _quoted_lemmas(article: AnalysedArticle) -> frozenset[str]:
    return frozenset().union(*(_content_of(quote.text) for quote in article.quotes))


@lru_cache(maxsize=65536)
def _content_of(text: str) -> frozenset[str]:
    return frozenset(filter(is_content, lemmas(text)))


@lru_cache(maxsize=4096)
def _text_lemmas(text: str) -> frozenset[str]:
    return frozenset(word for _, spans in sentences(text) for word, _, _ in spans)


@lru_cache(maxsize=8192)
def sentences(text: str) -> tuple[tuple[int, tuple[tuple[str, int, int], ...]], ...]:
    """Each sentence's start with its words' lemmas and their offsets in the text (an article's
    analysis, made once)."""
    return tuple(
        (part.start, tuple((word, part.start + s, part.start + e) for word, s, e in lemma_spans(part.text)))
        for part in sentenize(text)
    )
