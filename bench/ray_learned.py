"""Learned rows through the Ray executor: throughput and each worker's peak memory at 100k and 1M rows.

    python bench/ray_learned.py [--sizes 100000,1000000] [--workers 2]

The model is learned from statsmodels' RAND health insurance table (randhie: 20,190 real rows, bundled). Each
size is one seeded run committed to a SQLite history in a temporary folder. Workers report their
process's peak resident memory with every shard; the figure printed is the largest per worker. A
shard holds at most 10,000 records, so memory per worker should not grow with the run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    import ray
    from statsmodels.datasets import randhie

    from synth_gradio.engine.sharded import sharded_generate
    from synth_gradio.engine.shards import peak_rss_mb
    from synth_gradio.engine.types import GenerationRequest
    from synth_gradio.settings import Settings
    from synth_gradio.studio import Studio
    from synth_gradio.studio.ray_executor import RayExecutor

    folder = Path(tempfile.mkdtemp(prefix="synth_bench_"))
    table = folder / "randhie.csv"
    randhie.load_pandas().data.to_csv(table, index=False)
    studio = Studio(Settings(db_path=folder / "history.db"))
    source = studio.resolve_schema(reference=table, seed=0)
    config = studio.backend_config("llamacpp")  # never loaded: every field is a learned column
    ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False, configure_logging=False)

    class Watched(RayExecutor):
        """Keeps each worker's largest reported peak memory."""

        peaks: dict[int, float]

        def next_done(self, timeout: float):  # type: ignore[override]
            got = super().next_done(timeout)
            if got is not None and not isinstance(got[1], BaseException):
                out = got[1]
                self.peaks[out.worker] = max(self.peaks.get(out.worker, 0.0), out.peak_rss_mb)
            return got

    try:
        for n in (int(x) for x in args.sizes.split(",")):
            request = GenerationRequest(schema=source.schema, learned=source.learned, n=n, seed=1)
            handle = studio.start(request, config)
            handle.results.close()  # the stored run the shards fill
            executor = Watched(request, config, workers=args.workers)
            executor.peaks = {}
            executor.wait_ready()
            t0 = time.perf_counter()
            cancel = lambda: False  # noqa: E731
            last = list(
                sharded_generate(request, executor, history=studio.history, run_id=handle.run_id, cancel=cancel)
            )[-1]
            wall = time.perf_counter() - t0
            executor.close()
            stored = studio.history.count_records(handle.run_id)
            line = {"rows": n, "status": last.status, "stored": stored, "wall_s": round(wall, 1)}
            line.update(rows_per_s=round(n / wall), peak_rss_mb_per_worker=sorted(executor.peaks.values()))
            line.update(driver_peak_rss_mb=peak_rss_mb())
            print(json.dumps(line), flush=True)
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
