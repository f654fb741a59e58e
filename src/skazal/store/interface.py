"""The corpus store: one interface over SQLite and PostgreSQL."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine, delete, or_, select

from skazal.records import Failure, IngestedPage
from skazal.store import migrate
from skazal.store.browse import (
    DocumentView,
    ListedEntity,
    ListedOutlet,
    OutletDetail,
    SpeakerDetail,
    document_at,
    document_view,
    latest_day,
    list_entities,
    list_outlets,
    outlet_detail,
    quote_speakers,
    speaker_detail,
)
from skazal.store.connect import StoreError, create_store_engine, database_url, once_more_if_disconnected
from skazal.store.dialects import refresh_statistics, upsert
from skazal.store.listing import (
    ArticleList,
    ArticleQuery,
    QuoteList,
    QuoteQuery,
    QuoteView,
    SpeakerList,
    SpeakerQuery,
    list_articles,
    list_quotes,
    list_speakers,
    quote_view,
    suggest_speakers,
)
from skazal.store.over_time import Bucket, PeriodCount, gathered, quotes_per_day
from skazal.store.people import regroup
from skazal.store.queries import (
    WHOLE_CORPUS,
    CorpusStats,
    QuoteFilter,
    Scope,
    SpeakerCount,
    StoredQuote,
    corpus_stats,
    count_speakers,
    find_quotes,
)
from skazal.store.schema import documents, failures
from skazal.store.search import SearchHit, search
from skazal.store.write import outcome_of, save_page

if TYPE_CHECKING:
    from skazal.linking.records import AnalysedArticle, Story, Utterance
    from skazal.store.links import AlteredOccurrence, ListedStory, QuoteLink, SavedLinking, StoryView, UtteranceView

T = TypeVar("T")


class Store:
    """A corpus of ingested pages, in a SQLite file or a PostgreSQL database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def backend(self) -> str:
        """The backend: sqlite or postgresql."""
        return self.engine.dialect.name

    def upgrade(self) -> None:
        """Create or update the schema (Alembic migrations to head)."""
        migrate.upgrade(self.engine)

    def check_schema(self) -> None:
        """Raise StoreError unless the schema is at the newest migration."""
        if not migrate.is_current(self.engine):
            raise StoreError("the database has no corpus schema, or an old one: run `skazal db upgrade`")

    def save_pages(self, items: Sequence[IngestedPage]) -> list[str]:
        """Save a batch in one transaction; per item "new", "unchanged", "revision" or "duplicate"."""
        with self.engine.begin() as connection:
            outcomes = [save_page(connection, item) for item in items]
            if items:
                locations = [item.location for item in items]
                connection.execute(delete(failures).where(failures.c.location.in_(locations)))
        return outcomes

    def outcome_of(self, address: str, content_hash: str) -> str:
        """What saving a page of this address (its URL, or where it was read from) and body hash would
        be now: "new", "unchanged", "revision" or "duplicate"; asked before analysing a page."""
        return self._read(outcome_of, address, content_hash)

    def regroup_people(self) -> None:
        """Group the names of every person again ("Путин" with "Владимир Путин"), as migration 0006 did
        once and every saved page does for the surnames it names."""
        with self.engine.begin() as connection:
            regroup(connection)

    def refresh_statistics(self) -> list[str]:
        """Take the query planner's statistics of every table again (ANALYZE), as after a bulk load, so that
        searches are planned for the rows stored now; the statements run."""
        def run() -> list[str]:
            with self.engine.begin() as connection:
                return refresh_statistics(connection)

        return once_more_if_disconnected(run)

    def seen(self, location: str, content_hash: str | None = None) -> bool:
        """Whether a page read from `location` (with this content hash, if given) is stored; a feed's text
        standing in for the page is not: the page is still to be fetched."""
        query = select(documents.c.id).where(or_(documents.c.location == location, documents.c.address == location),
                                             documents.c.feed_text.is_(False))
        if content_hash is not None:
            query = query.where(documents.c.content_hash == content_hash)
        return self._read(lambda connection: connection.execute(query.limit(1)).first() is not None)

    def record_failure(self, failure: Failure) -> None:
        """Quarantine an input that could not be ingested (the latest reason per location)."""
        row = {"location": failure.location, "reason": failure.reason, "at": failure.at}

        def write() -> None:
            with self.engine.begin() as connection:
                upsert(connection, failures, row, key=["location"])

        once_more_if_disconnected(write)  # an upsert: written twice, it is the same row

    def failures(self, limit: int | None = None) -> list[Failure]:
        """Quarantined inputs, the most recent first."""
        query = select(failures).order_by(failures.c.at.desc(), failures.c.location).limit(limit)
        return self._read(lambda connection: [Failure(location=row.location, reason=row.reason, at=row.at)
                                              for row in connection.execute(query)])

    def _read(self, query: Callable[..., T], *args, **options) -> T:
        """`query` run on a connection of its own; once more on a new one if that connection is lost."""
        def run() -> T:
            with self.engine.connect() as connection:
                return query(connection, *args, **options)

        return once_more_if_disconnected(run)

    def quotes(self, speaker: str | None = None, scope: Scope = WHOLE_CORPUS, *, speaker_id: int | None = None,
               kind: str | None = None, words: str | None = None, offset: int = 0) -> list[StoredQuote]:
        """Quotes, the newest first; `speaker` in any form ("Лукашенко А.Г.", "Александра Лукашенко")
        or by `speaker_id`, of one `kind`, holding every one of `words` in any form."""
        which = QuoteFilter(speaker=speaker, speaker_id=speaker_id, kind=kind, words=words)
        return self._read(find_quotes, scope, which, offset)

    def quote_list(self, query: QuoteQuery, limit: int = 50, offset: int = 0, facets: bool = True) -> QuoteList:
        """One page of the quotes `query` asks for, their total and (with `facets`) counts per speaker,
        outlet, kind and month."""
        return self._read(list_quotes, query, limit, offset, **({} if facets else {"facet_size": 0}))

    def quotes_per_period(self, query: QuoteQuery, bucket: Bucket = "day") -> tuple[PeriodCount, ...]:
        """How many of the quotes `query` asks for fall in each day, week (by its Monday) or month they fall
        in, the oldest first, the undated ones last (period None); they add up to the quote list's total."""
        return gathered(self._read(quotes_per_day, query), bucket)

    def speaker_list(self, query: SpeakerQuery, limit: int = 50, offset: int = 0, facets: bool = True) -> SpeakerList:
        """One page of the speakers of the quotes `query` asks for, their total and (with `facets`) how
        many of them each outlet, kind and month has."""
        return self._read(list_speakers, query, limit, offset, **({} if facets else {"facet_size": 0}))

    def suggest_speakers(self, typed: str, limit: int = 8) -> list[SpeakerCount]:
        """The speakers a name being typed may be ("Песк", "Пескова", "Д. Песков"), the most quoted first."""
        return self._read(suggest_speakers, typed, limit)

    def article_list(self, query: ArticleQuery, limit: int = 50, offset: int = 0, facets: bool = True) -> ArticleList:
        """One page of the articles `query` asks for, their total and (with `facets`) counts per outlet,
        month, speaker and kind."""
        return self._read(list_articles, query, limit, offset, **({} if facets else {"facet_size": 0}))

    def quote(self, quote_id: int) -> QuoteView | None:
        """One quote in its paragraph, with its cue and its article's sources; None if unknown."""
        return self._read(quote_view, quote_id)

    def speakers(self, scope: Scope = WHOLE_CORPUS, by: tuple[str, ...] = (), name: str | None = None,
                 offset: int = 0) -> list[SpeakerCount]:
        """Who is quoted most; `by` may hold "outlet" and one of "day", "month", "year"; `name` in any form."""
        return self._read(count_speakers, scope, by, name, offset)

    def speaker(self, entity_id: int, scope: Scope = WHOLE_CORPUS) -> SpeakerDetail | None:
        """One entity as a speaker: counts, quotes per month and per outlet, roles; None if unknown."""
        return self._read(speaker_detail, entity_id, scope)

    def search(self, text: str, scope: Scope = WHOLE_CORPUS) -> list[SearchHit]:
        """Quotes and bodies with every word of `text` in any form, the most relevant first."""
        return self._read(search, text, scope)

    def entities(self, scope: Scope = WHOLE_CORPUS, type: str | None = None, name: str | None = None,
                 offset: int = 0) -> list[ListedEntity]:
        """Entities mentioned, the most mentioned first; of one type, or those a name may refer to."""
        return self._read(list_entities, scope, type, name, offset)

    def document(self, document_id: int) -> DocumentView | None:
        """One document as stored now, with its quotes, mentions and sources; None if unknown."""
        return self._read(document_view, document_id)

    def document_at(self, address: str) -> int | None:
        """The id of the document stored for an address (its URL, or where it was read from)."""
        return self._read(document_at, address)

    def outlets(self, scope: Scope = WHOLE_CORPUS, offset: int = 0, speakers: int = 0,
                speakers_scope: Scope | None = None) -> list[ListedOutlet]:
        """Outlets, those quoting most first, each with its `speakers` most quoted people."""
        return self._read(list_outlets, scope, offset, speakers, speakers_scope)

    def outlet(self, outlet_id: int, scope: Scope = WHOLE_CORPUS, offset: int = 0) -> OutletDetail | None:
        """One outlet and the people it quotes most; None if unknown."""
        return self._read(outlet_detail, outlet_id, scope, offset)

    def quote_speakers(self, quote_ids: list[int]) -> dict[int, int]:
        """The speaker id of each of these quotes that has a named speaker."""
        return self._read(quote_speakers, quote_ids)

    def latest_day(self) -> str | None:
        """The newest day a quote is filed under."""
        return self._read(latest_day)

    def stats(self, scope: Scope = WHOLE_CORPUS) -> CorpusStats:
        """Counts of documents, revisions, duplicates, quotes, speakers, entities, outlets, failures."""
        return self._read(corpus_stats, scope)

    def articles_to_link(self) -> list[AnalysedArticle]:
        """Every stored document with its stored quotes, entities and sources, as the linker reads them."""
        from skazal.store.link_articles import stored_articles

        return self._read(stored_articles)

    def save_linking(self, stories: Iterable[Story], utterances: Iterable[Utterance]) -> SavedLinking:
        """Replace the stored stories and utterances with these, in one transaction."""
        with self.engine.begin() as connection:
            return _links_module().save_linking(connection, stories, utterances)

    def linking(self) -> tuple[list[Story], list[Utterance]]:
        """The stored stories and utterances, as the linker gave them."""
        return self._read(_links_module().stored_linking)

    def stories(self, limit: int | None = None, offset: int = 0) -> list[ListedStory]:
        """Stories, those printed by most outlets first."""
        return self._read(_links_module().stored_stories, limit, offset)

    def story(self, story_id: str) -> StoryView | None:
        """One story: its articles by time and its utterances; None if unknown."""
        return self._read(_links_module().story_view, story_id)

    def utterance(self, utterance_id: str) -> UtteranceView | None:
        """One utterance with every occurrence, each against the reference wording; None if unknown."""
        return self._read(_links_module().utterance_view, utterance_id)

    def altered(self, limit: int | None = 50, offset: int = 0) -> tuple[int, list[AlteredOccurrence]]:
        """Printings that changed the meaning of what was said, the newest first, and their total."""
        return self._read(_links_module().altered_occurrences, limit, offset)

    def quote_links(self, quote_ids: list[int]) -> dict[int, QuoteLink]:
        """The utterance each of these quotes is a printing of, and how many other outlets printed it."""
        return self._read(_links_module().quote_links, quote_ids)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _links_module():
    """The store's linking module, imported when first asked for: the linker it reads records of loads
    scikit-learn and scipy, which would slow every command that opens a store."""
    from skazal.store import links as module

    return module


def open_store(url: str | None = None) -> Store:
    """Open the corpus at `url` (a path, sqlite:///path or postgresql://…); None → $SKAZAL_DB or ./skazal.db."""
    return Store(create_store_engine(database_url(url)))
