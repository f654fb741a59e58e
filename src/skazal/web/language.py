"""The interface language: Russian, or English by ?lang=en (remembered in a cookie)."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from fastapi import Request

STRINGS = Path(__file__).resolve().parent / "i18n"
LANGUAGES = ("ru", "en")
DEFAULT = "ru"
COOKIE = "lang"
YEAR = 365 * 24 * 3600


@cache
def strings(language: str) -> dict[str, str]:
    """The interface strings of one language, by key."""
    with (STRINGS / f"{language}.toml").open("rb") as source:
        return tomllib.load(source)


def chosen(request: Request) -> str:
    """The language asked for in the query, else the remembered one, else Russian."""
    for asked in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if asked in LANGUAGES:
            return asked
    return DEFAULT


async def remember_language(request: Request, call_next):
    """Keep a language chosen with ?lang= for the next pages."""
    response = await call_next(request)
    asked = request.query_params.get("lang")
    if asked in LANGUAGES and asked != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, asked, max_age=YEAR, samesite="lax")
    return response
