"""The Parquet writer: column types from the JSON schema, and the run metadata inside the file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from synth_gradio.errors import ExportError
from synth_gradio.export.flat import chunks

META_KEY = b"synth_gradio"


def write_parquet(
    records: Iterable[dict[str, Any]],
    path: Path,
    props: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    """Row groups of CHUNK records; metadata goes into the key-value metadata under META_KEY."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    writer = None
    schema = None
    try:
        for chunk in chunks(records):
            if schema is None:
                schema = arrow_schema(pa.Table.from_pylist(chunk).schema, props)
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


def arrow_schema(inferred: Any, props: dict[str, Any]) -> Any:
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
