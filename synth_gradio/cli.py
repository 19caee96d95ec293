"""Command line: python -m synth_gradio generate | templates | history | resume | quality | models | ...

Exit codes: 0 done; 2 bad input (one sentence on stderr); 1 generation failed or was cancelled.
Whatever was generated before a failure is kept in the history (and written to --out).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from synth_gradio.backends.config import BackendConfig, key_from_env
from synth_gradio.backends.registry import available_kinds
from synth_gradio.cli_checks import (
    MAX_N,
    add_judge_args,
    check_out_path,
    float_range,
    int_range,
    judge_from_args,
    resumed_judge,
    write_out,
)
from synth_gradio.cli_extras import (
    add_executor_args,
    add_history_commands,
    add_preview_args,
    executor_from_args,
    history_extra,
    preview_command,
)
from synth_gradio.cli_progress import Progress
from synth_gradio.cli_reports import history_command, show_ddl, show_quality
from synth_gradio.cli_tables import add_related_args, check_tables_out, drive_tables, generate_related, wants_related
from synth_gradio.cli_templates import add_describe_command, add_template_commands, describe_command, templates_command
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError, SynthError
from synth_gradio.logs import FORMATS, configure_logging
from synth_gradio.settings import Settings
from synth_gradio.studio import Studio
from synth_gradio.studio.sources import read_text_file


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="synth-gradio", description="Synthetic records from language models.")
    p.add_argument("--db", help="history database path (default: SYNTH_DB_PATH or ~/.synth_gradio/history.db)")
    p.add_argument("--log-format", choices=FORMATS, default=None, help="text or json lines (SYNTH_LOG_FORMAT)")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="generate records from a template or a JSON schema")
    src = g.add_mutually_exclusive_group()
    src.add_argument("--template", help="built-in or saved template name (see `templates list`)")
    g.add_argument(
        "--template-version", type=int_range(1), default=None, help="version of a saved template (default: latest)"
    )
    src.add_argument("--schema", help="JSON schema file describing one record")
    src.add_argument("--ddl", help="SQL file with CREATE TABLE statements (several tables: one dataset each)")
    g.add_argument(
        "--reference",
        action="append",
        default=[],
        help="a real table (CSV, Parquet, JSONL, Excel) to learn the values from; alone, its schema is inferred; "
        "repeat it, or give a folder, workbook or SQLite file, to learn related tables",
    )
    add_related_args(g)
    g.add_argument(
        "--count", action="append", default=[], metavar="TABLE=N", help="records for one table of --ddl (default: -n)"
    )
    g.add_argument("-n", type=int_range(1, MAX_N), required=True, help="number of valid unique records to make")
    add_backend_args(g)
    g.add_argument("--temperature", type=float_range(0.0, 2.0), default=1.0, help="0 to 2 (default 1)")
    g.add_argument("--seed", type=int, default=None, help="seed that reproduces the run")
    g.add_argument("--batch-size", type=int_range(1, 1024), default=None, help="records per batch, 1 to 1024")
    g.add_argument("--out", help="output file: .csv .json .jsonl .parquet .xlsx")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    add_preview_args(g)
    add_judge_args(g)
    add_executor_args(g)
    g.add_argument(
        "--batch-api", action="store_true", help="openai_compat: send the run as batch jobs (half price, slower)"
    )

    m = sub.add_parser(
        "models", help="list a remote backend's models, the suggested Hub models (--hub), or download one (--download)"
    )
    m.add_argument("--backend", help="ollama, hf_inference or openai_compat")
    m.add_argument("--hub", action="store_true", help="the suggested GGUF models: size, memory, speed here")
    m.add_argument("--download", metavar="ORG/REPO[:FILE.gguf|:QUANT]", help="fetch a Hub GGUF into the cache now")
    m.add_argument("--base-url", default=None)
    m.add_argument("--api-key-env", default=None, help="name of the environment variable that holds the key")

    q = sub.add_parser("quality", help="a run's quality score and metrics, optionally against reference data")
    q.add_argument("id", help="a run id, or the job id of related tables (printed when they are generated)")
    q.add_argument(
        "--reference",
        action="append",
        default=[],
        help="the real table to measure realism against (.csv .parquet .jsonl .xlsx); for a job, its tables",
    )
    q.add_argument("--target", help="the column ML efficacy predicts (default: a label-like or the last categorical)")
    q.add_argument("--json", action="store_true")

    d = sub.add_parser("ddl", help="print the record schemas a SQL file's CREATE TABLE statements become")
    d.add_argument("file")
    d.add_argument("--dialect", choices=["postgres", "mysql", "sqlite"], default=None)
    d.add_argument("--json", action="store_true")

    inf = sub.add_parser("infer", help="infer a record schema from a CSV, Parquet or JSONL file")
    inf.add_argument("file")
    inf.add_argument(
        "--examples", type=int_range(0, 1000), default=0, help="use this many real rows as few-shot examples"
    )
    inf.add_argument("--json", action="store_true")

    sg = sub.add_parser("suggest", help="ask a model to propose x-distribution and x-rules for a schema")
    sg.add_argument("schema", help="JSON schema file (or a template name)")
    add_backend_args(sg)
    sg.add_argument("--accept-all", action="store_true", help="write every valid proposal")
    sg.add_argument("--accept", action="append", default=[], metavar="ITEM", help='a field name or "rule N"')
    sg.add_argument("--out", help="where to write the schema with the accepted proposals")
    sg.add_argument("--seed", type=int, default=0)

    add_template_commands(sub)
    add_backend_args(add_describe_command(sub))

    h = sub.add_parser("history", help="list, show, export, delete, publish (push) or summarize (stats) stored runs")
    hsub = h.add_subparsers(dest="action", required=True)
    hl = hsub.add_parser("list")
    hl.add_argument("--json", action="store_true")
    hl.add_argument("--search", default="")
    hl.add_argument("--status", default="")
    hl.add_argument("--limit", type=int_range(1), default=50)
    hs = hsub.add_parser("show")
    hs.add_argument("id", type=int)
    hs.add_argument("--json", action="store_true")
    he = hsub.add_parser("export")
    he.add_argument("id", type=int)
    he.add_argument("--out", required=True)
    he.add_argument("--split", help="train,validation,test ratios, e.g. 0.8,0.1,0.1 (three files)")
    he.add_argument("--split-seed", type=int, default=0)
    he.add_argument(
        "--allow-formulas", action="store_true", help="do not neutralize cells that start with = + - @ in CSV/Excel"
    )
    hd = hsub.add_parser("delete")
    hd.add_argument("id", type=int)
    add_history_commands(hsub)

    r = sub.add_parser("resume", help="complete an interrupted, cancelled or failed run to its N")
    r.add_argument("id", type=int)
    r.add_argument("--out")
    r.add_argument("--base-url", default=None, help="override the stored server address")
    r.add_argument("--api-key-env", default=None, help="environment variable holding the API key")
    r.add_argument("--concurrency", type=int_range(1, 256), default=None)
    r.add_argument("--judge-api-key-env", default=None, help="environment variable holding the judge's API key")
    r.add_argument("--quiet", action="store_true")
    add_executor_args(r)
    return p


def add_backend_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backend", default=None, help=f"one of {', '.join(available_kinds())} (default: llamacpp, offline)"
    )
    p.add_argument(
        "--model", default=None, help="model name or path (llamacpp: a .gguf file; empty: the bundled model)"
    )
    p.add_argument("--base-url", default=None, help="server address for ollama, hf_inference or openai_compat")
    p.add_argument(
        "--api-key-env", default=None, help="environment variable holding the API key (the key is never stored)"
    )
    p.add_argument(
        "--concurrency", type=int_range(1, 256), default=None, help="requests in flight for remote backends (default 8)"
    )
    p.add_argument(
        "--price-in", type=float_range(0.0), default=None, help="USD per million prompt tokens, for a cost estimate"
    )
    p.add_argument("--price-out", type=float_range(0.0), default=None, help="USD per million generated tokens")


def backend_from_args(args: argparse.Namespace, settings: Settings) -> BackendConfig:
    return BackendConfig.from_args(
        settings,
        backend=args.backend,
        model=args.model,
        base_url=args.base_url,
        api_key_env=args.api_key_env,
        concurrency=args.concurrency,
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        configure_logging(args.log_format, default_level="WARNING")  # text: warnings only, under the progress bar
        return _dispatch(args, settings)
    except SynthError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\ncancelled; the batches already finished are saved in the history", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (head, less) stopped reading: end quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _hub_models(args: argparse.Namespace) -> int:
    """The curated Hub models with what they need here, or one downloaded (huggingface_hub's progress bar)."""
    from synth_gradio.backends.hub_models import fetch_model, suggested

    if args.download:
        print(fetch_model(args.download))
        return 0
    for label, model in suggested():
        print(f"{model:40s} {label}")
    return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "models" and (args.hub or args.download):
        return _hub_models(args)
    if args.command == "models":
        from synth_gradio.backends.registry import list_models

        if not args.backend:
            raise InputError("name a backend (--backend ollama), or ask for --hub or --download ORG/REPO")
        for name in list_models(args.backend, base_url=args.base_url, api_key=key_from_env(args.api_key_env) or None):
            print(name)
        return 0
    if args.command == "ddl":
        return show_ddl(args)
    if args.command == "infer":
        return _infer(args)
    if args.db:
        settings = Settings(**{**settings.__dict__, "db_path": Path(args.db), "database_url": ""})
    studio = Studio(settings)
    if args.command == "templates":
        return templates_command(args, studio)
    if args.command == "describe":
        config = backend_from_args(args, studio.settings) if args.backend else None
        return describe_command(args, studio, config)
    if args.command == "suggest":
        from synth_gradio.cli_reports import suggest_command

        return suggest_command(args, studio, backend_from_args(args, studio.settings))
    if args.command == "generate":
        return _generate(args, studio)
    if args.command == "resume":
        return _resume(args, studio)
    if args.command == "quality":
        return show_quality(args, studio)
    done = history_extra(args, studio)
    return done if done is not None else history_command(args, studio)


def _infer(args: argparse.Namespace) -> int:
    schema = Studio.infer_schema(args.file, example_rows=args.examples)
    data = {**schema.json_schema, "examples": list(schema.examples)} if schema.examples else schema.json_schema
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    for f in schema.fields:
        details = {k: v for k, v in f.schema.items() if k != "type"}
        print(
            f"{f.name:24s} {'/'.join(f.types):16s} {'required' if f.required else 'nullable':9s} {json.dumps(details, ensure_ascii=False)[:90]}"
        )
    print("(use --json for the schema, and --schema FILE.json with generate)", file=sys.stderr)
    return 0


def _generate_tables(args: argparse.Namespace, studio: Studio) -> int:
    counts: dict[str, int] = {}
    for item in args.count:
        table, _, number = item.partition("=")
        if not number.isdigit() or int(number) < 1:
            raise InputError(f"--count takes TABLE=N with N >= 1, got {item!r}")
        counts[table] = int(number)
    check_tables_out(args.out)
    tables = studio.parse_ddl(read_text_file(args.ddl, "SQL file"))
    _, events = studio.start_tables(
        tables,
        counts,
        backend_from_args(args, studio.settings),
        default_n=args.n,
        seed=args.seed,
        temperature=args.temperature,
    )
    return drive_tables(events, tables, args)


def _generate(args: argparse.Namespace, studio: Studio) -> int:
    if args.n < 1:
        raise InputError("-n must be at least 1")
    if args.ddl:
        if args.preview:
            raise InputError("--preview takes one table: use --template, --schema or --reference")
        if args.reference:
            raise InputError("--reference learns real tables; use it with --schema or alone, not with --ddl")
        if judge_from_args(args, studio.settings) is not None:
            raise InputError("--judge judges one table; use it with --template, --schema or --reference, not --ddl")
        return _generate_tables(args, studio)
    if wants_related(args):
        if args.template or args.schema or args.preview or judge_from_args(args, studio.settings) is not None:
            raise InputError(
                "related tables are learned from the files alone (no --template, --schema, --preview or --judge)"
            )
        return generate_related(args, studio, backend_from_args(args, studio.settings))
    reference = args.reference[0] if args.reference else None
    if args.out:
        check_out_path(args.out)  # a bad extension or an unwritable folder fails before any model time
    if not (args.template or args.schema or reference):
        raise InputError("give --template NAME, --schema FILE.json, --ddl FILE.sql or --reference TABLE")
    if reference and not (args.template or args.schema):
        source = studio.resolve_schema(reference=reference, seed=args.seed or 0)
    else:
        source = studio.resolve_schema(
            template=args.template,
            version=args.template_version,
            file=args.schema,
            learn_from=reference,
            seed=args.seed or 0,
        )
    request = GenerationRequest(
        price_in=args.price_in,
        price_out=args.price_out,
        schema=source.schema,
        n=args.n,
        temperature=args.temperature,
        seed=args.seed,
        batch_size=args.batch_size or studio.settings.batch_size,
        template=source.template,
        template_version=source.version,
        learned=source.learned,
        batch_api=args.batch_api,
    )
    for note in source.learned.summary().get("notes", []) if source.learned is not None else []:
        print(f"learned: {note}", file=sys.stderr)  # what learning left out or changed, as related runs say
    judge = judge_from_args(args, studio.settings)
    if args.preview:
        if judge is not None:
            print("note: the preview's records are not judged; the run will be", file=sys.stderr)
        return preview_command(args, studio, request, backend_from_args(args, studio.settings))
    executor = executor_from_args(args, studio.settings)
    handle = studio.start(request, backend_from_args(args, studio.settings), judge=judge, executor=executor)
    return _drive(handle.results, studio, args.out, args.quiet, args.db)


def _resume(args: argparse.Namespace, studio: Studio) -> int:
    run = studio.get_run(args.id)
    if run["status"] == "completed":
        print(f"run {args.id} is already completed ({run['achieved']}/{run['requested']})", file=sys.stderr)
        return 0
    if args.out:
        check_out_path(args.out)
    override = BackendConfig(
        kind=run["backend"],
        base_url=args.base_url or "",
        api_key=key_from_env(args.api_key_env),
        concurrency=args.concurrency,
    )
    judge = resumed_judge(run, args.judge_api_key_env)
    handle = studio.resume(args.id, override, judge=judge, executor=executor_from_args(args, studio.settings))
    return _drive(handle.results, studio, args.out, args.quiet, args.db)


def _drive(results: Iterator[BatchResult], studio: Studio, out: str | None, quiet: bool, db: str | None) -> int:
    last: BatchResult | None = None
    written, progress = True, Progress()
    try:
        for last in results:
            if not quiet:
                progress.show(_progress(last), done=last.achieved >= last.requested)
    finally:
        if not quiet:
            progress.end()
        if last is not None and out:
            written = write_out(studio, last.run_id, out, db)
    if last is None:
        return 1
    print(
        f"run {last.run_id}: {last.status}, {last.achieved}/{last.requested} records, "
        f"{last.rejected_total} rejected, {last.records_per_s:.2f} records/s",
        file=sys.stderr,
    )
    if last.status != "completed":
        print(f"error: {last.error or last.status}", file=sys.stderr)
        return 1
    return 0 if written else 1


def _progress(r: BatchResult) -> str:
    width = 24
    filled = int(width * r.achieved / max(1, r.requested))
    eta = f"{r.eta_s:.0f}s" if r.eta_s is not None else "?"
    return f"[{'#' * filled}{'.' * (width - filled)}] {r.achieved}/{r.requested} {r.records_per_s:.2f} rec/s ETA {eta} rejected {r.rejected_total}"
