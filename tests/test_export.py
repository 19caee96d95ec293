from __future__ import annotations

import json

import pandas as pd
import pytest

from synth_gradio.errors import ExportError
from synth_gradio.export import write_records

RECORDS = [
    {
        "id": i,
        "name": f"n{i}",
        "price": float(i) + 0.5 if i % 2 else i,
        "tags": ["a", "b"][: i % 3],
        "addr": {"city": "X", "zip": f"{i:05d}"},
        "note": None if i % 4 else "ok",
    }
    for i in range(2503)
]
SCHEMA = {
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "price": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "addr": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "string"}}},
        "note": {"type": ["string", "null"]},
    }
}


@pytest.mark.parametrize("ext", ["csv", "json", "jsonl", "parquet", "xlsx"])
def test_every_format_reads_back(tmp_path, ext: str) -> None:
    path = tmp_path / f"out.{ext}"
    records = RECORDS if ext != "xlsx" else RECORDS[:300]
    assert write_records(iter(records), path, SCHEMA) == len(records)
    if ext == "json":
        assert json.loads(path.read_text()) == records
    elif ext == "jsonl":
        assert [json.loads(line) for line in path.read_text().splitlines()] == records
    elif ext == "parquet":
        df = pd.read_parquet(path)
        assert len(df) == len(records) and df["price"].dtype == "float64"
        assert df["addr"].iloc[7] == {"city": "X", "zip": "00007"}
    else:
        df = pd.read_csv(path, dtype=str) if ext == "csv" else pd.read_excel(path, dtype=str)
        assert list(df.columns) == ["id", "name", "price", "tags", "addr.city", "addr.zip", "note"]
        assert len(df) == len(records)
        assert json.loads(df["tags"].iloc[1]) == ["a"]
        assert df["addr.zip"].iloc[7] == "00007"


def test_empty_export_still_writes_a_header(tmp_path) -> None:
    path = tmp_path / "empty.csv"
    assert write_records(iter([]), path, SCHEMA) == 0
    assert path.read_text().startswith("id,name,price")


def test_unknown_extension_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ExportError, match=r"unsupported output format '\.txt'"):
        write_records(iter(RECORDS), tmp_path / "x.txt")
