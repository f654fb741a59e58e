"""The Parquet tables of a Spark ingest, and the rows of one page in them (plain tuples, no Spark).

Keys are deterministic: a document's id comes from its normalised URL (or where it was read from)
and the digest of its payload; a quote's, mention's, entity's and source's from the document's id
and where in the page they are. Every row carries the WARC file and the offset of its record.
A page's rows give back the same `IngestedPage` (`ingested_page`), so loading them saves exactly
what the single-machine ingest saves.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from skazal.records import Article, Cue, Entity, Failure, IngestedPage, Mention, Page, Quote, Source, Speaker
from skazal.store.write import day

_PROVENANCE = (("warc_file", "string"), ("warc_offset", "bigint"), ("day", "string"))

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (
        ("document_id", "string"), ("location", "string"), ("url", "string"), ("canonical_url", "string"),
        ("outlet", "string"), ("content_hash", "string"), ("payload_digest", "string"), ("fetched_at", "string"),
        ("title", "string"), ("published", "string"), ("author", "string"), ("rubric", "string"),
        ("language", "string"), ("format", "string"), ("body", "string"), *_PROVENANCE,
    ),
    "entities": (
        ("entity_id", "string"), ("document_id", "string"), ("entity_index", "int"), ("type", "string"),
        ("name", "string"), ("aliases", "array<string>"), ("role", "string"), *_PROVENANCE,
    ),
    "mentions": (
        ("mention_id", "string"), ("document_id", "string"), ("entity_index", "int"), ("mention_index", "int"),
        ("start", "int"), ("end", "int"), ("text", "string"), ("part", "string"), *_PROVENANCE,
    ),
    "quotes": (
        ("quote_id", "string"), ("document_id", "string"), ("quote_index", "int"), ("kind", "string"),
        ("text", "string"), ("start", "int"), ("end", "int"), ("cue_lemma", "string"), ("cue_form", "string"),
        ("cue_start", "int"), ("cue_end", "int"), ("speaker_name", "string"), ("speaker_type", "string"),
        ("speaker_role", "string"), ("speaker_mention_start", "int"), ("speaker_mention_end", "int"),
        ("speaker_mention_text", "string"), ("speaker_mention_part", "string"),
        ("anonymous_description", "string"), ("confidence", "double"), ("nested", "boolean"), *_PROVENANCE,
    ),
    "sources": (
        ("source_id", "string"), ("document_id", "string"), ("source_index", "int"), ("name", "string"),
        ("phrase", "string"), ("start", "int"), ("end", "int"), *_PROVENANCE,
    ),
    "failures": (("location", "string"), ("reason", "string"), ("at", "string"), *_PROVENANCE),
}
TABLES = tuple(COLUMNS)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def ddl(table: str, separator: str = " ") -> str:
    """The table's schema as Spark reads it ("`document_id` string, ..."; ":" separates in a struct)."""
    return ", ".join(f"`{name}`{separator}{kind}" for name, kind in COLUMNS[table])


@dataclass(frozen=True)
class Provenance:
    warc_file: str
    warc_offset: int | None


def normalised_url(url: str) -> str:
    """The URL as one document is known by: scheme and host in lower case, no default port, no
    user, no fragment, "/" for an empty path."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def key(*parts: object) -> str:
    """A deterministic id: 32 hex digits of the sha256 of the parts."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:32]


def document_id(url: str | None, location: str, payload: bytes) -> str:
    return key(normalised_url(url) if url else location, payload_digest(payload))


def payload_digest(payload: bytes) -> str:
    return "sha256:" + hashlib.sha256(payload).hexdigest()


def page_rows(item: IngestedPage, payload: bytes, where: Provenance) -> dict[str, list[tuple]]:
    """The rows of one ingested page in every table but failures, keyed by table."""
    doc_id = document_id(item.url, item.location, payload)
    article = item.page.article
    tail = {"document_id": doc_id, "warc_file": where.warc_file, "warc_offset": where.warc_offset, "day": day(item)}
    rows: dict[str, list[dict]] = {table: [] for table in TABLES if table != "failures"}
    rows["documents"].append(tail | {
        "location": item.location, "url": item.url, "canonical_url": article.canonical_url, "outlet": item.outlet,
        "content_hash": item.content_hash, "payload_digest": payload_digest(payload), "fetched_at": item.fetched_at,
        "title": article.title, "published": article.published, "author": article.author, "rubric": article.rubric,
        "language": article.language, "format": article.format, "body": article.body,
    })
    for index, entity in enumerate(item.page.entities):
        rows["entities"].append(tail | {
            "entity_id": key(doc_id, "entity", index, entity.type, entity.name), "entity_index": index,
            "type": entity.type, "name": entity.name, "aliases": list(entity.aliases), "role": entity.role,
        })
        for number, mention in enumerate(entity.mentions):
            rows["mentions"].append(tail | {
                "mention_id": key(doc_id, "mention", mention.where, mention.start, mention.end, index),
                "entity_index": index, "mention_index": number, "start": mention.start, "end": mention.end,
                "text": mention.text, "part": mention.where,
            })
    for index, quote in enumerate(item.page.quotes):
        rows["quotes"].append(tail | _quote_fields(quote) | {
            "quote_id": key(doc_id, "quote", quote.start, quote.end, quote.kind), "quote_index": index,
        })
    for index, source in enumerate(item.page.sources):
        rows["sources"].append(tail | {
            "source_id": key(doc_id, "source", source.start, source.end), "source_index": index,
            "name": source.name, "phrase": source.phrase, "start": source.start, "end": source.end,
        })
    return {table: [as_tuple(table, row) for row in table_rows] for table, table_rows in rows.items()}


def failure_row(item: Failure, where: Provenance) -> tuple:
    return as_tuple("failures", {"location": item.location, "reason": item.reason, "at": item.at,
                                 "warc_file": where.warc_file, "warc_offset": where.warc_offset, "day": item.at[:10]})


def as_tuple(table: str, row: dict) -> tuple:
    return tuple(row[name] for name, _ in COLUMNS[table])


def _quote_fields(quote: Quote) -> dict:
    cue, speaker = quote.cue, quote.speaker
    mention = speaker.mention if speaker else None
    return {
        "kind": quote.kind, "text": quote.text, "start": quote.start, "end": quote.end,
        "cue_lemma": cue.lemma if cue else None, "cue_form": cue.form if cue else None,
        "cue_start": cue.start if cue else None, "cue_end": cue.end if cue else None,
        "speaker_name": speaker.name if speaker else None, "speaker_type": speaker.type if speaker else None,
        "speaker_role": speaker.role if speaker else None,
        "speaker_mention_start": mention.start if mention else None,
        "speaker_mention_end": mention.end if mention else None,
        "speaker_mention_text": mention.text if mention else None,
        "speaker_mention_part": mention.where if mention else None,
        "anonymous_description": quote.anonymous_description, "confidence": quote.confidence,
        "nested": quote.nested,
    }


def ingested_page(document: dict, entities: Iterable[dict], mentions: Iterable[dict], quotes: Iterable[dict],
                  sources: Iterable[dict]) -> IngestedPage:
    """The page one document's rows (as dicts) were made from."""
    article = Article(
        body=document["body"], title=document["title"], published=document["published"],
        author=document["author"], rubric=document["rubric"], url=document["url"],
        canonical_url=document["canonical_url"], language=document["language"], format=document["format"],
    )
    named: dict[int, list[Mention]] = {}
    for row in sorted(mentions, key=lambda row: (row["entity_index"], row["mention_index"])):
        named.setdefault(row["entity_index"], []).append(
            Mention(start=row["start"], end=row["end"], text=row["text"], where=row["part"]))
    page = Page(
        article=article,
        entities=tuple(
            Entity(name=row["name"], type=row["type"], mentions=tuple(named.get(row["entity_index"], ())),
                   aliases=tuple(row["aliases"] or ()), role=row["role"])
            for row in sorted(entities, key=lambda row: row["entity_index"])
        ),
        quotes=tuple(_quote(row) for row in sorted(quotes, key=lambda row: row["quote_index"])),
        sources=tuple(
            Source(name=row["name"], phrase=row["phrase"], start=row["start"], end=row["end"])
            for row in sorted(sources, key=lambda row: row["source_index"])
        ),
    )
    return IngestedPage(location=document["location"], url=document["url"], outlet=document["outlet"],
                        content_hash=document["content_hash"], page=page, fetched_at=document["fetched_at"])


def _quote(row: dict) -> Quote:
    cue = None
    if row["cue_lemma"] is not None:
        cue = Cue(lemma=row["cue_lemma"], form=row["cue_form"], start=row["cue_start"], end=row["cue_end"])
    speaker = None
    if row["speaker_name"] is not None:
        mention = None
        if row["speaker_mention_start"] is not None:
            mention = Mention(start=row["speaker_mention_start"], end=row["speaker_mention_end"],
                              text=row["speaker_mention_text"], where=row["speaker_mention_part"])
        speaker = Speaker(name=row["speaker_name"], type=row["speaker_type"], mention=mention,
                          role=row["speaker_role"])
    return Quote(kind=row["kind"], text=row["text"], start=row["start"], end=row["end"], cue=cue, speaker=speaker,
                 anonymous_description=row["anonymous_description"], confidence=row["confidence"],
                 nested=bool(row["nested"]))
