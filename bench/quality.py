"""The full quality report for 10,000 records x 10 fields: metrics, near-duplicates, reference comparison.

    python bench/quality.py [-n 10000]

Prints the seconds for each part and in total (target: under 5 s on the 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from synth_gradio.quality.compare import compare_reference
from synth_gradio.quality.metrics import run_metrics
from synth_gradio.quality.score import quality_score

WORDS = [
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "river",
    "bank",
    "invoice",
    "shipping",
    "order",
    "customer",
    "support",
    "account",
]
SCHEMA = {
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "age": {"type": "integer"},
        "country": {"enum": ["US", "DE", "FR", "JP", "BR"]},
        "segment": {"enum": ["a", "b", "c"]},
        "balance": {"type": "number"},
        "active": {"type": "boolean"},
        "joined": {"type": "string", "format": "date"},
        "notes": {"type": "string"},
    }
}


def records(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [
        {
            "id": i,
            "name": f"Person {rng.randrange(10**6)}",
            "email": f"user{rng.randrange(10**7)}@mail.com",
            "age": rng.randint(18, 90),
            "country": rng.choice(["US", "DE", "FR", "JP", "BR"]),
            "segment": rng.choice("abc"),
            "balance": round(rng.lognormvariate(7, 1), 2),
            "active": rng.random() < 0.6,
            "joined": f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "notes": " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))),
        }
        for i in range(n)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000)
    args = ap.parse_args()
    gen, ref = records(args.n, 1), records(args.n, 2)
    run = {"candidates": args.n, "reject_counts": {}, "schema": SCHEMA}
    t0 = time.perf_counter()
    metrics = run_metrics(
        gen, run, coherence={"checked": args.n, "passed_before_fix": args.n, "passed_after_fix": args.n}
    )
    quality_score(metrics)
    t1 = time.perf_counter()
    report = compare_reference(pd.DataFrame(ref), pd.DataFrame(gen))
    t2 = time.perf_counter()
    print(
        json.dumps(
            {
                "records": args.n,
                "fields": len(SCHEMA["properties"]),
                "metrics_and_near_duplicates_s": round(t1 - t0, 2),
                "reference_comparison_s": round(t2 - t1, 2),
                "total_s": round(t2 - t0, 2),
                "near_duplicate_pairs": {k: v["pairs"] for k, v in metrics["near_duplicates"].items()},
                "reference_score": report["overall"]["score"],
            }
        )
    )


if __name__ == "__main__":
    main()
