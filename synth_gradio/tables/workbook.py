"""Excel workbooks: every sheet a table, or the one sheet asked for (BOOK.xlsx:SHEET)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.tables.files import ERRORS, checked, first_line


def _empty(frame: pd.DataFrame) -> bool:
    return frame.empty or not len(frame.columns)


def _sheets(path: Path, wanted: str | None = None) -> dict[str, pd.DataFrame]:
    """Sheets by name, read in workbook order; `wanted` reads only that one (an error lists the others)."""
    try:
        with pd.ExcelFile(path) as book:
            names = [str(n) for n in book.sheet_names]
            if wanted is not None and wanted not in names:
                raise InputError(f"{path.name} has no sheet {wanted}; its sheets are {', '.join(names)}")
            return {name: book.parse(name) for name in names if wanted in (None, name)}
    except ERRORS as exc:
        raise InputError(f"cannot read {path.name} as XLSX: {first_line(exc)}") from None


def read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as a table; an empty one is an error, since a table with no rows cannot be learned."""
    sheets = _sheets(path)
    for name, frame in sheets.items():
        if _empty(frame):
            raise InputError(f"sheet {name} of {path.name} is empty; remove it or fill it")
    return sheets


def read_sheet(path: Path, name: str | None = None) -> pd.DataFrame:
    """The named sheet, or the first sheet that holds rows (a blank cover sheet is skipped)."""
    if name is not None:
        return checked(path, _sheets(path, name)[name], f" (sheet {name})")
    for frame in _sheets(path).values():
        if not _empty(frame):
            return frame
    raise InputError(f"the reference file {path.name} has no rows")
