"""Quote attribution: who said what in the article body."""

from skazal.quotes.attribute import find_quotes

__all__ = ["find_quotes"]
