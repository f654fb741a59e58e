"""Page reading: raw text or HTML in, one `Article` out."""
from __future__ import annotations

from skazal.reading.decode import decode_page, looks_like_html
from skazal.reading.html_page import read_html
from skazal.reading.text_scrape import read_text_scrape
from skazal.records import Article


def read_page(page: str | bytes, url: str | None = None) -> Article:
    """Read a page given as text or raw bytes; HTML or text is decided by content."""
    text = decode_page(page) if isinstance(page, bytes) else page
    if looks_like_html(text):
        return read_html(text, url=url)
    return read_text_scrape(text, url=url)
