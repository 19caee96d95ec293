from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeBackend

from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError, StorageError
from synth_gradio.schema.model import load_schema
from synth_gradio.settings import Settings
from synth_gradio.storage.history import History
from synth_gradio.studio import Studio

SCHEMA = load_schema(
    {
        "title": "Widget",
        "type": "object",
        "properties": {"size": {"type": "integer"}, "code": {"type": "string", "format": "uuid"}},
        "required": ["size", "code"],
    }
)


def make_run(history: History, n: int = 5) -> int:
    studio = Studio(Settings(db_path=Path(history.path)), history=history)
    results = list(studio.run(GenerationRequest(schema=SCHEMA, n=n, seed=1), FakeBackend([])))
    return results[-1].run_id


def sql(history: History, text: str, *params: object) -> list[tuple]:
    """Raw SQL written with `?`, run in the database's own placeholder style."""
    cursor = history.db.execute_sql(text.replace("?", history.db.param), params)
    return list(cursor) if cursor.description else []


def test_wal_mode_and_busy_timeout(tmp_path: Path) -> None:
    history = History(tmp_path / "history.db")
    assert history.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert history.db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 10000
    assert history.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_run_and_records_round_trip_in_order(history: History) -> None:
    run_id = make_run(history, n=12)
    run = history.get_run(run_id)
    assert run["status"] == "completed" and run["achieved"] == 12 and run["requested"] == 12
    assert run["backend"] == "fake" and run["title"] == "Widget"
    assert run["strategies"] == {"size": "sample", "code": "sample"}
    assert "api_key" not in json.dumps(run["params"])
    records = list(history.iter_records(run_id, batch=5))
    assert len(records) == 12 and all(SCHEMA.validator.is_valid(r) for r in records)
    idx = [row[0] for row in sql(history, "SELECT idx FROM record WHERE run_id=? ORDER BY id", run_id)]
    assert idx == list(range(12))


def test_list_filters_and_delete(history: History) -> None:
    a = make_run(history)
    b = make_run(history)
    history.set_status(b, "failed", "boom")
    assert [r["id"] for r in history.list_runs()] == [b, a]
    assert [r["id"] for r in history.list_runs(status="failed")] == [b]
    assert [r["id"] for r in history.list_runs(search="uuid")] == [b, a]
    assert history.list_runs(search="no-such-text") == []
    assert history.list_runs(backend="other") == []
    history.delete_run(a)
    assert [r["id"] for r in history.list_runs()] == [b]
    assert sql(history, "SELECT COUNT(*) FROM record WHERE run_id=?", a) == [(0,)]
    with pytest.raises(InputError, match=f"no run with id {a}"):
        history.count_records(a)


def test_crashed_runs_become_interrupted_but_live_ones_do_not(history: History) -> None:
    dead = make_run(history)
    live = make_run(history)
    host = __import__("socket").gethostname()
    sql(history, "UPDATE run SET status='running', worker=? WHERE id=?", f"{host}:999999", dead)
    sql(history, "UPDATE run SET status='running', worker=? WHERE id=?", f"{host}:1", live)
    assert history.recover_interrupted() == 1
    assert history.get_run(dead)["status"] == "interrupted"
    assert history.get_run(live)["status"] == "running"


def test_every_missing_run_id_is_the_same_not_found_error(history: History) -> None:
    calls = [
        lambda: history.get_run(404),
        lambda: history.iter_records(404),
        lambda: history.count_records(404),
        lambda: history.get_learned(404),
        lambda: history.delete_run(404),
        lambda: history.set_status(404, "failed"),
        lambda: history.set_quality(404, {}),
        lambda: history.mark_running(404, None),
    ]
    for call in calls:
        with pytest.raises(StorageError, match="no run with id 404") as caught:
            call()
        assert isinstance(caught.value, InputError) and caught.value.exit_code == 2


def test_saved_templates_keep_versions_and_usage(history: History) -> None:
    from synth_gradio.storage.template_store import TemplateStore
    from synth_gradio.studio.catalog import Catalog

    catalog = Catalog(TemplateStore(history))
    template = {"name": "pets", "schema": {"pet": {"type": "string"}}, "examples": []}
    assert catalog.save(template)["version"] == 1
    assert catalog.save({**template, "description": "v2"})["version"] == 2
    catalog.mark_used("pets", 2)
    catalog.mark_used("pets", 2)
    row = next(r for r in catalog.list() if r["name"] == "pets")
    assert row["version"] == 2 and row["use_count"] == 2 and row["last_used"]
    assert catalog.get("pets", 1)["description"] == "" and catalog.get("pets")["description"] == "v2"
    schema, version = catalog.resolve("pets")
    assert version == 2 and [f.name for f in schema.fields] == ["pet"]


def test_batches_append_in_order_and_an_empty_batch_only_updates_counters(history: History) -> None:
    from synth_gradio.storage.history import RunProgress, RunSpec

    run_id = history.create_run(RunSpec(title="t", schema={}, backend="fake", model="", requested=5))
    history.commit_batch(
        run_id,
        [{"i": 0}, {"i": 1, "text": "Zoë's \"quoted\" {braces}, 'x'"}],
        RunProgress(2, 3, {}, 10, 0.5, "running"),
    )
    history.commit_batch(run_id, [], RunProgress(2, 4, {"parse": 1}, 12, 0.7, "running"))
    history.commit_batch(run_id, [{"i": 2}, {"i": 3}, {"i": 4}], RunProgress(5, 7, {"parse": 2}, 30, 1.25, "completed"))
    records = list(history.iter_records(run_id, batch=2))
    assert [r["i"] for r in records] == [0, 1, 2, 3, 4] and records[1]["text"] == "Zoë's \"quoted\" {braces}, 'x'"
    run = history.get_run(run_id)
    assert (
        run["achieved"],
        run["candidates"],
        run["reject_counts"],
        run["tokens"],
        run["duration_s"],
        run["status"],
    ) == (
        5,
        7,
        {"parse": 2},
        30,
        1.25,
        "completed",
    )
    assert sql(history, "SELECT idx FROM record WHERE run_id=? ORDER BY idx", run_id) == [(i,) for i in range(5)]
