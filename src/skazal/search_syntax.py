"""What a search understands: every word given, in any grammatical form and any order. Phrases, OR and
NOT are no operators of it, so a query written with them is refused with a message instead of being
read as plain words (`"Высший совет"` finding the two words apart, `санкции OR пошлины` looking for the
word "or", `-Песков` finding Песков)."""
from __future__ import annotations

import re

from skazal.errors import SkazalError

# Quotation marks (a phrase), an operator word in capitals, a word with a minus or "!" before it.
OPERATORS = re.compile(r'["«»„“”]|(?<!\S)(?:OR|AND|NOT)(?!\S)|(?<!\S)[-!](?=\w)')
HOW_IT_SEARCHES = "a search finds the quotes and texts holding every word given, in any form and any order"


class UnsupportedSearch(SkazalError):
    """A search query written with syntax the search does not have."""


def unsupported(text: str) -> str | None:
    """Why `text` cannot be searched for as written, or None when it is plain words."""
    found = OPERATORS.search(text)
    if found is None:
        return None
    written = found.group()
    if written in ("OR", "AND", "NOT"):
        said = f"{written} is not supported"
    elif written in "-!":
        said = f"leaving a word out ({written}word) is not supported"
    else:
        said = "phrases in quotation marks are not supported"
    return f"{said}: {HOW_IT_SEARCHES}"


def check_search(text: str | None) -> str | None:
    """`text` as given; UnsupportedSearch when it is written with phrases, OR, AND or NOT."""
    problem = unsupported(text or "")
    if problem:
        raise UnsupportedSearch(problem)
    return text
