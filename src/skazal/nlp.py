"""natasha's models, loaded once per process, and the analysis every later stage shares.

The models ship inside the natasha/slovnet/navec wheels; nothing is downloaded.
"""
from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache

import numpy as np
from natasha import (
    Doc,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
    Segmenter,
)
from natasha.doc import DocSent, DocSpan, DocToken, sent_words
from razdel import sentenize, tokenize
from slovnet.bio import bio_spans
from slovnet.conll import parse_conll_tag
from slovnet.shape import word_shape

from skazal.nlp_conv import encode
from skazal.nlp_morph import MorphDictionary

_LINE_BREAK = re.compile(r"\s*\n\s*")
# an abbreviation razdel cuts into letters and full stops ("и.о. министра" → "и", ".", "о", "."), which the
# parser then reads as a conjunction and a sentence end; kept one word
_DOTTED_WORD = re.compile(r"(?<!\w)и\.\s?о\.(?=\s|\w|$)", re.IGNORECASE)

# The longest sentence of the gold sets and test pages has 134 tokens; a window of 500 costs the
# parser a few milliseconds and a megabyte, where 20,000 tokens cost 45 s and 6 GB.
PARSED_WINDOW = 500


class Models:
    def __init__(self) -> None:
        embedding = NewsEmbedding()
        self.segmenter = Segmenter()
        self.morph_vocab = MorphDictionary()
        self.morph_tagger = NewsMorphTagger(embedding)
        self.ner_tagger = NewsNERTagger(embedding)
        self.syntax_parser = NewsSyntaxParser(embedding)


@cache
def models() -> Models:
    return Models()


class _Morphology:
    """The sentences of analysed texts still waiting for the morphology tagger."""

    def __init__(self, sents: list[DocSent]) -> None:
        self.sents = sents
        self.pending = set(range(len(sents)))

    def tag(self, indices: Iterable[int]) -> None:
        todo = sorted(self.pending.intersection(indices))
        if not todo:
            return
        self.pending.difference_update(todo)
        for i, tags in zip(todo, _morphology_tags([sent_words(self.sents[i]) for i in todo])):
            for token, tag in zip(self.sents[i].tokens, tags):
                pos, feats = _parsed_tag(tag)
                token.__dict__.pop("_morphology", None)
                token.__dict__.update(pos=pos, feats=dict(feats))


@lru_cache(maxsize=10_000)
def _parsed_tag(tag: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A morphology tag ("NOUN|Case=Nom|Number=Sing") as part of speech and features; a few
    thousand tags recur on every page."""
    pos, feats = parse_conll_tag(tag)
    return pos, tuple(feats.items())


def _morphology_tags(sentences: list[list[str]]) -> Iterator[list[str]]:
    """slovnet's morphology tags of each sentence."""
    morph = models().morph_tagger.infer
    for scores in _packed_scores("morph_tagger", sentences):
        yield [morph.decoder.tags_vocab.decode(i) for i in morph.model.head.decode(scores)]


def _packed_scores(tagger: str, sequences: list[list[str]]) -> list[np.ndarray]:
    """A slovnet tagger's scores for each word of each sequence, run as one (see `_packed`)."""
    word_id, shape_id, pad_mask, starts = _packed(tagger, sequences)
    model = getattr(models(), tagger).infer.model
    scores = model.head(encode(model.encoder, model.emb(word_id, shape_id), pad_mask))[0]
    return [scores[start : start + len(words)] for start, words in zip(starts, sequences)]


def _packed(tagger: str, sequences: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Word and shape ids of all the sequences as one, a padding word between them, with the pad
    mask and where each sequence starts. slovnet's convolutions see zeros past a sequence's ends
    either way (the padding word's vectors are zeros and padding is zeroed after every layer), and
    one long sequence costs far less than batches of short ones."""
    encoder = getattr(models(), tagger).infer.encoder
    pad = (encoder.words_vocab.pad_id, encoder.shapes_vocab.pad_id)
    ids, starts = [], []
    for words in sequences:
        starts.append(len(ids))
        ids += [_word_ids(tagger, word) for word in words]
        ids.append(pad)
    word_id, shape_id = np.array([ids]).transpose(2, 0, 1)
    return word_id, shape_id, word_id == pad[0], starts


@lru_cache(maxsize=300_000)
def _word_ids(tagger: str, word: str) -> tuple[int, int]:
    """slovnet's ids of a word and of its shape (as the tagger's `encoder.item` gives them), cached:
    the same words go through the NER, the morphology tagger and the parser, page after page."""
    encoder = getattr(models(), tagger).infer.encoder
    return encoder.words_vocab.encode(word.lower()), encoder.shapes_vocab.encode(word_shape(word))


class Token(DocToken):
    """A natasha token whose part of speech and features are tagged the first time either (or the
    lemma) is read, for its whole sentence: most sentences of a page are never looked at that
    closely, and the morphology tagger costs as much as the NER."""

    def __init__(self, start: int, stop: int, text: str) -> None:
        self.start, self.stop, self.text = start, stop, text
        self.id = self.head_id = self.rel = None

    def __getattr__(self, name: str) -> object:
        # reached only while pos, feats or lemma is still missing from the instance
        if name not in ("pos", "feats", "lemma"):
            raise AttributeError(name)
        if "_morphology" in self.__dict__:
            morphology, sentence = self.__dict__.pop("_morphology")
            morphology.tag([sentence])
        if name == "lemma":
            # pymorphy is slow on words it has not seen: lemmatise only the words looked at
            self.lemma = lemma_of(self.text, self.pos, tuple(sorted(self.feats.items())))
        return self.__dict__[name]


def analyse(text: str) -> Doc:
    """Segment and NER-tag `text`; morphology is tagged on first use, syntax by `parse_sentences`."""
    return analyse_texts([text])[0]


def analyse_texts(texts: Sequence[str]) -> list[Doc]:
    """`analyse` for several texts (a page's body and its short texts), the models run once for all."""
    docs = [_segmented(text) for text in texts]
    sents = [sent for doc in docs for sent in doc.sents]
    morphology = _Morphology(sents)
    for i, sent in enumerate(sents):
        for token in sent.tokens:
            token.__dict__["_morphology"] = (morphology, i)
    named = [doc for doc in docs if doc.text.strip()]
    scores = _packed_scores("ner_tagger", [_ner_words(doc) for doc in named]) if named else []
    for doc in docs:
        doc.spans = []
    for doc, doc_scores in zip(named, scores):
        doc.spans = list(_names(doc, doc_scores))
    for doc in docs:
        doc.envelop_span_tokens()
        doc.envelop_sent_spans()
    # every later stage reads the morphology of the names natasha found: tag those sentences in one batch
    morphology.tag(i for i, sent in enumerate(sents) if sent.spans)
    return docs


def _ner_words(doc: Doc) -> list[str]:
    """The words the NER reads: straight double quotes as «», which its training texts use (a '"'
    after a name, as pages write it, loses the name: "…Евгений Тишковец.\n\n\"Столбики …")."""
    words = []
    for token in doc.tokens:
        if token.text == '"':
            opening = token.start == 0 or doc.text[token.start - 1].isspace() or doc.text[token.start - 1] in "([«"
            words.append("«" if opening else "»")
        else:
            words.append(token.text)
    return words


def _segmented(text: str) -> Doc:
    """`text` split into tokens and sentences by razdel, as natasha's segmenter does."""
    doc = Doc(text)
    doc.tokens = _dotted_words_joined(text, [Token(t.start, t.stop, t.text) for t in tokenize(text)])
    doc.sents = [DocSent(start, stop, text[start:stop]) for start, stop in _sentences(text)] if text else []
    doc.envelop_sent_tokens()
    return doc


def _dotted_words_joined(text: str, tokens: list[Token]) -> list[Token]:
    spans = [(m.start(), m.end()) for m in _DOTTED_WORD.finditer(text)]
    if not spans:
        return tokens
    joined: list[Token] = []
    for token in tokens:
        span = next((s for s in spans if s[0] <= token.start < s[1]), None)
        if span is None:
            joined.append(token)
        elif token.start == span[0]:
            joined.append(Token(span[0], span[1], text[span[0] : span[1]]))
    return joined


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """razdel's sentences, cut at line breaks: razdel joins a line without a full stop (a
    subheading, a headline of the paragraph) to the next, and a sentence never spans two lines."""
    for sent in sentenize(text):
        start = sent.start
        for line in _LINE_BREAK.finditer(text, sent.start, sent.stop):
            if line.start() > start:
                yield start, line.start()
            start = line.end()
        if sent.stop > start:
            yield start, sent.stop


def _names(doc: Doc, scores: np.ndarray) -> Iterator[DocSpan]:
    ner = models().ner_tagger.infer
    tags = [ner.decoder.tags_vocab.decode(i) for i in _best_tags(scores, ner.model.head.crf.transitions.array)]
    for start, stop, kind in bio_spans(doc.tokens, tags):
        yield DocSpan(start, stop, kind, doc.text[start:stop])


def _best_tags(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """natasha's NER tags of one text by Viterbi: slovnet's CRF decoding, the same sums in the
    same order, without the batch and mask bookkeeping that costs more than the sums on one page."""
    columns = np.arange(emissions.shape[1])
    score, history = emissions[0], []
    for emission in emissions[1:]:
        scores = score[:, None] + transitions + emission
        best = scores.argmax(0)
        score = scores[best, columns]
        history.append(best)
    tags = [int(score.argmax())]
    for best in reversed(history):
        tags.append(int(best[tags[-1]]))
    tags.reverse()
    return tags


@lru_cache(maxsize=200_000)
def lemma_of(word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
    """natasha's lemma of a tagged word; cached because news vocabulary repeats from page to page."""
    return models().morph_vocab.lemma(word, pos, dict(feats))


@lru_cache(maxsize=100_000)
def possible_lemmas(word: str) -> frozenset[str]:
    """Every lemma natasha could give `word`, whatever the tagger makes of it: checking against
    these spares tagging a sentence that holds no word of a lexicon."""
    return models().morph_vocab.possible_lemmas(word)


def tokens_with_lemma_among(tokens: Iterable[DocToken], words: AbstractSet[str]) -> list[DocToken]:
    """The tokens whose lemma is one of `words`, their sentences tagged in one batch."""
    lemmas, vocab = frozenset(words), models().morph_vocab
    candidates = [t for t in tokens if vocab.may_have_lemma_among(t.text, lemmas)]
    tag_morphology(candidates)
    return [t for t in candidates if t.lemma in words]


def tag_morphology(tokens: Iterable[DocToken]) -> None:
    """Tag the sentences holding `tokens` in one batch, ahead of reading their morphology."""
    by_doc: dict[int, tuple[_Morphology, set[int]]] = {}
    for token in tokens:
        morphology, sentence = token.__dict__.get("_morphology", (None, None))
        if morphology is not None:
            by_doc.setdefault(id(morphology), (morphology, set()))[1].add(sentence)
    for morphology, sentences in by_doc.values():
        morphology.tag(sentences)


def lemma_among(token: DocToken, words: Container[str]) -> str | None:
    """The token's lemma if it is one of `words`; its sentence is tagged only when it could be."""
    if not any(lemma in words for lemma in possible_lemmas(token.text)):
        return None
    return token.lemma if token.lemma in words else None


def parse_sentences(doc: Doc, indices: Iterable[int]) -> None:
    """Run the syntax parser on the sentences `doc.sents[i]` only (the parser is the slow part).

    Token ids become "<sentence index>_<n>"; a head id ending in "_0" marks the root.

    A sentence longer than `PARSED_WINDOW` tokens is parsed as consecutive windows of that many,
    each with a root of its own: slovnet scores every pair of a sentence's words, and one endless
    sentence (a list without full stops, thousands of «) would take minutes and gigabytes.
    """
    todo = [i for i in sorted(set(indices)) if doc.sents[i].tokens and doc.sents[i].tokens[0].head_id is None]
    windows = [(i, start) for i in todo for start in range(0, len(doc.sents[i].tokens), PARSED_WINDOW)]
    if not windows:
        return
    words = [sent_words(doc.sents[i])[start : start + PARSED_WINDOW] for i, start in windows]
    for (i, start), (heads, rels) in zip(windows, _syntax(words)):
        tokens = doc.sents[i].tokens[start : start + PARSED_WINDOW]
        for n, (token, head, rel) in enumerate(zip(tokens, heads, rels), start + 1):
            token.id, token.head_id, token.rel = f"{i}_{n}", f"{i}_{head + start if head else 0}", rel


def _syntax(sentences: list[list[str]]) -> Iterator[tuple[list[int], list[str]]]:
    """slovnet's head and relation of each word of each sentence. The convolutions run over all
    the sentences as one sequence (see `_packed`); heads and relations are chosen per sentence,
    among its own words, as slovnet chooses them."""
    parser = models().syntax_parser.infer
    model = parser.model
    word_id, shape_id, pad_mask, starts = _packed("syntax_parser", sentences)
    encoded = encode(model.encoder, model.emb(word_id, shape_id), pad_mask)
    for start, words in zip(starts, sentences):
        x = encoded[:, start : start + len(words)]
        everywhere = np.ones((1, len(words)), dtype=bool)
        heads = model.head.decode(model.head(x), everywhere)
        rels = model.rel.decode(model.rel(x, heads), everywhere)
        yield heads[0].tolist(), [parser.decoder.rels_vocab.decode(r) for r in rels[0]]
