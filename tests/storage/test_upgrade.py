"""A history database made by an older release opens with its data intact, on SQLite and PostgreSQL.

The old database is built by applying only the first k migrations (the frozen SQL of those
releases) and inserting rows in that layout with plain SQL, as the old code would have.
"""

from __future__ import annotations

import json

import pytest

from synth_gradio.storage.db import open_database
from synth_gradio.storage.history import History, RunSpec
from synth_gradio.storage.migrations import MIGRATIONS, applied, migrate
from synth_gradio.storage.template_store import TemplateStore

RECORDS = [{"name": "Ada", "age": 36}, {"name": "Grace", "age": 45}, {"name": "Émile", "age": 7}]
SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}


def old_database(target: str, k: int) -> int:
    """A database in the layout of release k (its first k migrations), holding one finished run."""
    db = open_database(target)
    assert migrate(db, upto=k) == [name for name, _ in MIGRATIONS[:k]]

    def sql(text: str, *params: object) -> None:
        db.execute_sql(text.replace("?", db.param), params)

    columns = (
        "created_at, updated_at, title, template, template_version, schema_json, examples_json, backend, model, "
        "params_json, strategies_json, status, requested, achieved, candidates, reject_counts_json, tokens, duration_s"
    )
    values = [
        "2025-01-02 03:04:05",
        "2025-01-02 03:05:00",
        "old run",
        "people",
        1,
        json.dumps(SCHEMA),
        "[]",
        "llamacpp",
        "gemma",
        '{"n": 3}',
        '{"name": "sample"}',
        "completed",
        3,
        3,
        4,
        '{"duplicate": 1}',
        120,
        2.5,
    ]
    extra = {2: ("worker", "old-host:1"), 4: ("quality_json", '{"score": {"score": 88}}'), 5: ("group_id", "g1")}
    for step, (column, value) in extra.items():
        if k >= step:
            columns += f", {column}"
            values.append(value)
    sql(f"INSERT INTO run ({columns}) VALUES ({', '.join('?' * len(values))})", *values)
    run_id = db.execute_sql("SELECT MAX(id) FROM run").fetchone()[0]
    for i, rec in enumerate(RECORDS):
        sql("INSERT INTO record (run_id, idx, data) VALUES (?, ?, ?)", run_id, i, json.dumps(rec, ensure_ascii=False))
    if k >= 3:
        sql(
            "INSERT INTO savedtemplate (name, version, description, data_json, created_at, use_count) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            "people",
            1,
            "saved before",
            json.dumps({"schema": SCHEMA, "examples": []}),
            "2025-01-01 00:00:00",
            2,
        )
    if k >= 6:
        sql(
            "INSERT INTO learnedmodel (run_id, data_json, summary_json) VALUES (?, ?, ?)",
            run_id,
            '{"format": "copula"}',
            '{"rows": 10}',
        )
    db.close()
    return run_id


@pytest.mark.parametrize("k", [1, 3, 6])
def test_an_older_release_database_is_migrated_with_its_data_intact(db_target: str, k: int) -> None:
    run_id = old_database(db_target, k)
    history = History(db_target)
    assert applied(history.db) == {name for name, _ in MIGRATIONS}
    run = history.get_run(run_id)
    assert (run["title"], run["status"], run["achieved"], run["tokens"], run["duration_s"]) == (
        "old run",
        "completed",
        3,
        120,
        2.5,
    )
    assert run["created_at"] == "2025-01-02T03:04:05" and run["schema"] == SCHEMA and run["owner"] is None
    assert run["strategies"] == {"name": "sample"} and run["reject_counts"] == {"duplicate": 1}
    assert run["group_id"] == ("g1" if k >= 5 else None)
    assert run["quality"] == ({"score": {"score": 88}} if k >= 4 else None)
    assert list(history.iter_records(run_id)) == RECORDS
    assert history.get_learned(run_id) == (({"format": "copula"}, {"rows": 10}) if k >= 6 else None)
    # an old run has no owner: the whole history sees it, a signed-in user does not
    assert [r["id"] for r in history.list_runs()] == [run_id]
    assert history.scoped("alice").list_runs() == []
    templates = TemplateStore(history.scoped("alice")).list()
    assert [(t["name"], t["use_count"], t["owner"]) for t in templates] == ([("people", 2, None)] if k >= 3 else [])
    # the database keeps working: new runs get new ids and records append after the old ones
    new_id = history.create_run(RunSpec(title="new", schema=SCHEMA, backend="fake", model="", requested=1))
    assert new_id > run_id
    history.close()
    again = History(db_target)  # opening a migrated database changes nothing
    assert again.get_run(run_id)["title"] == "old run" and again.count_records(run_id) == 3
    again.close()
