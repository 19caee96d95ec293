"""Ray executor scaling against an OpenAI-compatible server with a fixed latency per request.

    python bench/ray_scaling.py [--latency 0.3] [--workers 1,2,4,8] [-n 480]

The server (bench/remote.py's, in its own process) answers every request after `latency` seconds, so
the backend, not this machine's cores, is the bottleneck. A local Ray cluster is started with as many
logical CPUs as the largest worker count. For each count K the same seeded run of N records is timed
from the first shard sent (workers are started and have built their backends before the clock starts),
and records/s is printed as a share of linear (K times the one-worker rate). The overhead line times
the same run without Ray (the ordinary in-process run) against one Ray worker. All in one run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REMOTE = Path(__file__).with_name("remote.py")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=0.3)
    ap.add_argument("--workers", default="1,2,4,8")
    ap.add_argument("-n", type=int, default=480)
    ap.add_argument("--concurrency", type=int, default=4, help="requests in flight per worker")
    args = ap.parse_args()
    counts = [int(x) for x in args.workers.split(",")]

    import ray

    from synth_gradio.backends.config import BackendConfig
    from synth_gradio.engine.run import generate
    from synth_gradio.engine.sharded import sharded_generate
    from synth_gradio.engine.types import GenerationRequest
    from synth_gradio.schema.model import load_schema
    from synth_gradio.settings import Settings
    from synth_gradio.studio import Studio
    from synth_gradio.studio.ray_executor import RayExecutor

    sys.path.insert(0, str(REMOTE.parent))
    from remote import SCHEMA, start_server

    server, url = start_server(args.latency)
    studio = Studio(Settings(db_path=Path(tempfile.mkdtemp(prefix="synth_bench_")) / "history.db"))
    config = BackendConfig(kind="openai_compat", model="bench", base_url=url, concurrency=args.concurrency)
    request = GenerationRequest(schema=load_schema(SCHEMA), n=args.n, seed=1, batch_size=args.concurrency)
    try:
        ray.init(num_cpus=max(counts), include_dashboard=False, log_to_driver=False, configure_logging=False)
        backend = config.create()
        t0 = time.perf_counter()
        local = list(generate(request, backend))[-1]
        local_rate = local.achieved / (time.perf_counter() - t0)
        backend.close()
        ideal = args.concurrency / args.latency
        print(json.dumps({"latency_s": args.latency, "n": args.n, "ideal_per_worker_per_s": round(ideal, 1)}))
        print(json.dumps({"executor": "none (in-process run)", "records_per_s": round(local_rate, 2)}))
        rates: dict[int, float] = {}
        for k in counts:
            handle = studio.start(request, config)
            handle.results.close()  # the stored run the shards fill
            executor = RayExecutor(request, config, workers=k)
            executor.wait_ready()
            t0 = time.perf_counter()
            cancel = lambda: False  # noqa: E731
            results = list(
                sharded_generate(request, executor, history=studio.history, run_id=handle.run_id, cancel=cancel)
            )
            wall = time.perf_counter() - t0
            executor.close()
            last = results[-1]
            rates[k] = last.achieved / wall
            line = {"workers": k, "records": last.achieved, "status": last.status, "wall_s": round(wall, 2)}
            line.update(
                records_per_s=round(rates[k], 2),
                share_of_linear=round(rates[k] / (k * rates[counts[0]] / counts[0]), 3),
            )
            print(json.dumps(line), flush=True)
        if 1 in rates:
            print(json.dumps({"overhead": "one Ray worker / in-process run", "ratio": round(rates[1] / local_rate, 3)}))
    finally:
        server.terminate()
        ray.shutdown()


if __name__ == "__main__":
    main()
