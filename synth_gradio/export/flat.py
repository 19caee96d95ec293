"""Flat rows for spreadsheet formats, formula neutralization, and fixed-size chunks for streaming.

CSV and Excel get flat columns: nested objects become dotted column names and arrays are
JSON-encoded. Chunking keeps a large export from ever holding every record in memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

CHUNK = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A signed number, amount or phone number ("+61 412 555 019", "-5.2", "+1 (555) 010-2000", "-$1,234.50",
# "-12.5%", "-3,50 €"): a spreadsheet may read it as a number but can run nothing in it (no function
# name, no operator but the sign and dashes). Refunds written "-$45.03" came out "'-$45.03".
_SIGNED_NUMBER = re.compile(r"[+-]\s?[$€£¥]?[\d\s().,-]*%?\s?[$€£¥]?")


def neutralize(value: Any) -> Any:
    """'=1+1' -> "'=1+1": spreadsheet programs then show the text instead of running it. Only text a
    spreadsheet would run is touched: a phone number such as "+61 412 555 019" stays as generated."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    return value if _SIGNED_NUMBER.fullmatch(value) else "'" + value


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One level of columns: {"a": {"b": 1}, "t": [1]} -> {"a.b": 1, "t": "[1]"}."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def flat_columns(schema_props: dict[str, Any], prefix: str = "") -> list[str]:
    """Column names for flattened records, in schema order."""
    cols: list[str] = []
    for key, node in schema_props.items():
        if isinstance(node, dict) and "properties" in node and "array" not in str(node.get("type")):
            cols += flat_columns(node["properties"], f"{prefix}{key}.")
        else:
            cols.append(f"{prefix}{key}")
    return cols


def flat_rows(chunk: list[dict[str, Any]], safe: bool) -> list[dict[str, Any]]:
    """Flattened rows of one chunk, with formula-like text neutralized when `safe`."""
    rows = [flatten(r) for r in chunk]
    if safe:
        rows = [{k: neutralize(v) for k, v in row.items()} for row in rows]
    return rows


def chunks(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Lists of at most CHUNK records, read lazily from `records`."""
    it = iter(records)
    while chunk := list(islice(it, CHUNK)):
        yield chunk
