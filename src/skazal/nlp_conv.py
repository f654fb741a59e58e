"""slovnet's CNN encoder with its convolutions computed words-first: the same floats, cheaper.

slovnet (`slovnet.exec.model.Conv1d`) keeps features first (batch × features × words) and builds
each window of three words by a copy that numpy does three floats at a time: up to a third of the
pipeline's time. Kept words first, the same windows are three strided copies of whole rows, and
then go through the very matrix product slovnet computes (same shapes, same order of the sums), so
the output is equal to the last bit. ReLU and batch norm are slovnet's own. Checked against the
slovnet version below (tests/test_nlp_conv.py); with any other, slovnet's encoder runs.
"""
from __future__ import annotations

from importlib.metadata import version

import numpy as np
from slovnet.exec.model import CNNEncoder, Conv1d

CHECKED_SLOVNET = "0.6.0"
ADAPTED = version("slovnet") == CHECKED_SLOVNET


def encode(encoder: CNNEncoder, embedded: np.ndarray, pad_mask: np.ndarray) -> np.ndarray:
    """`encoder(embedded, pad_mask)`: (batch × words × features) in, the same shape out."""
    if not ADAPTED:
        return encoder(embedded, pad_mask)
    return np.stack([_encoded(encoder, words, pad) for words, pad in zip(embedded, pad_mask)])


def _encoded(encoder: CNNEncoder, words: np.ndarray, pad: np.ndarray) -> np.ndarray:
    """One sequence (words × features) through every layer, padding zeroed after each, as slovnet does."""
    for layer in encoder.layers:
        words = layer.relu(_convolved(layer.conv, words))
        # slovnet's batch norm takes features first and works on each value alone
        words = layer.norm(words.T[None])[0].T
        words[pad] = 0
    return words


def _convolved(conv: Conv1d, words: np.ndarray) -> np.ndarray:
    """`conv` over one sequence, words first: row i of the windows is slovnet's window i
    (features × offsets, flattened), zeros past both ends."""
    filters, features, width = conv.weight.shape
    count = len(words) + 2 * conv.padding - width + 1
    windows = np.zeros((count, features, width), dtype=words.dtype)
    for offset in range(width):
        shift = offset - conv.padding
        first, last = max(0, -shift), min(count, len(words) - shift)
        windows[first:last, :, offset] = words[first + shift : last + shift]
    weight = conv.weight.array.reshape(filters, features * width)
    return np.matmul(windows.reshape(count, features * width), weight.T) + conv.bias.array
