"""Answers as JSON or, on request (?format=csv or Accept: text/csv), as a CSV table."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass

from fastapi import Request
from fastapi.responses import Response


def wants_csv(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "csv"
    accepted = request.headers.get("accept", "")
    return "text/csv" in accepted and "application/json" not in accepted


def csv_response(rows: Sequence, filename: str) -> Response:
    """Rows (dataclass records or dicts) as a CSV file, one column per field."""
    records = [asdict(row) if is_dataclass(row) else dict(row) for row in rows]
    sink = io.StringIO()
    if records:
        writer = csv.DictWriter(sink, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows({name: _cell(value) for name, value in record.items()} for record in records)
    return Response(
        sink.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}.csv"'},
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
