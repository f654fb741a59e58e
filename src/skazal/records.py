"""Plain records that flow between the pipeline's stages.

Offsets (`start`, `end`) are character offsets into `Page.body`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Image:
    caption: str
    credit: str | None = None


@dataclass(frozen=True)
class Source:
    """Who passed the news on ("сообщает его пресс-служба", "по данным ТАСС")."""

    name: str
    phrase: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """What the page reader finds on a page, before any language analysis."""

    body: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    rubric: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    format: str = "text"
    teasers: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    banners: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # One per body paragraph where the page's layout is known (HTML), else empty: "heading",
    # "blockquote", "bold" or "italic" (all its words in that type), or None for plain text.
    paragraph_marks: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A name as written; offsets index `where` ("body", "title", "teaser:N", "caption:N", "credit:N")."""

    start: int
    end: int
    text: str
    where: str = "body"


@dataclass(frozen=True)
class Entity:
    name: str
    type: str  # PER, ORG or LOC
    mentions: tuple[Mention, ...] = ()
    aliases: tuple[str, ...] = ()
    role: str | None = None


@dataclass(frozen=True)
class Cue:
    lemma: str
    form: str
    start: int
    end: int


@dataclass(frozen=True)
class Speaker:
    name: str
    type: str  # PER or ORG
    mention: Mention | None = None
    role: str | None = None


@dataclass(frozen=True)
class Quote:
    kind: str  # direct, mixed or indirect
    text: str
    start: int
    end: int
    cue: Cue | None = None
    speaker: Speaker | None = None
    anonymous_description: str | None = None
    confidence: float = 0.5
    nested: bool = False


@dataclass(frozen=True)
class Page:
    article: Article
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    sources: tuple[Source, ...] = field(default=())

    @property
    def body(self) -> str:
        return self.article.body

    @property
    def title(self) -> str | None:
        return self.article.title


@dataclass(frozen=True)
class IngestedPage:
    """A page read for the corpus: where it came from and what was extracted from it."""

    location: str  # what was read: a URL, a file path, "archive.warc.gz#<record id>"
    url: str | None  # the page's address, when known (None for a loose file)
    outlet: str | None  # the site's host name ("lenta.ru"), or None for a loose file
    content_hash: str  # sha256 hex of the extracted body, to tell revisions and duplicates
    page: Page
    fetched_at: str | None = None  # ISO 8601, UTC
    feed_text: bool = False  # the feed's own text of the item, standing in for a page that could not be fetched


@dataclass(frozen=True)
class Failure:
    """An input that could not be ingested, kept with its reason (quarantined)."""

    location: str
    reason: str
    at: str  # ISO 8601, UTC
