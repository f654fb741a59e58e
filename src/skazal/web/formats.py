"""Answers as JSON or, on request (?format=csv or Accept: text/csv), as a CSV table."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, is_dataclass

from fastapi import Request
from fastapi.responses import Response

from skazal.export import csv_table


def wants_csv(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "csv"
    accepted = request.headers.get("accept", "")
    return "text/csv" in accepted and "application/json" not in accepted


def csv_response(rows: Sequence, filename: str) -> Response:
    """Rows (dataclass records or dicts) as a CSV file to save, one column per field, formulas defused."""
    records = [asdict(row) if is_dataclass(row) else dict(row) for row in rows]
    return Response(
        csv_table(records),
        media_type="text/csv; charset=utf-8",
        # A download, never a page to render, and never sniffed as anything but CSV.
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"', "X-Content-Type-Options": "nosniff"},
    )
