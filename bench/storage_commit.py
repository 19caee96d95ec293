"""How fast the history commits a run's records, on SQLite and on PostgreSQL, in one run.

    python bench/storage_commit.py [-n 10000] [--batch 16] [--url postgresql://...]

Each database gets the same 10,000 customer-like records (about 400 bytes of JSON each), committed
through History.commit_batch in batches of 16: one transaction per batch, as the engine does.
SQLite is a temporary file with the app's settings (WAL, synchronous=normal). PostgreSQL is --url
(or SYNTH_DATABASE_URL); without one, a throw-away server from Debian's postgresql package is
started on 127.0.0.1 with its default durability (fsync and synchronous_commit on), as a real
deployment would run. Prints one JSON line per database and one with the ratio (target: SQLite's
rate is at most 2x PostgreSQL's).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from synth_gradio.storage.history import History, RunProgress, RunSpec

TARGET_RATIO = 2.0
CITIES = ["Lyon", "Osaka", "Recife", "Leeds", "Graz", "Austin", "Porto", "Daejeon"]


def records(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        first, last = rng.choice(["Ana", "Kenji", "Zoë", "Omar", "Lena"]), rng.choice(["Silva", "Sato", "Müller"])
        out.append(
            {
                "customer_id": f"C{100000 + i}",
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{i}@example.com",
                "age": rng.randint(18, 90),
                "country": rng.choice(["US", "DE", "FR", "JP", "BR"]),
                "active": rng.random() < 0.8,
                "signup_date": f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "address": {"street": f"{rng.randint(1, 999)} Main Street", "city": rng.choice(CITIES)},
                "balance": round(rng.uniform(-500, 25000), 2),
                "tags": rng.sample(["vip", "new", "churn-risk", "newsletter", "b2b"], 2),
                "note": "Prefers contact by email; asked about the annual plan twice last quarter.",
            }
        )
    return out


def commit_all(target: str, data: list[dict], batch: int) -> float:
    """Seconds to commit `data` as one run, batch by batch."""
    history = History(target)
    spec = RunSpec(title="bench", schema={"type": "object"}, backend="bench", model="", requested=len(data))
    run_id = history.create_run(spec)
    history.mark_running(run_id, None)
    started = time.perf_counter()
    for start in range(0, len(data), batch):
        chunk = data[start : start + batch]
        achieved = start + len(chunk)
        status = "completed" if achieved >= len(data) else "running"
        history.commit_batch(run_id, chunk, RunProgress(achieved, achieved, {}, achieved * 60, 0.0, status))
    seconds = time.perf_counter() - started
    assert history.count_records(run_id) == len(data)
    history.close()
    return seconds


def measure(target: str, data: list[dict], batch: int, repeats: int) -> float:
    commit_all(target, data[: batch * 20], batch)  # warm up: connection, caches, first pages
    return statistics.median(commit_all(target, data, batch) for _ in range(repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3, help="runs per database; the median is reported")
    parser.add_argument("--url", default=os.environ.get("SYNTH_DATABASE_URL", ""))
    args = parser.parse_args()
    data = records(args.n)
    rates = {}
    server = None
    with tempfile.TemporaryDirectory() as folder:
        url = args.url
        if not url:
            import pg_server

            server = pg_server.start()
            url = server.create_database("bench")
        try:
            targets = {"sqlite": str(Path(folder) / "history.db"), "postgresql": url}
            for name, target in targets.items():
                seconds = measure(target, data, args.batch, args.repeats)
                rates[name] = args.n / seconds
                line = {"bench": "storage_commit", "db": name, "records": args.n, "batch": args.batch}
                print(json.dumps({**line, "seconds": round(seconds, 3), "records_per_s": round(rates[name], 1)}))
        finally:
            if server is not None:
                server.stop()
    ratio = rates["sqlite"] / rates["postgresql"]
    print(
        json.dumps(
            {
                "bench": "storage_commit",
                "sqlite_over_postgresql": round(ratio, 3),
                "target": f"<= {TARGET_RATIO}",
                "met": ratio <= TARGET_RATIO,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
