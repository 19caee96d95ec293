"""What the CLI refuses before a run: numbers out of range, an output path that cannot be written.

In-process calls of `main` on a code-only template (no model is loaded), with a real SQLite history.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from synth_gradio.cli import main
from synth_gradio.errors import ExportError
from synth_gradio.settings import Settings
from synth_gradio.studio import Studio

SCHEMA = {
    "sku": {"type": "string", "pattern": "^SKU-[0-9]{6}$", "unique": True},
    "units": {"type": "integer", "minimum": 0, "maximum": 500},
    "site": {"enum": ["north", "south"]},
}


@pytest.fixture
def setup(tmp_path: Path) -> tuple[list[str], Path]:
    """The arguments of a code-only generate call, and the history file they write to."""
    schema = tmp_path / "stock.json"
    schema.write_text(json.dumps(SCHEMA))
    db = tmp_path / "h.db"
    return ["--db", str(db), "generate", "--schema", str(schema), "--quiet"], db


def runs_in(db: Path) -> list[dict]:
    return Studio(Settings(db_path=db)).history.list_runs() if db.exists() else []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-n", "5", "--temperature", "-1"], "argument --temperature: must be between 0 and 2, got -1"),
        (["-n", "5", "--temperature", "nan"], "argument --temperature: must be between 0 and 2"),
        (["-n", "5", "--batch-size", "0"], "argument --batch-size: must be between 1 and 1024, got 0"),
        (["-n", "0"], "argument -n: must be between 1 and"),
        (["-n", "-3"], "argument -n: must be between 1 and"),
        (["-n", "many"], "argument -n: expected a whole number, got 'many'"),
        (["-n", "5", "--concurrency", "0"], "argument --concurrency: must be between 1 and 256"),
        (["-n", "5", "--price-in", "-0.5"], "argument --price-in: must be at least 0"),
        (["-n", "5", "--preview", "--preview-k", "0"], "argument --preview-k: must be between 1 and 20"),
    ],
)
def test_numbers_out_of_range_exit_2_the_argparse_way(setup, capsys, extra: list[str], message: str) -> None:
    args, db = setup
    with pytest.raises(SystemExit) as caught:
        main([*args, *extra])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("usage:") and "Traceback" not in err
    assert runs_in(db) == []


def test_other_commands_check_their_numbers_too(tmp_path: Path, capsys) -> None:
    for argv, message in [
        (["history", "list", "--limit", "0"], "argument --limit: must be at least 1"),
        (["resume", "1", "--concurrency", "-2"], "argument --concurrency: must be between 1 and 256"),
        (["infer", "x.csv", "--examples", "-1"], "argument --examples: must be between 0 and 1000"),
    ]:
        with pytest.raises(SystemExit) as caught:
            main(["--db", str(tmp_path / "h.db"), *argv])
        assert caught.value.code == 2 and message in capsys.readouterr().err


def test_an_out_path_that_cannot_be_written_is_refused_before_the_run(setup, tmp_path: Path, capsys) -> None:
    args, db = setup
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder should be")
    folder = tmp_path / "records.csv"
    folder.mkdir()
    started = time.monotonic()
    for out, message in [
        (blocker / "sub" / "records.csv", "is a file, not a folder"),
        (folder, "is a folder; give a file name"),
    ]:
        assert main([*args, "-n", "200", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert message in err and f"--out {out}" in err and err.count("\n") == 1
    assert runs_in(db) == []  # nothing was generated
    assert time.monotonic() - started < 10


def test_a_missing_folder_that_can_be_made_is_made(setup, tmp_path: Path, capsys) -> None:
    args, _ = setup
    out = tmp_path / "new" / "deeper" / "stock.csv"
    assert main([*args, "-n", "7", "--seed", "1", "--out", str(out)]) == 0, capsys.readouterr().err
    assert len(pd.read_csv(out)) == 7


def test_a_failed_write_names_the_run_and_the_export_command(setup, tmp_path: Path, capsys, monkeypatch) -> None:
    args, db = setup
    out = tmp_path / "stock.csv"

    def disk_full(self, run_id, out, **kwargs):
        raise ExportError(f"cannot write {out}: No space left on device")

    monkeypatch.setattr(Studio, "export", disk_full)
    assert main([*args, "-n", "9", "--seed", "2", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    (run,) = runs_in(db)
    assert run["status"] == "completed" and run["achieved"] == 9
    assert "No space left on device" in err and f"run {run['id']}" in err
    command = f"python -m synth_gradio --db {db} history export {run['id']} --out FILE"
    assert command in err and "Traceback" not in err
    monkeypatch.undo()
    again = tmp_path / "again.csv"
    assert main(["--db", str(db), "history", "export", str(run["id"]), "--out", str(again)]) == 0
    assert len(pd.read_csv(again)) == 9
