"""The links of a page: to itself with parameters changed, to its twins, to its pages, and the filter chips
of a list page (quotes, speakers, articles), each removable by its own link."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from fastapi import Request

from skazal.store.listing import Facet
from skazal.web.language import same_origin
from skazal.web.params import Window, iso_day, kept_parameters


def here(request: Request, **changes) -> str:
    """This page's path and query, with some parameters changed (None: taken out)."""
    query = dict(request.query_params)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return same_origin(request.url.path) + "?" + urlencode(query)


def with_parameters(request: Request, address: str, **extra) -> str:
    """`address` with the parameters this page was given and takes (the language left out), and `extra`."""
    kept = kept_parameters(request) + [(name, str(value)) for name, value in extra.items()]
    if not kept:
        return address
    return address + ("&" if "?" in address else "?") + urlencode(kept)


def page_links(request: Request, window: Window, more: bool) -> dict[str, str | None]:
    """Links to the previous and (when there is `more`) the next page of a list."""
    return {
        "previous": here(request, offset=max(window.offset - window.limit, 0)) if window.offset else None,
        "next": here(request, offset=window.offset + window.limit) if more else None,
    }


def list_links(request: Request, window: Window, total: int, shown: int, facets: Sequence[Facet], twin: str,
               filters: Sequence[str], fields: Sequence[str], default_sort: str,
               labels: Mapping[str, str] | None = None) -> dict:
    """What a list page shows beside its rows: the range shown of the total, the pages, the removable
    filters (in the order of `filters`, labelled `filter_NAME` unless `labels` says otherwise), facet
    and sorting links, the CSV twin, and the parameters the filter form (its `fields`) must carry on."""
    first, last = window.offset + 1, window.offset + shown
    return {
        "total": total,
        "first": first,
        "last": last,
        "pages": page_links(request, window, last < total),
        "chips": chips(request, filters, facets, labels or {}),
        "facets": facets,
        "choose": lambda name, value: here(request, offset=None, **{name: value}),
        "sorted_by": lambda sort: here(request, offset=None, sort=None if sort == default_sort else sort),
        "csv": with_parameters(request, twin, format="csv"),
        "clear": same_origin(request.url.path),
        "hidden": [(name, value) for name, value in kept_parameters(request) if name not in (*fields, "offset")],
    }


# Filters holding a day, shown as ISO whichever way it was typed.
DAYS = ("since", "until")


def chips(request: Request, filters: Sequence[str], facets: Sequence[Facet], labels: Mapping[str, str]
          ) -> list[dict]:
    """The filters given, each with the address of this list without it."""
    # With one speaker asked for, the speaker facet holds that person alone (by the fullest name).
    speaker = next((value.label for facet in facets if facet.name == "speaker_id"
                    for value in facet.values if value.label), None)
    found = []
    for name in filters:
        value = request.query_params.get(name)
        if value is None:
            continue
        shown = (speaker or f"#{value}") if name == "speaker_id" else iso_day(value) if name in DAYS else value
        found.append({"name": name, "label": labels.get(name, f"filter_{name}"), "value": value, "shown": shown,
                      "remove": here(request, offset=None, **{name: None})})
    return found
