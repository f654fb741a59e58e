"""Cross-outlet linking: stories, utterances across outlets, first sources and altered quotes.

The names below are loaded on first use: the linker needs scikit-learn, scipy and datasketch,
which the store and the web app (reading records and first sources only) should not pay for.
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["LinkOptions", "Linking", "link", "story_line", "utterance_line"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(import_module("skazal.linking.linker"), name)
    raise AttributeError(f"module 'skazal.linking' has no attribute {name!r}")
