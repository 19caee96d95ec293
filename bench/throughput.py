"""Throughput benchmark for the offline default backend (prints figures; asserts nothing).

    python bench/throughput.py [-n N] [--schema FILE] [--scenarios prose:500,bank,auto,model-text,model-all]

Each scenario runs through the Studio facade (the one path every interface uses) into a temporary
history, from a warm process (model loaded, ceiling measured). Scenarios:
  prose       bench/support_ticket_prose.json: a subject and a 20-400 character body, model-written
  bank        the bank_transactions template (counterparty and booking text written by the model)
  auto        --schema (default bench/customer_5f.json) with the automatic strategies (code, Faker, model)
  model-text  the model writes the fields Faker would (names, emails), conditioned on the rest
  model-all   every field of --schema written by the model under the grammar (x-strategy: model)
For each one it prints, in one line of JSON:
  ceiling_tok_s     raw batched decode of the same prompt: 16 sequences, no grammar, 100 tokens each,
                    through the same decoder and sampler (so a faster sampler lifts both sides),
                    measured just before and just after the run (the machine is shared: the ratio
                    uses their mean, so both sides see the same load)
  decode_tok_s      the product's rate over the whole run: every generated token of every candidate
                    (accepted or not) over wall time, from pressing Generate to the last record
  ratio             decode_tok_s / ceiling_tok_s; sampled_ratio counts only tokens the model had to
                    sample (grammar-forced tokens such as keys are fed without sampling and are cheap)
  reject_share      rejected candidates / all candidates, with the reasons
  first_record_s    time from starting the run to the first accepted record reaching the consumer
  projected_10k_h   hours for 10,000 records at this run's records per second
  peak_rss_mb       the process's peak resident memory so far
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth_gradio.backends.base import GenerationParams
from synth_gradio.backends.llamacpp import LlamaCppBackend
from synth_gradio.engine.plan import Planner
from synth_gradio.engine.prompts import build_prefix, record_suffix
from synth_gradio.engine.strategies import choose_all, normalize_name
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.schema.templates import get_template
from synth_gradio.settings import Settings
from synth_gradio.studio import GenerationRequest, Studio

HERE = Path(__file__).parent
CEILING_SEQS = 16
CEILING_TOKENS = 100


def with_strategy(schema: Schema, strategy: str, only: set[str] | None = None) -> Schema:
    raw = copy.deepcopy(schema.json_schema)
    for name, node in raw["properties"].items():
        if only is None or name in only:
            node["x-strategy"] = strategy
    return load_schema(raw, examples=list(schema.examples))


def scenario_schema(name: str, base: Path) -> Schema:
    customer = load_schema(base.read_text())
    if name == "prose":
        return load_schema((HERE / "support_ticket_prose.json").read_text())
    if name == "bank":
        return get_template("bank_transactions").schema
    if name == "auto":
        return customer
    if name == "model-text":  # the model writes what Faker would (names, emails); the rest is drawn
        return with_strategy(
            customer, "model", only={k for k, v in choose_all(customer).items() if v.startswith("faker:")}
        )
    if name == "model-all":
        return with_strategy(customer, "model")
    raise SystemExit(f"unknown scenario {name!r}")


def ceiling(schema: Schema, backend: LlamaCppBackend, rounds: int = 2) -> float:
    """Raw batched decode, no grammar: 16 sequences of 100 tokens on this schema's prompt."""
    planner = Planner(schema, seed=1)
    fields = planner.model_fields or [f.name for f in schema.fields]
    examples = [planner.plan().fixed for _ in range(3)] if not schema.examples else list(schema.examples)
    import random

    prefix = build_prefix(schema, fields, examples, random.Random(0))
    suffixes = [record_suffix(schema, fields, planner.plan().fixed) for _ in range(CEILING_SEQS)]
    decoder = backend._decoder
    params = GenerationParams(max_tokens=CEILING_TOKENS, seed=0)
    decoder.run(prefix, suffixes, None, params, slots=CEILING_SEQS)  # warm the prefix cache
    tokens, secs = 0, 0.0
    for r in range(rounds):
        t0 = time.perf_counter()
        outs = decoder.run(
            prefix, suffixes, None, GenerationParams(max_tokens=CEILING_TOKENS, seed=r + 1), slots=CEILING_SEQS
        )
        secs += time.perf_counter() - t0
        tokens += sum(o.tokens for o in outs)
    return tokens / secs


def peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def current_rss_mb() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return round(pages * resource.getpagesize() / 2**20)


def run_scenario(
    name: str, schema: Schema, backend: LlamaCppBackend, n: int, batch_size: int, keep: Path | None = None
) -> dict:
    studio = Studio(Settings(db_path=Path(tempfile.mkdtemp(prefix="synth_bench_")) / "history.db"))
    before = ceiling(schema, backend)
    stats0 = backend.decode_stats
    records, last, first = [], None, None
    reasons: dict[str, int] = {}
    t0 = time.perf_counter()
    for last in studio.run(GenerationRequest(schema=schema, n=n, seed=1234, batch_size=batch_size), backend):
        if first is None and last.accepted:
            first = time.perf_counter() - t0
        before_n = len(records)
        records += last.accepted
        if len(records) // 1000 > before_n // 1000:  # memory must stay flat over long runs
            print(
                json.dumps(
                    {
                        "scenario": name,
                        "records": len(records),
                        "elapsed_s": round(time.perf_counter() - t0, 1),
                        "rss_mb": current_rss_mb(),
                        "peak_rss_mb": peak_rss_mb(),
                    }
                ),
                flush=True,
            )
        for rej in last.rejected:
            key = rej.reason.split(":", 1)[0] if not rej.reason.startswith(("placeholder", "copied")) else rej.reason
            reasons[key] = reasons.get(key, 0) + 1
    wall = time.perf_counter() - t0
    stats = {k: v - stats0.get(k, 0) for k, v in backend.decode_stats.items()}
    after = ceiling(schema, backend)
    ceiling_tok_s = (before + after) / 2
    valid = sum(schema.validator.is_valid(r) for r in records)
    unique = len({json.dumps(r, sort_keys=True) for r in records})
    names = [f.name for f in schema.fields if "name" in normalize_name(f.name)]
    decode = last.total_tokens / wall
    sampled = stats.get("sampled", 0) / wall
    rate = len(records) / wall
    out = {
        "scenario": name,
        "records": len(records),
        "status": last.status,
        "validity": f"{valid}/{len(records)}",
        "duplicates": len(records) - unique,
        "candidates": last.candidates,
        "reject_share": round(1 - len(records) / max(1, last.candidates), 3),
        "reject_reasons": reasons,
        "wall_s": round(wall, 1),
        "first_record_s": round(first, 2) if first is not None else None,
        "tokens_per_record": round(last.total_tokens / max(1, len(records)), 1),
        "ceiling_tok_s": round(ceiling_tok_s, 1),
        "ceiling_before_after": [round(before, 1), round(after, 1)],
        "decode_tok_s": round(decode, 1),
        "ratio": round(decode / ceiling_tok_s, 3) if last.total_tokens else None,
        "sampled_tok_s": round(sampled, 1),
        "sampled_ratio": round(sampled / ceiling_tok_s, 3) if last.total_tokens else None,
        "records_per_s": round(rate, 2),
        "projected_10k_h": round(10_000 / rate / 3600, 2) if rate else None,
        "slot_occupancy": round(stats["busy_slots"] / max(1, stats["steps"]) / batch_size, 3)
        if stats.get("steps")
        else None,
        "share_outside_model": round(1 - last.model_s / wall, 3) if last.model_s else 1.0,
        "distinct_name_share": {f: round(len({r.get(f) for r in records}) / max(1, len(records)), 3) for f in names},
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(out), flush=True)
    if keep is not None:  # the records themselves, to read as a user would
        keep.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        (keep / f"{name}.jsonl").write_text(lines, encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="records per scenario unless given as name:n")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--schema", default=str(HERE / "customer_5f.json"), help="schema of auto, model-text, model-all")
    ap.add_argument("--scenarios", default="prose:500,bank,auto,model-text,model-all")
    ap.add_argument("--keep", type=Path, help="write each scenario's records to FOLDER/<scenario>.jsonl")
    args = ap.parse_args()
    backend = LlamaCppBackend(max_batch=args.batch_size)
    t0 = time.perf_counter()
    backend.load()
    print(json.dumps({"model": backend.model, "load_s": round(time.perf_counter() - t0, 2)}), flush=True)
    for spec in args.scenarios.split(","):
        name, _, count = spec.partition(":")
        schema = scenario_schema(name, Path(args.schema))
        run_scenario(name, schema, backend, int(count or args.n), args.batch_size, args.keep)


if __name__ == "__main__":
    main()
