"""«Также в N изданиях»: beside a quote, how many other outlets printed the same statement, linking to it."""
from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

from skazal.store import Store
from skazal.web.language import chosen, counted, strings


def also_printed(request: Request, store: Store, quote_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """For each of these quotes that other outlets printed too: the link to its utterance and its label
    ("также в 3 изданиях")."""
    language = chosen(request)
    also_in = strings(language)["also_in"]
    return {
        quote_id: {"href": f"/utterances/{found.utterance_id}",
                   "label": f"{also_in} {counted(language, found.other_outlets, 'outlets_in')}"}
        for quote_id, found in store.quote_links(list(quote_ids)).items()
        if found.other_outlets
    }

