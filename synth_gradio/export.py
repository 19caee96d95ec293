"""Write records to CSV, JSON, JSONL, Parquet or Excel, chosen by the file extension.

Records arrive as an iterator and are written in chunks, so exporting a large run never holds it
all in memory for CSV, JSONL and Parquet. CSV and Excel get flat columns: nested objects become
dotted column names and arrays are JSON-encoded.

Spreadsheet formula injection is neutralized by default: in CSV and Excel a text cell that begins
with =, +, -, @, tab or CR gets a leading apostrophe. Excel cells are always written as text, never
as formulas, even with neutralization turned off. Metadata (schema, template, backend, parameters,
quality) goes into the Parquet file's key-value metadata, or a NAME.meta.json file beside the others.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from synth_gradio.errors import ExportError

FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".parquet": "parquet", ".xlsx": "xlsx"}
CHUNK = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
META_KEY = b"synth_gradio"


def neutralize(value: Any) -> Any:
    """'=1+1' -> "'=1+1": spreadsheet programs then show the text instead of running it."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _flat_rows(chunk: list[dict[str, Any]], safe: bool) -> list[dict[str, Any]]:
    rows = [flatten(r) for r in chunk]
    if safe:
        rows = [{k: neutralize(v) for k, v in row.items()} for row in rows]
    return rows


def metadata_path(path: str | Path) -> Path:
    path = Path(path)
    return (
        path.with_name(path.name[: -len(path.suffix)] + ".meta.json")
        if path.suffix
        else path.with_name(path.name + ".meta.json")
    )


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(
            f"unsupported output format {suffix or '(none)'!r} for {path}; use one of {', '.join(FORMATS)}"
        )
    return FORMATS[suffix]


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
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


def _chunks(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    it = iter(records)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def write_records(
    records: Iterable[dict[str, Any]],
    path: str | Path,
    schema: dict[str, Any] | None = None,
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    """Write `records` to `path`; returns how many were written."""
    fmt = format_for(path)
    path = Path(path)
    props = (schema or {}).get("properties", {})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            count = _parquet(records, path, props, metadata)
        elif fmt in ("csv", "xlsx"):
            count = {"csv": _csv, "xlsx": _xlsx}[fmt](records, path, props, neutralize_formulas)
        else:
            count = {"json": _json, "jsonl": _jsonl}[fmt](records, path, props)
        if metadata is not None and fmt != "parquet":
            metadata_path(path).write_text(
                json.dumps({**metadata, "records": count}, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
            )
        return count
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def _jsonl(records: Iterable[dict[str, Any]], path: Path, props: dict[str, Any]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def _json(records: Iterable[dict[str, Any]], path: Path, props: dict[str, Any]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for rec in records:
            fh.write(("," if n else "") + "\n  " + json.dumps(rec, ensure_ascii=False))
            n += 1
        fh.write("\n]\n" if n else "]\n")
    return n


def _csv(records: Iterable[dict[str, Any]], path: Path, props: dict[str, Any], safe: bool = True) -> int:
    n = 0
    columns = flat_columns(props)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = None
        for chunk in _chunks(records):
            rows = _flat_rows(chunk, safe)
            if writer is None:
                columns = columns or list(dict.fromkeys(k for r in rows for k in r))
                writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
                writer.writeheader()
            writer.writerows(rows)
            n += len(rows)
        if writer is None and columns:
            csv.writer(fh).writerow(columns)
    return n


def _parquet(
    records: Iterable[dict[str, Any]], path: Path, props: dict[str, Any], metadata: dict[str, Any] | None = None
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    writer = None
    schema = None
    try:
        for chunk in _chunks(records):
            if schema is None:
                schema = _arrow_schema(pa.Table.from_pylist(chunk).schema, props)
                if metadata is not None:
                    schema = schema.with_metadata(
                        {META_KEY: json.dumps(metadata, ensure_ascii=False, default=str).encode()}
                    )
            table = pa.Table.from_pylist(chunk, schema=schema)
            if writer is None:
                writer = pq.ParquetWriter(path, schema)
            writer.write_table(table)
            n += len(chunk)
        if writer is None:
            empty = pa.table({k: pa.array([], pa.string()) for k in props})
            if metadata is not None:
                empty = empty.replace_schema_metadata({META_KEY: json.dumps(metadata, default=str).encode()})
            pq.write_table(empty, path)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ExportError(f"records do not fit one Parquet schema: {exc}") from None
    finally:
        if writer is not None:
            writer.close()
    return n


def _arrow_schema(inferred: Any, props: dict[str, Any]) -> Any:
    """Scalar columns take their type from the JSON schema, so a first chunk of nulls or of whole
    numbers does not fix a type that later chunks break."""
    import pyarrow as pa

    by_type = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    fields = []
    for f in inferred:
        node = props.get(f.name, {})
        types = node.get("type") if isinstance(node, dict) else None
        types = [types] if isinstance(types, str) else [t for t in (types or []) if t != "null"]
        if len(types) == 1 and types[0] in by_type:
            fields.append(pa.field(f.name, by_type[types[0]]))
        elif pa.types.is_null(f.type):
            fields.append(pa.field(f.name, pa.string()))
        else:
            fields.append(f)
    return pa.schema(fields)


def _fill_sheet(ws: Any, records: Iterable[dict[str, Any]], props: dict[str, Any], safe: bool) -> int:
    """Header and rows for one write-only sheet; text is always stored as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell

    columns = flat_columns(props)
    n = 0
    header_written = False

    def cell(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("="):
            text = WriteOnlyCell(ws, value=value)
            text.data_type = "s"  # openpyxl would store a leading "=" as a formula
            return text
        return value

    for chunk in _chunks(records):
        rows = _flat_rows(chunk, safe)
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


def _xlsx(records: Iterable[dict[str, Any]], path: Path, props: dict[str, Any], safe: bool = True) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    n = _fill_sheet(wb.create_sheet("records"), records, props, safe)
    wb.save(path)
    return n


def write_tables(
    tables: dict[str, list[dict[str, Any]]], out: str | Path, schemas: dict[str, dict[str, Any]] | None = None
) -> dict[str, int]:
    """One dataset per table: a multi-sheet .xlsx, a .zip of CSV files, or a folder of CSV files."""
    import tempfile
    import zipfile

    out = Path(out)
    schemas = schemas or {}
    suffix = out.suffix.lower()
    try:
        if suffix == ".xlsx":
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            for name, records in tables.items():
                _fill_sheet(wb.create_sheet(name[:31]), records, schemas.get(name, {}).get("properties", {}), True)
            out.parent.mkdir(parents=True, exist_ok=True)
            wb.save(out)
        elif suffix == ".zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, records in tables.items():
                    path = Path(tmp) / f"{name}.csv"
                    write_records(iter(records), path, schemas.get(name))
                    archive.write(path, path.name)
        elif suffix:
            if len(tables) > 1:
                raise ExportError(
                    f"{len(tables)} tables do not fit one {suffix} file; use a folder, a .zip or an .xlsx"
                )
            name, records = next(iter(tables.items()))
            write_records(iter(records), out, schemas.get(name))
        else:
            out.mkdir(parents=True, exist_ok=True)
            for name, records in tables.items():
                write_records(iter(records), out / f"{name}.csv", schemas.get(name))
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return {name: len(records) for name, records in tables.items()}
