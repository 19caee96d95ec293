"""Checks the CLI makes before spending any model time: number ranges and the output path.

Numbers are argparse types, so a bad value ends with argparse's usage line and exit code 2, the
same as a misspelt flag. The output path is checked before the run (an InputError, exit code 2):
finding out after hours of generation that the folder cannot be written is the worst moment.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synth_gradio.backends.config import BackendConfig, key_from_env
from synth_gradio.errors import InputError, SynthError
from synth_gradio.export import format_for
from synth_gradio.settings import Settings
from synth_gradio.studio import Studio
from synth_gradio.studio.judging import DEFAULT_THRESHOLD, JudgeSettings, from_stored
from synth_gradio.studio.sources import read_text_file

MAX_N = 10_000_000


def int_range(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def float_range(low: float, high: float | None = None) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high]."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {text}")
        return value

    parse.__name__ = "number"
    return parse


def check_out_path(out: str, folder: bool = False, known_format: bool = True) -> None:
    """Refuse an output path that cannot be written, before the run (missing folders are created later)."""
    path = Path(out).expanduser()
    if not folder:
        if known_format:
            format_for(path)  # a bad extension fails here too
        if path.is_dir():
            raise InputError(f"--out {out} is a folder; give a file name such as {path / 'records.csv'}")
    target = path if folder else path.parent
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"cannot write --out {out}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"cannot write --out {out}: the folder {existing} is not writable")


def export_command(run_id: int, db: str | None) -> str:
    db_flag = f" --db {shlex.quote(db)}" if db else ""
    return f"python -m synth_gradio{db_flag} history export {run_id} --out FILE"


def write_out(studio: Studio, run_id: int, out: str, db: str | None = None) -> bool:
    """Export a finished run to `out`; on failure say where the records are and how to get them."""
    try:
        for path, n in studio.export(run_id, out).items():
            print(f"wrote {n} records to {path}", file=sys.stderr)
    except (SynthError, OSError) as exc:
        print(
            f"error: {exc}; the records are kept in the history as run {run_id}: {export_command(run_id, db)}",
            file=sys.stderr,
        )
        return False
    return True


def write_tables_out(results: dict[str, Any], out: str, tables: list[Any], db: str | None = None) -> bool:
    """Write a multi-table run's tables to `out`; on failure name each table's run and its export command."""
    from synth_gradio.export import write_tables

    try:
        written = write_tables(
            {name: r.records for name, r in results.items()}, out, {t.name: t.schema.json_schema for t in tables}
        )
    except (SynthError, OSError) as exc:
        kept = "; ".join(
            f"{name}: {export_command(r.last.run_id, db)}" for name, r in results.items() if r.last is not None
        )
        print(f"error: {exc}; the tables are kept in the history ({kept})", file=sys.stderr)
        return False
    print(f"wrote {', '.join(f'{k} ({v})' for k, v in written.items())} to {out}", file=sys.stderr)
    return True


def add_judge_args(p: argparse.ArgumentParser) -> None:
    """--judge and its settings; any --judge-* option turns the judge on."""
    p.add_argument("--judge", action="store_true", help="score every record with an LLM judge and reject low scores")
    p.add_argument(
        "--judge-threshold",
        type=float_range(0.0, 1.0),
        default=None,
        help=f"reject records the judge scores below this, 0 to 1 (default {DEFAULT_THRESHOLD})",
    )
    p.add_argument("--judge-rubric", default=None, metavar="TEXT_OR_@FILE", help="what the judge checks (text or JSON)")
    p.add_argument("--judge-column", default=None, metavar="NAME", help="store each record's judge score under NAME")
    p.add_argument("--judge-backend", default=None, help="the judge's backend (default: the generation backend)")
    p.add_argument("--judge-model", default=None, help="the judge's model name or path")
    p.add_argument("--judge-base-url", default=None, help="the judge's server address")
    p.add_argument("--judge-api-key-env", default=None, help="environment variable holding the judge's API key")


def judge_from_args(args: argparse.Namespace, settings: Settings) -> JudgeSettings | None:
    """The judge the flags ask for (None without any --judge option). Without --judge-backend the judge
    uses the generation backend, with --judge-model, --judge-base-url and --judge-api-key-env replacing
    that backend's own flags."""
    names = ("judge_threshold", "judge_rubric", "judge_column", "judge_backend", "judge_model", "judge_base_url")
    if not args.judge and all(getattr(args, n) is None for n in (*names, "judge_api_key_env")):
        return None
    backend = None
    if args.judge_backend or args.judge_model or args.judge_base_url or args.judge_api_key_env:
        same = not args.judge_backend or args.judge_backend == (args.backend or settings.backend)
        backend = BackendConfig.from_args(
            settings,
            backend=args.judge_backend or args.backend,
            model=args.judge_model or (args.model if same else None),
            base_url=args.judge_base_url or (args.base_url if same else None),
            api_key_env=args.judge_api_key_env or (args.api_key_env if same else None),
        )
    rubric = args.judge_rubric
    if rubric is not None and rubric.startswith("@"):
        rubric = read_text_file(rubric[1:], "rubric file")
    threshold = DEFAULT_THRESHOLD if args.judge_threshold is None else args.judge_threshold
    return JudgeSettings(backend=backend, rubric=rubric, threshold=threshold, column=args.judge_column)


def resumed_judge(run: dict[str, Any], key_env: str | None) -> JudgeSettings | None:
    """A resumed run's own judge with its API key from --judge-api-key-env (None: as stored)."""
    stored = (run.get("params") or {}).get("judging")
    if not stored or not key_env or not stored.get("backend"):
        return None
    return from_stored(stored, BackendConfig(kind=stored["backend"]["backend"], api_key=key_from_env(key_env)))
