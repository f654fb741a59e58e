"""The remembered pymorphy look-ups (skazal.nlp_morph) answer as natasha's MorphVocab does, on
every word of real pages: the same parses in the same order with the same scores, the same lemma
for the tagger's part of speech and features, every inflection among the lexeme's words."""
import pytest
from conftest import DATA
from natasha import Doc, MorphVocab

from skazal.nlp import models
from skazal.nlp_morph import MorphDictionary
from skazal.reading import read_page

PAGES = [
    DATA / "texts" / "zerkalo-lukashenko-it.txt",
    DATA / "texts" / "wikinews-militsiya-politsiya.txt",
    DATA / "html" / "019-meduza.html",
]


@pytest.fixture(scope="module")
def natashas() -> MorphVocab:
    return MorphVocab()


@pytest.fixture(scope="module")
def tagged_words() -> list[tuple[str, str, dict]]:
    """(word, part of speech, features) of every token of the pages, as natasha's tagger gives them."""
    words = []
    for path in PAGES:
        doc = Doc(read_page(path.read_bytes()).body)
        doc.segment(models().segmenter)
        doc.tag_morph(models().morph_tagger)
        words += [(token.text, token.pos, token.feats) for token in doc.tokens]
    return words


def described(parses) -> list[tuple]:
    return [(p.word, str(p.tag), p.normal_form, p.score, p.pos, p.feats, [type(m[0]).__name__ for m in p.methods_stack])
            for p in parses]


def test_every_word_gets_pymorphys_parses(natashas, tagged_words):
    ours = MorphDictionary()
    for word in sorted({word.lower() for word, _, _ in tagged_words}):
        assert described(ours(word)) == described(natashas(word)), word
        assert described(ours.parse(word)) == described(natashas.parse(word)), word


def test_every_word_gets_natashas_lemma_for_its_tags(natashas, tagged_words):
    ours = MorphDictionary()
    differ = [(word, pos, feats) for word, pos, feats in tagged_words
              if ours.lemma(word, pos, feats) != natashas.lemmatize(word, pos, feats)]
    assert differ == []


@pytest.mark.parametrize("word", ["Бориса", "Грызловым", "Курской", "Уилкерсона", "Келеберды", "айтишников"])
def test_every_inflection_is_among_the_lexeme_words(word):
    """`lexeme_words` lets the guessed nominatives skip `inflect`: never where it would match."""
    vocab = models().morph_vocab
    for parse in vocab.unscored_parses(word.lower()):
        words = vocab.lexeme_words(parse)
        assert word.lower() in words
        for case in ("Nom", "Gen", "Dat", "Acc", "Ins", "Loc"):
            form = parse.inflect({case})
            assert form is None or form.word in words


def test_unscored_parses_are_the_scored_ones_in_another_order():
    vocab = models().morph_vocab
    for word in ("стали", "келеберда", "мингорисполком"):
        unscored = sorted((str(p.tag), p.normal_form) for p in vocab.unscored_parses(word))
        assert unscored == sorted((str(p.tag), p.normal_form) for p in vocab(word))


def test_a_lemma_among_a_lexicon_is_found_as_with_every_possible_lemma(tagged_words):
    """The shortcut for dictionary words answers as `possible_lemmas` does, on every word of the
    pages against the cue lexicon's lemmas (and against the pages' own lemmas, which all meet)."""
    from skazal.quotes.lexicon import lexicon

    vocab = models().morph_vocab
    lex = lexicon()
    cues = frozenset(lex.cues | lex.naming | lex.passing_on | lex.speaking_verbs | lex.source_nouns)
    own = frozenset(vocab.lemma(word, pos, feats) for word, pos, feats in tagged_words[:300])
    for lemmas in (cues, own):
        fresh = MorphDictionary()
        differ = [word for word, _, _ in tagged_words
                  if fresh.may_have_lemma_among(word, lemmas) != (not vocab.possible_lemmas(word).isdisjoint(lemmas))]
        assert differ == []
    assert any(MorphDictionary().may_have_lemma_among(word, cues) for word, _, _ in tagged_words)
