"""Records of the linking stage: what it reads (articles and their quotes) and what it finds."""
from __future__ import annotations

from dataclasses import dataclass

from skazal.ingest.records import ArticleRecord


@dataclass(frozen=True, slots=True)
class SpokenWords:
    """One quote of one article, as the extractor gives it (offsets into the extracted body)."""

    kind: str  # direct, mixed or indirect
    text: str
    speaker: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AnalysedArticle:
    """An article with what the extractor found in it: quotes, named entities, cited sources."""

    record: ArticleRecord
    quotes: tuple[SpokenWords, ...]
    entities: tuple[str, ...] = ()  # canonical names, PER/ORG/LOC
    sources: tuple[str, ...] = ()  # who the article says passed the news on ("ТАСС")


@dataclass(frozen=True, slots=True)
class Story:
    """Articles reporting the same event, by publication time."""

    id: str
    urls: tuple[str, ...]
    title: str


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One printing of an utterance, related to the reference wording."""

    url: str
    outlet: str | None
    published: str | None
    time_precision: str | None
    kind: str
    text: str
    relation: str
    meaning_altered: bool
    first: bool = False
    tied_first: bool = False
    cites: str | None = None  # the outlet this article says it took the words from
    changes: tuple[str, ...] = ()  # what changed the meaning: "number 50→около 50", "negation"...


@dataclass(frozen=True, slots=True)
class Utterance:
    """One statement of one speaker with every occurrence across outlets."""

    id: str
    speaker: str
    story: str | None
    reference: str  # the reference wording all relations are measured against
    occurrences: tuple[Occurrence, ...]
