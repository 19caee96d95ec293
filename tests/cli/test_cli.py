"""The CLI end to end, as a user runs it: real model, real SQLite file, every export format."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, db: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "SYNTH_DB_PATH": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "synth_gradio", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=ROOT,
    )


def test_bad_input_exits_2_with_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    bad = tmp_path / "bad.json"
    bad.write_text('{"age": {"type": "integr"}}')
    cases = [
        (["generate", "--template", "nope", "-n", "3"], "unknown template 'nope'"),
        (["generate", "--schema", str(bad), "-n", "3"], "$.properties.age.type: unknown type 'integr'"),
        (["generate", "--schema", str(tmp_path / "missing.json"), "-n", "3"], "schema file not found"),
        (["generate", "--template", "user_profile", "-n", "3", "--out", "x.txt"], "unsupported output format '.txt'"),
        (["generate", "--template", "user_profile", "-n", "0"], "argument -n: must be between 1 and"),
        (["history", "show", "99"], "no run with id 99"),
        (["templates", "show", "nope"], "unknown template"),
    ]
    for args, message in cases:
        proc = cli(*args, db=db)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr


def test_templates_list_and_show(tmp_path: Path) -> None:
    listing = cli("templates", "list", db=tmp_path / "h.db")
    assert listing.returncode == 0 and "product_catalog" in listing.stdout
    shown = cli("templates", "show", "customer_data", db=tmp_path / "h.db")
    assert json.loads(shown.stdout)["properties"]["email"]["format"] == "email"


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """`synth-gradio ... | head`: the reader closes the pipe before the command writes; no traceback."""
    env = {**os.environ, "SYNTH_DB_PATH": str(tmp_path / "h.db"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "synth_gradio", "templates", "show", "product_catalog"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)  # fmt: skip
    proc.stdout.close()  # before the interpreter has even imported the package
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and "Traceback" not in stderr and "Broken pipe" not in stderr, stderr


def test_generate_from_a_saved_template_counts_its_use(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    template = {
        "name": "stock levels",
        "description": "Warehouse stock, drawn in code (no model fields)",
        "schema": {
            "sku": {"type": "string", "pattern": "^SKU-[0-9]{6}$", "unique": True},
            "units": {"type": "integer", "minimum": 0, "maximum": 500},
            "site": {"enum": ["north", "south"]},
        },
        "examples": [],
    }
    from synth_gradio import Settings, Studio

    Studio(Settings(db_path=db)).catalog.save(template)
    Studio(Settings(db_path=db)).catalog.save({**template, "description": "version two"})
    out = tmp_path / "stock.csv"
    proc = cli("generate", "--template", "stock levels", "-n", "12", "--seed", "4", "--out", str(out), "--quiet", db=db)
    assert proc.returncode == 0, proc.stderr
    assert len(pd.read_csv(out)) == 12
    shown = json.loads(cli("history", "show", "1", "--json", db=db).stdout)
    assert shown["template"] == "stock levels" and shown["template_version"] == 2
    listed = cli("templates", "list", db=db).stdout
    assert "stock levels" in listed and "v2" in listed
    rows = sqlite3.connect(db).execute("SELECT version, use_count FROM savedtemplate ORDER BY version").fetchall()
    assert rows == [(1, 0), (2, 1)]
    older = cli("generate", "--template", "stock levels", "--template-version", "1", "-n", "3", "--quiet", db=db)
    assert older.returncode == 0, older.stderr
    rows = sqlite3.connect(db).execute("SELECT version, use_count FROM savedtemplate ORDER BY version").fetchall()
    assert rows == [(1, 1), (2, 1)]


@pytest.mark.model
def test_generate_history_and_every_export_format(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    out = tmp_path / "records.jsonl"
    proc = cli("generate", "--template", "product_catalog", "-n", "6", "--seed", "5", "--out", str(out), db=db)
    assert proc.returncode == 0, proc.stderr
    assert "records/s" in proc.stderr and "ETA" in proc.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 6
    runs = json.loads(cli("history", "list", "--json", db=db).stdout)
    assert runs[0]["status"] == "completed" and runs[0]["achieved"] == 6 and runs[0]["backend"] == "llamacpp"
    assert {"id", "status", "requested", "achieved", "backend", "model", "created_at"} <= set(runs[0])
    run_id = runs[0]["id"]
    shown = json.loads(cli("history", "show", str(run_id), "--json", db=db).stdout)
    assert shown["strategies"]["description"] == "model" and shown["strategies"]["sku"] == "sample"
    for ext in ("csv", "json", "parquet", "xlsx"):
        path = tmp_path / f"again.{ext}"
        assert cli("history", "export", str(run_id), "--out", str(path), db=db).returncode == 0
        df = {"csv": pd.read_csv, "json": pd.read_json, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[ext](path)
        assert len(df) == 6
        assert list(df["sku"]) == [r["sku"] for r in records]
        if ext in ("csv", "xlsx"):
            assert json.loads(df["tags"][0]) == records[0]["tags"]
    assert cli("history", "delete", str(run_id), db=db).returncode == 0
    assert json.loads(cli("history", "list", "--json", db=db).stdout) == []


@pytest.mark.model
def test_kill_9_mid_run_then_resume(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    env = {**os.environ, "SYNTH_DB_PATH": str(db), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "synth_gradio",
            "generate",
            "--template",
            "product_catalog",
            "-n",
            "40",
            "--batch-size",
            "4",
            "--seed",
            "2",
            "--quiet",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    achieved = 0
    deadline = time.time() + 240
    while time.time() < deadline and achieved < 8:
        time.sleep(0.3)
        if db.exists():
            try:
                row = sqlite3.connect(db, timeout=5).execute("SELECT achieved FROM run").fetchone()
            except sqlite3.OperationalError:
                row = None
            achieved = row[0] if row else 0
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 8 <= achieved < 40
    shown = json.loads(cli("history", "show", "1", "--json", db=db).stdout)
    assert shown["status"] == "interrupted"
    kept = shown["achieved"]
    assert kept >= achieved
    exported = tmp_path / "partial.jsonl"
    assert cli("history", "export", "1", "--out", str(exported), db=db).returncode == 0
    assert len(exported.read_text().splitlines()) == kept
    resumed = cli("resume", "1", "--out", str(tmp_path / "all.csv"), "--quiet", db=db)
    assert resumed.returncode == 0, resumed.stderr
    final = json.loads(cli("history", "show", "1", "--json", db=db).stdout)
    assert final["status"] == "completed" and final["achieved"] == 40
    summary = re.search(r"run 1: completed, 40/40 records, (-?\d+) rejected", resumed.stderr)
    assert summary, resumed.stderr
    assert int(summary.group(1)) == final["candidates"] - final["achieved"] >= 0
    df = pd.read_csv(tmp_path / "all.csv")
    assert len(df) == 40 and df["sku"].is_unique


@pytest.mark.model
def test_rule_template_run_passes_every_rule_and_quality_cli(tmp_path: Path) -> None:
    from synth_gradio.schema.templates import get_template

    db = tmp_path / "h.db"
    out = tmp_path / "customers.jsonl"
    proc = cli("generate", "--template", "customer_data", "-n", "8", "--seed", "9", "--out", str(out), db=db)
    assert proc.returncode == 0, proc.stderr
    schema = get_template("customer_data").schema
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 8
    for row in rows:
        assert all(rule.check(row) is None for rule in schema.rules), row
    report = json.loads(cli("quality", "1", "--json", db=db).stdout)
    assert report["metrics"]["coherence"]["pass_rate_after_fix"] == 1.0
    assert 0 < report["score"]["score"] <= 100
    compared = json.loads(cli("quality", "1", "--reference", str(out), "--json", db=db).stdout)
    assert compared["reference"]["privacy"]["exact_copies"] == 8
    bad = cli("quality", "1", "--reference", str(tmp_path / "none.csv"), db=db)
    assert bad.returncode == 2 and "reference file not found" in bad.stderr


def test_ddl_and_infer_commands(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    fixtures = Path(__file__).parents[1] / "fixtures"
    shown = json.loads(cli("ddl", str(fixtures / "shop_mysql.sql"), "--json", db=db).stdout)
    assert [t["table"] for t in shown] == ["customers", "orders"]
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE t (\n  a INT\n  b TEXT\n);")
    proc = cli("ddl", str(bad), db=db)
    assert proc.returncode == 2 and "line 3" in proc.stderr
    out = tmp_path / "shop"
    proc = cli(
        "generate",
        "--ddl",
        str(fixtures / "shop_sqlite.sql"),
        "-n",
        "4",
        "--count",
        "orders=9",
        "--out",
        str(out),
        "--seed",
        "1",
        db=db,
    )
    assert proc.returncode == 0, proc.stderr
    customers, orders = pd.read_csv(out / "customers.csv"), pd.read_csv(out / "orders.csv")
    assert len(customers) == 4 and len(orders) == 9 and set(orders.customer_id) <= set(customers.id)
    csv = tmp_path / "sample.csv"
    pd.DataFrame({"city": ["Lyon", "Nice"] * 10, "visits": range(20)}).to_csv(csv, index=False)
    inferred = json.loads(cli("infer", str(csv), "--json", db=db).stdout)
    assert inferred["properties"]["city"]["enum"] == ["Lyon", "Nice"]
    assert cli("infer", str(tmp_path / "missing.csv"), db=db).returncode == 2
