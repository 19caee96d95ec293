"""The application facade: one owner of run state, Stop and resume, multi-table Stop, saved templates."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from fakes import FakeBackend

from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.ddl import parse_ddl
from synth_gradio.schema.model import load_schema

FIXTURES = Path(__file__).parents[1] / "fixtures"
SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {"bio": {"type": "string", "minLength": 5, "unique": True}},
        "required": ["bio"],
    }
)


def texts(prefix: str, n: int, garbage_every: int = 3) -> list[str]:
    """Valid records with some garbage mixed in, so every batch has rejects."""
    out = []
    for i in range(n):
        out.append("not json" if i % garbage_every == 0 else json.dumps({"bio": f"{prefix} writes story {i}."}))
    return out


def assert_matches_storage(studio, update) -> None:
    stored = studio.get_run(update.run_id)
    assert update.achieved >= 0 and update.candidates >= update.achieved
    assert update.rejected_total >= 0 and update.records_per_s >= 0
    assert update.achieved == stored["achieved"] == studio.history.count_records(update.run_id)
    assert update.candidates == stored["candidates"]
    assert dict(update.reject_counts) == stored["reject_counts"]
    assert sum(update.reject_counts.values()) == update.rejected_total
    assert update.total_tokens == stored["tokens"]


def test_stop_then_resume_keeps_every_count_non_negative_and_equal_to_storage(studio) -> None:
    request = GenerationRequest(schema=SCHEMA, n=20, seed=1, batch_size=4)
    stop = threading.Event()
    first = []
    handle = studio.start(request, FakeBackend(texts("Ada", 60)), cancel=stop)
    for update in handle.results:
        first.append(update)
        assert_matches_storage(studio, update)
        if len(first) == 2:
            assert studio.cancel(handle.run_id)
    assert first[-1].status == "cancelled" and 0 < first[-1].achieved < 20
    assert not studio.cancel(handle.run_id)  # nothing runs any more
    stopped = studio.get_run(handle.run_id)

    resumed = []
    handle2 = studio.start(request, FakeBackend(texts("Bo", 60)), run_id=handle.run_id)
    for update in handle2.results:
        resumed.append(update)
        assert_matches_storage(studio, update)
        assert update.resumed_from == stopped["achieved"]
        assert update.candidates >= stopped["candidates"]
    final = studio.get_run(handle.run_id)
    assert final["status"] == "completed" and final["achieved"] == 20
    assert final["candidates"] > stopped["candidates"] and final["duration_s"] >= stopped["duration_s"]
    assert len({r["bio"] for r in studio.history.iter_records(handle.run_id)}) == 20


def test_resume_refuses_a_completed_or_running_run(studio) -> None:
    request = GenerationRequest(schema=SCHEMA, n=2, seed=1, batch_size=4)
    done = list(studio.run(request, FakeBackend(texts("Cy", 10, garbage_every=100))))[-1]
    with pytest.raises(InputError, match="already completed"):
        studio.resume(done.run_id)
    handle = studio.start(GenerationRequest(schema=SCHEMA, n=8, seed=1, batch_size=2), FakeBackend(texts("Di", 40)))
    next(handle.results)
    with pytest.raises(InputError, match="still running"):
        studio.resume(handle.run_id)
    with pytest.raises(InputError, match="still running"):
        studio.delete_run(handle.run_id)
    handle.results.close()
    assert studio.get_run(handle.run_id)["status"] == "cancelled"


def test_stop_during_a_multi_table_run_keeps_the_finished_tables(studio) -> None:
    tables = parse_ddl((FIXTURES / "shop_sqlite.sql").read_text())
    group, events = studio.start_tables(tables, {"customers": 6, "orders": 400}, FakeBackend([]), seed=3, batch_size=8)
    seen = []
    for table, batch, results in events:  # noqa: B007 - results is read after the loop
        seen.append((table, batch.status))
        if table == "orders" and batch.status == "running" and batch.achieved >= 16:
            assert studio.cancel(group)
    assert seen[-1] == ("orders", "cancelled")
    customers, orders = results["customers"], results["orders"]
    assert customers.last.status == "completed" and len(customers.records) == 6
    assert 16 <= len(orders.records) < 400
    runs = {r["title"]: r for r in studio.list_runs(group_id=group)}
    assert runs["customers"]["status"] == "completed" and runs["customers"]["achieved"] == 6
    assert runs["orders"]["status"] == "cancelled" and runs["orders"]["achieved"] == len(orders.records)
    ids = {c["id"] for c in studio.history.iter_records(runs["customers"]["id"])}
    assert all(o["customer_id"] in ids for o in studio.history.iter_records(runs["orders"]["id"]))


def test_saved_templates_resolve_with_their_version_and_count_use(studio) -> None:
    template = {
        "name": "pets",
        "schema": {"species": {"enum": ["cat", "dog"]}, "age": {"type": "integer", "minimum": 1, "maximum": 20}},
        "examples": [],
    }
    studio.catalog.save(template)
    studio.catalog.save({**template, "description": "v2"})
    source = studio.resolve_schema(template="pets")
    assert (source.template, source.version) == ("pets", 2)
    assert studio.resolve_schema(template="pets", version=1).version == 1
    records = studio.generate_records(5, template="pets", seed=2, backend=FakeBackend([]))
    assert len(records) == 5 and {r["species"] for r in records} <= {"cat", "dog"}
    row = next(t for t in studio.catalog.list() if t["name"] == "pets")
    assert row["use_count"] == 1
    with pytest.raises(InputError, match=r"unknown template .nope.*saved: pets"):
        studio.resolve_schema(template="nope")
    with pytest.raises(InputError, match="give one schema source, not template and schema text"):
        studio.resolve_schema(template="pets", text='{"a": "string"}')
    with pytest.raises(InputError, match="choose a template"):
        studio.resolve_schema(text="   ")


def test_rerun_repeats_the_stored_request_as_a_new_run(studio) -> None:
    request = GenerationRequest(schema=SCHEMA, n=3, seed=5, batch_size=4, temperature=0.7)
    first = list(studio.run(request, FakeBackend(texts("Ed", 20, garbage_every=100))))[-1]
    stored = studio.get_run(first.run_id)
    assert stored["backend"] == "fake" and "api_key" not in json.dumps(stored["params"])
    from synth_gradio.studio.runs import request_from_run

    again = request_from_run(stored)
    assert (again.n, again.seed, again.temperature, again.batch_size) == (3, 5, 0.7, 4)
    assert again.schema.json_schema == SCHEMA.json_schema


def test_nothing_is_exported_until_a_format_is_asked_for(studio, tmp_path) -> None:
    run = list(studio.run(GenerationRequest(schema=SCHEMA, n=3, seed=1), FakeBackend(texts("Fa", 20, 100))))[-1]
    assert studio.exporter.folder is None and not (tmp_path / "exports").exists()
    path = studio.download(run.run_id, "jsonl")
    assert path.is_relative_to(tmp_path / "exports")
    assert len(path.read_text().splitlines()) == 3
    assert [p.suffix for p in (tmp_path / "exports").rglob("*.*") if p.is_file()] == [".jsonl", ".json"]
    with pytest.raises(InputError, match="unknown format 'txt'"):
        studio.download(run.run_id, "txt")
