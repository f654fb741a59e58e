"""Tracking parameters in URLs: `utm_*` and the click ids of ad networks, which name no page of their own.

A feed that tags every link (`?utm_source=rss`) would otherwise file each article under an address
no other source gives it, and the page fetched later, or read from an archive, would be a second one.
"""
from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = frozenset({"fbclid", "gclid", "yclid", "ysclid", "_openstat", "mc_cid", "mc_eid", "igshid"})


def without_tracking(url: str) -> str:
    """`url` without its tracking parameters; the other parameters, their order and spelling, kept as written."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL: the fetch says why
        return url
    pieces = parts.query.split("&") if parts.query else []
    kept = [piece for piece in pieces if not is_tracking(unquote_plus(piece.split("=", 1)[0]))]
    if len(kept) == len(pieces):
        return url
    return urlunsplit(parts._replace(query="&".join(kept)))


def is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith(_TRACKING_PREFIXES) or name in _TRACKING_NAMES
