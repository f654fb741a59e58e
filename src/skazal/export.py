"""Pages as plain JSON-ready dictionaries (the fields ../shared/eval/README.md defines, and more), records as CSV."""
from __future__ import annotations

import csv
import io
import json
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


# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_table(records: list[dict]) -> str:
    """Records as CSV, one column per field, the header first; "" when there are none.

    A text cell that a spreadsheet would run as a formula is written with a leading `'`.
    """
    if not records:
        return ""
    sink = io.StringIO()
    writer = csv.DictWriter(sink, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows({name: csv_cell(value) for name, value in record.items()} for record in records)
    return sink.getvalue()


def csv_cell(value) -> str:
    """One value as a CSV cell: lists and mappings as JSON, None as nothing, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        value = json.dumps(value, ensure_ascii=False)
    elif not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
