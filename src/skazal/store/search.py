"""Full-text search over quotes and bodies, with Russian morphology, ranked, with highlighted snippets."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Row, Select, and_, func, select

from skazal.store.connect import StoreError
from skazal.store.dialects import FullText, estimated_share, full_text
from skazal.store.lemmas import query_lemmas, words
from skazal.store.queries import Scope, within
from skazal.store.schema import documents, entities, outlets, quotes, revisions, search_entries

# Relevance is ranked among the newest matches only, so that a word found in half the corpus
# costs no more than a rare one; both backends take the same candidates and so give the same hits.
CANDIDATES = 200
WINDOW_GROWTH = 8
# Words the planner expects in at least this share of the entries are looked for newest first, entry
# by entry: CANDIDATES matches then lie within the newest 20,000 entries, whatever the corpus' size.
COMMON_SHARE = CANDIDATES / 20_000
WALK_SPAN = 40_000
# Little before the first match, more after it, so that a narrow column still shows the match.
CONTEXT_BEFORE, CONTEXT_AFTER = 30, 90
MARKS = ("[", "]")


@dataclass(frozen=True)
class SearchHit:
    """One matching quote or body; `matches` are offsets of the matching words in the quote or body."""

    kind: str  # "quote" or "body"
    snippet: str
    speaker: str | None
    day: str | None
    outlet: str | None
    title: str | None
    url: str | None
    location: str
    rank: float
    matches: tuple[tuple[int, int], ...]
    document_id: int
    quote_id: int | None


def search(connection: Connection, text: str, scope: Scope) -> list[SearchHit]:
    """Quotes and bodies holding every word of `text` in any grammatical form, the most relevant first."""
    lemmas = query_lemmas(text)
    if not lemmas:
        raise StoreError(f"nothing to search for in {text!r}: give at least one word")
    index = full_text(connection.dialect.name, lemmas, by_outlet=scope.outlet is not None)
    candidates = newest_matches(connection, index, scope)
    best = sorted(candidates, key=lambda row: (row.rank, row.id))[: scope.limit]
    if not best:
        return []
    query = (
        select(
            search_entries.c.id,
            search_entries.c.lemmas,
            search_entries.c.document_id,
            search_entries.c.quote_id,
            documents.c.title,
            documents.c.url,
            documents.c.location,
            documents.c.day,
            outlets.c.name.label("outlet"),
            entities.c.name.label("speaker"),
            quotes.c.text.label("quote"),
            revisions.c.body,
        )
        .select_from(search_entries)
        .join(documents, documents.c.id == search_entries.c.document_id)
        .outerjoin(outlets, outlets.c.id == documents.c.outlet_id)
        .outerjoin(quotes, quotes.c.id == search_entries.c.quote_id)
        .outerjoin(entities, entities.c.id == quotes.c.speaker_id)
        .outerjoin(
            revisions,
            and_(
                search_entries.c.quote_id.is_(None),
                revisions.c.document_id == documents.c.id,
                revisions.c.number == documents.c.revision,
            ),
        )
        .where(search_entries.c.id.in_([row.id for row in best]))
    )
    found = {row.id: row for row in connection.execute(query)}
    # An entry replaced by a new revision since it was chosen is left out.
    return [_hit(found[row.id], row.rank, set(lemmas)) for row in best if row.id in found]


def newest_matches(connection: Connection, index: FullText, scope: Scope) -> list[Row]:
    """Up to CANDIDATES of the newest matching entries in scope, as (id, rank) rows."""
    entries = index.entries
    columns = [entries.c.id] if index.rank_apart else [entries.c.id, index.rank.label("rank")]
    query = (
        select(*columns)
        .select_from(index.source)
        .where(index.condition)
        .order_by(index.entry_id.desc())
        .limit(CANDIDATES)
    )
    found = _widening(connection, within(query, scope, entries.c.day, entries.c.outlet_id), index)
    if not index.rank_apart or not found:
        return found
    ranked = select(search_entries.c.id, index.rank.label("rank")).select_from(index.source)
    # The chosen entries are known to match: testing the condition again would have PostgreSQL
    # intersect the whole word's index with them.
    chosen = search_entries.c.id.in_([row.id for row in found])
    return connection.execute(ranked.where(chosen)).all()


def _widening(connection: Connection, query: Select, index: FullText) -> list[Row]:
    if index.first_window is None:
        return connection.execute(query).all()
    newest = connection.execute(select(func.max(search_entries.c.id))).scalar() or 0
    share = estimated_share(connection, query, newest) if index.walk_settings else 0.0
    if share >= COMMON_SHARE:
        # Common words: the newest entries, tested one by one back from the newest, hold enough matches
        # soon; reading the word's whole posting list would cost more the larger the corpus. The walk
        # stops after WALK_SPAN entries, so that statistics gone stale (a bulk load not yet analysed)
        # cost that much at most before the windows below take over.
        for setting in index.walk_settings:
            connection.exec_driver_sql(setting)
        found = connection.execute(query.where(index.entry_id > newest - WALK_SPAN)).all()
        if len(found) >= CANDIDATES or newest <= WALK_SPAN:
            return found
        for setting in index.walk_undone:
            connection.exec_driver_sql(setting)
    for setting in index.settings:
        connection.exec_driver_sql(setting)
    # A window expected to hold twice the matches needed, so that it rarely has to widen (each try reads
    # the word's posting list again); a rare word's is its whole list, read once.
    window = max(index.first_window, int(2 * CANDIDATES / share)) if share > 0 else index.first_window
    while True:
        floor = newest - window
        found = connection.execute(query.where(index.entry_id > floor) if floor > 0 else query).all()
        if len(found) >= CANDIDATES or floor <= 0:
            return found
        window *= WINDOW_GROWTH


def _hit(row, rank: float, lemmas: set[str]) -> SearchHit:
    found = row.quote if row.quote_id is not None else row.body
    spans = highlight_spans(found, row.lemmas.split(" "), lemmas)
    return SearchHit(
        kind="quote" if row.quote_id is not None else "body",
        snippet=snippet(found, spans),
        speaker=row.speaker,
        day=row.day,
        outlet=row.outlet,
        title=row.title,
        url=row.url,
        location=row.location,
        rank=float(rank),
        matches=spans,
        document_id=row.document_id,
        quote_id=row.quote_id,
    )


def highlight_spans(text: str, text_lemmas: list[str], wanted: set[str]) -> tuple[tuple[int, int], ...]:
    """Offsets of the words of `text` whose lemma is wanted; `text_lemmas` are its words' lemmas, in order."""
    hits = {position for position, lemma in enumerate(text_lemmas) if lemma in wanted}
    if not hits:
        return ()
    # The words after the last match need no offsets: a long body is tokenised only as far as needed.
    last = max(hits)
    return tuple(match.span() for position, match in zip(range(last + 1), words(text)) if position in hits)


def snippet(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The stretch of `text` around its first match, matching words marked, cut at word boundaries."""
    first_start, first_end = spans[0] if spans else (0, 0)
    start = _word_boundary(text, max(0, first_start - CONTEXT_BEFORE), backwards=True)
    end = _word_boundary(text, min(len(text), first_end + CONTEXT_AFTER), backwards=False)
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces += [text[cursor:span_start], MARKS[0], text[span_start:span_end], MARKS[1]]
        cursor = span_end
    pieces.append(text[cursor:end])
    shown = "".join(pieces).replace("\n", " ").strip()
    return ("…" if start > 0 else "") + shown + ("…" if end < len(text) else "")


def _word_boundary(text: str, position: int, backwards: bool) -> int:
    step = -1 if backwards else 1
    while 0 < position < len(text) and not text[position].isspace():
        position += step
    return position
