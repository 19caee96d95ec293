"""The plain-text writers: CSV (flat columns), JSON (one array) and JSON Lines (one record a line)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from synth_gradio.export.flat import chunks, flat_columns, flat_rows


def write_jsonl(
    records: Iterable[dict[str, Any]],
    path: Path,
    props: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    """Records as they are, one per line (metadata goes to a sidecar, formulas only matter in spreadsheets)."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_json(
    records: Iterable[dict[str, Any]],
    path: Path,
    props: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    """One JSON array, written record by record so it streams like JSON Lines."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for rec in records:
            fh.write(("," if n else "") + "\n  " + json.dumps(rec, ensure_ascii=False))
            n += 1
        fh.write("\n]\n" if n else "]\n")
    return n


def write_csv(
    records: Iterable[dict[str, Any]],
    path: Path,
    props: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    """Flat columns in schema order (or first-chunk order without a schema); a header even when empty."""
    n = 0
    columns = flat_columns(props)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = None
        for chunk in chunks(records):
            rows = flat_rows(chunk, neutralize_formulas)
            if writer is None:
                columns = columns or list(dict.fromkeys(k for r in rows for k in r))
                writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
                writer.writeheader()
            writer.writerows(rows)
            n += len(rows)
        if writer is None and columns:
            csv.writer(fh).writerow(columns)
    return n
