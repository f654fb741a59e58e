"""Pages as plain JSON-ready dictionaries (the fields ../shared/eval/README.md defines, and more)."""
from __future__ import annotations

from dataclasses import asdict

from skazal.records import Page


def page_as_dict(page: Page, source: str | None = None) -> dict:
    """Everything extracted from one page, as a JSON-ready dictionary."""
    article = asdict(page.article)
    record = {"source": source} if source is not None else {}
    record.update(article)
    record["teasers"] = list(page.article.teasers)
    record["entities"] = [asdict(entity) for entity in page.entities]
    record["quotes"] = [asdict(quote) for quote in page.quotes]
    record["sources"] = [asdict(src) for src in page.sources]
    return record
