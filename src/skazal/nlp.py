"""natasha's models, loaded once per process, and the analysis every later stage shares.

The models ship inside the natasha/slovnet/navec wheels; nothing is downloaded.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from natasha import (
    Doc,
    MorphVocab,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
    Segmenter,
)
from natasha.doc import inject_syntax, offset_syntax, sent_words


class Models:
    def __init__(self) -> None:
        embedding = NewsEmbedding()
        self.segmenter = Segmenter()
        self.morph_vocab = MorphVocab()
        self.morph_tagger = NewsMorphTagger(embedding)
        self.ner_tagger = NewsNERTagger(embedding)
        self.syntax_parser = NewsSyntaxParser(embedding)


@cache
def models() -> Models:
    return Models()


def analyse(text: str) -> Doc:
    """Segment, morph-tag and NER-tag `text`; syntax is left to `parse_sentences`."""
    m = models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph_tagger)
    doc.tag_ner(m.ner_tagger)
    for span in doc.spans:
        span.normalize(m.morph_vocab)
    for token in doc.tokens:
        token.lemma = lemma_of(token.text, token.pos, tuple(sorted(token.feats.items())))
    return doc


@lru_cache(maxsize=200_000)
def lemma_of(word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
    """natasha's lemma of a tagged word; cached because news vocabulary repeats from page to page."""
    return models().morph_vocab.lemmatize(word, pos, dict(feats))


def parse_sentences(doc: Doc, indices: Iterable[int]) -> None:
    """Run the syntax parser on the sentences `doc.sents[i]` only (the parser is the slow part).

    Token ids become "<sentence index>_<n>"; a head id ending in "_0" marks the root.
    """
    todo = [i for i in sorted(set(indices)) if doc.sents[i].tokens and doc.sents[i].tokens[0].head_id is None]
    if not todo:
        return
    markups = models().syntax_parser.map([sent_words(doc.sents[i]) for i in todo])
    for i, markup in zip(todo, markups):
        inject_syntax(doc.sents[i].tokens, markup.tokens)
        offset_syntax(i, doc.sents[i].tokens)
