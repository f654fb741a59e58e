"""Cross-outlet linking on real articles of the multi-outlet stream (tests/data/linking, provenance in
its README): stories, utterances, first sources, and alterations injected into real quotes."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from skazal.cli import main
from skazal.ingest.records import ArticleRecord, BadArticleRecord, published_at, read_records, records_from_text
from skazal.linking import link, utterance_line
from skazal.linking.alterations import relate
from skazal.linking.analysis import analysed_articles
from skazal.linking.first_source import cited_outlet, rank_first
from skazal.linking.records import AnalysedArticle, Occurrence, SpokenWords
from skazal.linking.search import found_again
from skazal.linking.stories import StoryLinker, StoryOptions, term_weights
from skazal.linking.timeline import order_key
from skazal.linking.utterances import UtteranceOptions, printings
from skazal.linking.words import lemmas

DATA = Path(__file__).parent / "data" / "linking"
ARTICLES = DATA / "articles.jsonl"
REPORTS = DATA / "reports.jsonl"
RBC = "https://www.rbc.ru/economics/03/05/2020/5ea9b0be9a79476051a71b62"
TASS = "https://tass.ru/ekonomika/8391043"
PRIME = "https://1prime.ru/business/20200503/831381636.html"
KOMMERSANT = "https://www.kommersant.ru/doc/4336081"
TASS_MORTGAGE = "https://tass.ru/nedvizhimost/8391329"

# Мантуров on «Россия 1», 3 May 2020, as ТАСС printed it (tg-eco-005-01)
MASKS = (
    "В торговой сети на сегодняшнее утро остатки - 20 миллионов масок. То есть не только в аптеку нужно ходить. "
    "В интернет сегодня зайдешь, кликнешь - дефицита масок нет вообще, я уже не говорю про антисептики"
)
# the Ростех statement as ТАСС printed it
MARKUPS = "Спекулятивные наценки на материалы для средств защиты достигают 500% из-за ажиотажного спроса"
# Хуснуллин on mortgages
MORTGAGE = "Я думаю, что льготная ипотека, безусловно, позволит предотвратить резкое падение спроса на жилье"

MEANING_CHANGES = [
    ("a number changed", MASKS, MASKS.replace("20 миллионов", "30 миллионов")),
    ("a number changed to words", MARKUPS, MARKUPS.replace("500%", "400%")),
    ("a hedge added to a number", MARKUPS, MARKUPS.replace("достигают 500%", "достигают почти 500%")),
    ("a negation dropped", MASKS, MASKS.replace("дефицита масок нет вообще", "дефицит масок есть вообще")),
    ("a negation dropped (не)", MASKS, MASKS.replace("То есть не только", "То есть только")),
    ("a negation added", MORTGAGE, MORTGAGE.replace("позволит", "не позволит")),
    ("a modality word changed", MASKS, MASKS.replace("нужно ходить", "можно ходить")),
    ("a name swapped", MASKS, MASKS.replace("В интернет", "В Госдуму")),
    ("a name swapped in a claim", MARKUPS + " Об этом сообщил Ростех", MARKUPS + " Об этом сообщил Минпромторг"),
    ("a date changed", MORTGAGE + " в мае", MORTGAGE + " в июне"),
]

COSMETIC_EDITS = [
    ("dashes and quotes", MASKS, MASKS.replace(" - ", " — ")),
    ("е for ё", "Всё это понятно, мы ещё поработаем над этим", "Все это понятно, мы еще поработаем над этим"),
    ("punctuation only", MORTGAGE, MORTGAGE.replace(", безусловно,", " безусловно")),
    ("case only", MORTGAGE, MORTGAGE.replace("Я думаю", "я думаю")),
    ("a unit abbreviated", MASKS, MASKS.replace("20 миллионов", "20 млн")),
    ("a percent sign spelled", MARKUPS, MARKUPS.replace("500%", "500 процентов")),
    ("an acronym in Latin letters", "Стоимость материала СМС взлетела", "Стоимость материала SMS взлетела"),
    # Хуснуллин as ТАСС and Коммерсантъ printed him, and BFM.ru's date put into Мантуров's words
    ("a word the editor put in square brackets", "Уже тысячи заявок в банках на оформление, и часть людей уже оформили",
     "Уже тысячи заявок в банках на оформление, и часть людей уже [их] оформили"),
    ("a date the editor put in brackets", MASKS, MASKS.replace("сегодняшнее утро", "сегодняшнее утро (3 мая)")),
]


@pytest.mark.parametrize(("what", "reference", "altered"), MEANING_CHANGES, ids=[c[0] for c in MEANING_CHANGES])
def test_every_meaning_change_is_flagged(what, reference, altered):
    found = relate(reference, "direct", altered, "direct")
    assert found.relation == "altered-meaning", what
    assert found.meaning_altered and found.changes


@pytest.mark.parametrize(("what", "reference", "edited"), COSMETIC_EDITS, ids=[c[0] for c in COSMETIC_EDITS])
def test_no_cosmetic_edit_is_flagged(what, reference, edited):
    found = relate(reference, "direct", edited, "direct")
    assert found.relation == "cosmetic", what
    assert not found.meaning_altered


def test_a_cut_sentence_is_a_truncation_not_a_change():
    first_sentence = MASKS.split(". ")[0]
    found = relate(MASKS, "direct", first_sentence, "direct")
    assert (found.relation, found.meaning_altered) == ("truncated", False)
    last_two = MASKS.split(". ", 1)[1]
    assert relate(MASKS, "direct", last_two, "direct").relation == "truncated"


def test_more_of_the_speakers_words_is_an_extension():
    found = relate(MORTGAGE, "direct", MORTGAGE + ". Спрос уже восстанавливается", "direct")
    assert (found.relation, found.meaning_altered) == ("extended", False)


def test_a_changed_word_is_a_rewording():
    found = relate(MASKS, "direct", MASKS.replace("я уже не говорю", "я уж не говорю"), "direct")
    assert (found.relation, found.meaning_altered) == ("reworded", False)


def test_a_word_dropped_inside_is_a_rewording_not_a_cut():
    # Хуснуллин as ПРАЙМ and as ТАСС transcribed him
    said = "Ты на 20 лет можешь взять кредит сегодня под 6,5%, эти 6,5% точно совершенно снивелируются"
    prime, tass = said + ", и это для людей очень выгодно", said + ". Это для людей очень выгодно"
    found = relate(prime, "direct", tass, "direct")
    assert (found.relation, found.meaning_altered) == ("reworded", False)


def test_reported_speech_is_indirect_and_flagged_when_it_gives_another_number():
    assert relate(MASKS, "direct", "в стране нет дефицита масок и антисептиков", "indirect").relation == "indirect"
    reprinted = "Крупные компании из проблемных отраслей пока получили отсрочку по налогам на общую сумму 750 млн руб."
    assert relate(reprinted, "indirect", reprinted, "indirect").relation == "indirect"  # a report to the letter
    found = relate(MASKS, "direct", "остатки масок в магазинах составляют 30 млн штук", "indirect")
    assert (found.relation, found.meaning_altered) == ("indirect", True)
    hedged = relate(MASKS, "direct", "на складах магазинов и аптек их почти 20 миллионов штук", "indirect")
    assert hedged.meaning_altered and hedged.changes == ("hedge: — 20 → почти 20",)
    summed_up = relate(MASKS, "direct", "в торговых сетях остается 20 млн масок, сообщил он 3 мая", "indirect")
    assert not summed_up.meaning_altered  # a date of the report's own is no change to what was said


def test_a_hedge_of_another_sense_is_a_change_and_one_of_the_same_sense_is_not():
    # ФНС as РБК reported it and as Коммерсантъ retold it; Ростех's price as ТАСС, НОВЫЕ ИЗВЕСТИЯ and
    # Политика Сегодня printed it
    fns = "Всего от них поступило более 800 заявлений"
    retold = relate(fns, "indirect", "Всего поступило около 800 заявлений", "indirect")
    assert retold.meaning_altered and retold.changes == ("hedge: более 800 → около 800",)
    price = "до 1,5 тыс. рублей за килограмм при закупочной стоимости в пределах 300 рублей"
    for printed in ("При закупочной стоимости около 300 рублей, цена поднялась до полутора тысяч рублей",
                    "до 1,5 тыс. рублей за килограмм при закупочной цене 300 рублей"):
        assert not relate(price, "direct", printed, "indirect").meaning_altered
    assert not relate(MARKUPS, "direct", MARKUPS.replace("достигают 500%", "достигают порядка 500%"),
                      "direct").meaning_altered


def test_a_report_that_goes_on_past_the_extracted_words_is_flagged_by_the_hedge_it_goes_on_with():
    # РБК's report of ФНС and Коммерсантъ's retelling: the extractor stops both at "750 млн руб."
    rbc = "Крупные компании из проблемных отраслей пока получили отсрочку по налогам на общую сумму 750 млн руб"
    kommersant = ("Крупный бизнес из наиболее пострадавших от пандемии коронавируса отраслей получил отсрочку "
                  "на 750 млн руб")
    rbc_after = "., сообщила РБК Федеральная налоговая служба (ФНС). Всего от них поступило более 800 заявлений."
    kommersant_after = "., сообщила ФНС. Всего поступило около 800 заявлений."
    retold = relate(rbc, "indirect", kommersant, "indirect", rbc_after, kommersant_after)
    assert retold.meaning_altered and retold.changes == ("hedge: более 800 → около 800",)
    same = relate(rbc, "indirect", kommersant, "indirect", rbc_after, ". Всего поступило свыше 800 заявлений.")
    assert not same.meaning_altered
    assert not relate(rbc, "indirect", kommersant, "indirect").meaning_altered  # nothing after: nothing to compare


def test_a_day_of_a_month_or_a_year_is_no_hedged_quantity_and_a_number_given_twice_keeps_both_hedges():
    # the Singapore forecast as outlets retold it: "к 3 июня" and "до 3 июня" are one date
    forecast = "на 99% эпидемия в России завершится до 3 июня"
    assert not relate(forecast, "indirect", "к 3 июня будут выявлены 99% случаев", "indirect").meaning_altered
    assert not relate("с 2009 по 2019 год", "indirect", "до 2019 года", "indirect").meaning_altered
    # a duration is a quantity: "более 15 лет" is not "15 лет"
    assert relate("уже 15 лет не общается с ней", "indirect", "уже более 15 лет не общается с ней",
                  "indirect").meaning_altered
    # the Курган weather service as Областная газета retold it: "4" is a night and a temperature
    frost = "ночью 4 и 5 мая местами по области температура опустится до - 4 градусов"
    assert not relate(frost, "indirect", "в ночь на 4 мая ожидаются заморозки до -4°С", "indirect").meaning_altered
    assert relate(frost, "indirect", "в ночь на 4 мая ожидаются заморозки более 4 градусов",
                  "indirect").changes == ("hedge: — / до 4 → более 4",)


def test_a_retelling_whose_next_sentence_changes_a_hedge_is_flagged_in_the_linked_story(reported):
    deferrals = next(u for u in reported.utterances if any("750 млн" in o.text for o in u.occurrences))
    by_outlet = {o.outlet: o for o in deferrals.occurrences}
    assert by_outlet["Коммерсантъ"].changes == ("hedge: более 800 → около 800",)
    assert not by_outlet["Клерк"].meaning_altered  # "более 800" as РБК printed it


def test_a_name_with_a_number_is_not_a_number():
    found = relate("Симптомы при коронавирусе другие", "direct", "Симптомы при COVID-19 другие", "direct")
    assert not any(change.startswith("number") for change in found.changes)


def test_article_records_keep_outlet_and_time_with_its_precision():
    records = list(read_records(ARTICLES))
    assert all(isinstance(record, ArticleRecord) for record in records)
    tass = next(r for r in records if r.url == TASS)
    assert (tass.outlet, tass.published, tass.time_precision) == ("ТАСС", "2020-05-03T10:53Z", "minute")
    day_only = next(r for r in records if r.outlet == "Вестник Кавказа")
    assert (day_only.published, day_only.time_precision) == ("2020-05-03", "day")
    assert published_at("2020-05-03") == ("2020-05-03", "day")
    assert published_at("2020-05-03 14:05:00") == ("2020-05-03T14:05Z", "minute")


def test_csv_records_and_bad_lines(tmp_path):
    rows = records_from_text(
        'url,title,text,published,outlet\nhttps://a.example/1,Заголовок,"Текст, с запятой",2020-05-03T10:53Z,ТАСС\n',
        suffix=".csv",
    )
    assert (rows[0].text, rows[0].outlet, rows[0].time_precision) == ("Текст, с запятой", "ТАСС", "minute")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"url": "https://a.example/2", "text": ""}\nnot json\n', encoding="utf-8")
    assert [type(item) for item in read_records(bad)] == [BadArticleRecord, BadArticleRecord]


def test_the_first_source_is_the_earliest_minute_with_ties_and_never_a_bare_date():
    def seen(url, published, precision="minute"):
        return Occurrence(url, None, published, precision, "direct", "…", "identical", False)

    ranked = rank_first([
        seen("https://c.example", "2020-05-03T11:00Z"),
        seen("https://day.example", "2020-05-03", "day"),
        seen("https://b.example", "2020-05-03T10:53Z"),
        seen("https://a.example", "2020-05-03T10:53Z"),
    ])
    assert [o.url for o in ranked if o.first] == ["https://a.example", "https://b.example"]
    assert all(o.tied_first for o in ranked if o.first)
    assert not next(o for o in ranked if o.url == "https://day.example").first


def test_an_article_citing_another_outlet_names_it():
    outlets = ("ТАСС", "Коммерсантъ")
    assert cited_outlet("сказал он (цитата по ТАСС).", "Коммерсантъ", outlets) == "ТАСС"
    assert cited_outlet("Об этом сообщает ТАСС.", "ТАСС", outlets) is None


@pytest.fixture(scope="module")
def analysed():
    """The extractor's quotes for the eight real articles (a handful: natasha runs on each)."""
    return analysed_articles(list(read_records(ARTICLES)))


def test_one_statement_across_outlets_is_one_utterance(analysed):
    linking = link(analysed)
    masks = next(u for u in linking.utterances if u.reference.startswith("В торговой сети на сегодняшнее утро"))
    by_url = {o.url: o for o in masks.occurrences if o.kind != "indirect"}
    assert {TASS, PRIME} <= set(by_url)
    assert by_url[TASS].first and by_url[TASS].relation == "identical"
    assert by_url[PRIME].relation == "altered-meaning"  # «нужно» printed as «можно»
    assert any("нужно → можно" in change for change in by_url[PRIME].changes)
    assert masks.speaker == "Денис Мантуров"
    for utterance in linking.utterances:  # an article prints a statement once verbatim, and may sum it up once
        printed = [(o.url, o.kind == "indirect") for o in utterance.occurrences]
        assert len(set(printed)) == len(printed)


def test_an_unrelated_article_is_a_story_of_its_own(analysed):
    linking = link(analysed)
    sport = next(s for s in linking.stories if "kuman" in s.urls[0])
    assert len(sport.urls) == 1
    tass_story = next(s for s in linking.stories if TASS in s.urls)
    assert KOMMERSANT in tass_story.urls


def test_the_same_stories_and_utterances_whatever_the_input_order(analysed):
    forward, backward = link(analysed), link(list(reversed(analysed)))
    assert forward.stories == backward.stories
    assert forward.utterances == backward.utterances


def test_links_command_prints_what_the_scorer_reads_and_caches_the_quotes(tmp_path, capsys):
    cache = tmp_path / "quotes.jsonl"
    assert main(["links", str(ARTICLES), "--format", "jsonl", "--cache", str(cache), "--workers", "1"]) == 0
    first = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(cache.read_text(encoding="utf-8").splitlines()) == 8
    stories = [r for r in first if r["type"] == "story"]
    assert sorted(url for s in stories for url in s["articles"]) == sorted(r.url for r in read_records(ARTICLES))
    utterance = next(r for r in first if r["type"] == "utterance" and len(r["occurrences"]) > 1)
    assert {"url", "text", "relation", "meaning_altered", "first"} <= set(utterance["occurrences"][0])
    assert main(["links", str(ARTICLES), "--cache", str(cache), "--workers", "1"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == first


def test_utterance_lines_name_the_origin_a_first_printing_cites(analysed):
    lines = [utterance_line(u) for u in link(analysed).utterances]
    assert all(line["origin"] in (None, "ТАСС") for line in lines)


def test_a_new_article_joins_a_story_or_starts_one_without_relinking(analysed):
    ordered = sorted(analysed, key=lambda a: order_key(a.record))
    linker = StoryLinker(term_weights(ordered, StoryOptions()))
    placed = [linker.add(article) for article in ordered]
    tass = next(a for a in ordered if a.record.url == TASS)
    reprint = replace(tass, record=replace(tass.record, url="https://reprint.example/1", outlet="reprint.example"))
    assert linker.add(reprint) == placed[ordered.index(tass)]
    sport = next(a for a in ordered if "kuman" in a.record.url)
    later = replace(sport.record, url="https://other.example/2", published="2020-05-09T10:00Z")
    other_day = replace(sport, record=later)
    assert linker.add(other_day) == len(set(placed))  # a week later: a story of its own
    assert [linker.story_of[i] for i in range(len(ordered))] == placed


def test_a_statement_is_found_again_where_the_extractor_missed_it():
    kommersant = next(r for r in read_records(ARTICLES) if r.url == KOMMERSANT)
    article = AnalysedArticle(kommersant, quotes=())
    words = found_again(MASKS, article, "Денис Мантуров")
    assert words is not None and words.kind == "direct"
    assert words.text.startswith("В торговой сети на сегодняшнее утро остатки — 20 млн масок")
    assert kommersant.text[words.start:words.end] == words.text
    assert found_again(MORTGAGE, article, "Марат Хуснуллин") is None


def test_a_statement_is_found_again_whatever_glosses_and_marks_the_outlets_printed_around_it():
    # Мантуров on Moscow's warehouses as ПРАЙМ printed him, looked for in Известия's article (tg-eco-000-14),
    # which glosses another way ("(масок. ― Ред.)"), with «» for "" and no no-break spaces
    izvestia = next(r for r in read_records(DATA / "stories.jsonl") if r.id == "tg-eco-000-14")
    prime = ("В Москве на\xa0сегодняшнее утро на\xa0складах \"Дельруса\", который уполномочен к\xa0централизованной "
             "закупке, 15,5 миллиона (медицинских масок\xa0— ред.) в\xa0остатке")
    words = found_again(prime, AnalysedArticle(izvestia, quotes=()), "Денис Мантуров")
    assert words is not None and words.kind == "direct"
    assert words.text.startswith("В Москве на сегодняшнее утро на складах «Дельруса»")
    assert words.text.endswith("в остатке") and izvestia.text[words.start:words.end] == words.text


def _printed(id_: str, outlet: str, published: str, said: str) -> AnalysedArticle:
    record = ArticleRecord(f"https://{id_}.example", "", said, outlet, published, "minute", id_)
    return AnalysedArticle(record, (SpokenWords("direct", said, None, 0, len(said)),))


def test_a_quotation_joining_statements_first_printed_apart_is_split():
    # the government's note on advances as ТАСС (06:08), RT (06:55) and Коммерсантъ (06:49, as one quotation)
    # printed it: the first printing gave the first statement alone, so Коммерсантъ's quotation joins two
    advances = ("Предприятия и компании, занимающиеся поставкой товаров, выполнением работ и оказанием услуг для "
                "госнужд, смогут получить в качестве аванса до 50% от цены контракта")
    support = "Эта мера призвана поддержать бизнес в период сложной ситуации"
    articles = [_printed("tass", "ТАСС", "2020-05-03T06:08Z", advances),
                _printed("kommersant", "Коммерсантъ", "2020-05-03T06:49Z", f"{advances}. {support}"),
                _printed("rt", "RT на русском", "2020-05-03T06:55Z", support)]
    utterances = link(articles).utterances
    kommersant = sorted(o.text for u in utterances for o in u.occurrences if "kommersant" in o.url)
    assert kommersant == [advances, support]
    assert len(utterances) == 2 and all(len(u.occurrences) == 2 for u in utterances)
    # printed whole first, the statement stays one however outlets cut it later
    first_whole = [replace(a, record=replace(a.record, published="2020-05-03T06:00Z")) if a.record.id == "kommersant"
                   else a for a in articles]
    assert [len(u.occurrences) for u in link(first_whole).utterances] == [3]


def test_links_command_on_nothing_and_on_a_missing_file(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["links", str(empty), "--workers", "1"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["links", str(tmp_path / "missing.jsonl"), "--workers", "1"]) == 1
    assert "missing.jsonl" in capsys.readouterr().err


@pytest.fixture(scope="module")
def reported():
    """ФНС on the tax deferrals as five outlets retold it, Мантуров on masks in three (natasha runs on each)."""
    return link(analysed_articles(list(read_records(REPORTS))))


def test_reports_the_extractor_missed_are_found_in_the_story(reported):
    deferrals = next(u for u in reported.utterances if any("750 млн" in o.text for o in u.occurrences))
    by_outlet = {o.outlet: o for o in deferrals.occurrences}
    # РБК, Клерк and Bankir.Ru print the same report ("сообщила РБК Федеральная налоговая служба")
    assert {"РБК", "Клерк", "Bankir.Ru информационное агентство", "Коммерсантъ"} <= set(by_outlet)
    rbc = by_outlet["РБК"]
    assert rbc.url == RBC and rbc.first and rbc.kind == "indirect"
    assert rbc.text.startswith("Крупные компании из проблемных отраслей пока получили отсрочку по налогам")
    record = next(r for r in read_records(REPORTS) if r.url == RBC)
    assert rbc.text in record.text
    assert all(o.relation == "indirect" or o.text == rbc.text for o in deferrals.occurrences)


def test_a_report_joins_the_statement_it_retells_and_a_changed_hedge_is_flagged(reported):
    utterance, report = next(
        (u, o) for u in reported.utterances for o in u.occurrences
        if o.outlet == "Правда.Ру" and "20 миллионов" in o.text
    )
    assert len(utterance.occurrences) > 1 and utterance.speaker == "Денис Мантуров"
    assert next(o for o in utterance.occurrences if o.first).outlet == "ТАСС"
    assert report.meaning_altered and any(change.startswith("hedge") for change in report.changes)


def test_a_verbatim_printing_keeps_the_word_before_the_aligned_window(reported):
    masks = next(u for u in reported.utterances if u.reference.startswith("В торговой сети на сегодняшнее утро"))
    bfm = next(o for o in masks.occurrences if o.outlet == "BFM.ru")
    assert bfm.kind == "direct" and bfm.text.startswith("В торговой сети на сегодняшнее утро (3 мая)")
    assert (bfm.relation, bfm.changes) == ("altered-meaning", ("modality: нужно → можно",))


def test_words_a_page_prints_twice_are_one_printing_and_ids_stay_unique(analysed):
    tass = next(a for a in analysed if a.record.url == TASS)
    twice = replace(tass.record, text=tass.record.text + "\n" + tass.record.text)
    page = analysed_articles([twice])[0]
    masks_quotes = [q for q in page.quotes if q.text.startswith("В торговой сети на сегодняшнее утро")]
    assert len(masks_quotes) == 2  # the extractor gives the words at both places
    others = [a for a in analysed if a.record.url != TASS]
    linking = link([page, *others])
    ids = [u.id for u in linking.utterances]
    assert len(ids) == len(set(ids))
    masks = next(u for u in linking.utterances if u.reference.startswith("В торговой сети на сегодняшнее утро"))
    assert [o.url for o in masks.occurrences].count(TASS) == 1


def test_the_store_and_the_web_read_linking_records_without_loading_the_linker():
    import subprocess
    import sys

    code = ("import sys, skazal.web.app, skazal.store.links; "
            "print(sorted(m for m in ('sklearn', 'scipy', 'datasketch', 'skazal.linking.linker') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


@pytest.fixture(scope="module")
def mortgage_story():
    """Хуснуллин on mortgages in eight outlets (natasha runs on each)."""
    return analysed_articles([r for r in read_records(DATA / "stories.jsonl") if r.id.startswith("tg-eco-004-")])


def test_a_quotation_joining_two_statements_printed_apart_elsewhere_is_split(mortgage_story):
    tass = next(a for a in mortgage_story if a.record.url == TASS_MORTGAGE)
    joined = next(q for q in tass.quotes if q.text.startswith("Я думаю, что льготная ипотека"))
    assert "Вы знаете, люди у нас хорошо считают" in joined.text  # the extractor gives one quotation
    linking = link(mortgage_story)
    think, count = (next(u for u in linking.utterances if any(o.text.startswith(opening) for o in u.occurrences))
                    for opening in ("Я думаю, что льготная", "Вы знаете, люди"))
    assert think.id != count.id
    in_think = next(o for o in think.occurrences if o.url == TASS_MORTGAGE)
    assert in_think.text == "Я думаю, что льготная ипотека, безусловно, позволит [предупредить падение спроса]"
    assert in_think.relation == "cosmetic"  # ПРАЙМ's «позволит», without the editor's brackets, is the reference
    in_count = next(o for o in count.occurrences if o.url == TASS_MORTGAGE)
    assert in_count.text.startswith("Вы знаете, люди у нас хорошо считают") and in_count.relation == "reworded"
    assert len({o.url for o in count.occurrences if o.kind == "direct"}) >= 5


def test_a_mixed_quote_is_linked_by_its_quoted_statement(mortgage_story):
    # Коммерсантъ's sentence as one mixed quote (as the extractor gave it on 3 December 2026)
    kommersant = next(a for a in mortgage_story if a.record.outlet == "Коммерсантъ")
    text = kommersant.record.text
    start = text.index("россияне проявляют большой интерес")
    end = text.index("оформили»", start) + len("оформили»")
    mixed = SpokenWords("mixed", text[start:end], "Марат Хуснуллин", start, end)
    kept = tuple(q for q in kommersant.quotes if "тысячи заявок" not in q.text and "большой интерес" not in q.text)
    articles = [replace(a, quotes=(*kept, mixed)) if a is kommersant else a for a in mortgage_story]
    compared = next(p for p in printings(articles, {}, UtteranceOptions()) if p.quote is mixed)
    assert compared.lemmas == tuple(lemmas("Уже тысячи заявок в банках на оформление, и часть людей их уже оформили"))
    applications = next(u for u in link(articles).utterances
                        if any(o.text.startswith("Большой интерес, уже тысячи заявок") for o in u.occurrences))
    assert any(o.outlet == "Коммерсантъ" and o.kind == "mixed" for o in applications.occurrences)
    assert {o.outlet for o in applications.occurrences if o.kind != "indirect"} >= {"ПРАЙМ", "ТАСС", "Коммерсантъ"}
