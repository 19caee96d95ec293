"""Every example the documentation site writes itself (its tutorials and the endpoint reference) runs,
as a reader would paste it, in a fresh folder with its own history. Sections pulled in from the README
are the README's own and are not run here; two commands are not run, and are named: the install (it is
what the test suite itself runs under) and `python app.py` (it serves until stopped; the browser tests
launch the same app)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["docs/tutorials/first-dataset.md", "docs/tutorials/describe.md", "docs/reference/endpoints.md"]
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


@pytest.mark.parametrize("page", PAGES[:2])
def test_the_tutorial_examples_run_in_order(page: str, tmp_path: Path) -> None:
    env = _env(tmp_path)
    for where, lang, code in _blocks():
        if not where.startswith(page):
            continue
        if lang == "bash":
            script = "\n".join(line for line in code.splitlines() if not NOT_RUN.match(line))
            cmd = ["bash", "-euo", "pipefail", "-c", script]
        else:
            cmd = [sys.executable, "-c", code]
        done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, (where, done.stdout[-1500:], done.stderr[-1500:])
    if page.endswith("describe.md"):
        from openpyxl import load_workbook

        rows = list(load_workbook(tmp_path / "staff.xlsx", read_only=True).worksheets[0].iter_rows(values_only=True))
        assert len(rows) == 1001 and "salary" in rows[0]
    else:
        assert (tmp_path / "tickets.xlsx").stat().st_size > 5000 and (tmp_path / "badges.parquet").exists()


def test_the_endpoint_example_runs_against_a_launched_app(tmp_path: Path) -> None:
    import app as app_module
    from synth_gradio.settings import Settings

    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from ui_launch import free_port

    settings = Settings(db_path=tmp_path / "history.db")
    demo = app_module.create(settings)
    port = free_port()
    options = app_module.launch_options(app_module.parse_args([]), settings, demo)
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    try:
        ((where, _, code),) = [b for b in _blocks() if b[0].startswith("docs/reference/endpoints.md")]
        code = code.replace("http://127.0.0.1:7860/", f"http://127.0.0.1:{port}/") + "\nprint('RUN', run_id)\n"
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_env(tmp_path), capture_output=True,
                              text=True, timeout=900)  # fmt: skip
        assert done.returncode == 0 and "RUN 1" in done.stdout, (where, done.stdout[-800:], done.stderr[-1500:])
    finally:
        demo.close()
