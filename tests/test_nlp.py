"""skazal's analysis tags words as natasha's own pipeline does, however it saves work.

It tags morphology lazily, sentence by sentence, running the sentences as one sequence; it runs
the NER over the segmenter's tokens with its own Viterbi decoding. Real pages from tests/data.
"""
import pytest
from conftest import DATA
from natasha import Doc

from skazal.entities import short_texts
from skazal.nlp import analyse, analyse_texts, models, parse_sentences, possible_lemmas
from skazal.reading import read_page

PAGES = [
    DATA / "texts" / "zerkalo-lukashenko-it.txt",
    DATA / "texts" / "wikinews-militsiya-politsiya.txt",
    DATA / "html" / "019-meduza.html",
]


def natasha_doc(text: str) -> Doc:
    m = models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph_tagger)
    doc.tag_ner(m.ner_tagger)
    for token in doc.tokens:
        token.lemmatize(m.morph_vocab)
    return doc


@pytest.fixture(scope="module", params=PAGES, ids=lambda path: path.name)
def body(request) -> str:
    return read_page(request.param.read_bytes()).body


def test_every_word_has_natashas_part_of_speech_features_and_lemma(body):
    ours, theirs = analyse(body), natasha_doc(body)
    assert [(t.text, t.pos, t.feats, t.lemma) for t in ours.tokens] == [
        (t.text, t.pos, t.feats, t.lemma) for t in theirs.tokens
    ]


def test_names_are_natashas_spans_in_the_same_sentences(body):
    ours, theirs = analyse(body), natasha_doc(body)
    assert [(s.start, s.stop, s.type) for s in ours.spans] == [(s.start, s.stop, s.type) for s in theirs.spans]
    assert [len(s.spans) for s in ours.sents] == [len(s.spans) for s in theirs.sents]


def test_a_sentence_read_before_the_others_gets_the_same_morphology(body):
    """Reading one word tags its sentence only; the rest come out the same when read later."""
    ours, theirs = analyse(body), natasha_doc(body)
    last = ours.sents[-1].tokens[-1]
    assert last.pos == theirs.sents[-1].tokens[-1].pos
    assert [t.feats for t in ours.tokens] == [t.feats for t in theirs.tokens]


def test_parsed_sentences_get_natashas_heads_and_relations(body):
    ours, theirs = analyse(body), natasha_doc(body)
    theirs.parse_syntax(models().syntax_parser)
    indices = range(0, len(ours.sents), 2)
    parse_sentences(ours, indices)
    for i in indices:
        # natasha numbers sentences from 1, skazal from 0
        assert [(t.id.split("_")[1], t.head_id.split("_")[1], t.rel) for t in ours.sents[i].tokens] == [
            (t.id.split("_")[1], t.head_id.split("_")[1], t.rel) for t in theirs.sents[i].tokens
        ]


def test_a_page_analysed_with_its_title_teasers_and_captions_gets_natashas_names_in_each():
    article = read_page((DATA / "texts" / "zerkalo-lukashenko-it.txt").read_text(encoding="utf-8"))
    texts = [article.body, short_texts(article)[0]]
    assert texts[1], "the seed page has a title and teasers"
    for ours, text in zip(analyse_texts(texts), texts):
        theirs = natasha_doc(text)
        assert [(s.start, s.stop, s.type) for s in ours.spans] == [(s.start, s.stop, s.type) for s in theirs.spans]
        # a sentence ends with its line: natasha's morphology of each line on its own
        by_line = [t for line in text.splitlines() if line.strip() for t in natasha_doc(line).tokens]
        assert [(t.pos, t.feats) for t in ours.tokens] == [(t.pos, t.feats) for t in by_line]


def test_a_line_without_a_full_stop_ends_its_sentence():
    # multi-outlet corpus (Вокруг ТВ, 2020-05-03): a subheading, then the editor's "Добавим, что …"
    text = (
        "Анастасия Костенко призналась, что Дмитрий Тарасов называет Еву Настей\n\n"
        "Добавим, что Анастасия Костенко стала женой Дмитрия Тарасова 29 января 2017 года."
    )
    doc = analyse(text)
    assert [s.text for s in doc.sents] == text.split("\n\n")
    added = next(t for t in doc.tokens if t.text == "Добавим")
    assert added.pos == "VERB" and added.feats.get("Person") == "1"


def test_every_words_lemma_is_among_its_possible_lemmas(body):
    """Lexicon look-ups skip a sentence whose words cannot have a lexicon lemma: never wrongly."""
    theirs = natasha_doc(body)
    assert [t.text for t in theirs.tokens if t.lemma not in possible_lemmas(t.text)] == []


def test_a_name_before_straight_quotes_is_found_as_before_guillemets():
    # multi-outlet corpus (Москва 24, 2020-05-02): natasha loses the name when a '"' follows it
    text = (
        "С таким заявлением выступил ведущий специалист центра погоды Фобос Евгений Тишковец.\n\n"
        '"Столбики термометров устремятся на штурм 20-градусной отметки", – приводит РИА Новости его слова.'
    )
    assert ("Евгений Тишковец", "PER") in {(s.text, s.type) for s in analyse(text).spans}


def test_an_abbreviation_razdel_cuts_into_letters_stays_one_word():
    # multi-outlet corpus (Українські Новини, 2020-05-02): "и.о. министра" is an office, not "и" and a stop
    doc = analyse("Об этом сказала и.о. министра энергетики Ольга Буславець, а И.о. мэра промолчал.")
    words = [t.text for t in doc.tokens]
    assert "и.о." in words and "И.о." in words
    assert len(doc.sents) == 1
