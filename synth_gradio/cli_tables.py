"""`generate` for several tables: from SQL (--ddl) or learned from related real tables (--reference ...)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from synth_gradio.cli_checks import check_out_path, write_tables_out
from synth_gradio.cli_progress import Progress
from synth_gradio.studio import Studio
from synth_gradio.tables import MANY


def add_related_args(g: argparse.ArgumentParser) -> None:
    g.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="CHILD.COL=PARENT.COL",
        help="a foreign key between --reference tables (found from names and values when none is given)",
    )
    g.add_argument(
        "--sequence",
        action="append",
        default=[],
        metavar="TABLE.ENTITY:ORDER",
        help="rows of TABLE are steps of each ENTITY in ORDER (found from names when none is given)",
    )


def check_tables_out(out: str | None) -> None:
    if out:
        suffix = Path(out).suffix.lower()
        check_out_path(out, folder=not suffix, known_format=suffix not in (".xlsx", ".zip", *MANY))


def wants_related(args: argparse.Namespace) -> bool:
    """Several references, keys or sequences, or one reference that holds several tables or steps per entity."""
    refs = args.reference or []
    if len(refs) > 1 or args.key or args.sequence:
        return True
    if len(refs) != 1 or args.template or args.schema:
        return False
    path = Path(refs[0])
    if path.is_dir() or path.suffix.lower() in MANY:
        return True
    from synth_gradio.studio.related import is_related, relations_for
    from synth_gradio.tables import read_tables

    frames = read_tables(refs)
    return is_related(frames, relations_for(frames))


def drive_tables(
    events: Iterator[tuple[str, Any, dict[str, Any]]], tables: list[Any], args: argparse.Namespace, job: str = ""
) -> int:
    """Show progress per table, write --out, and say which tables did not complete (exit 1)."""
    results: dict = {}
    last, progress = None, Progress()
    for table, last, results in events:  # noqa: B007 - the last values are used below
        if not args.quiet:
            text = f"{table}: {last.achieved}/{last.requested} {last.records_per_s:.1f} rec/s   "
            progress.show(text, done=last.achieved >= last.requested)
    if not args.quiet:
        progress.end()
    written = write_tables_out(results, args.out, tables, args.db) if args.out and results else True
    failed = [name for name, r in results.items() if r.last is None or r.last.status != "completed"]
    missing = [t.name for t in tables if t.name not in results]
    if failed or missing or last is None:
        detail = "; ".join(f"{n}: {results[n].last.error if results[n].last else 'no result'}" for n in failed)
        print(f"error: not every table completed ({detail or 'skipped: ' + ', '.join(missing)})", file=sys.stderr)
        return 1
    print("rows: " + ", ".join(f"{n} {len(r.records)}" for n, r in results.items()), file=sys.stderr)
    if job:
        refs = " ".join(f"--reference {r}" for r in args.reference)
        print(f"job {job}; its quality: python -m synth_gradio quality {job} {refs}", file=sys.stderr)
    return 0 if written else 1


def generate_related(args: argparse.Namespace, studio: Studio, backend: Any) -> int:
    """Learn the related tables, show what was found, and generate -n top-level entities with their children."""
    check_tables_out(args.out)
    learned = studio.learn_tables(args.reference, args.key, args.sequence, seed=args.seed or 0)
    for line in learned.describe():
        print(f"learned: {line}", file=sys.stderr)
    job, events = studio.start_related(learned, args.n, backend, seed=args.seed, temperature=args.temperature)
    return drive_tables(events, learned.tables, args, job)
