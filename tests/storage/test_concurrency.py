"""Several processes on one history database at once: no locking error, no lost record (issue 15,
findings 1 and 2), on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from synth_gradio.storage.history import History

WORKER = Path(__file__).with_name("storage_worker.py")
PROBLEMS = ("locked", "Traceback", "UNIQUE constraint", "deadlock", "Error")


def spawn(*args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def release(go: Path, procs: list[subprocess.Popen], timeout: float = 180) -> None:
    """Start them all at once: wait until every process is ready, then create the go file."""
    deadline = time.monotonic() + timeout
    while len(list(go.parent.glob(f"{go.name}.ready.*"))) < len(procs):
        for proc in procs:
            if proc.poll() is not None:  # one died before it was ready (at an earlier round)
                finish(proc)
        assert time.monotonic() < deadline, "the worker processes did not start"
        time.sleep(0.05)
    go.touch()


def finish(proc: subprocess.Popen, timeout: float = 300) -> dict:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0 and not any(p in err for p in PROBLEMS), err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def test_three_writers_and_a_reader_share_one_database(db_target: str, tmp_path: Path) -> None:
    History(db_target).close()  # an existing history (a new one racing to migrate is the next test)
    go, stop = tmp_path / "go", tmp_path / "stop"
    runs, n, batch = 2, 400, 8
    writers = [spawn("write", db_target, go, runs, n, batch) for _ in range(3)]
    reader = spawn("read", db_target, go, stop)
    try:
        release(go, [*writers, reader])
        written = [finish(w) for w in writers]
    finally:
        stop.touch()
    assert finish(reader)["loops"] >= 1
    history = History(db_target)
    ids = sorted(i for w in written for i in w["runs"])
    assert len(ids) == 3 * runs
    for run_id in ids:
        run = history.get_run(run_id)
        assert (run["status"], run["achieved"]) == ("completed", n)
        records = list(history.iter_records(run_id))
        assert [r["id"] for r in records] == list(range(n))  # every batch, in order, exactly once
    history.close()


def test_processes_opening_a_new_database_at_once_all_migrate_it(new_target, tmp_path: Path) -> None:
    rounds, procs = 3, 4
    targets = [new_target() for _ in range(rounds)]
    prefix = tmp_path / "go"
    workers = [spawn("open", json.dumps(targets), prefix) for _ in range(procs)]
    for r in range(rounds):
        release(Path(f"{prefix}.{r}"), workers)
    results = [finish(w) for w in workers]
    for r, target in enumerate(targets):
        history = History(target)
        assert sorted(run["id"] for run in history.list_runs()) == sorted(res["runs"][r] for res in results)
        history.close()
