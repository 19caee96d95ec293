"""Every example the documentation site writes itself (its tutorials and the endpoint reference) runs,
as a reader would paste it, in a fresh folder with its own history. Sections pulled in from the README
are the README's own and are not run here; two commands are not run, and are named: the install (it is
what the test suite itself runs under) and `python app.py` (it serves until stopped; the browser tests
launch the same app). Examples that call the app at 127.0.0.1:7860 (the client API, the MCP server) get
one launched as `python app.py --mcp` serves it, on a free port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = [
    "docs/tutorials/first-dataset.md",
    "docs/tutorials/describe.md",
    "docs/tutorials/learn-from-data.md",
    "docs/tutorials/related-tables.md",
    "docs/tutorials/quality-privacy.md",
    "docs/tutorials/api-mcp-cli.md",
]
PAGES = [*TUTORIALS, "docs/reference/endpoints.md"]
APP_URL = "http://127.0.0.1:7860/"
# what each tutorial leaves in its folder, checked after its last example
MADE = {
    "first-dataset.md": lambda d: (d / "tickets.xlsx").stat().st_size > 5000 and (d / "badges.parquet").exists(),
    "describe.md": lambda d: _rows(d / "staff.xlsx") == 1001,
    "learn-from-data.md": lambda d: len(pd.read_parquet(d / "new_fair.parquet")) == 1000,
    "related-tables.md": lambda d: (
        len(pd.read_csv(d / "panel.csv")) >= 100
        and (d / "made.sqlite").stat().st_size
        and pd.read_csv(d / "co2_made.csv")["week"].is_monotonic_increasing  # one series: weeks in order
        and len(pd.read_csv(d / "co2_made.csv")) == 520
    ),
    "quality-privacy.md": lambda d: "judge_score" in pd.read_csv(d / "judged.csv").columns,
    "api-mcp-cli.md": lambda d: len(pd.read_parquet(d / "cards.parquet")) == 50 and (d / "cards.jsonl").exists(),
}
NOT_RUN = re.compile(r"^\s*python3? (?:-m venv|app\.py)")
BLOCK = re.compile(r"```(bash|python)\n(.*?)```", re.S)

pytestmark = pytest.mark.model


def _blocks() -> list[tuple[str, str, str]]:
    out = []
    for page in PAGES:
        for i, (lang, code) in enumerate(BLOCK.findall((ROOT / page).read_text())):
            out.append((f"{page}#{i + 1}", lang, code))
    return out


def _env(folder: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)  # where pip put the synth-gradio command
    return {**os.environ, "SYNTH_DB_PATH": str(folder / "history.db"), "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT)}  # fmt: skip


def test_the_skipped_commands_are_only_the_install_and_the_server() -> None:
    skipped = [
        line for _, lang, code in _blocks() if lang == "bash" for line in code.splitlines() if NOT_RUN.match(line)
    ]
    assert len(skipped) == 3 and all("venv" in s or "app.py" in s for s in skipped)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The app as `python app.py --mcp` serves it, on a free port, with a history of its own."""
    import app as app_module
    from synth_gradio.settings import Settings

    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from ui_launch import free_port

    settings = Settings(db_path=tmp_path_factory.mktemp("docs_app") / "history.db")
    demo = app_module.create(settings)
    port = free_port()
    options = app_module.launch_options(app_module.parse_args(["--mcp"]), settings, demo)
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def _run(lang: str, code: str, folder: Path, url: str | None) -> subprocess.CompletedProcess:
    if url:
        code = code.replace(APP_URL, url)
    if lang == "bash":
        script = "\n".join(line for line in code.splitlines() if not NOT_RUN.match(line))
        cmd = ["bash", "-euo", "pipefail", "-c", script]
    else:
        cmd = [sys.executable, "-c", code]
    return subprocess.run(cmd, cwd=folder, env=_env(folder), capture_output=True, text=True, timeout=900)


@pytest.mark.parametrize("page", TUTORIALS)
def test_the_tutorial_examples_run_in_order(page: str, tmp_path: Path, request) -> None:
    blocks = [b for b in _blocks() if b[0].startswith(page)]
    assert blocks, page
    url = request.getfixturevalue("app_url") if any(APP_URL in code for _, _, code in blocks) else None
    for where, lang, code in blocks:
        done = _run(lang, code, tmp_path, url)
        assert done.returncode == 0, (where, done.stdout[-1500:], done.stderr[-1500:])
    assert MADE[page.rsplit("/", 1)[1]](tmp_path), page


def _rows(path: Path) -> int:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return len(rows) if "salary" in rows[0] else -1


def test_the_endpoint_example_runs_against_a_launched_app(app_url: str, tmp_path: Path) -> None:
    ((where, lang, code),) = [b for b in _blocks() if b[0].startswith("docs/reference/endpoints.md")]
    done = _run(lang, code + "\nprint('RUN', run_id)\n", tmp_path, app_url)
    # the tutorials that share this app store no run (preview, list, validate), so this is its first
    assert done.returncode == 0 and "RUN 1" in done.stdout, (where, done.stdout[-800:], done.stderr[-1500:])
