"""export_dataset over any record source, run metadata, and reproducible train/validation/test splits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synth_gradio.errors import InputError
from synth_gradio.export import (
    SPLITS,
    export_dataset,
    metadata_path,
    parse_ratios,
    run_metadata,
    split_of,
    split_path,
)

SCHEMA = {"properties": {"n": {"type": "integer"}, "id": {"type": "string"}}}
META = {"generator": "synth_gradio", "run_id": 4}


class Source:
    """A record source like a stored run: every call opens a fresh stream and is counted."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0

    def __call__(self) -> Iterator[dict[str, Any]]:
        self.calls += 1
        return ({"n": i * 7919 % 1_000_003, "id": f"id-{i:06d}"} for i in range(self.n))


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_without_a_split_one_file_and_its_metadata(tmp_path: Path) -> None:
    read = Source(25)
    written = export_dataset(read, tmp_path / "out" / "d.csv", SCHEMA, metadata=META)
    assert written == {tmp_path / "out" / "d.csv": 25} and read.calls == 1
    assert (tmp_path / "out" / "d.csv").read_text().splitlines()[:2] == ["n,id", "0,id-000000"]
    assert json.loads(metadata_path(tmp_path / "out" / "d.csv").read_text()) == {**META, "records": 25}


def test_split_parts_partition_the_records_and_carry_the_split(tmp_path: Path) -> None:
    read = Source(300)
    written = export_dataset(read, tmp_path / "d.jsonl", SCHEMA, metadata=META, split=(0.5, 0.3, 0.2), seed=3)
    assert read.calls == 3  # one stream per part, nothing kept between parts
    assert list(written) == [tmp_path / f"d.{part}.jsonl" for part in SPLITS]
    parts = {path: _ids(path) for path in written}
    assert {path: len(ids) for path, ids in parts.items()} == written
    every = [i for ids in parts.values() for i in ids]
    assert sorted(every) == sorted(r["id"] for r in Source(300)()) and len(set(every)) == 300
    for part in SPLITS:
        meta = json.loads(metadata_path(split_path(tmp_path / "d.jsonl", part)).read_text())
        assert meta == {
            **META,
            "split": {"part": part, "ratios": [0.5, 0.3, 0.2], "seed": 3},
            "records": len(parts[tmp_path / f"d.{part}.jsonl"]),
        }


def test_the_same_seed_gives_the_same_split_and_another_seed_another(tmp_path: Path) -> None:
    def train_ids(name: str, seed: int) -> list[str]:
        export_dataset(Source(200), tmp_path / f"{name}.jsonl", SCHEMA, metadata=META, split=(0.6, 0.2, 0.2), seed=seed)
        return _ids(tmp_path / f"{name}.train.jsonl")

    first = train_ids("a", 11)
    assert train_ids("b", 11) == first
    assert train_ids("c", 12) != first


def test_split_sizes_and_stability(tmp_path: Path) -> None:
    # (moved from tests/test_export.py, where it exported a stored run through engine.exporting.export_run)
    written = export_dataset(
        Source(1000), tmp_path / "data.jsonl", SCHEMA, metadata=META, split=(0.8, 0.1, 0.1), seed=7
    )
    sizes = {p.name: n for p, n in written.items()}
    assert sum(sizes.values()) == 1000
    assert 740 <= sizes["data.train.jsonl"] <= 860 and 60 <= sizes["data.validation.jsonl"] <= 140
    again = export_dataset(Source(1000), tmp_path / "again.jsonl", SCHEMA, metadata=META, split=(0.8, 0.1, 0.1), seed=7)
    assert (tmp_path / "data.test.jsonl").read_text() == (tmp_path / "again.test.jsonl").read_text()
    assert json.loads((tmp_path / "data.train.meta.json").read_text())["split"]["part"] == "train"
    assert {p.name for p in again} == {"again.train.jsonl", "again.validation.jsonl", "again.test.jsonl"}


def test_a_split_parquet_export_embeds_the_split(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from synth_gradio.export import META_KEY

    written = export_dataset(Source(50), tmp_path / "d.parquet", SCHEMA, metadata=META, split=(1.0, 0.0, 0.0))
    assert {p.name: n for p, n in written.items()} == {
        "d.train.parquet": 50,
        "d.validation.parquet": 0,
        "d.test.parquet": 0,
    }
    stored = json.loads(pq.read_schema(tmp_path / "d.validation.parquet").metadata[META_KEY])
    assert stored["split"] == {"part": "validation", "ratios": [1.0, 0.0, 0.0], "seed": 0}
    assert not metadata_path(tmp_path / "d.train.parquet").exists()


def test_a_split_export_streams(tmp_path: Path) -> None:
    import tracemalloc

    tracemalloc.start()
    written = export_dataset(Source(30_000), tmp_path / "big.jsonl", SCHEMA, metadata=META, split=(0.8, 0.1, 0.1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sum(written.values()) == 30_000
    assert peak < 2 * 2**20, f"peak {peak / 2**20:.1f} MiB"  # 30k records held as dicts would be about 8 MiB


def test_run_metadata_keeps_provenance_and_the_quality_summary() -> None:
    run = {
        "id": 4,
        "created_at": "2024-01-01T00:00:00",
        "title": "t",
        "template": "customer_data",
        "template_version": 2,
        "backend": "llamacpp",
        "model": "m",
        "params": {"temperature": 0.7},
        "strategies": {},
        "schema": SCHEMA,
        "status": "done",
        "quality": {"score": 91, "metrics": {"validity_rate": 0.98, "other": 1}},
        "api_key": "secret",
    }
    meta = run_metadata(run)
    assert meta["run_id"] == 4 and meta["parameters"] == {"temperature": 0.7} and meta["schema"] == SCHEMA
    assert meta["quality"] == {"score": 91, "validity_rate": 0.98}
    assert "secret" not in json.dumps(meta)
    assert run_metadata({**run, "quality": None})["quality"] == {"score": None, "validity_rate": None}


def test_split_ratios_parse_or_say_what_is_wrong() -> None:
    assert parse_ratios("0.8, 0.1,0.1") == (0.8, 0.1, 0.1)
    with pytest.raises(InputError, match=r"look like 0\.8,0\.1,0\.1"):
        parse_ratios("a,b,c")
    for bad in ("0.5,0.5", "0.8,0.3,-0.1", "0.5,0.2,0.2"):
        with pytest.raises(InputError, match="add up to 1"):
            parse_ratios(bad)


def test_split_of_is_a_pure_function_of_index_and_seed() -> None:
    assert [split_of(i, (0.5, 0.25, 0.25), 1) for i in range(50)] == [
        split_of(i, (0.5, 0.25, 0.25), 1) for i in range(50)
    ]
    assert {split_of(i, (1.0, 0.0, 0.0), 5) for i in range(100)} == {"train"}
    assert {split_of(i, (0.0, 0.0, 1.0), 5) for i in range(100)} == {"test"}
