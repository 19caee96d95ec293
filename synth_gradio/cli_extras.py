"""CLI commands added to `generate` and `history`: a preview with an estimate, analytics, and publishing.

generate ... --preview [--preview-k K]    K records and the estimate for -n; nothing is stored
history stats [--since DATE] [--json]     runs and records per day, templates, models, tokens and cost
history push ID --repo user/name [--private] [--token-env VAR] [--endpoint URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from synth_gradio.backends.config import BackendConfig, key_from_env
from synth_gradio.cli_checks import int_range
from synth_gradio.errors import InputError
from synth_gradio.settings import Settings
from synth_gradio.studio import GenerationRequest, Studio
from synth_gradio.studio.executors import KINDS, ExecutorChoice


def add_preview_args(g: argparse.ArgumentParser) -> None:
    g.add_argument("--preview", action="store_true", help="make a few records and estimate -n; store nothing")
    g.add_argument("--preview-k", type=int_range(1, 20), default=5, help="records in the preview, 1 to 20 (default 5)")


def add_history_commands(hsub: Any) -> None:
    st = hsub.add_parser("stats", help="runs and records per day, templates, models, tokens and cost")
    st.add_argument("--since", default=None, help="only runs from this day on, e.g. 2026-01-31")
    st.add_argument("--json", action="store_true")
    push = hsub.add_parser("push", help="publish a run to the Hugging Face Hub as a dataset repository")
    push.add_argument("id", type=int)
    push.add_argument("--repo", required=True, help="user/name or organization/name")
    push.add_argument("--private", action="store_true", help="create the repository as private")
    push.add_argument(
        "--token-env", default=None, help="environment variable holding the token (default: HF_TOKEN); never a flag"
    )
    push.add_argument("--endpoint", default=None, help="another Hub address (default: HF_ENDPOINT or huggingface.co)")


def preview_command(
    args: argparse.Namespace, studio: Studio, request: GenerationRequest, backend: BackendConfig
) -> int:
    """Print the preview's records (JSON lines on stdout) and the estimate (stderr); store nothing."""
    result = studio.preview(request, backend, k=args.preview_k)
    for record in result.records:
        print(json.dumps(record, ensure_ascii=False, default=str))
    estimate = result.estimate
    print(f"preview: {len(result.records)} records, nothing stored", file=sys.stderr)
    print(f"estimate: {estimate.sentence()}", file=sys.stderr)
    if result.reject_counts:
        reasons = ", ".join(f"{k} ({v})" for k, v in sorted(result.reject_counts.items(), key=lambda kv: -kv[1]))
        print(f"rejected in the preview: {reasons}", file=sys.stderr)
    return 0


def history_extra(args: argparse.Namespace, studio: Studio) -> int | None:
    """`history stats` and `history push`; None for the other history actions."""
    if args.action == "stats":
        since = None
        if args.since:
            try:
                since = dt.datetime.fromisoformat(args.since)
            except ValueError:
                raise InputError(f"--since takes a date like 2026-01-31, got {args.since!r}") from None
        data = studio.analytics(since=since)
        if args.json:
            print(json.dumps(data, indent=2))
        else:
            print_stats(data)
        return 0
    if args.action == "push":
        token = key_from_env(args.token_env) if args.token_env else None
        url = studio.push_to_hub(args.id, args.repo, token=token, private=args.private, endpoint=args.endpoint)
        print(f"published run {args.id} to {url}", file=sys.stderr)
        return 0
    return None


def print_stats(data: dict[str, Any]) -> None:
    t = data["totals"]
    cost = f", ${t['cost_usd']:.4f} estimated cost" if t["cost_usd"] else ""
    print(f"{t['runs']} runs, {t['records']} records, {t['tokens']} generated tokens{cost}")
    print("\nper day:")
    for row in data["per_day"]:
        print(f"  {row['day']}  {row['runs']:4d} runs  {row['records']:7d} records")
    print("\nmost-used templates:")
    for row in data["templates"]:
        print(f"  {row['template']:28s} {row['runs']:4d} runs  {row['records']:7d} records")
    print("\nmodels (per day):")
    for row in data["models"]:
        speed = "-" if row["records_per_s"] is None else f"{row['records_per_s']:.2f} rec/s"
        score = "-" if row["score"] is None else f"score {row['score']}"
        print(f"  {row['day']}  {row['model'][:40]:40s} {row['runs']:3d} runs  {speed:>12s}  {score}")
    print("\ntokens and cost (per month and backend):")
    for row in data["usage"]:
        cost = "unknown (no price)" if row["cost_usd"] is None else f"${row['cost_usd']:.4f}"
        print(f"  {row['month']}  {row['backend']:14s} {row['tokens']:10d} tokens  {cost}")


def add_executor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--executor", choices=KINDS, default=None, help="local (default); ray or threads shard the run over workers"
    )
    p.add_argument(
        "--address", default=None, help="Ray cluster host:port (default: SYNTH_RAY_ADDRESS, else a local cluster)"
    )
    p.add_argument("--workers", type=int_range(1, 1024), default=None, help="shard workers (default: one per CPU)")


def executor_from_args(args: argparse.Namespace, settings: Settings) -> ExecutorChoice | None:
    """None when no executor flag was given (resume then uses the run's own)."""
    if args.executor is None:
        if args.address or args.workers:
            raise InputError("--address and --workers go with --executor ray (or threads)")
        return None
    address = args.address if args.address is not None else settings.ray_address
    return ExecutorChoice(kind=args.executor, address=address if args.executor == "ray" else "", workers=args.workers)
