"""A 10,000-record run through the Batch API path, against a local server that follows the documented
Batch API (tests/batch_api_fake.py), with one expired batch and one failed line.

    python bench/batch_api.py [-n 10000]

Prints the records made, the jobs sent, the rejects by reason, the cost at the batch price next to the
live price, and the time spent (the server answers at once: this is the client's own cost).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000)
    args = ap.parse_args()
    os.environ["SYNTH_BATCH_POLL_S"] = "0.2"

    from batch_api_fake import BatchAPIServer
    from fake_servers import NOTE_SCHEMA as SCHEMA

    from synth_gradio.backends.config import BackendConfig
    from synth_gradio.engine.types import GenerationRequest
    from synth_gradio.schema.model import load_schema
    from synth_gradio.settings import Settings
    from synth_gradio.studio import Studio

    server = BatchAPIServer().script({"expire", "fail_line"})
    studio = Studio(Settings(db_path=Path(tempfile.mkdtemp(prefix="synth_bench_")) / "history.db"))
    config = BackendConfig(kind="openai_compat", model="batch-model", base_url=server.url + "/v1", api_key="sk-x")
    request = GenerationRequest(
        schema=load_schema(SCHEMA), n=args.n, seed=1, batch_api=True, price_in=0.15, price_out=0.60
    )
    t0 = time.perf_counter()
    last = list(studio.run(request, config))[-1]
    wall = time.perf_counter() - t0
    stored = list(studio.history.iter_records(last.run_id))
    server.close()
    live = (last.total_prompt_tokens * 0.15 + last.total_tokens * 0.60) / 1e6
    print(
        json.dumps(
            {
                "requested": args.n,
                "status": last.status,
                "stored": len(stored),
                "unique_ids": len({r["id"] for r in stored}),
                "jobs": server.created,
                "candidates": last.candidates,
                "rejects": dict(last.reject_counts),
                "cost_usd_batch": last.cost_usd,
                "cost_usd_live": round(live, 6),
                "wall_s": round(wall, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
