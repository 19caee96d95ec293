"""CLI: generate --preview (nothing stored), history stats and history push (against a local fake Hub)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "studio"))

from hub_fake import WRITE, FakeHub
from test_cli import cli


def test_preview_prints_records_and_an_estimate_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    proc = cli("generate", "--template", "employees", "-n", "500", "--preview", "--seed", "3", db=db)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 5 and all("employee_id" in r for r in records)
    assert "preview: 5 records, nothing stored" in proc.stderr
    assert "estimate: 500 records: about" in proc.stderr and "records/s" in proc.stderr
    listing = cli("history", "list", "--json", db=db)
    assert json.loads(listing.stdout) == []
    bad = cli("generate", "--template", "employees", "-n", "5", "--preview", "--preview-k", "0", db=db)
    assert bad.returncode == 2 and "argument --preview-k: must be between 1 and 20" in bad.stderr


def test_history_stats_counts_runs_per_day_and_template(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    for seed in ("1", "2"):
        assert cli("generate", "--template", "employees", "-n", "4", "--seed", seed, "--quiet", db=db).returncode == 0
    stats = json.loads(cli("history", "stats", "--json", db=db).stdout)
    assert stats["totals"]["runs"] == 2 and stats["totals"]["records"] == 8
    assert stats["templates"][0] == {"template": "employees", "runs": 2, "records": 8}
    assert stats["per_day"][0]["runs"] == 2 and stats["usage"][0]["cost_usd"] == 0.0
    text = cli("history", "stats", db=db).stdout
    assert "2 runs, 8 records" in text and "employees" in text
    assert "--since takes a date" in cli("history", "stats", "--since", "soon", db=db).stderr


@pytest.fixture
def hub():
    server = FakeHub()
    yield server
    server.close()


def test_history_push_publishes_with_the_token_from_the_environment(tmp_path: Path, hub, monkeypatch) -> None:
    db = tmp_path / "h.db"
    assert cli("generate", "--template", "employees", "-n", "3", "--seed", "1", "--quiet", db=db).returncode == 0
    run_id = json.loads(cli("history", "list", "--json", db=db).stdout)[0]["id"]
    monkeypatch.setenv("HF_TOKEN", WRITE)
    proc = cli("history", "push", str(run_id), "--repo", "alice/staff", "--private", "--endpoint", hub.url, db=db)
    assert proc.returncode == 0, proc.stderr
    assert f"published run {run_id} to {hub.url}/datasets/alice/staff" in proc.stderr
    assert hub.repos["alice/staff"]["private"] and "README.md" in hub.repos["alice/staff"]["files"]
    assert WRITE not in proc.stderr + proc.stdout
    monkeypatch.setenv("HF_TOKEN", "hf_wrong")
    refused = cli("history", "push", str(run_id), "--repo", "alice/staff", "--endpoint", hub.url, db=db)
    assert refused.returncode == 1 and "token was rejected (401)" in refused.stderr and "hf_wrong" not in refused.stderr


def test_the_readme_install_puts_the_synth_gradio_command_on_the_path() -> None:
    """requirements.txt installs the project itself, so its console script sits beside this Python."""
    import subprocess

    command = Path(sys.executable).parent / "synth-gradio"
    assert command.exists(), "run the README's install command (requirements.txt installs the project with -e .)"
    out = subprocess.run([str(command), "templates", "list"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "support_tickets" in out.stdout, out.stderr
