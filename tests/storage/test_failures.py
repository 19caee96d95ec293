"""Storage failures end in one sentence that names the database and the cause: a full disk (issue 15,
finding 3), a database that stays busy, and PostgreSQL connection problems (never with the password)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fakes import FakeBackend
from pg_server import PASSWORD, PgServer, _free_port

from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import StorageError
from synth_gradio.schema.model import load_schema
from synth_gradio.settings import Settings
from synth_gradio.storage.history import History, RunProgress, RunSpec
from synth_gradio.studio import Studio

WORKER = Path(__file__).with_name("storage_worker.py")
SCHEMA = {
    "title": "Line",
    "type": "object",
    "properties": {"code": {"type": "string", "format": "uuid"}, "note": {"type": "string", "format": "uuid"}},
    "required": ["code", "note"],
}


def fill_limit(history: History, spare_pages: int) -> None:
    """Let the SQLite file grow by `spare_pages` pages only: a disk that is about to be full."""
    pages = history.db.execute_sql("PRAGMA page_count").fetchone()[0]
    history.db.pragma("max_page_count", pages + spare_pages, permanent=True)


def test_a_full_disk_interrupts_the_run_with_one_sentence_and_it_resumes(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    history = History(path)
    studio = Studio(Settings(db_path=path), history=history)
    fill_limit(history, 12)
    handle = studio.start(GenerationRequest(schema=load_schema(SCHEMA), n=3000, seed=3, batch_size=8), FakeBackend([]))
    with pytest.raises(StorageError) as caught:
        for _ in handle.results:
            pass
    message = str(caught.value)
    assert message.startswith(f"cannot write to the history database {path}: the disk is full; free some space")
    assert f"then resume run {handle.run_id}" in message and "rollback" not in message and "\n" not in message
    run = history.get_run(handle.run_id)
    kept = history.count_records(handle.run_id)
    assert run["status"] == "interrupted" and run["error"] == message
    assert 0 < kept < 3000 and f"keeps its {kept} records" in message
    history.db.pragma("max_page_count", 1_000_000_000, permanent=True)  # space freed
    results = list(studio.resume(handle.run_id, FakeBackend([])).results)
    assert results and results[-1].status == "completed"
    assert history.count_records(handle.run_id) == 3000
    history.close()


def test_the_cli_on_a_full_disk_exits_1_with_one_sentence(tmp_path: Path) -> None:
    db, schema = tmp_path / "h.db", tmp_path / "s.json"
    schema.write_text(json.dumps(SCHEMA))
    proc = subprocess.run(
        [sys.executable, str(WORKER), "cli-full", str(db), str(schema), "2000", "40"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert f"cannot write to the history database {db}: the disk is full" in errors[0]
    history = History(db)
    run = history.list_runs()[0]
    assert run["status"] == "interrupted" and 0 < history.count_records(run["id"]) < 2000
    history.close()


def test_a_busy_database_is_waited_out_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    history = History(path)
    run_id = history.create_run(RunSpec(title="t", schema={}, backend="fake", model="", requested=2))
    history.db.execute_sql("PRAGMA busy_timeout = 50")  # SQLite alone would give up after 50 ms
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock for a while
    threading.Timer(1.0, lambda: other.execute("COMMIT")).start()
    started = time.monotonic()
    history.commit_batch(run_id, [{"a": 1}, {"a": 2}], RunProgress(2, 2, {}, 0, 0.1, "completed"))
    assert time.monotonic() - started >= 0.9
    assert history.get_run(run_id)["status"] == "completed" and history.count_records(run_id) == 2
    other.close()
    history.close()


def test_a_damaged_file_is_named_with_the_cause(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StorageError, match=f"history database {path}: the file is not a history database"):
        History(path)


def connect_error(url: str) -> str:
    with pytest.raises(StorageError) as caught:
        History(url)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_postgresql_connection_problems_name_host_and_cause_never_the_password(pg_server: PgServer) -> None:
    where = f"127.0.0.1:{pg_server.port}"
    wrong = connect_error(pg_server.url("postgres", password="Wrong-Secret-42"))
    assert wrong == (
        f"cannot connect to the PostgreSQL history database at {where}: "
        "the user name or password is wrong (check the URL in SYNTH_DATABASE_URL)"
    )
    missing = connect_error(pg_server.url("no_such_db"))
    assert missing.startswith(
        f"cannot connect to the PostgreSQL history database at {where}: the database 'no_such_db'"
    )
    port = _free_port()
    down = connect_error(f"postgresql://synth:{PASSWORD}@127.0.0.1:{port}/synth")
    assert down == (
        f"cannot connect to the PostgreSQL history database at 127.0.0.1:{port}: the server is not running "
        "or does not accept connections there; check the host and port"
    )
    in_query = connect_error(f"postgresql://synth@127.0.0.1:{pg_server.port}/postgres?password=Query-Secret-9")
    assert in_query == wrong
    for message in (wrong, missing, down):
        assert PASSWORD not in message and "Wrong-Secret-42" not in message


def test_bad_database_urls_are_refused_without_the_password() -> None:
    no_db = connect_error(f"postgresql://synth:{PASSWORD}@db.example:5432")
    assert (
        no_db
        == "the database URL postgresql://synth@db.example:5432 names no database: end it with /DBNAME (for example /synth)"
    )
    other = connect_error(f"mysql://synth:{PASSWORD}@db.example/synth")
    assert other.startswith("SYNTH_DATABASE_URL mysql://synth@db.example/synth is not supported")
    assert PASSWORD not in no_db + other


def test_settings_select_postgresql_by_url_and_never_show_the_password(
    pg_server: PgServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = pg_server.create_database()
    monkeypatch.setenv("SYNTH_DATABASE_URL", url)
    monkeypatch.setenv("SYNTH_DB_PATH", str(tmp_path / "unused.db"))
    settings = Settings.from_env(env_file=None)
    assert settings.database_url == url and PASSWORD not in repr(settings)
    history = History.from_settings(settings)
    assert history.db.__class__.__name__ == "PooledPostgresqlDatabase" and not (tmp_path / "unused.db").exists()
    assert history.path == url.replace(f":{PASSWORD}@", "@") and PASSWORD not in history.path
    history.close()
    monkeypatch.delenv("SYNTH_DATABASE_URL")
    local = History.from_settings(Settings.from_env(env_file=None))
    assert local.path == str(tmp_path / "unused.db") and (tmp_path / "unused.db").exists()  # SQLite stays the default
    local.close()


def test_a_postgresql_server_that_goes_away_mid_run_is_one_sentence(pg_server: PgServer) -> None:
    import pg_server as servers

    own = servers.start({"fsync": "off"})  # a server of its own, to stop
    try:
        url = own.create_database()
        history = History(url)
        run_id = history.create_run(RunSpec(title="t", schema={}, backend="fake", model="", requested=4))
        history.commit_batch(run_id, [{"a": 1}, {"a": 2}], RunProgress(2, 2, {}, 0, 0.1, "running"))
    finally:
        own.stop()
    with pytest.raises(StorageError) as caught:
        history.commit_batch(run_id, [{"a": 3}, {"a": 4}], RunProgress(4, 4, {}, 0, 0.2, "completed"))
    message = str(caught.value)
    assert message.startswith(f"cannot write to the history database postgresql://synth@127.0.0.1:{own.port}/")
    assert "the server is not running" in message or "connection to the server was lost" in message
    assert f"then resume run {run_id}" in message and PASSWORD not in message and "\n" not in message
