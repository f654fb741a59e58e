"""slovnet's encoder computed words-first (skazal.nlp_conv) gives slovnet's floats to the last bit,
for the NER, the morphology tagger and the parser, on real pages and on the shortest sequences."""
from importlib.metadata import version

import numpy as np
import pytest
from conftest import DATA
from razdel import tokenize

from skazal.nlp import _packed, models
from skazal.nlp_conv import CHECKED_SLOVNET, encode
from skazal.reading import read_page

PAGES = [DATA / "texts" / "zerkalo-lukashenko-it.txt", DATA / "html" / "019-meduza.html"]
TAGGERS = ("ner_tagger", "morph_tagger", "syntax_parser")


def words_of(path) -> list[str]:
    return [token.text for token in tokenize(read_page(path.read_bytes()).body)]


def both_encodings(tagger: str, sequences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    model = getattr(models(), tagger).infer.model
    word_id, shape_id, pad_mask, _ = _packed(tagger, sequences)
    embedded = model.emb(word_id, shape_id)
    return model.encoder(embedded, pad_mask), encode(model.encoder, embedded, pad_mask)


@pytest.mark.parametrize("tagger", TAGGERS)
@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_a_page_is_encoded_to_slovnets_floats(tagger, path):
    words = words_of(path)
    slovnets, ours = both_encodings(tagger, [words[:200], words[200:]])
    assert ours.shape == slovnets.shape and ours.dtype == slovnets.dtype
    assert np.array_equal(ours, slovnets)


@pytest.mark.parametrize("tagger", TAGGERS)
@pytest.mark.parametrize("sequence", [["Да"], ["Он", "сказал"]], ids=len)
def test_a_sequence_shorter_than_the_window_is_encoded_to_slovnets_floats(tagger, sequence):
    slovnets, ours = both_encodings(tagger, [sequence])
    assert np.array_equal(ours, slovnets)


def test_the_adapter_runs_on_the_slovnet_it_was_checked_against():
    """Upgrading slovnet fails here: check the adapter against the new version, then move the pin."""
    assert version("slovnet") == CHECKED_SLOVNET
