"""The writer registry: every registered format round-trips, and a new format is one registration."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from synth_gradio import export
from synth_gradio.errors import ExportError
from synth_gradio.export import (
    EXPORT_FORMATS,
    FORMATS,
    WRITERS,
    Writer,
    format_for,
    metadata_path,
    register_writer,
    write_records,
)

THREE = [
    {"id": 1, "name": "ann", "price": 1.5, "ok": True},
    {"id": 2, "name": "bob", "price": 2.25, "ok": False},
    {"id": 3, "name": "cy", "price": 3.0, "ok": True},
]
SCHEMA = {
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "price": {"type": "number"},
        "ok": {"type": "boolean"},
    }
}


def _frame(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: v.item() if hasattr(v, "item") else v for k, v in row.items()} for row in df.to_dict("records")]


READERS: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
    "csv": lambda p: _frame(pd.read_csv(p)),
    "json": lambda p: json.loads(p.read_text(encoding="utf-8")),
    "jsonl": lambda p: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()],
    "parquet": lambda p: _frame(pd.read_parquet(p)),
    "xlsx": lambda p: _frame(pd.read_excel(p)),
}


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """Registering a toy format must not leak into other tests."""
    saved = (dict(WRITERS), dict(FORMATS), list(EXPORT_FORMATS))
    yield
    WRITERS.clear()
    WRITERS.update(saved[0])
    FORMATS.clear()
    FORMATS.update(saved[1])
    EXPORT_FORMATS[:] = saved[2]


def test_the_five_formats_are_registered_and_the_lookups_follow_the_registry() -> None:
    assert EXPORT_FORMATS == ["csv", "json", "jsonl", "parquet", "xlsx"] == list(WRITERS)
    assert {w.extension: name for name, w in WRITERS.items()} == FORMATS
    assert [name for name, w in WRITERS.items() if w.embeds_metadata] == ["parquet"]
    assert set(READERS) == set(EXPORT_FORMATS), "a registered format needs a reader in this test"


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_every_registered_format_round_trips(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"three{WRITERS[fmt].extension}"
    assert format_for(path) == fmt
    assert write_records(iter(THREE), path, SCHEMA) == 3
    assert READERS[fmt](path) == THREE


def _write_tsv(
    records: Iterable[dict[str, Any]],
    path: Path,
    props: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
    neutralize_formulas: bool = True,
) -> int:
    rows = [list(map(str, r.values())) for r in records]
    path.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return len(rows)


def test_a_new_format_is_one_function_and_one_registration(tmp_path: Path, clean_registry: None) -> None:
    register_writer(Writer("tsv", ".tsv", _write_tsv))
    assert format_for("x.TSV") == "tsv" and EXPORT_FORMATS[-1] == "tsv" and FORMATS[".tsv"] == "tsv"
    assert export.EXPORT_FORMATS is EXPORT_FORMATS  # modules that imported the list see the new format
    path = tmp_path / "sub" / "d.tsv"
    assert write_records(iter(THREE), path, SCHEMA, metadata={"run_id": 9}) == 3
    assert path.read_text().splitlines()[1] == "2\tbob\t2.25\tFalse"
    assert json.loads(metadata_path(path).read_text()) == {"run_id": 9, "records": 3}
    with pytest.raises(ExportError, match=r"use one of .*\.xlsx, \.tsv"):
        format_for("x.txt")


def test_a_writer_that_embeds_metadata_gets_it_and_no_sidecar(tmp_path: Path, clean_registry: None) -> None:
    seen: list[Any] = []

    def write(records: Iterable[dict[str, Any]], path: Path, props: dict[str, Any], **kw: Any) -> int:
        seen.append((kw["metadata"], kw["neutralize_formulas"], props))
        path.write_text("x")
        return sum(1 for _ in records)

    register_writer(Writer("toy", ".toy", write, embeds_metadata=True))
    assert write_records(iter(THREE), tmp_path / "d.toy", SCHEMA, metadata={"a": 1}, neutralize_formulas=False) == 3
    assert seen == [({"a": 1}, False, SCHEMA["properties"])]
    assert not metadata_path(tmp_path / "d.toy").exists()


def test_registering_twice_needs_replace_and_extensions_stay_unique(clean_registry: None) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_writer(Writer("csv", ".csv", _write_tsv))
    with pytest.raises(ValueError, match="already belongs to format 'json'"):
        register_writer(Writer("other", ".json", _write_tsv))
    with pytest.raises(ValueError, match=r"looks like '\.csv'"):
        register_writer(Writer("tsv", "tsv", _write_tsv))
    register_writer(Writer("csv", ".tsv", _write_tsv), replace=True)
    assert FORMATS.get(".csv") is None and FORMATS[".tsv"] == "csv" and WRITERS["csv"].write is _write_tsv
    assert EXPORT_FORMATS.count("csv") == 1
