"""Learn related tables or sequences: upload several files, confirm the keys found, get every table.

The keys and sequences found are shown as editable lines (the CLI's --key and --sequence), so a
user confirms or corrects them before anything is learned.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from synth_gradio.errors import InputError
from synth_gradio.studio import related as relating
from synth_gradio.tables import MANY, READERS
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded, guarded_stream
from synth_gradio.ui.generate import backend_choice, parse_seed
from synth_gradio.ui.tablejobs import stream_tables, wire_stop

NOTE = (
    "Give the tables that refer to each other (customers and their orders), or one table of steps per "
    "entity (a person's years, a patient's visits), or one series (a station's weekly readings, where N "
    "counts steps): several files, a workbook with a sheet per table, or a "
    "SQLite file. Keys and sequences are found from column names and values; check them below. Only the "
    "fitted models are stored with the runs, never your rows; keys in the new tables are new."
)
FILE_TYPES = [*READERS, *MANY]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _paths(paths: list[str] | str | None) -> list[str]:
    paths = [paths] if isinstance(paths, str) else list(paths or [])
    if not paths:
        raise InputError("upload your tables first: several files, a workbook or a SQLite file")
    return paths


def build(access: Access, backend_inputs: list[Any]) -> None:
    with gr.Accordion("Learn related tables or sequences (several files, a workbook or SQLite)", open=False):
        gr.Markdown(NOTE)
        with gr.Row():
            uploads = gr.File(
                label="Real tables",
                file_types=FILE_TYPES,
                file_count="multiple",
                type="filepath",
                elem_id="related-upload",
            )
            with gr.Column():
                find = gr.Button("Find keys and sequences")
                keys = gr.Textbox(label="Keys (CHILD.COLUMN=PARENT.COLUMN, one per line)", lines=3)
                sequences = gr.Textbox(
                    label="Sequences (TABLE.ENTITY:ORDER, one per line; TABLE.:ORDER for one series)", lines=2
                )
        found = gr.Markdown(label="found", show_label=False)
        with gr.Row():
            n = gr.Number(
                100, label="Top-level entities (N; steps of one series)", precision=0, minimum=1, maximum=100_000
            )
            seed = gr.Textbox("", label="Seed for the tables")
            go = gr.Button("Generate related tables", variant="primary")
            stop = gr.Button("Stop", variant="stop")
        job = gr.Textbox(visible=False, label="job")
        status = gr.Markdown(label="status", show_label=False)
        files = gr.File(
            label="Downloads (zip of CSV files, Excel with a sheet per table, SQLite)",
            file_count="multiple",
            interactive=False,
        )

    @guarded
    def find_relations(paths: list[str] | None) -> tuple[str, str, str]:
        """Find the primary keys, links between tables and sequences (steps per entity) in uploaded tables.

        Args:
            paths: the real tables: CSV, Parquet, JSONL, Excel (a sheet per table) or SQLite files.

        Returns:
            The links (one CHILD.COLUMN=PARENT.COLUMN per line), the sequences (TABLE.ENTITY:ORDER per
            line) and a summary of what was found.
        """
        relations, rows = relating.find_relations(_paths(paths))
        links, steps = relating.key_lines(relations)
        tables = ", ".join(f"{name} ({count:,} rows)" for name, count in rows.items())
        lines = [f"- {line}" for line in relations.describe()] or [
            "- no keys or sequences: each table is learned alone"
        ]
        return links, steps, f"**Tables**: {tables}\n\n" + "\n".join(lines)

    find.click(find_relations, uploads, [keys, sequences, found], api_name="find_relations")

    @guarded_stream
    def generate_related(
        paths: list[str] | None,
        keys_text: str,
        sequences_text: str,
        n_: float | None,
        seed_: str,
        kind: str,
        model: str,
        base_url: str,
        api_key: str,
        request: gr.Request = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Learn related real tables (or steps per entity) and generate N top-level entities with their children.

        Args:
            paths: the real tables: CSV, Parquet, JSONL, Excel (a sheet per table) or SQLite files.
            keys_text: links, one CHILD.COLUMN=PARENT.COLUMN per line (empty: found from names and values).
            sequences_text: sequences, one TABLE.ENTITY:ORDER per line (empty: found from names).
            n_: how many top-level entities (customers, people) to make; their children follow.
            seed_: a whole number that reproduces the tables, or empty.
            kind: the backend for free-text columns, e.g. "llamacpp" (offline).
            model: model name or path (empty: the default).
            base_url: server address for remote backends (empty: the default).
            api_key: API key for remote backends, used for this job only and never stored.

        Returns:
            The job id (for cancel_related), a status sentence, and a zip of CSV files, an Excel workbook and
            a SQLite file.
        """
        if not n_ or int(n_) < 1:
            raise InputError("N must be at least 1")
        seed_value = parse_seed(seed_)
        studio = access.view(request)
        learned = studio.learn_tables(_paths(paths), _lines(keys_text), _lines(sequences_text), seed=seed_value or 0)
        backend = backend_choice(studio, kind, model, base_url, api_key)
        group, events = studio.start_related(learned, int(n_), backend, seed=seed_value)
        schemas = {t.name: t.schema.json_schema for t in learned.tables}
        start = "**Learned**: " + "; ".join(learned.describe())
        yield from stream_tables(access, files, group, events, schemas, request, start)

    go.click(
        generate_related,
        [uploads, keys, sequences, n, seed, *backend_inputs],
        [job, status, files],
        api_name="generate_related",
        concurrency_id="generate",
    )

    wire_stop(access, stop, job, status, "cancel_related")
