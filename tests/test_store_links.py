"""Stories and utterances saved in the store and read back, on SQLite and PostgreSQL, from real articles
of three gold stories of the multi-outlet stream (tests/link_fixtures.py)."""
from __future__ import annotations

import json

import pytest
from link_fixtures import TASS_MASKS, story_pages
from sqlalchemy import func, select
from store_fixtures import BACKENDS, fresh_database

from skazal.cli import main
from skazal.linking import link, story_line, utterance_line
from skazal.store import open_store
from skazal.store.link_tables import occurrences, stories, story_articles, utterances
from skazal.store.links import ADDED, DROPPED, SAME, word_diff

# Мантуров on «Россия 1», 3 May 2020, as ТАСС printed it
MASKS = (
    "В торговой сети на сегодняшнее утро остатки - 20 миллионов масок. То есть не только в аптеку нужно ходить. "
    "В интернет сегодня зайдешь, кликнешь - дефицита масок нет вообще, я уже не говорю про антисептики"
)


@pytest.fixture(scope="module", params=BACKENDS)
def linked_store(request, tmp_path_factory):
    """A store of the real articles, linked from what it holds and saved."""
    with fresh_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        with open_store(url) as store:
            store.upgrade()
            store.save_pages(story_pages())
            found = link(store.articles_to_link())
            store.save_linking(found.stories, found.utterances)
            yield store, found


def _url(store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def _counts(store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (stories, story_articles, utterances, occurrences)
        }


def test_the_store_gives_the_linker_every_article_with_its_outlet_time_and_quotes(linked_store):
    store, _ = linked_store
    articles = {article.record.url: article for article in store.articles_to_link()}
    assert len(articles) == len(story_pages())
    tass = articles[TASS_MASKS]
    assert (tass.record.outlet, tass.record.published, tass.record.time_precision) == (
        "ТАСС", "2020-05-03T10:53Z", "minute")
    assert any(q.speaker == "Денис Мантуров" and "20 миллионов масок" in q.text for q in tass.quotes)
    day_only = next(a for a in articles.values() if a.record.outlet == "Вестник Кавказа")
    assert (day_only.record.published, day_only.record.time_precision) == ("2020-05-03", "day")


def test_a_saved_linking_reads_back_as_the_linker_gave_it(linked_store):
    store, found = linked_store
    saved_stories, saved_utterances = store.linking()
    assert sorted(saved_stories, key=lambda s: s.id) == sorted(found.stories, key=lambda s: s.id)
    assert sorted(saved_utterances, key=lambda u: u.id) == sorted(found.utterances, key=lambda u: u.id)
    assert found.utterances and any(len(u.occurrences) > 3 for u in found.utterances)


def test_linking_again_gives_the_same_ids_and_no_second_copy(linked_store):
    store, found = linked_store
    before = _counts(store)
    again = link(reversed(store.articles_to_link()))
    store.save_linking(again.stories, again.utterances)
    assert {s.id for s in again.stories} == {s.id for s in found.stories}
    assert {u.id for u in again.utterances} == {u.id for u in found.utterances}
    assert _counts(store) == before
    assert before["occurrences"] == sum(len(u.occurrences) for u in found.utterances)


def test_a_statement_a_page_prints_twice_is_saved_once(linked_store):
    # BFM.ru's page prints "Россия сняла ограничения на вывоз…" twice
    store, found = linked_store
    printed = [o for u in store.linking()[1] for o in u.occurrences if o.text.startswith("Россия сняла ограничения")]
    bfm = [o for o in printed if "bfm.ru" in o.url]
    assert len(bfm) == 1, [o.url for o in printed]  # other outlets printing it are occurrences of their own
    assert len({u.id for u in found.utterances}) == len(found.utterances)


def test_the_masks_statement_links_each_printing_to_its_quote_and_its_outlets(linked_store):
    store, found = linked_store
    masks = next(u for u in found.utterances if any(o.url == TASS_MASKS and "20 миллионов" in o.text
                                                    for o in u.occurrences))
    view = store.utterance(masks.id)
    assert view.utterance.speaker == "Денис Мантуров"
    tass = next(o for o in view.occurrences if o.occurrence.url == TASS_MASKS)
    assert tass.quote_id is not None and tass.document_id == store.document_at(TASS_MASKS)
    assert tass.occurrence.first and tass.occurrence.outlet == "ТАСС"
    linked = store.quote_links([tass.quote_id])[tass.quote_id]
    assert linked.utterance_id == masks.id
    assert linked.other_outlets == len(set(view.outlets) - {"ТАСС"}) >= 2


def test_a_story_lists_its_articles_by_time_and_its_utterances(linked_store):
    store, found = linked_store
    biggest = store.stories(limit=1)[0]
    assert biggest.outlets == max(s.outlets for s in store.stories())
    view = store.story(biggest.id)
    times = [a.published for a in view.articles if a.published]
    assert times == sorted(times) and len(view.articles) == biggest.articles
    assert all(a.document_id is not None and a.outlet for a in view.articles)
    assert {u.id for u in view.utterances} == {u.id for u in found.utterances if u.story == biggest.id}
    assert store.story("story-unknown") is None and store.utterance("utt-unknown") is None


def test_altered_printings_are_listed_with_their_utterance(linked_store):
    store, found = linked_store
    total, listed = store.altered(limit=None)
    assert total == sum(o.meaning_altered for u in found.utterances for o in u.occurrences)
    assert all(item.occurrence.occurrence.meaning_altered for item in listed)
    assert all(item.occurrence.occurrence.changes for item in listed)


def test_a_changed_number_is_a_dropped_and_an_added_word():
    altered = MASKS.replace("20 миллионов", "30 миллионов")
    pieces = word_diff(MASKS, altered)
    assert (DROPPED, "20") in pieces and (ADDED, "30") in pieces
    assert "".join(words for kind, words in pieces if kind != DROPPED) == altered


def test_case_and_yo_are_no_difference_and_a_cut_is_dropped_words():
    assert word_diff("Всё это понятно", "все это понятно") == ((SAME, "все это понятно"),)
    first = MASKS.split(". ")[0]
    pieces = word_diff(MASKS, first)
    assert pieces[0] == (SAME, first) and pieces[-1][0] == DROPPED


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_link_tables_come_and_go_with_their_migration(backend, tmp_path):
    from skazal.store import migrate

    with fresh_database(backend, tmp_path) as url, open_store(url) as store:
        store.upgrade()
        migrate.downgrade(store.engine, "0006")
        assert not migrate.is_current(store.engine)
        store.upgrade()
        assert store.stories() == [] and store.altered() == (0, [])


def test_skazal_links_links_the_store_and_prints_the_scorers_lines(linked_store, capsys):
    store, found = linked_store
    assert main(["links", "--db", _url(store), "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    stories_printed = [line for line in lines if line["type"] == "story"]
    said = [line for line in lines if line["type"] == "utterance"]
    assert sorted(stories_printed, key=lambda line: line["id"]) == sorted(
        (story_line(s) for s in found.stories), key=lambda line: line["id"])
    assert sorted(said, key=lambda line: line["id"]) == sorted(
        (utterance_line(u) for u in found.utterances), key=lambda line: line["id"])
    fields = {"url", "text", "relation", "meaning_altered", "first"}
    assert all(fields <= set(o) for u in said for o in u["occurrences"])
    assert f"{len(found.stories)} stories" in err
    assert main(["links", "--db", _url(store), "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == out


def test_skazal_stories_and_utterance_show_what_is_stored(linked_store, capsys):
    store, found = linked_store
    assert main(["stories", "--db", _url(store), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in rows] == [s.id for s in store.stories()]
    assert rows[0]["outlets"] >= rows[-1]["outlets"]
    masks = next(u for u in found.utterances if u.reference.startswith("В торговой сети на сегодняшнее утро"))
    assert main(["utterance", masks.id, "--db", _url(store)]) == 0
    shown = capsys.readouterr().out
    assert "Денис Мантуров" in shown and "ТАСС" in shown and "[first]" in shown
    # ПРАЙМ printed "можно" where ТАСС had "нужно"
    assert "[-нужно-] {+можно+}" in shown
    assert main(["utterance", masks.id, "--db", _url(store), "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == masks.id


def test_an_unknown_utterance_and_files_with_a_store_are_refused(linked_store, capsys, tmp_path):
    store, _ = linked_store
    assert main(["utterance", "utt-000000000000", "--db", _url(store)]) == 1
    assert "no utterance utt-000000000000" in capsys.readouterr().err
    assert main(["links", "--db", _url(store), str(tmp_path / "articles.jsonl")]) == 2
    assert "not both" in capsys.readouterr().err


def test_a_part_of_a_joined_quotation_links_to_the_quotation_it_was_cut_from(linked_store):
    # ТАСС prints Хуснуллин's "Я думаю, что льготная ипотека …" and "Вы знаете, люди …" as one quotation
    store, found = linked_store
    tass = "https://tass.ru/nedvizhimost/8391329"
    think = next(u for u in found.utterances
                 if any(o.url == tass and o.text.startswith("Я думаю, что льготная") for o in u.occurrences))
    part = next(o for o in store.utterance(think.id).occurrences if o.occurrence.url == tass)
    assert "Вы знаете, люди" not in part.occurrence.text and part.quote_id is not None
    count = next(u for u in found.utterances
                 if any(o.url == tass and o.text.startswith("Вы знаете, люди") for o in u.occurrences))
    other = next(o for o in store.utterance(count.id).occurrences if o.occurrence.url == tass)
    assert other.quote_id == part.quote_id  # both parts are of the one stored quotation
    outlets = {u.id: len({o.outlet for o in u.occurrences}) - 1 for u in (think, count)}
    linked = store.quote_links([part.quote_id])[part.quote_id]
    assert linked.other_outlets == max(outlets.values()) and outlets[linked.utterance_id] == linked.other_outlets
