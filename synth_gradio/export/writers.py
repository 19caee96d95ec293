"""The writer registry: format name -> Writer, and `write_records`, which picks one by file extension.

A new format is one write function and one `register_writer` line. `FORMATS` (extension -> name)
and `EXPORT_FORMATS` (names, in registration order) are kept in step with the registry, in place,
so modules that imported them see formats registered later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from synth_gradio.errors import ExportError
from synth_gradio.export.excel import write_xlsx
from synth_gradio.export.parquet import write_parquet
from synth_gradio.export.text import write_csv, write_json, write_jsonl


class WriteFn(Protocol):
    """Writes `records` to `path` (its folder exists) and returns how many it wrote."""

    def __call__(
        self,
        records: Iterable[dict[str, Any]],
        path: Path,
        props: dict[str, Any],
        *,
        metadata: dict[str, Any] | None,
        neutralize_formulas: bool,
    ) -> int: ...


@dataclass(frozen=True)
class Writer:
    """One output format. Without `embeds_metadata`, metadata goes to a NAME.meta.json sidecar."""

    name: str
    extension: str
    write: WriteFn
    embeds_metadata: bool = False


WRITERS: dict[str, Writer] = {}
FORMATS: dict[str, str] = {}
EXPORT_FORMATS: list[str] = []


def register_writer(writer: Writer, *, replace: bool = False) -> Writer:
    """Add a format; `replace=True` swaps the writer of a format name that is already registered."""
    ext = writer.extension
    if not ext.startswith(".") or ext != ext.lower() or len(ext) < 2:
        raise ValueError(f"a writer extension looks like '.csv' (lower case), got {ext!r}")
    if FORMATS.get(ext, writer.name) != writer.name:
        raise ValueError(f"extension {ext!r} already belongs to format {FORMATS[ext]!r}")
    old = WRITERS.get(writer.name)
    if old is not None:
        if not replace:
            raise ValueError(f"format {writer.name!r} is already registered; pass replace=True to swap it")
        del FORMATS[old.extension]
    WRITERS[writer.name] = writer
    FORMATS[ext] = writer.name
    if writer.name not in EXPORT_FORMATS:
        EXPORT_FORMATS.append(writer.name)
    return writer


def metadata_path(path: str | Path) -> Path:
    """Where the sidecar of `path` goes: data.csv -> data.meta.json."""
    path = Path(path)
    return (
        path.with_name(path.name[: -len(path.suffix)] + ".meta.json")
        if path.suffix
        else path.with_name(path.name + ".meta.json")
    )


def format_for(path: str | Path) -> str:
    """The format name for a file name, or an ExportError that lists the extensions there are."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(
            f"unsupported output format {suffix or '(none)'!r} for {path}; use one of {', '.join(FORMATS)}"
        )
    return FORMATS[suffix]


def write_records(
    records: Iterable[dict[str, Any]],
    path: str | Path,
    schema: dict[str, Any] | None = None,
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    """Write `records` to `path` in the format its extension names; returns how many were written."""
    writer = WRITERS[format_for(path)]
    path = Path(path)
    props = (schema or {}).get("properties", {})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        count = writer.write(records, path, props, metadata=metadata, neutralize_formulas=neutralize_formulas)
        if metadata is not None and not writer.embeds_metadata:
            metadata_path(path).write_text(
                json.dumps({**metadata, "records": count}, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
            )
        return count
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


register_writer(Writer("csv", ".csv", write_csv))
register_writer(Writer("json", ".json", write_json))
register_writer(Writer("jsonl", ".jsonl", write_jsonl))
register_writer(Writer("parquet", ".parquet", write_parquet, embeds_metadata=True))
register_writer(Writer("xlsx", ".xlsx", write_xlsx))
