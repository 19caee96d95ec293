"""Stop, a cancelled client call and a closed browser tab during a multi-table run (/generate_tables).

Each must keep every finished record and leave no run `running`: the table in progress ends
`cancelled` with exactly the records it stored, and the tables before it stay `completed`.
Both tables are drawn in code, so the default backend needs no model (orders: about 4,000 rows/s).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from gradio_client import Client
from ui_launch import browser, launched, page_stream

from synth_gradio.settings import Settings

SQL = (Path(__file__).parents[1] / "fixtures" / "shop_sqlite.sql").read_text()
ORDERS = 100_000  # minutes of work if nothing stopped it
ANA, BO = ("ana", "pw-ana"), ("bo", "pw-bo")


class Stored:
    """The app's database read with plain sqlite3, as another process would: a second History in this
    process would rebind the storage models that the app's running generator is using."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.path, timeout=30) as db:
            return db.execute(sql, params).fetchall()

    def runs(self, group: str) -> dict[str, dict]:
        rows = self.query('SELECT id, title, status, achieved FROM "run" WHERE group_id = ?', group)
        return {title: {"id": i, "status": status, "achieved": n} for i, title, status, n in rows}

    def records(self, run_id: int) -> list[dict]:
        return [json.loads(d) for (d,) in self.query('SELECT data FROM "record" WHERE run_id = ? ORDER BY idx', run_id)]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings(db_path=tmp_path_factory.mktemp("tables") / "history.db")
    with launched(settings, ["--auth", "ana:pw-ana,bo:pw-bo"]) as url:
        yield url, Stored(settings.db_path)


def table_args(seed: int) -> list:
    return [SQL, f"customers=6, orders={ORDERS}", 20, str(seed), "llamacpp", "", "", ""]


def settled(stored: Stored, group: str, timeout_s: float = 60) -> dict[str, dict]:
    """The group's runs once none is still running (the engine stops after its current batch)."""
    deadline = time.monotonic() + timeout_s
    while True:
        runs = stored.runs(group)
        if all(r["status"] not in ("running", "pending") for r in runs.values()) or time.monotonic() > deadline:
            return runs
        time.sleep(0.2)


def assert_kept(stored: Stored, runs: dict[str, dict]) -> None:
    customers, orders = runs["customers"], runs["orders"]
    assert customers["status"] == "completed" and customers["achieved"] == 6
    assert orders["status"] == "cancelled", orders["status"]
    assert 0 < orders["achieved"] < ORDERS
    kept = stored.records(orders["id"])
    assert len(kept) == orders["achieved"]  # every finished record is stored, none is half-written
    ids = {c["id"] for c in stored.records(customers["id"])}
    assert all(o["customer_id"] in ids for o in kept)


def test_stop_keeps_the_finished_tables_and_only_the_owner_can_stop(app) -> None:
    url, stored = app
    ana, bo = Client(url, auth=ANA, verbose=False), Client(url, auth=BO, verbose=False)
    job = ana.submit(*table_args(seed=1), api_name="/generate_tables")
    group = None
    for update in job:
        group, status = update[0], update[1]
        if "**orders**" in status:
            break
    assert group
    assert "No table generation is running" in bo.predict(group, api_name="/cancel_tables")
    assert "Stopping" in ana.predict(group, api_name="/cancel_tables")
    _, message, files = job.result()
    assert message.startswith("Stopped at orders") and len(files) == 3  # zip, workbook, SQLite
    assert_kept(stored, settled(stored, group))


def test_a_cancelled_client_call_ends_the_run_as_cancelled(app) -> None:
    url, stored = app
    job = Client(url, auth=ANA, verbose=False).submit(*table_args(seed=2), api_name="/generate_tables")
    group = None
    for update in job:
        group, status = update[0], update[1]
        if "**orders**" in status:
            break
    job.cancel()
    assert_kept(stored, settled(stored, group))


def test_closing_the_browser_tab_ends_the_run_as_cancelled(app) -> None:
    url, stored = app
    with browser(url, *ANA) as page, page_stream(page, "generate_tables", table_args(seed=3)) as updates:
        group = None
        for data in updates:
            group = data[0] if isinstance(data[0], str) else group  # later updates come as diffs
            if "**orders**" in str(data[1]):
                break  # the tab closes here: the stream is dropped mid-run
    assert group
    assert_kept(stored, settled(stored, group))
