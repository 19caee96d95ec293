"""CLI commands that report on what exists: history, quality reports and SQL schemas."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.export import format_for
from synth_gradio.studio import SUMMARY_FIELDS, Studio
from synth_gradio.studio.sources import read_text_file


def show_ddl(args: argparse.Namespace) -> int:
    from synth_gradio.schema.ddl import order_tables, parse_ddl

    tables = order_tables(parse_ddl(read_text_file(args.file, "SQL file"), args.dialect))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "table": t.name,
                        "primary_key": t.primary_key,
                        "foreign_keys": t.foreign_keys,
                        "schema": t.schema.json_schema,
                    }
                    for t in tables
                ],
                indent=2,
            )
        )
        return 0
    for t in tables:
        print(
            f"-- {t.name} (primary key: {', '.join(t.primary_key) or 'none'}; parents: {', '.join(t.parents) or 'none'})"
        )
        print(json.dumps(t.schema.json_schema, indent=2))
    return 0


def show_quality(args: argparse.Namespace, studio: Studio) -> int:
    """With a realism score, it is the first line and the quality (validity) score comes beneath it."""
    if not str(args.id).isdigit():
        return show_tables_quality(args, studio)
    if len(args.reference) > 1:
        raise InputError("one run is measured against one --reference table; give a job id for several tables")
    report = studio.quality_report(int(args.id), args.reference[0] if args.reference else None, args.target)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return 0
    real = report.get("realism")
    lead = f"run {report['run_id']} ({report['status']}): "
    if report["headline"]["name"] == "realism":
        print_realism(lead, real)
        print_quality("beneath it, ", report, " (validity of the records)")
    else:
        print_quality(lead, report)
        if real and "error" in real:
            print(real["error"])
    ref = report.get("reference")
    if ref:
        print(
            f"reference similarity {ref['overall']['score']} / 100 (shapes {ref['overall']['column_shapes']}, pairs {ref['overall']['column_pair_trends']})"
        )
        for col, shape in ref["column_shapes"].items():
            print(f"  {col:22s} {shape['metric']:13s} {shape['score']}")
        p = ref["privacy"]
        print(
            f"privacy: {p['exact_copies']} exact copies of reference rows; {p['rows_too_close']} rows closer than {p['too_close_threshold']} (DCR median {p['dcr']['median']})"
        )
    return 0


def print_realism(lead: str, real: dict[str, Any]) -> None:
    print(f"{lead}realism against the reference {real['score']} / 100")
    for name, value in real["components"].items():
        shown = "n/a" if value is None else f"{value:.3f}"
        print(f"  {name:18s} {shown} (weight {real['weights'].get(name, 0)})")
    detection = real.get("detection") or {}
    if detection.get("auc") is not None:
        print(f"  detection ROC AUC {detection['auc']} (0.5: a classifier cannot tell generated rows from real ones)")
        if detection.get("note"):
            print(f"  detection: {detection['note']}")
    efficacy = real.get("ml_efficacy") or {}
    if efficacy.get("target"):
        skills = efficacy.get("synthetic") and efficacy.get("real")
        said = efficacy.get("note") or (
            f"{efficacy['metric']} {efficacy['synthetic']['skill']} trained on generated rows, "
            f"{efficacy['real']['skill']} on real ones"
            if skills
            else ""
        )
        print(f"  ML efficacy predicts {efficacy['target']}: {said}".rstrip())
    for sentence in real["pulled_down_by"]:
        print(f"  pulled down by: {sentence}")


def print_quality(lead: str, report: dict[str, Any], note: str = "") -> None:
    score, m = report["score"], report["metrics"]
    print(f"{lead}quality score {score['score']} / 100{note}")
    for name, value in score["components"].items():
        print(f"  {name:12s} {value:.3f} (weight {score['weights'][name]})")
    print(f"records {m['records']} of {m['candidates']} candidates; duplicate rate {m['duplicate_rate']:.3f}")
    coherence = m.get("coherence") or {}
    if coherence.get("pass_rate_before_fix") is not None:
        print(
            f"coherence: {coherence['pass_rate_before_fix']:.3f} before fixes, {coherence['pass_rate_after_fix']:.3f} after"
        )
    for name, f in m["fields"].items():
        print(
            f"  {name:22s} distinct {f['distinct']:6d}  simpson {f['simpson']:.3f}  entropy {f['shannon_norm']:.3f}  nulls {f['null_rate']:.3f}"
        )
    for sentence in report["pulled_down_by"]:
        print(f"  pulled down by: {sentence}")


def history_command(args: argparse.Namespace, studio: Studio) -> int:
    if args.action == "list":
        runs = studio.list_runs(search=args.search, status=args.status, limit=args.limit)
        if args.json:
            print(json.dumps([brief(r) for r in runs], indent=2))
        else:
            for r in runs:
                print(
                    f"{r['id']:5d} {r['created_at']} {r['status']:11s} {r['achieved']:>6}/{r['requested']:<6} {r['backend']}:{r['model']} {r['title']}"
                )
        return 0
    if args.action == "show":
        run = studio.get_run(args.id)
        if args.json:
            print(json.dumps(run, indent=2, ensure_ascii=False))
        else:
            for key in SUMMARY_FIELDS:
                print(f"{key:12s} {run[key]}")
            print(f"{'rejects':12s} {json.dumps(run['reject_counts'])}")
            print(f"{'strategies':12s} {json.dumps(run['strategies'])}")
            print(f"{'params':12s} {json.dumps(run['params'])}")
        return 0
    if args.action == "export":
        from synth_gradio.export import parse_ratios

        format_for(args.out)
        split = parse_ratios(args.split) if args.split else None
        written = studio.export(
            args.id, args.out, split=split, seed=args.split_seed, neutralize_formulas=not args.allow_formulas
        )
        for path, n in written.items():
            print(f"wrote {n} records to {path}", file=sys.stderr)
        return 0
    studio.delete_run(args.id)
    print(f"deleted run {args.id}", file=sys.stderr)
    return 0


def brief(run: dict[str, Any]) -> dict[str, Any]:
    keep = SUMMARY_FIELDS
    return {k: run[k] for k in keep}


def suggest_command(args: argparse.Namespace, studio: Studio, backend: Any) -> int:
    """Print the valid proposals as a diff; write the accepted ones with --out."""
    from pathlib import Path

    from synth_gradio.studio import suggest

    if Path(args.schema).is_file():
        schema = studio.resolve_schema(file=args.schema).schema
    else:
        schema = studio.resolve_schema(template=args.schema).schema
    found = studio.suggest(schema, backend, seed=args.seed)
    for row in suggest.diff_rows(schema, found):
        print(f"{row['item']}:\n  now:      {row['now']}\n  proposed: {row['proposed']}")
    for reason in found.dropped:
        print(f"dropped: {reason}", file=sys.stderr)
    print(found.message(), file=sys.stderr)
    if not found.usable:
        return 1
    accept = None if args.accept_all else args.accept
    if args.out and (accept is None or accept):
        updated = suggest.apply(schema, found, accept)
        data = {**updated.json_schema, "examples": list(updated.examples)} if updated.examples else updated.json_schema
        Path(args.out).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    elif args.out:
        print("nothing accepted: add --accept-all or --accept ITEM", file=sys.stderr)
    return 0


def show_tables_quality(args: argparse.Namespace, studio: Studio) -> int:
    """A related job: each table's similarity, then the structure between tables and within entities."""
    if not args.reference:
        raise InputError("give the real tables the job learned from: --reference FOLDER (or one per table)")
    report = studio.quality_tables(args.id, args.reference)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return 0
    from synth_gradio.studio.related import family_lines

    print("\n".join(family_lines(report)))
    return 0
