"""Schemas from what users already have: SQL CREATE TABLE and reference CSV/Parquet files.

Built into the Template Builder (the result lands in the template editor) and a multi-table
generator for SQL with foreign keys (one dataset per table, as a zip and a multi-sheet Excel file).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from synth_gradio.errors import InputError
from synth_gradio.studio.sources import pick_table
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded, guarded_stream
from synth_gradio.ui.generate import backend_choice, parse_seed
from synth_gradio.ui.tablejobs import stream_tables, wire_stop

PRIVACY_NOTE = (
    "Sample rows are real data. Used as few-shot examples they go into every prompt (and to the backend's "
    "provider for remote backends), and the model may copy them: only tick this for data you may share."
)


def template_text(name: str, schema: dict[str, Any], examples: list[dict[str, Any]] | None = None) -> str:
    return json.dumps(
        {"name": name, "description": schema.get("description", ""), "schema": schema, "examples": examples or []},
        indent=2,
        ensure_ascii=False,
    )


def build_schema_imports(access: Access, template_json: gr.Code) -> None:
    """SQL and file import for the Template Builder; results replace the template JSON."""
    with gr.Accordion("Import from SQL CREATE TABLE or from a CSV / Parquet sample", open=False):
        with gr.Row():
            sql = gr.Code("", language="sql", label="CREATE TABLE statements (PostgreSQL, MySQL or SQLite)", lines=8)
            with gr.Column():
                table = gr.Textbox(label="Table (empty: the first)", placeholder="orders")
                convert = gr.Button("Convert SQL")
        with gr.Row():
            sample = gr.File(
                label="Reference CSV, Parquet or JSONL", file_types=[".csv", ".parquet", ".jsonl"], type="filepath"
            )
            with gr.Column():
                use_rows = gr.Checkbox(False, label="Use 3 sample rows as few-shot examples", info=PRIVACY_NOTE)
                infer = gr.Button("Infer schema")
        note = gr.Markdown(label="note", show_label=False)

    @guarded
    def ddl_to_schema(text: str, name: str) -> tuple[str, str]:
        """Turn SQL CREATE TABLE statements (PostgreSQL, MySQL or SQLite) into a template JSON for one table.

        Args:
            text: the CREATE TABLE statements.
            name: the table to convert (empty: the first).
        """
        tables = access.studio.parse_ddl(text)
        chosen = pick_table(tables, name)
        others = ", ".join(t.name for t in tables if t is not chosen)
        msg = f"Converted table **{chosen.name}**" + (
            f"; other tables: {others} (generate them together below the Generate tab's SQL section)" if others else ""
        )
        return template_text(chosen.name, chosen.schema.json_schema), msg

    @guarded
    def infer_schema(path: str | None, with_rows: bool) -> tuple[str, str]:
        """Infer a template JSON (types, enums, ranges, formats) from a CSV, Parquet or JSONL sample.

        Args:
            path: the sample file.
            with_rows: true to use 3 of its rows as few-shot examples (they are real data).
        """
        if not path:
            raise InputError("upload a CSV, Parquet or JSONL file first")
        schema = access.studio.infer_schema(path, example_rows=3 if with_rows else 0)
        msg = f"Inferred {len(schema.fields)} fields from {Path(path).name}" + (
            " with sample rows as examples" if schema.examples else ""
        )
        return template_text(Path(path).stem, schema.json_schema, list(schema.examples)), msg

    convert.click(ddl_to_schema, [sql, table], [template_json, note], api_name="ddl_to_schema")
    infer.click(infer_schema, [sample, use_rows], [template_json, note], api_name="infer_schema")


def build_table_generator(access: Access, backend_inputs: list[Any]) -> None:
    """Generate every table of a SQL file, parents first; downloads as zip and multi-sheet Excel."""
    with gr.Accordion("Generate several tables from SQL (foreign keys respected)", open=False):
        sql = gr.Code("", language="sql", label="CREATE TABLE statements", lines=8)
        with gr.Row():
            counts = gr.Textbox(label="Records per table", placeholder="customers=50, orders=200")
            default_n = gr.Number(20, label="Default per table", precision=0, minimum=1)
            seed = gr.Textbox("", label="Seed")
            go = gr.Button("Generate tables", variant="primary")
            stop = gr.Button("Stop", variant="stop")
        job = gr.Textbox(visible=False, label="job")  # the group id of the running job, for Stop
        status = gr.Markdown(label="status", show_label=False)
        files = gr.File(
            label="Downloads (zip of CSV files, Excel with a sheet per table, SQLite)",
            file_count="multiple",
            interactive=False,
        )

    @guarded_stream
    def generate_tables(
        text: str,
        counts_text: str,
        n: float | None,
        seed_: str,
        kind: str,
        model: str,
        base_url: str,
        api_key: str,
        request: gr.Request = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Generate every table of a SQL schema, parents first, so foreign keys point at generated parent rows.

        Args:
            text: the CREATE TABLE statements.
            counts_text: records per table, e.g. "customers=50, orders=200".
            n: records for tables not named in counts_text.
            seed_: a whole number that reproduces the tables, or empty.
            kind: the backend, e.g. "llamacpp" (offline).
            model: model name or path (empty: the default).
            base_url: server address for remote backends (empty: the default).
            api_key: API key for remote backends, used for this job only and never stored.

        Returns:
            The job id (for cancel_tables), a status sentence, and a zip of CSV files, an Excel workbook and a SQLite file.
        """
        wanted: dict[str, int] = {}
        for item in filter(None, (p.strip() for p in (counts_text or "").split(","))):
            name, _, number = item.partition("=")
            if not number.strip().isdigit():
                raise InputError(f"write counts as table=N, separated by commas; got {item!r}")
            wanted[name.strip()] = int(number)
        studio = access.view(request)
        tables = studio.parse_ddl(text)
        group, events = studio.start_tables(
            tables, wanted, backend_choice(studio, kind, model, base_url, api_key), default_n=int(n or 20),
            seed=parse_seed(seed_),
        )  # fmt: skip
        schemas = {t.name: t.schema.json_schema for t in tables}
        yield from stream_tables(
            access,
            files,
            group,
            events,
            schemas,
            request,
            "**Starting**: parents first, then the tables that refer to them.",
        )

    go.click(
        generate_tables,
        [sql, counts, default_n, seed, *backend_inputs],
        [job, status, files],
        api_name="generate_tables",
        concurrency_id="generate",
    )

    wire_stop(access, stop, job, status, "cancel_tables")
