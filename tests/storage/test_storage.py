from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from fakes import FakeBackend

from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.model import load_schema
from synth_gradio.settings import Settings
from synth_gradio.storage.db import open_database
from synth_gradio.storage.history import History
from synth_gradio.storage.migrations import MIGRATIONS, migrate
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


def test_wal_mode_and_busy_timeout(history: History) -> None:
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
    idx = [row[0] for row in history.db.execute_sql("SELECT idx FROM record WHERE run_id=? ORDER BY id", (run_id,))]
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
    assert history.count_records(a) == 0


def test_crashed_runs_become_interrupted_but_live_ones_do_not(history: History) -> None:
    dead = make_run(history)
    live = make_run(history)
    history.db.execute_sql(
        "UPDATE run SET status='running', worker=? WHERE id=?", (f"{__import__('socket').gethostname()}:999999", dead)
    )
    history.db.execute_sql(
        "UPDATE run SET status='running', worker=? WHERE id=?", (f"{__import__('socket').gethostname()}:1", live)
    )
    assert history.recover_interrupted() == 1
    assert history.get_run(dead)["status"] == "interrupted"
    assert history.get_run(live)["status"] == "running"


def test_an_old_history_file_opens_and_is_migrated(tmp_path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path)
    assert migrate(db, upto=1) == ["0001_initial"]
    db.execute_sql(
        "INSERT INTO run (created_at, updated_at, title, schema_json, examples_json, backend, model, params_json, "
        "strategies_json, status, requested, achieved, candidates, reject_counts_json, tokens, duration_s) "
        "VALUES ('2025-01-01 00:00:00', '2025-01-01 00:00:00', 'old', '{}', '[]', 'llamacpp', 'm', '{}', '{}', "
        "'completed', 1, 1, 1, '{}', 0, 1.0)"
    )
    db.close()
    history = History(path)
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM schemaversion")}
    assert names == {name for name, _ in MIGRATIONS}
    assert history.list_runs()[0]["title"] == "old"
    history.close()


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
