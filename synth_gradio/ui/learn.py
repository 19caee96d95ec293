""" "Learn from your data": upload a real table, get new rows with its columns' shapes and relationships.

Lives in the Generate tab and streams into the same progress and records table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import gradio as gr

from synth_gradio.errors import InputError
from synth_gradio.studio import GenerationRequest
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import CUSTOM, guarded_stream, opt_int
from synth_gradio.ui.generate import CONCURRENCY_ID, GenerateTab, backend_choice, parse_seed, stream_run
from synth_gradio.ui.start import MY_DATA

NOTE = (
    "Your file is **real data**. It is read once to fit a model of its columns (their distributions, "
    "correlations and missing values) and to infer the schema. Only the fitted model and a summary are "
    "stored with the run, never the file's rows, so re-run and resume work without the file. New rows "
    "are never exact copies of a row in your file, and a category value only one row has is left out. "
    "Free-text columns are written by the model; up to 3 real texts from your file serve as its examples "
    "and are stored with the run."
)
FILE_TYPES = [".csv", ".parquet", ".jsonl", ".json", ".xlsx"]


def build(access: Access, tab: GenerateTab) -> None:
    with gr.Accordion("Learn from your data (upload a real table)", open=False) as panel:
        gr.Markdown(NOTE)
        with gr.Row():
            upload = gr.File(
                label="Real table: CSV, Parquet, JSONL or Excel",
                file_types=FILE_TYPES,
                type="filepath",
                elem_id="reference-upload",
            )
            with gr.Column():
                n = gr.Number(100, label="New rows (N)", precision=0, minimum=1, maximum=100_000)
                seed = gr.Textbox("", label="Seed for the new rows (empty: random)")
                use_schema = gr.Checkbox(
                    False, label="Use the schema in the editor above (otherwise it is inferred from the file)"
                )
                go = gr.Button("Generate from my data", variant="primary")

    @guarded_stream
    def generate_from_reference(
        path: str | None,
        n_: float | None,
        seed_: str,
        with_schema: bool,
        schema_text: str,
        kind: str,
        model: str,
        base_url: str,
        api_key: str,
        request: gr.Request = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Learn a real table's columns (distributions, correlations, missing values) and make new rows like them.

        Args:
            path: the real table: CSV, Parquet, JSONL or Excel. Only a fitted model and a summary are stored, never its rows.
            n_: how many new rows to make.
            seed_: a whole number that reproduces the rows, or empty for a random one.
            with_schema: true to use schema_text as the schema; false to infer it from the file.
            schema_text: a JSON schema for one record (used when with_schema is true).
            kind: the backend for free-text columns, e.g. "llamacpp" (offline).
            model: model name or path (empty: the default).
            base_url: server address for remote backends (empty: the default).
            api_key: API key for remote backends, used for this run only and never stored.
        """
        if not path:
            raise InputError("upload a table first (CSV, Parquet, JSONL or Excel)")
        if not n_ or int(n_) < 1:
            raise InputError("N must be at least 1")
        seed_value = parse_seed(seed_)
        studio = access.view(request)
        if with_schema:
            source = studio.resolve_schema(text=schema_text, learn_from=path, seed=seed_value or 0)
        else:
            source = studio.resolve_schema(reference=path, seed=seed_value or 0)
        for warning in source.learned.warnings:  # a panel or series learned as independent rows, say
            gr.Warning(warning)
        wanted = GenerationRequest(schema=source.schema, n=int(n_), seed=seed_value, learned=source.learned)
        yield from stream_run(
            *studio.start(wanted, backend_choice(studio, kind, model, base_url, api_key)), show_run=True
        )

    event = go.click(
        generate_from_reference,
        [upload, n, seed, use_schema, tab.schema, *tab.backend_inputs],
        tab.outputs,
        api_name="generate_from_reference",
        concurrency_id=CONCURRENCY_ID,
    )
    tab.finished.append(event)

    def show_learned_schema(run: float | None, request: gr.Request = None) -> tuple[Any, Any]:
        """The editor shows the schema the run used (inferred from the file), not the previous template."""
        run_id = opt_int(run)
        if run_id is None:
            return gr.update(), gr.update()
        schema = access.view(request).get_run(run_id)["schema"]
        return CUSTOM, json.dumps(schema, indent=2, ensure_ascii=False)

    event.then(show_learned_schema, tab.run_id, [tab.template, tab.schema], api_visibility="private")

    # "Learn from my data" on the front door opens this panel.
    tab.ways.change(lambda way: gr.update(open=way == MY_DATA), tab.ways, panel, api_visibility="private")
