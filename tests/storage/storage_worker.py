"""A separate process that uses one history database, for the multi-process storage tests.

    python storage_worker.py write TARGET GO_FILE RUNS RECORDS BATCH   # create runs, commit batches
    python storage_worker.py read TARGET GO_FILE STOP_FILE              # list, show and export in a loop
    python storage_worker.py open TARGETS_JSON GO_PREFIX                # open new databases, one per round
    python storage_worker.py cli-full DB SCHEMA N PAGES                 # the CLI on a disk that fills up

Each waits for its GO file so that all start at the same moment, then prints one JSON line. Any
failure prints its traceback to stderr and exits 1 (a test asserts there are none).
"""

from __future__ import annotations

import json
import os
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
if sys.argv[1:2] != ["cli-full"]:
    # Storage alone, without the package's __init__ (which loads the whole app): the processes start
    # in a fraction of a second, so they really do run at the same moment.
    _package = types.ModuleType("synth_gradio")
    _package.__path__ = [str(ROOT / "synth_gradio")]
    sys.modules["synth_gradio"] = _package

from synth_gradio.storage.history import History, RunProgress, RunSpec  # noqa: E402


def record(i: int) -> dict:
    return {"id": i, "name": f"Customer {i}", "email": f"c{i}@example.com", "score": i * 0.5, "tags": ["a", "b"]}


def wait_for(go: Path) -> None:
    Path(f"{go}.ready.{os.getpid()}").touch()
    while not go.exists():
        time.sleep(0.001)


def write(target: str, go: Path, runs: int, n: int, batch: int) -> dict:
    history = History(target)
    wait_for(go)
    done = []
    for _ in range(runs):
        run_id = history.create_run(
            RunSpec(title="w", schema={"type": "object"}, backend="fake", model="", requested=n)
        )
        history.mark_running(run_id, None)
        for start in range(0, n, batch):
            rows = [record(i) for i in range(start, min(n, start + batch))]
            achieved = start + len(rows)
            status = "completed" if achieved >= n else "running"
            history.commit_batch(run_id, rows, RunProgress(achieved, achieved, {}, 0, 0.1, status))
        done.append(run_id)
    return {"runs": done}


def read(target: str, go: Path, stop: Path) -> dict:
    history = History(target)
    wait_for(go)
    loops = 0
    while not stop.exists():
        for run in history.list_runs(limit=20):
            history.get_run(run["id"])
            sum(1 for _ in history.iter_records(run["id"], batch=50))  # what an export reads
        loops += 1
    return {"loops": loops}


def open_new(targets: list[str], go_prefix: str) -> dict:
    """Round r: wait for GO_PREFIX.r, then open targets[r] (a new database) and store a run in it."""
    runs = []
    for r, target in enumerate(targets):
        wait_for(Path(f"{go_prefix}.{r}"))
        history = History(target)
        runs.append(history.create_run(RunSpec(title="o", schema={}, backend="fake", model="", requested=1)))
        history.close()
    return {"runs": runs}


def cli_on_a_full_disk(db: str, schema: str, n: int, pages: int) -> int:
    """`generate` through the real CLI with a backend drawn in code, on a database that may grow
    to `pages` pages only (SQLite's max_page_count stands in for a small, full filesystem)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes import FakeBackend

    import synth_gradio.cli as cli
    from synth_gradio.storage import db as storage_db

    storage_db.PRAGMAS["max_page_count"] = pages
    cli.backend_from_args = lambda args, settings: FakeBackend([])
    return cli.main(["--db", db, "generate", "--schema", schema, "-n", str(n), "--batch-size", "8"])


def main(argv: list[str]) -> int:
    mode, target, go = argv[0], argv[1], Path(argv[2])
    if mode == "cli-full":
        return cli_on_a_full_disk(target, argv[2], int(argv[3]), int(argv[4]))
    if mode == "open":
        print(json.dumps(open_new(json.loads(target), argv[2])))
        return 0
    if mode == "write":
        result = write(target, go, int(argv[3]), int(argv[4]), int(argv[5]))
    else:
        result = read(target, go, Path(argv[3]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
