"""natasha's MorphVocab (pymorphy) with each word looked up in the dictionary once per process.

pymorphy walks its dictionary in pure Python, and a word no page has shown before costs a
millisecond or so: most of the pipeline's time on first-seen pages. The entity and lexicon rules
ask about the same word in several ways (every lemma it could have, then its parses scored, then
whether it is known), so the look-up is kept and each answer built from it. The answers are
pymorphy's own, computed as `MorphAnalyzer.parse` computes them (pymorphy2 0.9.1).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from natasha import MorphVocab
from natasha.morph.lemma import grams_sim, lemmatize, normal_word
from natasha.morph.vocab import MorphForm, ud_feats, ud_pos
from pymorphy2.analyzer import MorphAnalyzer
from pymorphy2.analyzer import Parse as PymorphyParse
from pymorphy2.units import DictionaryAnalyzer

# A page has a few hundred distinct words and a news corpus a few hundred thousand; the bounds keep
# a worker's memory flat (about 1 KB a word scored, a third of that a word looked up).
LOOKED_UP_WORDS = 100_000
SCORED_WORDS = 30_000
KNOWN_WORDS = 100_000
TAGS = 20_000
LEMMA_SETS = 16  # the lexicons' sets of lemmas looked for among all the words of a page

RawParse = tuple  # pymorphy's (word, tag, normal form, score, methods stack) before its Parse type


@lru_cache(maxsize=TAGS)
def _ud_tags(tag) -> tuple[str, dict[str, str]]:
    """natasha's part of speech and features of a pymorphy tag (a few thousand tags recur)."""
    return ud_pos(tag), dict(ud_feats(tag))


class TaggedForm(MorphForm):
    """natasha's MorphForm, its part of speech and features read from a table of the tags."""

    def __new__(cls, *fields):
        self = PymorphyParse.__new__(cls, *fields)
        self.normal = self.normal_form
        self.pos, feats = _ud_tags(self.tag)
        self.feats = dict(feats)
        return self


class MorphDictionary(MorphVocab):
    """natasha's MorphVocab whose dictionary look-ups, scored parses and known-word checks are
    remembered, each in a bounded LRU cache of its own."""

    def __init__(self) -> None:
        MorphAnalyzer.__init__(self, result_type=TaggedForm)  # as MorphVocab does, with its own forms
        self.looked_up = lru_cache(maxsize=LOOKED_UP_WORDS)(self._looked_up)
        self.parse = lru_cache(maxsize=SCORED_WORDS)(self._parse)
        self._forms_of = lru_cache(maxsize=LEMMA_SETS)(self._lexemes_of)
        self._remember_known_words()

    def __call__(self, word: str) -> list:
        return self.parse(word)

    def _looked_up(self, word: str) -> tuple[RawParse, ...]:
        """pymorphy's analyses of `word` by its units (dictionary, then guesses), before scoring."""
        parses: list[RawParse] = []
        seen: set = set()
        word_lower = word.lower()
        for unit, is_terminal in self._units:
            parses.extend(unit.parse(word, word_lower, seen))
            if is_terminal and parses:
                break
        return tuple(parses)

    def _parse(self, word: str) -> list:
        """`MorphAnalyzer.parse`: the analyses scored by P(tag | word), as natasha's MorphForms."""
        parses: Sequence[RawParse] = list(self.looked_up(word))
        if self.prob_estimator is not None:
            parses = self.prob_estimator.apply_to_parses(word, word.lower(), parses)
        return [self._result_type(*parse) for parse in parses]

    def unscored_parses(self, word: str) -> list:
        """`parse(word)` in pymorphy's order of finding, unscored: for a question any parse may
        answer, at a fraction of the cost on a word nobody writes (a guessed nominative)."""
        return [self._result_type(*parse) for parse in self.looked_up(word)]

    def lemma(self, word: str, pos: str, feats: dict[str, str]) -> str:
        """natasha's `lemmatize(word, pos, feats)`. natasha takes the first parse, by score, that
        agrees best with the tagger; where every parse that agrees as well has the same normal
        form, the scores cannot change the lemma and are not computed."""
        word = normal_word(word)
        lemmas = _best_agreeing_lemmas(self.looked_up(word), pos, feats)
        if len(lemmas) == 1:
            return lemmas.pop()
        return lemmatize(self, word, pos, feats) if lemmas else word

    def possible_lemmas(self, word: str) -> frozenset[str]:
        """Every lemma natasha could give `word` (its normal forms, and the word itself), whatever
        the tagger makes of it; unscored, as the scores do not change which lemmas there are."""
        word = normal_word(word)
        return frozenset(normal_word(normal_form) for _, _, normal_form, *_ in self.looked_up(word)) | {word}

    def may_have_lemma_among(self, word: str, lemmas: frozenset[str]) -> bool:
        """`possible_lemmas(word)` meets `lemmas`, asked without analysing `word` where that is
        not needed: a word of the dictionary has a lemma among them only if it is a form of one of
        them (which needs a look-up without the parses), and most words of a page are neither."""
        word = normal_word(word)
        if word in lemmas:
            return True
        if len(word) > 1 and self.dictionary.word_is_known(word, self.char_substitutes):
            # the dictionary's parses end the analysis, and their lemmas are dictionary words
            return word in self._forms_of(lemmas)
        return not self.possible_lemmas(word).isdisjoint(lemmas)

    def _lexemes_of(self, lemmas: frozenset[str]) -> frozenset[str]:
        """Every form (normalised) of every dictionary word whose normalised lemma is in `lemmas`."""
        return frozenset(
            normal_word(form)
            for lemma in lemmas
            for parse in self.looked_up(lemma)
            if isinstance(parse[4][0][0], DictionaryAnalyzer) and normal_word(parse[2]) == lemma
            for form in self.lexeme_words(parse)
        )

    def lexeme_words(self, parse: RawParse) -> frozenset[str]:
        """The words of every form of `parse`'s lexeme (what `inflect` chooses among), without
        building a MorphForm of each."""
        unit = parse[4][-1][0]
        return frozenset(form[0] for form in unit.get_lexeme(parse))

    def _remember_known_words(self) -> None:
        """pymorphy looks a word up in its dictionary again on every `parse.is_known`; the entity
        rules ask it of the same few names many times a page."""
        dictionary = self.dictionary
        look_up = dictionary.word_is_known

        @lru_cache(maxsize=KNOWN_WORDS)
        def is_known(word: str, fuzzy: bool) -> bool:
            return look_up(word, substitutes_compiled=self.char_substitutes if fuzzy else None)

        dictionary.word_is_known = lambda word, substitutes_compiled=None: is_known(word, bool(substitutes_compiled))


def _best_agreeing_lemmas(parses: Sequence[RawParse], pos: str, feats: dict[str, str]) -> set[str]:
    """The lemmas of the forms natasha's `best_form` could choose, whatever their order: those
    that agree with the tagger exactly, else those most alike it (none if nothing is alike)."""
    tagged = [(*_ud_tags(tag), normal) for _, tag, normal, *_ in parses]
    exact = {normal_word(normal) for form_pos, form_feats, normal in tagged if form_pos == pos and form_feats == feats}
    if exact:
        return exact
    likeness = [(grams_sim(form_pos, form_feats, pos, feats), normal) for form_pos, form_feats, normal in tagged]
    best = max((score for score, _ in likeness), default=0)
    return {normal_word(normal) for score, normal in likeness if score == best} if best > 0 else set()
