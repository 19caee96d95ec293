"""The Excel writer: flat columns in a write-only workbook, text cells never stored as formulas."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from synth_gradio.export.flat import chunks, flat_columns, flat_rows


def fill_sheet(ws: Any, records: Iterable[dict[str, Any]], props: dict[str, Any], safe: bool) -> int:
    """Header and rows for one write-only sheet; text is always stored as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    columns = flat_columns(props)
    n = 0
    header_written = False

    def cell(value: Any) -> Any:
        if isinstance(value, str):  # a control character in a stored text would fail the whole workbook
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(value, str) and value.startswith("="):
            text = WriteOnlyCell(ws, value=value)
            text.data_type = "s"  # openpyxl would store a leading "=" as a formula
            return text
        return value

    for chunk in chunks(records):
        rows = flat_rows(chunk, safe)
        if not header_written:
            columns = columns or list(dict.fromkeys(k for r in rows for k in r))
            ws.append(columns)
            header_written = True
        for row in rows:
            ws.append([cell(row.get(c)) for c in columns])
        n += len(rows)
    if not header_written:
        ws.append(columns)
    return n


def write_xlsx(
    records: Iterable[dict[str, Any]],
    path: Path,
    props: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    """One sheet named "records"; metadata goes to a sidecar because a workbook has no good place for it."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    n = fill_sheet(wb.create_sheet("records"), records, props, neutralize_formulas)
    wb.save(path)
    return n
