"""The corpus store on SQLite and on the real PostgreSQL server, with real extracted pages."""
from dataclasses import replace

import pytest
import store_fixtures
from sqlalchemy import inspect
from store_fixtures import BACKENDS, corpus, edited, fresh_database

from skazal.records import Failure
from skazal.store import Scope, StoreError, dialects, migrate, open_store, search

database_url, store, filled_store = store_fixtures.database_url, store_fixtures.store, store_fixtures.filled_store
corpus_store = store_fixtures.corpus_store

SEED, WIKINEWS, BYKVU, MEDPORTAL, KAMTIME = range(5)


def test_upgrade_creates_the_corpus_tables_and_can_run_again(store):
    store.upgrade()
    tables = set(inspect(store.engine).get_table_names())
    assert {"outlets", "documents", "revisions", "entities", "mentions", "quotes", "sources", "failures"} <= tables


def test_migrations_go_down_to_nothing_and_up_again(store):
    migrate.downgrade(store.engine, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    with pytest.raises(StoreError, match="skazal db upgrade"):
        store.check_schema()
    store.upgrade()
    store.check_schema()
    assert store.save_pages(corpus()[:1]) == ["new"]


def test_a_new_batch_is_saved_and_saving_it_again_changes_nothing(store):
    items = corpus()
    assert store.save_pages(items) == ["new"] * len(items)
    before = store.stats()
    assert store.save_pages(items) == ["unchanged"] * len(items)
    assert store.stats() == before
    assert before.documents == len(items)
    assert before.quotes == sum(len(item.page.quotes) for item in items)


def test_a_changed_body_at_the_same_address_is_a_new_revision_of_that_document(filled_store):
    original = corpus()[BYKVU]
    before = filled_store.stats()
    update = edited(original, "\n\nОбновлено: добавлены подробности.")
    update = replace(update, page=replace(update.page, quotes=update.page.quotes[:2]))
    assert filled_store.save_pages([update]) == ["revision"]
    after = filled_store.stats()
    assert (after.documents, after.revisions) == (before.documents, before.revisions + 1)
    assert len(filled_store.quotes("Порошенко")) == 2
    assert filled_store.search("подробность")[0].url == original.url


def test_the_same_text_at_another_address_is_recorded_as_a_duplicate(filled_store):
    copy = replace(corpus()[MEDPORTAL], location="mirror/insulin.html", url="https://mirror.example/insulin")
    before = filled_store.stats()
    assert filled_store.save_pages([copy]) == ["duplicate"]
    assert filled_store.save_pages([copy]) == ["unchanged"]
    after = filled_store.stats()
    assert after.duplicates == before.duplicates + 1
    assert (after.documents, after.quotes) == (before.documents, before.quotes)
    assert filled_store.seen("mirror/insulin.html")


def test_seen_tells_what_a_resumed_ingest_can_skip(corpus_store):
    item = corpus()[BYKVU]
    assert corpus_store.seen(item.location)
    assert corpus_store.seen(item.url, item.content_hash)
    assert not corpus_store.seen(item.url, "0" * 64)
    assert not corpus_store.seen("https://bykvu.com/ru/never-fetched/")


def test_failures_are_quarantined_once_per_location_and_released_when_the_page_is_saved(store):
    item = corpus()[WIKINEWS]
    store.record_failure(Failure(item.location, "timed out", "2026-01-01T10:00:00+00:00"))
    store.record_failure(Failure(item.location, "HTTP 503", "2026-01-01T11:00:00+00:00"))
    store.record_failure(Failure("https://example.org/empty", "empty page", "2026-01-01T09:00:00+00:00"))
    assert [(f.location, f.reason) for f in store.failures()] == [
        (item.location, "HTTP 503"),
        ("https://example.org/empty", "empty page"),
    ]
    assert len(store.failures(limit=1)) == 1
    store.save_pages([item])
    assert [f.location for f in store.failures()] == ["https://example.org/empty"]


@pytest.mark.parametrize("name", ["Лукашенко", "Лукашенко А.Г.", "Александра Лукашенко", "александр лукашенко"])
def test_any_form_of_a_name_finds_the_speaker(corpus_store, name):
    found = corpus_store.quotes(speaker=name)
    assert {quote.speaker for quote in found} == {"Александр Лукашенко"}
    assert len(found) == 5
    assert any("айтишников" in quote.text for quote in found)


@pytest.mark.parametrize("name", ["Лукашенко В.Г.", "Виктора Лукашенко", "Лукашевич"])
def test_another_person_is_not_taken_for_the_speaker(corpus_store, name):
    assert corpus_store.quotes(speaker=name) == []


def test_a_declined_name_finds_the_speaker(corpus_store):
    assert {quote.speaker for quote in corpus_store.quotes(speaker="Петра Порошенко")} == {"Петр Порошенко"}
    assert {quote.speaker for quote in corpus_store.quotes(speaker="Медведевым")} == {"Дмитрий Медведев"}


def test_quotes_point_back_into_the_stored_body(corpus_store):
    item = corpus()[MEDPORTAL]
    [quote] = corpus_store.quotes(speaker="Юрьев")
    assert item.page.body[quote.start : quote.end] == quote.text
    assert (quote.outlet, quote.url, quote.day) == ("medportal.ru", item.url, "2016-04-21")


def test_quotes_come_newest_first_and_narrow_to_an_outlet_and_days(corpus_store):
    days = [quote.day for quote in corpus_store.quotes()]
    assert days == sorted(days, reverse=True)
    in_2016 = corpus_store.quotes(scope=Scope(since="2016-01-01", until="2016-12-31"))
    assert {quote.outlet for quote in in_2016} == {"medportal.ru"}
    assert {quote.speaker for quote in corpus_store.quotes(scope=Scope(outlet="bykvu.com"))} == {"Петр Порошенко"}
    assert len(corpus_store.quotes(scope=Scope(limit=3))) == 3


def test_speakers_ranks_who_is_quoted_most(corpus_store):
    ranking = corpus_store.speakers()
    assert [(row.speaker, row.quotes) for row in ranking[:2]] == [("Петр Порошенко", 6), ("Александр Лукашенко", 5)]
    assert all(row.documents == 1 for row in ranking)
    per_outlet = corpus_store.speakers(scope=Scope(outlet="ru.wikinews.org"), by=("outlet", "year"))
    assert [(row.speaker, row.outlet, row.period, row.quotes) for row in per_outlet] == [
        ("Дмитрий Медведев", "ru.wikinews.org", "2010", 2),
        ("КПРФ", "ru.wikinews.org", "2010", 1),
    ]


def test_entities_merge_across_documents_by_name_and_type(filled_store):
    before = filled_store.stats()
    retold = edited(corpus()[SEED], "\n\nПерепечатка.", location="reprint.txt", url="https://reprint.example/it")
    assert filled_store.save_pages([retold]) == ["new"]
    after = filled_store.stats()
    assert after.entities == before.entities
    [lukashenko] = [row for row in filled_store.speakers() if row.speaker == "Александр Лукашенко"]
    assert (lukashenko.quotes, lukashenko.documents) == (10, 2)


def test_search_finds_every_grammatical_form_and_marks_it(corpus_store):
    hits = corpus_store.search("айтишник")
    quotes = [hit for hit in hits if hit.kind == "quote"]
    # Lukashenko's quote, and inside it the words he puts in the mouths of "some"
    assert {hit.speaker for hit in quotes} == {"Александр Лукашенко", None}
    assert all("[айтишников]" in hit.snippet for hit in quotes)
    assert [hit.kind for hit in hits].count("body") == 1
    assert hits == sorted(hits, key=lambda hit: hit.rank)


def test_search_needs_every_word_and_respects_the_scope(corpus_store):
    assert corpus_store.search("инсулин Крым")
    assert corpus_store.search("инсулин Порошенко") == []
    assert corpus_store.search("инсулин", Scope(outlet="bykvu.com")) == []
    assert corpus_store.search("инсулин", Scope(since="2020-01-01")) == []


def test_search_offsets_point_at_the_matching_words(corpus_store):
    [hit] = [hit for hit in corpus_store.search("церковь", Scope(outlet="bykvu.com")) if hit.kind == "body"]
    body = corpus()[BYKVU].page.body
    words = {body[start:end].lower() for start, end in hit.matches}
    assert "церкви" in words and all(word.startswith("церк") for word in words)


def test_search_without_words_is_an_error_a_user_can_act_on(corpus_store):
    with pytest.raises(StoreError, match="at least one word"):
        corpus_store.search("«…» — !")


def test_a_word_in_a_script_the_dictionary_cannot_read_is_stored_searched_and_looked_up_as_written(filled_store):
    # "𗀀" (U+17000, Tangut) has no Unicode name in Python; pymorphy3 raised ValueError on it.
    appended = edited(corpus()[SEED], "\n\nПодпись: 𗀀.")
    assert filled_store.save_pages([appended]) == ["revision"]
    assert [hit.url or hit.location for hit in filled_store.search("𗀀")] == [appended.url or appended.location]
    assert filled_store.quotes(speaker="𗀀") == []
    assert filled_store.quotes(speaker="𗀀 Лукашенко") == []


@pytest.mark.parametrize("outlet", ["news.zerkalo.io", "bykvu.com"])
def test_a_search_in_one_outlet_finds_that_outlets_hits_of_the_whole_search(corpus_store, outlet):
    # On SQLite the outlet is tested through its index (INDEXED BY), not in the rows: the same hits either way.
    def seen(hits) -> list[tuple]:
        return [(hit.kind, hit.location, hit.snippet) for hit in hits]

    theirs = [hit for hit in corpus_store.search("Украина", Scope(limit=500)) if hit.outlet == outlet]
    assert theirs
    assert seen(corpus_store.search("Украина", Scope(outlet=outlet, limit=500))) == seen(theirs)
    since = corpus_store.search("Украина", Scope(outlet=outlet, since="2019-01-01", limit=500))
    assert seen(since) == seen(hit for hit in theirs if hit.day and hit.day >= "2019-01-01")


def test_the_planner_has_statistics_and_the_facets_an_index_after_upgrade(store):
    store.save_pages(corpus())
    store.upgrade()  # nothing new: statistics are the migration's, taken when it ran
    assert "ix_quotes_facets" in {index["name"] for index in inspect(store.engine).get_indexes("quotes")}
    with store.engine.connect() as connection:
        analysed = ("SELECT count(*) FROM sqlite_stat1" if store.backend == "sqlite" else
                    "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
        assert connection.exec_driver_sql(analysed).scalar() > 0


def test_a_warm_up_asks_for_the_index_pages_to_be_read_ahead(filled_store):
    with filled_store.engine.connect() as connection:
        asked = dialects.warm_up(connection)
        if filled_store.backend == "sqlite":
            assert asked == [filled_store.engine.url.database]
        else:  # pg_prewarm ships with PostgreSQL's contrib, as on the test server
            assert "ix_search_entries_lemma_vector" in asked
        # The connection is still usable.
        assert connection.exec_driver_sql("SELECT count(*) FROM quotes").scalar() > 0


def test_both_backends_find_the_same_hits(tmp_path):
    found = []
    for backend in BACKENDS:
        with fresh_database(backend, tmp_path) as url, open_store(url) as opened:
            opened.upgrade()
            opened.save_pages(corpus())
            found.append(
                {
                    query: sorted((hit.kind, hit.location, hit.snippet) for hit in opened.search(query))
                    for query in ("айтишник", "президент Украины", "полиция", "инфляция")
                }
            )
    assert found[0] == found[1]
    assert all(found[0].values())


def test_a_search_that_widens_back_from_the_newest_entries_finds_the_same(corpus_store, monkeypatch):
    whole = [(hit.kind, hit.location, hit.snippet) for hit in corpus_store.search("Украина")]
    monkeypatch.setattr(dialects, "POSTGRES_FIRST_WINDOW", 2)
    assert [(hit.kind, hit.location, hit.snippet) for hit in corpus_store.search("Украина")] == whole
    assert len(whole) > 2


@pytest.mark.parametrize("walk_span", [2, 10_000])
def test_a_search_walking_back_from_the_newest_entries_finds_the_same(corpus_store, monkeypatch, walk_span):
    # Every word taken for common: the walk finds them all (a long walk) or too few and hands over (a short one).
    whole = [(hit.kind, hit.location, hit.snippet) for hit in corpus_store.search("Украина")]
    monkeypatch.setattr(search, "COMMON_SHARE", 0.0)
    monkeypatch.setattr(search, "WALK_SPAN", walk_span)
    assert [(hit.kind, hit.location, hit.snippet) for hit in corpus_store.search("Украина")] == whole


def test_an_unknown_database_kind_is_refused():
    with pytest.raises(StoreError, match="unsupported database"):
        open_store("mysql://root@localhost/news")
