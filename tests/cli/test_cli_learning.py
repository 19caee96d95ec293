"""CLI: generate --reference (learn from a real table) and suggest (proposals from a model server)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from fake_servers import FakeService, Step
from sklearn.datasets import load_wine

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SYNTH_DB_PATH": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "synth_gradio", *args], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT
    )


def test_generate_from_a_reference_then_resume_and_quality_without_the_file(tmp_path) -> None:
    db, reference, out = tmp_path / "h.db", tmp_path / "wine.csv", tmp_path / "wine_new.parquet"
    load_wine(as_frame=True).frame.to_csv(reference, index=False)
    proc = cli(
        "generate", "--reference", str(reference), "-n", "200", "--seed", "4", "--out", str(out), "--quiet", db=db
    )
    assert proc.returncode == 0, proc.stderr
    made, real = pd.read_parquet(out), pd.read_csv(reference)
    assert len(made) == 200 and list(made.columns) == list(real.columns)
    assert made["proline"].corr(made["alcohol"]) > 0.3  # a real relationship of the table survives
    assert not set(map(tuple, made.round(6).to_numpy())) & set(map(tuple, real.round(6).to_numpy()))
    report = json.loads(cli("quality", "1", "--reference", str(reference), "--json", db=db).stdout)
    assert report["realism"]["score"] >= 85 and report["realism"]["privacy"]["exact_copies"] == 0
    assert report["headline"]["name"] == "realism" and report["headline"]["score"] == report["realism"]["score"]
    lines = cli("quality", "1", "--reference", str(reference), db=db).stdout.splitlines()
    assert lines[0] == f"run 1 (completed): realism against the reference {report['realism']['score']} / 100"
    beneath = next(i for i, line in enumerate(lines) if line.startswith("beneath it, quality score "))
    assert lines[beneath].endswith(f"{report['score']['score']} / 100 (validity of the records)")
    assert any(line.startswith("  detection ROC AUC ") for line in lines[:beneath])
    efficacy = report["realism"]["ml_efficacy"]  # the skill of both models, not a bare "predicts x:"
    said = next(line for line in lines[:beneath] if line.startswith("  ML efficacy predicts "))
    assert said.endswith(efficacy["note"] or f"{efficacy['real']['skill']} on real ones"), said
    plain = cli("quality", "1", db=db).stdout.splitlines()  # without a reference nothing changes
    assert plain[0] == f"run 1 (completed): quality score {report['score']['score']} / 100"
    reference.unlink()
    again = cli("history", "show", "1", "--json", db=db)
    assert json.loads(again.stdout)["strategies"]["proline"] == "learned"


def test_bad_reference_exits_2_with_one_sentence(tmp_path) -> None:
    db = tmp_path / "h.db"
    one = tmp_path / "one.csv"
    one.write_text("a,b\n1,2\n")
    cases = [
        (["--reference", str(tmp_path / "missing.csv")], "reference file not found"),
        (["--reference", str(one)], "one.csv has only 1 row"),
        (["--reference", str(one), "--ddl", str(one)], "not with --ddl"),
    ]
    for extra, message in cases:
        proc = cli("generate", "-n", "5", *extra, db=db)
        assert proc.returncode == 2, (extra, proc.stderr)
        assert message in proc.stderr and "Traceback" not in proc.stderr


def ollama_answer(content: str) -> Step:
    body = {"model": "llama3.1:8b", "created_at": "2026-11-29T00:00:00Z", "done": True, "done_reason": "stop",
            "message": {"role": "assistant", "content": content}, "prompt_eval_count": 10, "eval_count": 20}  # fmt: skip
    return Step(body=json.dumps(body))


def test_suggest_writes_the_accepted_proposals_and_drops_broken_ones(tmp_path) -> None:
    schema = tmp_path / "staff.json"
    schema.write_text(
        json.dumps(
            {
                "level": {"type": "string", "enum": ["junior", "senior"]},
                "salary": {"type": "integer", "minimum": 20000, "maximum": 300000},
            }
        )
    )
    answer = {
        "distributions": {
            "level": {"kind": "categorical", "weights": {"junior": 0.7, "senior": 0.3}},
            "salary": {
                "kind": "lognormal",
                "median": 55000,
                "sigma": 0.3,
                "by": "level",
                "cases": {"senior": {"median": 90000}},
            },
            "bonus": {"kind": "poisson", "lam": 2},
        },
        "rules": [],
    }
    server = FakeService("ollama")
    try:
        server.then(ollama_answer(json.dumps(answer)))
        out = tmp_path / "staff_declared.json"
        args = ["suggest", str(schema), "--backend", "ollama", "--model", "llama3.1:8b", "--base-url", server.url]
        proc = cli(*args, "--accept", "salary", "--accept", "level", "--out", str(out), db=tmp_path / "h.db")
        assert proc.returncode == 0, proc.stderr
        assert "dropped: $.properties.bonus.x-distribution: there is no field 'bonus'" in proc.stderr
        written = json.loads(out.read_text())
        assert written["properties"]["salary"]["x-distribution"]["cases"] == {"senior": {"median": 90000}}
        server.then(ollama_answer("I think salaries vary."))
        garbage = cli(*args, "--accept-all", db=tmp_path / "h.db")
        assert garbage.returncode == 1 and "no usable suggestions" in garbage.stderr
    finally:
        server.close()
