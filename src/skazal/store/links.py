"""Saving a linking run (stories, utterances, occurrences) and reading it back.

A run is saved whole and replaces the one before it in the same transaction: the linker's ids come
from content, so linking the same corpus again writes the same rows, and nothing is left over from
a run whose stories have since changed.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import Connection, Row, delete, func, insert, select

from skazal.linking.first_source import origin
from skazal.linking.records import Occurrence, Story, Utterance
from skazal.store.link_tables import occurrences, stories, story_articles, utterances
from skazal.store.schema import documents, outlets, quotes

_WORD = re.compile(r"\w+")
SAME, ADDED, DROPPED = "same", "added", "dropped"


@dataclass(frozen=True, slots=True)
class SavedLinking:
    stories: int
    utterances: int
    occurrences: int


@dataclass(frozen=True, slots=True)
class StoredOccurrence:
    """One printing of an utterance as stored, with the ids pages link by."""

    occurrence: Occurrence
    document_id: int | None
    quote_id: int | None
    differing: tuple[tuple[str, str], ...]  # (same|added|dropped, words) against the reference


@dataclass(frozen=True, slots=True)
class UtteranceView:
    utterance: Utterance
    origin: str | None
    story_title: str | None
    occurrences: tuple[StoredOccurrence, ...]

    @property
    def outlets(self) -> tuple[str, ...]:
        return _outlets(o.occurrence for o in self.occurrences)


@dataclass(frozen=True, slots=True)
class ListedStory:
    id: str
    title: str
    articles: int
    outlets: int
    utterances: int
    first_published: str | None


@dataclass(frozen=True, slots=True)
class StoryArticle:
    url: str
    document_id: int | None
    title: str | None
    outlet: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class ListedUtterance:
    id: str
    speaker: str
    story_id: str | None
    reference: str
    occurrences: int
    outlets: int
    altered: int
    first_published: str | None


@dataclass(frozen=True, slots=True)
class StoryView:
    story: ListedStory
    articles: tuple[StoryArticle, ...]  # by publication time
    utterances: tuple[ListedUtterance, ...]


@dataclass(frozen=True, slots=True)
class AlteredOccurrence:
    """A printing that changed what was said, with the utterance it belongs to."""

    utterance: ListedUtterance
    occurrence: StoredOccurrence


@dataclass(frozen=True, slots=True)
class QuoteLink:
    """The utterance a stored quote is an occurrence of, and the other outlets that printed it."""

    utterance_id: str
    other_outlets: int


def word_diff(reference: str, text: str) -> tuple[tuple[str, str], ...]:
    """`text` in pieces against `reference`, word by word (case and ё aside): the words both have,
    the words only `text` has, and the reference's words it dropped, in reading order."""
    ours, theirs = list(_WORD.finditer(reference)), list(_WORD.finditer(text))
    matcher = SequenceMatcher(None, [_folded(m) for m in ours], [_folded(m) for m in theirs], autojunk=False)
    pieces: list[tuple[str, str]] = []
    at = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            pieces.append((DROPPED, reference[ours[i1].start():ours[i2 - 1].end()]))
        if j2 > j1:
            start, end = theirs[j1].start(), theirs[j2 - 1].end()
            pieces += [(SAME, text[at:start]), (SAME if tag == "equal" else ADDED, text[start:end])]
            at = end
    pieces.append((SAME, text[at:]))
    return _merged(pieces)


def _folded(match: re.Match[str]) -> str:
    return match.group().lower().replace("ё", "е")


def _merged(pieces: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    merged: list[tuple[str, str]] = []
    for kind, words in pieces:
        if not words:
            continue
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + words)
        else:
            merged.append((kind, words))
    return tuple(merged)


def save_linking(connection: Connection, found_stories: Iterable[Story], found: Iterable[Utterance]
                 ) -> SavedLinking:
    """Replace the stored linking with this one, inside the caller's transaction."""
    found_stories, found = list(found_stories), list(found)
    for table in (occurrences, utterances, story_articles, stories):
        connection.execute(delete(table))
    urls = {url for story in found_stories for url in story.urls}
    urls |= {o.url for utterance in found for o in utterance.occurrences}
    document_of = _documents_by_url(connection, urls)
    stored = _documents(connection, sorted(set(document_of.values())))
    story_rows = [
        _story_row(story, [stored.get(document_of.get(url)) for url in story.urls]) for story in found_stories
    ]
    article_rows = [
        {"story_id": story.id, "position": position, "url": url, "document_id": document_of.get(url)}
        for story in found_stories
        for position, url in enumerate(story.urls)
    ]
    story_ids = {story.id for story in found_stories}
    utterance_rows = [_utterance_row(utterance, story_ids) for utterance in found]
    occurrence_rows = _occurrence_rows(connection, found, document_of, stored)
    for table, rows in ((stories, story_rows), (story_articles, article_rows), (utterances, utterance_rows),
                        (occurrences, occurrence_rows)):
        if rows:
            connection.execute(insert(table), rows)
    return SavedLinking(len(story_rows), len(utterance_rows), len(occurrence_rows))


def _documents_by_url(connection: Connection, urls: set[str]) -> dict[str, int]:
    """The stored document of each URL (or, for a loose file, of where it was read from)."""
    found: dict[str, int] = {}
    for batch in _batches(sorted(urls)):
        rows = connection.execute(
            select(documents.c.url, documents.c.location, documents.c.id)
            .where(documents.c.url.in_(batch) | documents.c.location.in_(batch))
            .order_by(documents.c.id)
        )
        for row in rows:
            found.setdefault(row.url if row.url in batch else row.location, row.id)
    return found


def _documents(connection: Connection, ids: list[int]) -> dict[int, Row]:
    """Each document's time, outlet and the document holding its quotes (its original, for a duplicate)."""
    found: dict[int, Row] = {}
    for batch in _batches(ids):
        rows = connection.execute(
            select(documents.c.id, documents.c.published, documents.c.outlet_id,
                   func.coalesce(documents.c.duplicate_of, documents.c.id).label("holder"))
            .where(documents.c.id.in_(batch))
        )
        found |= {row.id: row for row in rows}
    return found


def _batches(values: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _story_row(story: Story, stored: list[Row | None]) -> dict:
    published = [row.published for row in stored if row is not None and row.published]
    return {
        "id": story.id,
        "title": story.title,
        "articles": len(story.urls),
        "outlets": len({row.outlet_id for row in stored if row is not None and row.outlet_id is not None}),
        "first_published": min(published, key=time_key) if published else None,
    }


def time_key(published: str | None) -> str:
    """Publication times in order; a date alone after every minute of its day (it may be any of them)."""
    if published is None:
        return "9999"
    return published if "T" in published else published + "T99:99Z"


def _utterance_row(utterance: Utterance, story_ids: set[str]) -> dict:
    printed = [o.published for o in utterance.occurrences if o.published]
    return {
        "id": utterance.id,
        "speaker": utterance.speaker,
        "story_id": utterance.story if utterance.story in story_ids else None,
        "reference": utterance.reference,
        "origin": origin(list(utterance.occurrences)),
        "occurrences": len(utterance.occurrences),
        "outlets": len(_outlets(utterance.occurrences)),
        "altered": sum(o.meaning_altered for o in utterance.occurrences),
        "first_published": min(printed, key=time_key) if printed else None,
    }


def _occurrence_rows(connection: Connection, found: list[Utterance], document_of: dict[str, int],
                     stored: dict[int, Row]) -> list[dict]:
    quote_of = _quotes_by_text(connection, sorted({row.holder for row in stored.values()}))
    rows = []
    for utterance in found:
        for position, o in enumerate(utterance.occurrences):
            document_id = document_of.get(o.url)
            holder = stored[document_id].holder if document_id in stored else None
            rows.append({
                "utterance_id": utterance.id,
                "position": position,
                "url": o.url,
                "document_id": document_id,
                "quote_id": _quote_holding(quote_of, holder, o.kind, o.text),
                "outlet": o.outlet,
                "published": o.published,
                "time_precision": o.time_precision,
                "kind": o.kind,
                "text": o.text,
                "relation": o.relation,
                "meaning_altered": o.meaning_altered,
                "first": o.first,
                "tied_first": o.tied_first,
                "cites": o.cites,
                "changes": json.dumps(list(o.changes), ensure_ascii=False),
                "differing": json.dumps(word_diff(utterance.reference, o.text), ensure_ascii=False),
            })
    return rows


def _quote_holding(quotes_of: dict[tuple[int | None, str], dict[str, int]], holder: int | None, kind: str,
                   text: str) -> int | None:
    """The stored quote printed as these words; else the one they are a part of (the linker cuts a
    quotation that joins two statements)."""
    printed = quotes_of.get((holder, kind), {})
    if text in printed:
        return printed[text]
    return next((id_ for whole, id_ in printed.items() if text in whole), None)


def _quotes_by_text(connection: Connection, holders: list[int]) -> dict[tuple[int | None, str], dict[str, int]]:
    """The stored quotes of these documents by document and kind, then text: the first of equal ones."""
    found: dict[tuple[int | None, str], dict[str, int]] = {}
    for batch in _batches(holders):
        rows = connection.execute(
            select(quotes.c.document_id, quotes.c.kind, quotes.c.text, quotes.c.id)
            .where(quotes.c.document_id.in_(batch))
            .order_by(quotes.c.id)
        )
        for row in rows:
            found.setdefault((row.document_id, row.kind), {}).setdefault(row.text, row.id)
    return found


def _outlets(found: Iterable[Occurrence]) -> tuple[str, ...]:
    return tuple(sorted({o.outlet for o in found if o.outlet}))


def stored_stories(connection: Connection, limit: int | None = None, offset: int = 0) -> list[ListedStory]:
    """Stories, those printed by most outlets first."""
    query = _story_rows().order_by(stories.c.outlets.desc(), stories.c.articles.desc(), stories.c.id)
    return [_listed_story(row) for row in connection.execute(query.limit(limit).offset(offset))]


def _story_rows():
    counted = (
        select(func.count()).select_from(utterances).where(utterances.c.story_id == stories.c.id)
        .scalar_subquery().label("utterances")
    )
    return select(stories, counted)


def _listed_story(row) -> ListedStory:
    return ListedStory(row.id, row.title, row.articles, row.outlets, row.utterances, row.first_published)


def story_view(connection: Connection, story_id: str) -> StoryView | None:
    row = connection.execute(_story_rows().where(stories.c.id == story_id)).first()
    if row is None:
        return None
    articles = connection.execute(
        select(story_articles.c.url, story_articles.c.document_id, documents.c.title, documents.c.published,
               _outlet_name())
        .select_from(story_articles.outerjoin(documents, documents.c.id == story_articles.c.document_id))
        .where(story_articles.c.story_id == story_id)
        .order_by(story_articles.c.position)
    )
    listed = [StoryArticle(a.url, a.document_id, a.title, a.outlet, a.published) for a in articles]
    listed.sort(key=lambda a: (time_key(a.published), a.url))
    said = connection.execute(
        select(utterances).where(utterances.c.story_id == story_id)
        .order_by(utterances.c.outlets.desc(), utterances.c.first_published, utterances.c.id)
    )
    return StoryView(_listed_story(row), tuple(listed), tuple(_listed_utterance(u) for u in said))


def _outlet_name():
    return select(outlets.c.name).where(outlets.c.id == documents.c.outlet_id).scalar_subquery().label("outlet")


def _listed_utterance(row) -> ListedUtterance:
    return ListedUtterance(row.id, row.speaker, row.story_id, row.reference, row.occurrences, row.outlets,
                           row.altered, row.first_published)


def utterance_view(connection: Connection, utterance_id: str) -> UtteranceView | None:
    row = connection.execute(
        select(utterances, stories.c.title.label("story_title"))
        .select_from(utterances.outerjoin(stories, stories.c.id == utterances.c.story_id))
        .where(utterances.c.id == utterance_id)
    ).first()
    if row is None:
        return None
    printed = connection.execute(
        select(occurrences).where(occurrences.c.utterance_id == utterance_id).order_by(occurrences.c.position)
    )
    stored = tuple(_stored_occurrence(o) for o in printed)
    utterance = Utterance(row.id, row.speaker, row.story_id, row.reference, tuple(s.occurrence for s in stored))
    return UtteranceView(utterance, row.origin, row.story_title, stored)


def _stored_occurrence(row) -> StoredOccurrence:
    occurrence = Occurrence(
        url=row.url, outlet=row.outlet, published=row.published, time_precision=row.time_precision,
        kind=row.kind, text=row.text, relation=row.relation, meaning_altered=bool(row.meaning_altered),
        first=bool(row.first), tied_first=bool(row.tied_first), cites=row.cites,
        changes=tuple(json.loads(row.changes)),
    )
    differing = tuple((kind, words) for kind, words in json.loads(row.differing))
    return StoredOccurrence(occurrence, row.document_id, row.quote_id, differing)


def stored_linking(connection: Connection) -> tuple[list[Story], list[Utterance]]:
    """Every stored story and utterance as the linker's records, in the order the linker gave them
    (stories by first publication, utterances by their first printing)."""
    urls: dict[str, list[str]] = {}
    for row in connection.execute(select(story_articles).order_by(story_articles.c.story_id,
                                                                  story_articles.c.position)):
        urls.setdefault(row.story_id, []).append(row.url)
    found_stories = [
        Story(row.id, tuple(urls.get(row.id, ())), row.title)
        for row in connection.execute(select(stories).order_by(stories.c.first_published, stories.c.id))
    ]
    printed: dict[str, list[Occurrence]] = {}
    for row in connection.execute(select(occurrences).order_by(occurrences.c.utterance_id, occurrences.c.position)):
        printed.setdefault(row.utterance_id, []).append(_stored_occurrence(row).occurrence)
    found = [
        Utterance(row.id, row.speaker, row.story_id, row.reference, tuple(printed.get(row.id, ())))
        for row in connection.execute(select(utterances).order_by(utterances.c.first_published, utterances.c.id))
    ]
    return found_stories, found


def altered_occurrences(connection: Connection, limit: int | None = 50, offset: int = 0
                        ) -> tuple[int, list[AlteredOccurrence]]:
    """The printings that changed what was said, the newest first, and how many there are."""
    total = connection.execute(
        select(func.count()).select_from(occurrences).where(occurrences.c.meaning_altered.is_(True))
    ).scalar_one()
    rows = connection.execute(
        select(occurrences, utterances.c.speaker, utterances.c.story_id, utterances.c.reference,
               utterances.c.occurrences.label("printings"), utterances.c.outlets, utterances.c.altered,
               utterances.c.first_published)
        .join(utterances, utterances.c.id == occurrences.c.utterance_id)
        .where(occurrences.c.meaning_altered.is_(True))
        .order_by(occurrences.c.published.desc(), occurrences.c.utterance_id, occurrences.c.position)
        .limit(limit).offset(offset)
    )
    found = [
        AlteredOccurrence(
            ListedUtterance(row.utterance_id, row.speaker, row.story_id, row.reference, row.printings, row.outlets,
                            row.altered, row.first_published),
            _stored_occurrence(row),
        )
        for row in rows
    ]
    return total, found


def quote_links(connection: Connection, quote_ids: list[int]) -> dict[int, QuoteLink]:
    """For each of these quotes that is an occurrence of an utterance: which, and how many other outlets
    printed it."""
    if not quote_ids:
        return {}
    rows = connection.execute(
        select(occurrences.c.quote_id, occurrences.c.utterance_id, occurrences.c.outlet)
        .where(occurrences.c.quote_id.in_(sorted(set(quote_ids))))
    ).all()
    if not rows:
        return {}
    said = sorted({row.utterance_id for row in rows})
    outlets_of: dict[str, set[str]] = {}
    for row in connection.execute(
        select(occurrences.c.utterance_id, occurrences.c.outlet).where(occurrences.c.utterance_id.in_(said))
    ):
        if row.outlet:
            outlets_of.setdefault(row.utterance_id, set()).add(row.outlet)
    # a quotation the linker cut in two is a printing of both statements: it links to the one more
    # outlets printed
    links: dict[int, QuoteLink] = {}
    for row in sorted(rows, key=lambda row: row.utterance_id):
        link = QuoteLink(row.utterance_id, len(outlets_of.get(row.utterance_id, set()) - {row.outlet}))
        if row.quote_id not in links or link.other_outlets > links[row.quote_id].other_outlets:
            links[row.quote_id] = link
    return links
