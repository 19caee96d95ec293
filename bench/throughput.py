"""Throughput benchmark for the offline default backend (prints figures; asserts nothing).

    python bench/throughput.py [--schema FILE] [-n N] [--batch-size B]

Scenarios, all through the Studio facade (the one path every interface uses), stored in a temporary history:
  auto       the automatic field strategies (code, Faker and model where language is needed)
  model-text the model writes the fields Faker would (names, emails), conditioned on the rest
  model-all  every field written by the model under the grammar (x-strategy: model)
Then raw decoding on the same prompts: unconstrained vs grammar-constrained tokens/s.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth_gradio.backends.base import CompletionRequest, GenerationParams
from synth_gradio.backends.llamacpp import LlamaCppBackend
from synth_gradio.engine.prompts import build_prefix, build_suffix, grammar_schema
from synth_gradio.engine.strategies import choose_all, normalize_name
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.settings import Settings
from synth_gradio.studio import GenerationRequest, Studio

HERE = Path(__file__).parent


def with_strategy(schema: Schema, strategy: str, only: set[str] | None = None) -> Schema:
    raw = copy.deepcopy(schema.json_schema)
    for name, node in raw["properties"].items():
        if only is None or name in only:
            node["x-strategy"] = strategy
    return load_schema(raw, examples=list(schema.examples))


def run_scenario(name: str, schema: Schema, backend: LlamaCppBackend, n: int, batch_size: int) -> dict:
    import tempfile

    studio = Studio(Settings(db_path=Path(tempfile.mkdtemp(prefix="synth_bench_")) / "history.db"))
    records, last = [], None
    t0 = time.perf_counter()
    for last in studio.run(GenerationRequest(schema=schema, n=n, seed=1234, batch_size=batch_size), backend):
        records += last.accepted
    wall = time.perf_counter() - t0
    valid = sum(schema.validator.is_valid(r) for r in records)
    unique = len({json.dumps(r, sort_keys=True) for r in records})
    names = [f.name for f in schema.fields if "name" in normalize_name(f.name)]
    distinct = {f: len({r.get(f) for r in records}) / max(1, len(records)) for f in names}
    out = {
        "scenario": name,
        "records": len(records),
        "wall_s": round(wall, 2),
        "valid_unique_records_per_s": round(unique / wall, 2),
        "validity": f"{valid}/{len(records)}",
        "duplicates": len(records) - unique,
        "candidates": last.candidates,
        "tokens_per_record": round(last.total_tokens / max(1, len(records)), 1),
        "share_outside_model": round(1 - last.model_s / wall, 3) if last.model_s else 1.0,
        "share_incremental_metrics": round(last.metrics_s / wall, 4),
        "distinct_name_share": {k: round(v, 3) for k, v in distinct.items()},
        "strategies": last.strategies,
        "status": last.status,
    }
    print(json.dumps(out))
    return out


def raw_decode(schema: Schema, backend: LlamaCppBackend, batch_size: int, rounds: int = 3) -> None:
    fields = [f.name for f in schema.fields]
    rng = random.Random(0)
    grammar = grammar_schema(schema, fields)
    results = {}
    gen_tokens = 0
    for label in ("constrained", "unconstrained"):
        tokens = 0
        secs = 0.0
        for r in range(rounds):
            prefix = build_prefix(schema, fields, list(schema.examples), rng)
            req = CompletionRequest(
                prefix=prefix,
                suffixes=[build_suffix({}) for _ in range(batch_size)],
                json_schema=grammar if label == "constrained" else None,
                params=GenerationParams(max_tokens=gen_tokens or 64, seed=r),
            )
            backend.complete(req)  # warm the prefix cache so only decoding is timed
            t0 = time.perf_counter()
            outs = backend.complete(req)
            secs += time.perf_counter() - t0
            tokens += sum(o.tokens for o in outs)
        if label == "constrained":
            gen_tokens = max(8, tokens // (rounds * batch_size))
        results[label] = tokens / secs
    slowdown = 1 - results["constrained"] / results["unconstrained"]
    stats = backend.decode_stats
    print(
        json.dumps(
            {
                "raw_unconstrained_tok_s": round(results["unconstrained"], 1),
                "constrained_tok_s": round(results["constrained"], 1),
                "constrained_slowdown_per_token": f"{slowdown * 100:.1f}%",
                "sequences_per_call": batch_size,
                "mask_share_of_decode_loop": round(stats["mask_s"] / (stats["mask_s"] + stats["decode_s"]), 4),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schema", default=str(HERE / "customer_5f.json"))
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--scenarios", default="auto,model-text,model-all")
    args = ap.parse_args()
    schema = load_schema(Path(args.schema).read_text())
    backend = LlamaCppBackend(max_batch=args.batch_size)
    t0 = time.perf_counter()
    backend.load()
    print(json.dumps({"model": backend.model, "load_s": round(time.perf_counter() - t0, 2)}))
    for name in args.scenarios.split(","):
        if name == "auto":
            s = schema
        elif name == "model-text":  # the model writes what Faker would (names, emails); the rest is drawn
            text = {k for k, v in choose_all(schema).items() if v.startswith("faker:")}
            s = with_strategy(schema, "model", only=text)
        else:
            s = with_strategy(schema, "model")
        run_scenario(name, s, backend, args.n, args.batch_size)
    raw_decode(schema, backend, args.batch_size)


if __name__ == "__main__":
    main()
