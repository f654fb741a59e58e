"""HTML pages as published: title, body, date and the rest, read with trafilatura."""
from __future__ import annotations

import trafilatura

from skazal.records import Article


def read_html(html: str, url: str | None = None) -> Article:
    """Read an HTML page into an `Article`."""
    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if extracted is None:
        return Article(body="", url=url, format="html")
    body = "\n\n".join(line.strip() for line in (extracted.text or "").split("\n") if line.strip())
    return Article(
        body=body,
        title=extracted.title,
        published=extracted.date,
        author=extracted.author,
        url=url,
        canonical_url=extracted.url,
        language=extracted.language,
        format="html",
    )
