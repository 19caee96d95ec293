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


FORMULAS = [
    ("=1+1", "'=1+1"),
    ("+SUM(A1)", "'+SUM(A1)"),
    ("-2+3", "'-2+3"),
    ("@cmd", "'@cmd"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("plain", "plain"),
    ("a=b", "a=b"),
    ("+61 412 555 019", "+61 412 555 019"),  # a phone number runs nothing: it stays as generated
    ("+1 (555) 010-2000", "+1 (555) 010-2000"),
    ("-5.25", "-5.25"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    ("+ 1 apple", "'+ 1 apple"),
    ("-$1,234.50", "-$1,234.50"),  # a refund, a loss: amounts run nothing either
    ("-12.5%", "-12.5%"),
    ("-3,50 €", "-3,50 €"),
    ("-$1+SUM(A1)", "'-$1+SUM(A1)"),
]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_formula_injection_is_neutralized(tmp_path, ext: str) -> None:
    from openpyxl import load_workbook

    records = [{"v": raw, "n": -5} for raw, _ in FORMULAS]
    path = tmp_path / f"f.{ext}"
    write_records(iter(records), path, {"properties": {"v": {"type": "string"}, "n": {"type": "integer"}}})
    if ext == "csv":
        import csv

        with path.open(newline="") as fh:
            got = [row["v"] for row in csv.DictReader(fh)]
        # (the csv module reads a lone CR inside a quoted field back as LF; the apostrophe is what matters)
        assert [g.replace("\n", "\r") if w.endswith("\rx") else g for g, (_, w) in zip(got, FORMULAS, strict=True)] == [
            w for _, w in FORMULAS
        ]
    else:
        ws = load_workbook(path).active
        cells = [ws.cell(row=i + 2, column=1) for i in range(len(FORMULAS))]
        values = [
            c.value.replace("\n", "\r") if w.endswith("\rx") else c.value
            for c, (_, w) in zip(cells, FORMULAS, strict=True)
        ]
        assert values == [want for _, want in FORMULAS]  # (XML stores a lone CR as LF)
        assert all(c.data_type == "s" for c in cells)
        assert ws.cell(row=2, column=2).value == -5  # numbers stay numbers


def test_excel_never_writes_formulas_even_when_allowed(tmp_path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "raw.xlsx"
    write_records(iter([{"v": '=HYPERLINK("x")'}]), path, neutralize_formulas=False)
    cell = load_workbook(path).active.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_excel_drops_control_characters_a_model_wrote_instead_of_failing(tmp_path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "escaped.xlsx"
    write_records(iter([{"v": "We are waiting for your (e\x1b); Thank you."}, {"v": "plain"}]), path)
    ws = load_workbook(path).active
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == ["We are waiting for your (e); Thank you.", "plain"]


def test_metadata_travels_with_the_data(tmp_path) -> None:
    import pyarrow.parquet as pq

    from synth_gradio.export import META_KEY, metadata_path

    meta = {"backend": "llamacpp", "model": "m", "schema": SCHEMA}
    write_records(iter(RECORDS[:5]), tmp_path / "d.parquet", SCHEMA, metadata=meta)
    stored = json.loads(pq.read_schema(tmp_path / "d.parquet").metadata[META_KEY])
    assert stored["backend"] == "llamacpp" and stored["schema"] == SCHEMA
    write_records(iter(RECORDS[:5]), tmp_path / "d.csv", SCHEMA, metadata=meta)
    sidecar = json.loads(metadata_path(tmp_path / "d.csv").read_text())
    assert (
        sidecar["model"] == "m" and sidecar["records"] == 5 and metadata_path(tmp_path / "d.csv").name == "d.meta.json"
    )


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet"])
def test_a_100k_record_export_streams(tmp_path, ext: str) -> None:
    import tracemalloc

    def records():
        for i in range(100_000):
            yield {
                "id": i,
                "name": f"record number {i}",
                "price": i / 7,
                "tags": ["x", "y"],
                "addr": {"city": "Lyon", "zip": "69001"},
            }

    tracemalloc.start()
    n = write_records(records(), tmp_path / f"big.{ext}", SCHEMA)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 100_000
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.1f} MiB"  # all 100k rows as dicts would be several hundred MiB


def test_multi_sheet_excel_neutralizes_formulas_like_single_sheets(tmp_path) -> None:
    from openpyxl import load_workbook

    from synth_gradio.export import write_tables

    path = tmp_path / "tables.xlsx"
    write_tables({"a": [{"v": "=1+1"}], "b": [{"v": "@cmd"}, {"v": "ok"}]}, path)
    wb = load_workbook(path)
    assert wb["a"].cell(row=2, column=1).value == "'=1+1"
    assert [wb["b"].cell(row=r, column=1).value for r in (2, 3)] == ["'@cmd", "ok"]


def test_tables_go_to_a_zip_or_a_folder_of_csv_files(tmp_path) -> None:
    import zipfile

    from synth_gradio.export import write_tables

    tables = {"a": [{"v": 1}, {"v": 2}], "b": [{"w": "x"}]}
    assert write_tables(tables, tmp_path / "t.zip") == {"a": 2, "b": 1}
    with zipfile.ZipFile(tmp_path / "t.zip") as archive:
        assert sorted(archive.namelist()) == ["a.csv", "b.csv"]
        assert archive.read("a.csv").decode().splitlines() == ["v", "1", "2"]
    write_tables(tables, tmp_path / "folder")
    assert (tmp_path / "folder" / "b.csv").read_text().splitlines() == ["w", "x"]


def test_one_table_fits_a_single_file_but_two_do_not(tmp_path) -> None:
    from synth_gradio.export import write_tables

    write_tables({"a": [{"v": 1}]}, tmp_path / "one.jsonl")
    assert [json.loads(line) for line in (tmp_path / "one.jsonl").read_text().splitlines()] == [{"v": 1}]
    with pytest.raises(ExportError, match=r"2 tables do not fit one \.jsonl file"):
        write_tables({"a": [{"v": 1}], "b": [{"v": 2}]}, tmp_path / "two.jsonl")
