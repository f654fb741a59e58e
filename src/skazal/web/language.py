"""The interface language: Russian, or English by ?lang=en (remembered in a cookie)."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi import Request

STRINGS = Path(__file__).resolve().parent / "i18n"
LANGUAGES = ("ru", "en")
DEFAULT = "ru"
COOKIE = "lang"
YEAR = 365 * 24 * 3600
# Browsers read "//host", "/\\host" and "/\t/host" as another site's address.
_LEADING_SLASHES = re.compile(r"^[/\\\s]+")


@cache
def strings(language: str) -> dict:
    """The interface strings of one language, by key."""
    with (STRINGS / f"{language}.toml").open("rb") as source:
        return tomllib.load(source)


def counted(language: str, number: int, noun: str) -> str:
    """A number with its noun in the right form: "1 цитата", "3 цитаты", "25 цитат", "2 quotes"."""
    forms = strings(language)["counted"][noun]
    if language != "ru":
        return f"{number} {forms[0] if number == 1 else forms[1]}"
    tens, units = number % 100, number % 10
    if units == 1 and tens != 11:
        return f"{number} {forms[0]}"
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return f"{number} {forms[1]}"
    return f"{number} {forms[2]}"


def number(language: str, value: int) -> str:
    """A number with its thousands apart: "12\u00a0340" in Russian, "12,340" in English."""
    grouped = f"{value:,}"
    return grouped.replace(",", "\u00a0") if language == "ru" else grouped


def chosen(request: Request) -> str:
    """The language asked for in the query, else the remembered one, else Russian."""
    for asked in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if asked in LANGUAGES:
            return asked
    return DEFAULT


def same_origin(path: str) -> str:
    """A request path as a link that stays on this site: one leading slash, the rest percent-encoded where needed.

    The language switch links to the page it is on, even a 404 page at "//evil.example/x".
    """
    return "/" + quote(_LEADING_SLASHES.sub("", path), safe="/%:@!$&'()*+,;=~-._")


async def remember_language(request: Request, call_next):
    """Keep a language chosen with ?lang= for the next pages."""
    response = await call_next(request)
    asked = request.query_params.get("lang")
    if asked in LANGUAGES and asked != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, asked, max_age=YEAR, samesite="lax")
    return response
