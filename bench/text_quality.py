"""Does the model-written text agree with its record, in the right voice, without junk? (prints figures)

    python bench/text_quality.py [--n 100] [--schemas reviews,tickets,...] [--seed 7] [--baseline-ref REF]

Runs the product (Studio facade, bundled llama.cpp Gemma 3 270M, one warm process) on development
schemas it has never seen (bench/text_schemas/*.json: types, bounds, enums and descriptions only) and
judges the text with independent checks (bench/text_checks.py, TextBlob and word lists; none of the
product's own code). Schemas: reviews, tickets, chat, clinical, jobs, appstore, and tags (a SaaS account
whose `tags` is a short list of short strings, run at --tags-n, default N=10 and N=100: does it complete,
with what rejects). For each schema one JSON line, then 5 sample records; at the end an overall line:
  agreement     share of records whose text agrees with every label of its record that a check
                applies to (rating 1-2 not positive, 4-5 not negative; sentiment label; priority or
                severity vs urgency words; thresholds in text_checks.py), with each check's share;
                label_conflicts counts records whose own labels contradict (rating 1 + "positive")
  voice         share of records whose text is in the described voice (customer, agent, clinician,
                employer), with the problems found
  junk          share of records with a junk mark in any model-written field (unbalanced brackets or
                quotes, 7+ digit runs, a dangling function word, JSON fragments, a one-word generic title)
  diversity     per model-written field: distinct word 3-grams / all 3-grams, and the near-duplicate
                share (texts with word 3-gram Jaccard >= 0.7 to another text of the field)
  chars_per_s   characters of model-written fields of accepted records / wall time (load excluded),
                and records_per_s
  product_score the product's own quality score of the run and its components (Studio.quality_report)
  tokens        generated tokens, decode_tok_s and share_outside_model (where the wall time went)
--budget-s S stops each run after S seconds (Studio's cancel) and reports what it made by then;
--records-out DIR writes every run's accepted records to DIR/<schema>_<n>.jsonl, to read them in full.
With --baseline-ref REF (a git commit), the prose scenario (bench/support_ticket_prose.json, --n records)
runs in subprocesses, alternating REF (a temporary `git worktree` on PYTHONPATH) and this working tree,
twice each, and prints chars/s of each and the ratio new/baseline (same machine, same load).
--baseline-seeds 7,11,13 runs each side once per seed instead: one seed is one trajectory (early records
become the prompt's examples), and chars/s moves by a third between seeds, so judge a change on several.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import text_checks as tc

SAMPLES = 5
FAIL_EXAMPLES = 3


@dataclass
class Spec:
    file: str
    agree: list[tuple[str, str, str]] = field(default_factory=list)  # (check, label field, text field)
    voice: dict[str, Callable[[dict], str | None]] = field(default_factory=dict)  # text field -> voice
    titles: tuple[str, ...] = ()  # fields that must not be one generic word
    writer: tuple[str, str] | None = None  # (name field, text field): the text never greets its writer


def _fixed(voice: str) -> Callable[[dict], str | None]:
    return lambda record: voice


def _by_speaker(record: dict) -> str | None:
    return {"customer": "customer", "agent": "agent"}.get(str(record.get("speaker")))


SPECS: dict[str, Spec] = {
    "reviews": Spec(
        "reviews.json",
        agree=[("rating", "rating", "review_text"), ("sentiment", "sentiment", "review_text")],
        voice={"review_text": _fixed("customer")},
        titles=("review_title",),
    ),
    "tickets": Spec(
        "tickets.json",
        agree=[("priority", "priority", "body")],
        voice={"body": _fixed("customer")},
        titles=("subject",),
    ),
    "chat": Spec("chat.json", agree=[("sentiment", "sentiment", "message")], voice={"message": _by_speaker}),
    "clinical": Spec("clinical.json", agree=[("priority", "severity", "note")], voice={"note": _fixed("clinician")}),
    "jobs": Spec("jobs.json", voice={"description": _fixed("employer")}),
    "appstore": Spec("appstore.json", agree=[("rating", "stars", "comment")], voice={"comment": _fixed("customer")}),
    "tags": Spec("saas_tags.json", voice={"notes": _fixed("agent")}),
    "devices": Spec(
        "devices.json",
        agree=[
            ("priority", "priority", "message"),
            ("sentiment", "sentiment", "message"),
            ("device", "device", "message"),
        ],
        voice={"message": _fixed("customer")},
        writer=("customer_name", "message"),
    ),
}
DEVICES = ("router", "laptop", "phone", "printer", "tablet")  # devices.json's device values
CHECKS = {
    "rating": tc.rating_agrees,
    "sentiment": tc.sentiment_agrees,
    "priority": tc.priority_agrees,
    "device": lambda value, text: tc.topic_agrees(value, text, DEVICES),
}


def model_fields(schema: Any, strategies: dict[str, str]) -> list[str]:
    """Fields the model wrote whose value is text (a string, or a list of strings)."""
    if not strategies:
        from synth_gradio.engine.strategies import choose_all

        strategies = choose_all(schema)
    props = schema.json_schema["properties"]
    string = [k for k, v in props.items() if "string" in (v.get("type"), v.get("items", {}).get("type"))]
    return [k for k, v in strategies.items() if v == "model" and k in string]


def texts_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def share(good: int, total: int) -> float | None:
    return round(good / total, 3) if total else None


def clip(text: Any, n: int = 160) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def judge(records: list[dict], spec: Spec, fields: list[str]) -> dict[str, Any]:
    """Agreement, voice, junk and diversity of one run's records (pure; no model)."""
    per_check: dict[str, list[int]] = {}
    agree_ok = agree_n = voice_ok = voice_n = junk_n = conflicts = 0
    voice_kinds: Counter = Counter()
    junk_kinds: Counter = Counter()
    failures: list[dict] = []
    for record in records:
        verdicts = []
        for check, label_field, text_field in spec.agree:
            text = record.get(text_field)
            if not isinstance(text, str) or label_field not in record:
                continue
            verdict = CHECKS[check](record[label_field], text)
            if verdict is None:
                continue
            key = f"{check}:{label_field}~{text_field}"
            counts = per_check.setdefault(key, [0, 0])
            counts[0] += verdict
            counts[1] += 1
            verdicts.append(verdict)
            if not verdict and len(failures) < FAIL_EXAMPLES:
                failures.append({"check": key, label_field: record[label_field], text_field: clip(text)})
        if verdicts:
            agree_n += 1
            agree_ok += all(verdicts)
        rating = next((record.get(lf) for c, lf, _ in spec.agree if c == "rating"), None)
        label = next((record.get(lf) for c, lf, _ in spec.agree if c == "sentiment"), None)
        if isinstance(rating, int) and label is not None:
            tone = tc.label_tone(label)
            conflicts += (rating <= 2 and tone == "positive") or (rating >= 4 and tone == "negative")
        problems, applicable = [], False
        for text_field, voice_of in spec.voice.items():
            voice = voice_of(record)
            if voice and isinstance(record.get(text_field), str):
                applicable = True
                problems += [f"{voice}:{p}" for p in tc.voice_problems(record[text_field], voice)]
        if spec.writer and isinstance(record.get(spec.writer[1]), str):
            problems += ["greets_writer"] * tc.greets(record.get(spec.writer[0]), record[spec.writer[1]])
        voice_n += applicable
        voice_ok += applicable and not problems
        voice_kinds.update(problems)
        marks = set()
        for name in fields:
            for text in texts_of(record.get(name)):
                marks.update(f"{name}:{m}" for m in tc.junk_problems(text, title=name in spec.titles))
        junk_n += bool(marks)
        junk_kinds.update(marks)
    diversity = {}
    for name in fields:
        texts = [" ".join(texts_of(r.get(name))) for r in records if texts_of(r.get(name))]
        distinct, near = tc.distinct_3gram_share(texts), tc.near_duplicate_share(texts)
        rounded = [None if v is None else round(v, 3) for v in (distinct, near)]
        diversity[name] = dict(zip(("distinct_3gram", "near_dup_share"), rounded, strict=True))
    return {
        "agreement": share(agree_ok, agree_n),
        "agreement_applicable": agree_n,
        "agreement_by_check": {k: share(ok, n) for k, (ok, n) in per_check.items()},
        "label_conflicts": conflicts,
        "disagreeing_examples": failures,
        "voice": share(voice_ok, voice_n),
        "voice_problems": dict(voice_kinds),
        "junk_share": share(junk_n, len(records)),
        "junk_marks": dict(junk_kinds),
        "diversity": diversity,
        "_counts": {"agree": (agree_ok, agree_n), "voice": (voice_ok, voice_n), "junk": (junk_n, len(records))},
    }


def run_schema(
    name: str, n: int, seed: int, batch_size: int, backend: Any, folder: Path, budget_s: float = 0
) -> dict[str, Any]:
    """One run through the Studio facade; whatever happens, returns what it got and the error.

    budget_s > 0: the run is stopped (Studio's cancel, after the current batch) once it has run that long.
    """
    from synth_gradio.schema.model import load_schema
    from synth_gradio.settings import Settings
    from synth_gradio.studio import GenerationRequest, Studio

    spec = SPECS[name]
    out: dict[str, Any] = {"schema": name, "n": n, "records": 0}
    records: list[dict] = []
    last = None
    t0 = time.perf_counter()
    try:
        schema = load_schema((HERE / "text_schemas" / spec.file).read_text())
        studio = Studio(Settings(db_path=folder / f"{name}_{n}.db"))
        request = GenerationRequest(schema=schema, n=n, seed=seed, batch_size=batch_size)
        cancel = threading.Event()
        for last in studio.start(request, backend, cancel=cancel).results:
            records += last.accepted
            if budget_s and time.perf_counter() - t0 > budget_s and not cancel.is_set():
                cancel.set()
                out["stopped_after_s"] = budget_s
    except Exception as exc:  # keep going: print what it got and why it stopped
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback_tail"] = traceback.format_exc().strip().splitlines()[-3:]
    wall = time.perf_counter() - t0
    out["records"] = len(records)
    if last is not None:
        status = "failed" if "error" in out and last.status == "running" else last.status  # raised mid-run
        out.update(status=status, candidates=last.candidates, rejected=last.rejected_total)
        out["reject_counts"] = dict(last.reject_counts)
        if last.error:
            out.setdefault("error", last.error)
    if not records:
        return {**out, "wall_s": round(wall, 1), "_records": records}
    fields = model_fields(schema, dict(last.strategies) if last is not None else {})
    chars = sum(len(t) for r in records for f in fields for t in texts_of(r.get(f)))
    out.update(model_fields=fields, wall_s=round(wall, 1), chars=chars, chars_per_s=round(chars / wall, 1))
    out["records_per_s"] = round(len(records) / wall, 2)
    if last is not None and last.total_tokens:  # where the time went: decode rate and time outside the model
        out.update(tokens=last.total_tokens, decode_tok_s=round(last.total_tokens / wall, 1))
        out["share_outside_model"] = round(1 - last.model_s / wall, 3) if last.model_s else None
    out.update(judge(records, spec, fields))
    try:
        report = studio.quality_report(last.run_id)
        out["product_score"] = {"score": report["score"]["score"], "components": report["score"]["components"]}
    except Exception as exc:
        out["product_score"] = {"error": f"{type(exc).__name__}: {exc}"}
    out["_records"] = records
    return out


def emit(result: dict[str, Any]) -> None:
    records = result.get("_records", [])
    shown = {k: v for k, v in result.items() if not k.startswith("_")}
    print(json.dumps(shown, ensure_ascii=False, default=str), flush=True)
    step = max(1, len(records) // SAMPLES)
    for record in records[::step][:SAMPLES]:
        print(json.dumps({"schema": result["schema"], "sample": record}, ensure_ascii=False, default=str), flush=True)


def overall(results: list[dict[str, Any]]) -> dict[str, Any]:
    sums: dict[str, list[int]] = {"agree": [0, 0], "voice": [0, 0], "junk": [0, 0]}
    chars = wall = made = 0.0
    scores, distinct, near = [], [], []
    for r in results:
        for key, (a, b) in r.get("_counts", {}).items():
            sums[key][0] += a
            sums[key][1] += b
        chars += r.get("chars", 0)
        wall += r.get("wall_s", 0) if r.get("chars") else 0
        made += r.get("records", 0) if r.get("chars") else 0
        if isinstance((r.get("product_score") or {}).get("score"), (int, float)):
            scores.append(r["product_score"]["score"])
        for d in (r.get("diversity") or {}).values():
            distinct += [d["distinct_3gram"]] if d["distinct_3gram"] is not None else []
            near += [d["near_dup_share"]] if d["near_dup_share"] is not None else []
    mean = lambda xs: round(sum(xs) / len(xs), 3) if xs else None  # noqa: E731
    return {
        "schema": "overall",
        "schemas": [
            r["schema"] + ("" if r.get("status") == "completed" else f" ({r.get('status', 'failed')})") for r in results
        ],
        "agreement": share(*sums["agree"]),
        "voice": share(*sums["voice"]),
        "junk_share": share(*sums["junk"]),
        "mean_distinct_3gram": mean(distinct),
        "mean_near_dup_share": mean(near),
        "chars_per_s": round(chars / wall, 1) if wall else None,
        "records_per_s": round(made / wall, 2) if wall else None,
        "mean_product_score": mean(scores),
    }


WORKER = r"""
import json, sys, tempfile, time
from pathlib import Path
import synth_gradio
from synth_gradio.backends.llamacpp import LlamaCppBackend
from synth_gradio.schema.model import load_schema
from synth_gradio.settings import Settings
from synth_gradio.studio import GenerationRequest, Studio
path, n, seed, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
schema = load_schema(Path(path).read_text())
backend = LlamaCppBackend(max_batch=batch)
backend.load()
with tempfile.TemporaryDirectory() as tmp:
    studio = Studio(Settings(db_path=Path(tmp) / "history.db"))
    records, last = [], None
    t0 = time.perf_counter()
    for last in studio.run(GenerationRequest(schema=schema, n=n, seed=seed, batch_size=batch), backend):
        records += last.accepted
    wall = time.perf_counter() - t0
props = schema.json_schema["properties"]
fields = [k for k, v in (getattr(last, "strategies", None) or {}).items() if v == "model"] or [
    k for k, v in props.items() if v.get("type") == "string" and not {"enum", "pattern", "format"} & set(v)]
chars = sum(len(r[k]) for r in records for k in fields if isinstance(r.get(k), str))
stats = getattr(backend, "decode_stats", None) or {}
ms = 1000 * stats["decode_s"] / stats["sampled"] if stats.get("sampled") else None
print(json.dumps({"module": synth_gradio.__file__, "records": len(records), "status": last.status,
                  "sampled_tokens": stats.get("sampled"), "decode_ms_per_sampled_token": ms,
                  "chars": chars, "wall_s": wall, "chars_per_s": chars / wall, "records_per_s": len(records) / wall}))
"""


def baseline_comparison(ref: str, n: int, seeds: list[int], batch_size: int) -> None:
    """The prose scenario on REF and on this tree, alternating B, N in fresh processes: twice for one
    seed, once per seed for several. A seed is one trajectory (the first accepted records become the
    prompt's examples and steer the rest), and one side's chars/s moves by a third between seeds, so
    a change is judged on several."""
    schema = HERE / "support_ticket_prose.json"
    with tempfile.TemporaryDirectory(prefix="synth_textq_base_") as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), ref], cwd=ROOT, check=True, capture_output=True
        )
        rates: dict[str, list[float]] = {"baseline": [], "new": []}
        try:
            rounds = [(seeds[0], 1), (seeds[0], 2)] if len(seeds) == 1 else [(s, 1) for s in seeds]
            for seed, round_ in rounds:
                for side, path in (("baseline", tree), ("new", ROOT)):
                    env = {**os.environ, "PYTHONPATH": str(path)}
                    cmd = [sys.executable, "-c", WORKER, str(schema), str(n), str(seed), str(batch_size)]
                    proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
                    line = {"baseline_ref": ref, "side": side, "seed": seed, "round": round_}
                    if proc.returncode:
                        line["error"] = proc.stderr.strip().splitlines()[-3:]
                    else:
                        got = json.loads(proc.stdout.strip().splitlines()[-1])
                        rates[side].append(got["chars_per_s"])
                        line.update({k: round(v, 2) if isinstance(v, float) else v for k, v in got.items()})
                    print(json.dumps(line), flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
            subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)
    mean = {k: round(sum(v) / len(v), 1) if v else None for k, v in rates.items()}
    ratio = round(mean["new"] / mean["baseline"], 3) if mean["new"] and mean["baseline"] else None
    line = {"scenario": "prose", "n": n, "seeds": seeds, "baseline_chars_per_s": mean["baseline"],
            "new_chars_per_s": mean["new"]}  # fmt: skip
    print(json.dumps({**line, "ratio_new_over_baseline": ratio}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100, help="records per schema (and per prose run with --baseline-ref)")
    ap.add_argument("--schemas", default=",".join(SPECS), help=f"comma-separated, from {','.join(SPECS)} (empty: none)")
    ap.add_argument("--tags-n", default="10,100", help="the record counts the tags scenario runs at")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--budget-s", type=float, default=0, help="stop each run after this many seconds (0: none)")
    ap.add_argument("--baseline-ref", help="a git commit to compare prose chars/s against (in one run)")
    ap.add_argument("--baseline-seeds", help="comma-separated seeds for --baseline-ref (default: --seed, twice)")
    ap.add_argument("--records-out", help="a folder to write every run's accepted records to (<schema>_<n>.jsonl)")
    args = ap.parse_args()
    # A `timeout` or kill sends SIGTERM: exit through the finally blocks (temporary worktree, folders).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = [s.strip() for s in args.schemas.split(",") if s.strip()]
    unknown = [s for s in names if s not in SPECS]
    if unknown:
        raise SystemExit(f"unknown schema(s) {unknown}; choose from {list(SPECS)}")
    tc.self_check()
    if names:
        run_all(names, args)
    if args.baseline_ref:
        seeds = [int(s) for s in (args.baseline_seeds or str(args.seed)).split(",") if s.strip()]
        baseline_comparison(args.baseline_ref, args.n, seeds, args.batch_size)


def run_all(names: list[str], args: argparse.Namespace) -> None:
    """Every named schema in this process (one warm model), then the overall line."""
    from synth_gradio.backends.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(max_batch=args.batch_size)
    t0 = time.perf_counter()
    backend.load()
    print(json.dumps({"model": backend.model, "load_s": round(time.perf_counter() - t0, 2)}), flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="synth_textq_") as tmp:
        for name in names:
            counts = [int(c) for c in args.tags_n.split(",")] if name == "tags" else [args.n]
            for n in counts:
                result = run_schema(name, n, args.seed, args.batch_size, backend, Path(tmp), args.budget_s)
                if name == "tags":
                    result["completed"] = result.get("status") == "completed" and result["records"] == n
                results.append(result)
                emit(result)
                if args.records_out:
                    folder = Path(args.records_out)
                    folder.mkdir(parents=True, exist_ok=True)
                    lines = [json.dumps(r, ensure_ascii=False, default=str) for r in result.get("_records", [])]
                    (folder / f"{name}_{n}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps(overall(results), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
