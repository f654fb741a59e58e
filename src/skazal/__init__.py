"""skazal: who said what, when, to whom and according to whom, in Russian news."""
from skazal.pipeline import extract
from skazal.records import Article, Cue, Entity, Image, Mention, Page, Quote, Source, Speaker

__all__ = ["extract", "Article", "Cue", "Entity", "Image", "Mention", "Page", "Quote", "Source", "Speaker"]
__version__ = "0.1.0"
