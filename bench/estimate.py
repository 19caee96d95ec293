"""How good is the preview's estimate? For each schema: preview 5 records, then make N for real, and
compare the estimated wall time with the measured one (prints figures; asserts nothing). Also the
preview's own times, as the UI shows it: the first record, all 5 records, and the estimate.

    python bench/estimate.py [-n 500] [--templates clinic_appointments,bank_transactions] [--batch-size 32]

Everything goes through the Studio facade, as the UI and CLI do, with a temporary history. The model
is loaded by the first preview (timed separately: the estimate excludes it, since it stays loaded).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth_gradio.settings import Settings
from synth_gradio.studio import BackendConfig, GenerationRequest, Studio

WATCH = r"""
import os, sys, time
pid, out, stopped = int(sys.argv[1]), sys.argv[2], 0.0
while True:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        break
    if state in ("T", "t"):
        stopped += 0.1
        with open(out, "w") as f:
            f.write(str(stopped))
    time.sleep(0.1)
"""


class PauseWatch:
    """Seconds this process spent stopped (SIGSTOP by another job on a shared machine), seen by a child
    process that polls /proc; wall times below have them subtracted so a pause is not counted as work."""

    def __init__(self) -> None:
        self.file = Path(tempfile.mkdtemp(prefix="synth_pause_")) / "stopped"
        self.child = subprocess.Popen([sys.executable, "-c", WATCH, str(os.getpid()), str(self.file)])

    def stopped(self) -> float:
        try:
            return float(self.file.read_text() or 0)
        except (OSError, ValueError):
            return 0.0

    def close(self) -> None:
        self.child.terminate()


def measure(studio: Studio, backend, template: str, n: int, batch_size: int, seed: int, watch: PauseWatch) -> dict:
    source = studio.resolve_schema(template=template)
    request = GenerationRequest(schema=source.schema, n=n, batch_size=batch_size, seed=seed, template=template)
    started, paused = time.perf_counter(), watch.stopped()
    first_s = all_s = None
    for preview in studio.preview(request, backend, k=5, stream=True):  # as the UI shows it
        shown_s = time.perf_counter() - started - (watch.stopped() - paused)
        if preview.records and first_s is None:
            first_s = shown_s
        if len(preview.records) >= 5 and all_s is None:
            all_s = shown_s
    preview_s = time.perf_counter() - started - (watch.stopped() - paused)
    estimate = preview.estimate
    print(
        f"  {template}: first preview record {first_s:.1f} s, 5 shown {all_s:.1f} s, estimate {preview_s:.1f} s"
        f" -> {estimate.sentence()}",
        flush=True,
    )
    started, paused = time.perf_counter(), watch.stopped()
    last = None
    for last in studio.run(request, backend):  # noqa: B007 - the last result is read below
        pass
    stopped = watch.stopped() - paused
    real_s = time.perf_counter() - started - stopped
    error = 100 * (estimate.wall_s - real_s) / real_s if estimate.wall_s else float("nan")
    return {
        "template": template,
        "n": n,
        "first_s": round(first_s, 1),
        "shown_s": round(all_s, 1),
        "preview_s": round(preview_s, 1),
        "load_s": estimate.load_s,
        "estimate_s": estimate.wall_s,
        "real_s": round(real_s, 1),
        "error_pct": round(error, 1),
        "est_rate": estimate.records_per_s,
        "real_rate": round(last.achieved / real_s, 3) if last else 0,
        "status": last.status if last else "none",
        "stopped_s": round(stopped, 1),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=500)
    p.add_argument("--templates", default="clinic_appointments,bank_transactions")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    studio = Studio(Settings(db_path=Path(tempfile.mkdtemp(prefix="synth_bench_")) / "history.db"))
    backend = studio.backend(BackendConfig(kind="llamacpp", local_options={"max_batch": args.batch_size}))
    print(f"{'template':22s} {'n':>5s} {'first s':>7s} {'5 shown s':>9s} {'preview s':>9s} {'load s':>7s} {'estimate s':>10s} {'real s':>8s} "
          f"{'error %':>8s} {'est rec/s':>9s} {'real rec/s':>10s}")  # fmt: skip
    watch = PauseWatch()
    for template in args.templates.split(","):
        row = measure(studio, backend, template.strip(), args.n, args.batch_size, args.seed, watch)
        print(
            f"{row['template']:22s} {row['n']:5d} {row['first_s']:7.1f} {row['shown_s']:9.1f} {row['preview_s']:9.1f} {row['load_s']:7.1f} "
            f"{row['estimate_s'] or float('nan'):10.1f} {row['real_s']:8.1f} {row['error_pct']:8.1f} "
            f"{row['est_rate']:9.2f} {row['real_rate']:10.2f}  {row['status']} (paused {row['stopped_s']} s)",
            flush=True,
        )
    watch.close()


if __name__ == "__main__":
    main()
