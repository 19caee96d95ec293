"""Related tables and panels through the CLI and the Python API: learned, generated, stored, resumed."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
from related_data import grunfeld, modechoice, shop

from synth_gradio import Settings, Studio

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SYNTH_DB_PATH": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "synth_gradio", *args], capture_output=True, text=True, env=env, timeout=600, cwd=ROOT
    )


def test_a_folder_of_two_real_tables_through_the_cli(tmp_path) -> None:
    folder, out = tmp_path / "travel", tmp_path / "made"
    folder.mkdir()
    for name, frame in modechoice().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    proc = cli(
        "generate",
        "--reference",
        str(folder),
        "-n",
        "60",
        "--seed",
        "2",
        "--out",
        str(out),
        "--quiet",
        db=tmp_path / "h.db",
    )
    assert proc.returncode == 0, proc.stderr
    assert "learned: choices.traveller_id refers to travellers.traveller_id" in proc.stderr
    assert "learned: N (top-level entities) counts travellers rows: 210 in the reference" in proc.stderr
    people, choices = pd.read_csv(out / "travellers.csv"), pd.read_csv(out / "choices.csv")
    assert len(people) == 60 and people["traveller_id"].is_unique
    assert set(choices["traveller_id"]) <= set(people["traveller_id"])
    assert f"rows: travellers 60, choices {len(choices)}" in proc.stderr
    assert choices.groupby("traveller_id").size().eq(4).mean() > 0.9
    job = re.search(r"job ([0-9a-f]{12}); its quality", proc.stderr).group(1)
    report = json.loads(cli("quality", job, "--reference", str(folder), "--json", db=tmp_path / "h.db").stdout)
    assert report["foreign_keys_valid"] and report["primary_keys_unique"]
    assert report["targets"]["children_ks"]["passes"] and set(report["tables"]) == {"travellers", "choices"}
    # keys are new values: compared by value they scored 0 and pulled each table's similarity down
    assert all(t["score"] > 80 for t in report["tables"].values()), report["tables"]
    told = report["tables"]["choices"]["detection_auc"]  # a classifier's test per table, beside similarity
    assert told is not None and 0.3 < told < 0.85, report["tables"]
    lines = cli("quality", job, "--reference", str(folder), db=tmp_path / "h.db").stdout
    assert f"job {job}: 2 tables against the reference" in lines and "children_ks" in lines
    assert f"tells its rows from real ones at AUC {told:.2f}" in lines
    missing = cli("quality", "f00dfeedbeef", "--reference", str(folder), db=tmp_path / "h.db")
    assert missing.returncode == 2 and "there is no job f00dfeedbeef" in missing.stderr


def test_a_real_panel_file_comes_back_as_entities_with_their_years(tmp_path) -> None:
    reference, out = tmp_path / "grunfeld.csv", tmp_path / "made.csv"
    grunfeld().to_csv(reference, index=False)
    proc = cli(
        "generate",
        "--reference",
        str(reference),
        "-n",
        "15",
        "--seed",
        "1",
        "--out",
        str(out),
        "--quiet",
        db=tmp_path / "h.db",
    )
    assert proc.returncode == 0, proc.stderr
    assert "learned: grunfeld: steps of each firm, in order of year" in proc.stderr
    assert "counts grunfeld entities (distinct firm): 11 in the reference" in proc.stderr
    made = pd.read_csv(out)
    assert made["firm"].nunique() == 15 and len(made) == 15 * 20
    assert made.groupby("firm")["year"].apply(lambda y: y.is_monotonic_increasing).all()


def test_three_levels_from_sqlite_and_explicit_keys_with_bad_ones_refused(tmp_path) -> None:
    db_file = tmp_path / "shop.sqlite"
    with sqlite3.connect(db_file) as con:
        for name, frame in shop(customers=200).items():
            frame.to_sql(name, con, index=False)
    out = tmp_path / "made.sqlite"
    proc = cli(
        "generate",
        "--reference",
        str(db_file),
        "-n",
        "80",
        "--seed",
        "3",
        "--out",
        str(out),
        "--quiet",
        db=tmp_path / "h.db",
    )
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(out) as con:
        sheets = {t: pd.read_sql_query(f"SELECT * FROM {t}", con) for t in ("customers", "orders", "items")}
    assert len(sheets["customers"]) == 80
    assert set(sheets["orders"]["customer_id"]) <= set(sheets["customers"]["customer_id"])
    assert set(sheets["items"]["order_id"]) <= set(sheets["orders"]["order_id"])
    assert sheets["items"]["item_id"].is_unique
    bad = cli(
        "generate",
        "--reference",
        str(db_file),
        "--key",
        "orders.client_id=customers.customer_id",
        "-n",
        "5",
        db=tmp_path / "h.db",
    )
    assert bad.returncode == 2 and "table orders has no column client_id" in bad.stderr
    bad = cli(
        "generate",
        "--reference",
        str(db_file),
        "--key",
        "orders.store_id=customers.customer_id",
        "-n",
        "5",
        db=tmp_path / "h.db",
    )
    assert bad.returncode == 2 and "only 0% of store_id values are among customers.customer_id" in bad.stderr


def test_resume_of_a_learned_multi_table_run_needs_no_files(tmp_path) -> None:
    folder = tmp_path / "travel"
    folder.mkdir()
    for name, frame in modechoice().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    studio = Studio(Settings(db_path=str(tmp_path / "h.db")))
    learned = studio.learn_tables(folder, seed=5)
    group, events = studio.start_related(learned, 40, seed=5, batch_size=16)
    stopped = None
    for table, batch, _ in events:
        if table == "choices" and stopped is None:
            stopped = batch.run_id
            studio.cancel(group)
    assert stopped is not None
    run = studio.get_run(stopped)
    assert run["status"] == "cancelled" and run["achieved"] < run["requested"]
    for file in folder.iterdir():
        file.unlink()
    records = list(studio.resume(stopped).results)
    assert records[-1].status == "completed"
    parent = next(r for r in studio.list_runs(group_id=group) if r["title"] == "travellers")
    people = {r["traveller_id"] for r in studio.records(parent["id"], limit=10_000)}
    choices = studio.records(stopped, limit=10_000)
    assert len(choices) == run["requested"] and {r["traveller_id"] for r in choices} <= people
    assert len({r["choice_id"] for r in choices}) == len(choices)


def test_the_python_api_returns_every_table(tmp_path) -> None:
    reference = tmp_path / "grunfeld.csv"
    grunfeld().to_csv(reference, index=False)
    studio = Studio(Settings(db_path=str(tmp_path / "h.db")))
    tables = studio.generate_related(reference, 4, seed=9)
    assert list(tables) == ["grunfeld"] and len(tables["grunfeld"]) == 80


def test_one_real_series_through_the_cli_and_its_quality(tmp_path) -> None:
    from related_data import co2

    path, out, db = tmp_path / "co2.csv", tmp_path / "made.csv", tmp_path / "h.db"
    co2().to_csv(path, index=False)
    proc = cli("generate", "--reference", str(path), "-n", "300", "--seed", "1", "--out", str(out), "--quiet", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "learned: co2: one series, in order of week" in proc.stderr
    assert "learned: N counts steps of the series co2: 2,284 in the reference" in proc.stderr
    made, real = pd.read_csv(out), co2()
    assert made["week"].tolist() == real["week"].tolist()[:300]  # 300 weeks in order, not 300 drawn rows
    assert (made["co2"].dropna() - real["co2"][:300].dropna().mean()).abs().max() < 8
    job = re.search(r"job ([0-9a-f]{12}); its quality", proc.stderr).group(1)
    report = json.loads(cli("quality", job, "--reference", str(path), "--json", db=db).stdout)
    assert report["sequences"]["co2"]["lag1"]["co2"]["gap"] < 0.05
    given = cli("generate", "--reference", str(path), "--sequence", "co2.:week", "-n", "10", "--quiet", db=db)
    assert given.returncode == 0 and "one series, in order of week" in given.stderr, given.stderr


def test_a_quarterly_table_without_a_date_through_the_cli_and_its_quality(tmp_path) -> None:
    from related_data import macro_quarters

    path, out, db = tmp_path / "macro.csv", tmp_path / "made.csv", tmp_path / "h.db"
    macro_quarters().drop(columns="date").to_csv(path, index=False)
    proc = cli("generate", "--reference", str(path), "-n", "80", "--seed", "2", "--out", str(out), "--quiet", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "learned: macro: one series, in order of year+quarter" in proc.stderr
    made = pd.read_csv(out)
    assert "year+quarter" not in made.columns and made["quarter"].tolist()[:8] == [1, 2, 3, 4] * 2
    job = re.search(r"job ([0-9a-f]{12}); its quality", proc.stderr).group(1)
    report = json.loads(cli("quality", job, "--reference", str(path), "--json", db=db).stdout)
    assert report["sequences"]["macro"]["lag1"]["realgdp"]["gap"] < 0.05


def test_a_real_table_of_each_travellers_rows_through_the_cli_and_its_quality(tmp_path) -> None:
    from statsmodels.datasets import modechoice as data

    path, out, db = tmp_path / "travels.csv", tmp_path / "made.csv", tmp_path / "h.db"
    data.load_pandas().data.to_csv(path, index=False)  # as statsmodels gives it: one table, four rows per traveller
    proc = cli("generate", "--reference", str(path), "-n", "40", "--seed", "3", "--out", str(out), "--quiet", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "learned: travels: steps of each individual (unordered)" in proc.stderr
    made = pd.read_csv(out)
    assert made["individual"].nunique() == 40 and made.groupby("individual")["choice"].sum().eq(1).mean() > 0.95
    job = re.search(r"job ([0-9a-f]{12}); its quality", proc.stderr).group(1)
    report = json.loads(cli("quality", job, "--reference", str(path), "--json", db=db).stdout)
    assert report["sequences"]["travels"]["constant_share"] == {"hinc": 1.0, "psize": 1.0}
    assert report["once_share"]["travels.choice = 1 once per individual"] > 0.95  # each traveller's one choice
