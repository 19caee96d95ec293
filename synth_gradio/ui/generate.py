"""Generate tab: schema source, backend picker, controls, streamed progress and downloads."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from synth_gradio.backends.registry import BACKEND_INFO, available_kinds, suggested_models
from synth_gradio.errors import InputError
from synth_gradio.studio import EXPORT_FORMATS, GenerationRequest, Studio
from synth_gradio.ui import field_editor, placement, start
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import CUSTOM, file_events, guarded, guarded_stream, opt_int, records_frame, stream_run
from synth_gradio.ui.inputs import (
    SAME_BACKEND,
    backend_choice,
    judge_choice,
    parse_seed,
    price,
    schema_source,
    template_choices,
    template_editor_text,
    validate_text,
)
from synth_gradio.ui.preview import wire_preview

CONCURRENCY_ID = "generate"


@dataclass
class GenerateTab:
    ways: gr.Radio
    template: gr.Dropdown
    schema: gr.Code
    backend_inputs: list[Any]  # kind, model, base_url, api_key
    run_id: gr.Number
    outputs: list[Any]  # run id, progress, counts, records table: what stream_run updates
    finished: list[Any] = field(default_factory=list)  # events whose run id should become the selected run


def build(access: Access) -> GenerateTab:
    kinds = available_kinds()
    initial = access.initial  # what the page starts with; handlers use the requesting user's view
    with gr.Row():
        with gr.Column(scale=2):
            door = start.build()
            with door.templates:
                template = gr.Dropdown(
                    template_choices(initial),
                    value="customer_data",
                    label="Template",
                    info="A built-in or saved template, or your own JSON schema",
                )
            fields = gr.Dataframe(
                start.fields_frame(template_editor_text(initial, "customer_data")),
                label="Fields",
                interactive=False,
                wrap=True,
                elem_id="fields-table",
            )
            with gr.Accordion("Advanced: JSON schema", open=False):
                schema = gr.Code(
                    template_editor_text(initial, "customer_data"),
                    language="json",
                    label="JSON schema (one record)",
                    lines=16,
                    max_lines=28,
                    interactive=True,
                    elem_id="schema-editor",
                )
            check = gr.Markdown(
                validate_text(template_editor_text(initial, "customer_data")), label="check", show_label=False
            )
            field_editor.build(schema, template, check)
            with gr.Accordion("Backend", open=False):
                kind = gr.Dropdown(kinds, value="llamacpp", label="Backend", info=BACKEND_INFO["llamacpp"]["label"])
                model = gr.Dropdown(
                    suggested_models("llamacpp"),  # bigger models from the Hub, one click away
                    value="",
                    label="Model",
                    info=BACKEND_INFO["llamacpp"]["model_hint"],
                    allow_custom_value=True,
                )
                base_url = gr.Textbox("", label="Base URL", visible=False)
                api_key = gr.Textbox(
                    "", label="API key (kept in this browser session only)", type="password", visible=False
                )
                list_button = gr.Button("List models", size="sm", visible=False)
                fetch_button = gr.Button("Download this model now", size="sm", elem_id="fetch-model")
                with gr.Row():
                    price_in = gr.Number(0, label="Price in (USD / 1M prompt tokens)", minimum=0)
                    price_out = gr.Number(0, label="Price out (USD / 1M generated tokens)", minimum=0)
            judge_inputs = judge_panel(kinds)
            executor, workers = placement.build(access.studio.settings.ray_address)
            with gr.Row():
                n = gr.Number(50, label="Records (N)", precision=0, minimum=1, maximum=100_000)
                temperature = gr.Slider(0.0, 2.0, value=1.0, step=0.05, label="Temperature")
            with gr.Row():
                batch_size = gr.Slider(
                    1,
                    64,
                    value=access.studio.settings.batch_size,
                    step=1,
                    label="Batch size (records decoded together)",
                )
                seed = gr.Textbox("", label="Seed (empty: random)", placeholder="e.g. 42")
            with gr.Row():
                preview = gr.Button("Preview 5")
                go = gr.Button("Generate", variant="primary")
                stop = gr.Button("Stop", variant="stop")
        with gr.Column(scale=3):
            run_id = gr.Number(
                None, label="Run", precision=0, interactive=False, visible=False
            )  # shown once a run exists
            progress = gr.Markdown(
                "Choose a template or write a schema, then press **Preview 5** (records and an estimate) or **Generate**.",
                label="progress",
                show_label=False,
            )
            counts = gr.Markdown(label="counts", show_label=False)
            table = gr.Dataframe(
                records_frame([], hint="Records appear here: press Preview 5 or Generate"),
                label="Newest records (up to 200)",
                interactive=False,
                wrap=True,
                max_height=520,
                elem_id="records-table",
            )
            with gr.Row():
                fmt = gr.Dropdown(EXPORT_FORMATS, value="csv", label="Download format", scale=1)
                download_button = gr.Button("Download", scale=1, elem_id="download-button")
            files = gr.File(label="Download", interactive=False, elem_id="download-file")
            download_note = gr.Markdown(label="download_note", show_label=False)
            estimate = gr.JSON(visible=False, label="Estimate")

    backend_inputs = [kind, model, base_url, api_key]
    start.wire(access, door, template, schema, check, n, fields, backend_inputs)

    def on_template(name: str, request: gr.Request) -> tuple[Any, str]:
        if not name or name == CUSTOM:
            return gr.update(), gr.update()  # the editor keeps its schema (one learned from a file, say)
        text = template_editor_text(access.view(request), name)
        return text, validate_text(text)

    def validate_schema(text: str) -> str:
        """Check a JSON schema for one record: the problem with its JSON path, or the fields and examples found.

        Args:
            text: the JSON schema (an object with "properties", or the shorthand {"field": {...}}).
        """
        return validate_text(text)

    template.change(guarded(on_template), template, [schema, check], api_visibility="private")
    schema.input(lambda text: (CUSTOM, validate_text(text)), schema, [template, check], api_visibility="private")
    schema.change(validate_schema, schema, check, api_name="validate_schema", trigger_mode="always_last")

    def on_kind(k: str) -> tuple[Any, ...]:
        info = BACKEND_INFO.get(k, {})
        settings = info.get("settings", ())
        return (
            gr.update(info=info.get("label", "")),
            gr.update(info=info.get("model_hint", ""), choices=suggested_models(k), value=""),
            gr.update(visible="base_url" in settings, placeholder=info.get("default_url", "")),
            gr.update(visible="api_key" in settings),
            gr.update(visible=not info.get("local", True)),
            gr.update(visible=k == "llamacpp"),
        )

    kind.change(on_kind, kind, [kind, model, base_url, api_key, list_button, fetch_button], api_visibility="private")

    @guarded
    def download_model(model_: str, progress: gr.Progress = gr.Progress(track_tqdm=True)) -> str:  # noqa: B008
        """Download a Hub GGUF for the llama.cpp backend into the cache now, with a progress bar.

        Args:
            model_: ORG/REPO, ORG/REPO:FILE.gguf or ORG/REPO:Q4_K_M (a quantisation).
        """
        path = access.studio.fetch_model((model_ or "").strip())
        return f"Ready: **{model_}** is in the cache ({path}); runs with this model start at once."

    fetch_button.click(download_model, model, progress, api_name="download_model")

    @guarded
    def list_models(kind_: str, base_url_: str, api_key_: str) -> Any:
        """List the models a remote backend serves (ollama, hf_inference, openai_compat).

        Args:
            kind_: the backend kind, e.g. "openai_compat".
            base_url_: the server address, e.g. "http://127.0.0.1:8080/v1" (empty: the backend's default).
            api_key_: the API key for this call only; never stored.
        """
        names = access.studio.list_models(backend_choice(access.studio, kind_, "", base_url_, api_key_))
        if not names:
            gr.Warning("The server lists no models.")
        return gr.update(choices=names, value=names[0] if names else "")

    list_button.click(list_models, [kind, base_url, api_key], model, api_name="list_models")

    def request_from(
        studio: Studio, template_name: str, schema_text: str, n_: float | None, temperature_: float,
        batch_size_: float, seed_: str | float | None, price_in_: float | None, price_out_: float | None,
    ) -> GenerationRequest:  # fmt: skip
        if not n_ or int(n_) < 1:
            raise InputError("N must be at least 1")
        source = schema_source(studio, template_name, schema_text)
        return GenerationRequest(
            schema=source.schema,
            n=int(n_),
            temperature=float(temperature_),
            batch_size=int(batch_size_),
            seed=parse_seed(seed_),
            template=source.template,
            template_version=source.version,
            price_in=price(price_in_),
            price_out=price(price_out_),
        )

    @guarded_stream
    def generate(
        template_name: str,
        schema_text: str,
        kind_: str,
        model_: str,
        base_url_: str,
        api_key_: str,
        n_: float | None,
        temperature_: float,
        batch_size_: float,
        seed_: str | float | None,
        price_in_: float | None = 0,
        price_out_: float | None = 0,
        judge_: bool | None = False,
        judge_backend_: str | None = SAME_BACKEND,
        judge_model_: str | None = "",
        judge_base_url_: str | None = "",
        judge_api_key_: str | None = "",
        judge_threshold_: float | None = 0.5,
        judge_rubric_: str | None = "",
        judge_column_: str | None = "",
        executor_: str | None = "this machine",
        workers_: float | None = 0,
        request: gr.Request = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Generate N synthetic records and store them as a run; streams progress and the newest records.

        Args:
            template_name: a template from list_templates, or "(custom JSON schema)" to use schema_text.
            schema_text: a JSON schema for one record (used when template_name is "(custom JSON schema)").
            kind_: the backend: "llamacpp" (offline, bundled model), "transformers", "ollama", "hf_inference" or "openai_compat".
            model_: model name or path; empty for the backend's default (the bundled model for llamacpp).
            base_url_: server address for remote backends; empty for the default.
            api_key_: API key for remote backends, used for this run only and never stored.
            n_: how many valid, unique records to make.
            temperature_: sampling temperature, 0 to 2.
            batch_size_: records per batch.
            seed_: a whole number that reproduces the run, or empty for a random one.
            price_in_: USD per million prompt tokens, for the cost estimate (0: none).
            price_out_: USD per million generated tokens (0: none).
            judge_: true to score every record with an LLM judge (consistency and realism) and reject those below the threshold.
            judge_backend_: the judge's backend, "(same as generation)" or one of the backend kinds.
            judge_model_: the judge's model name or path; empty for that backend's default.
            judge_base_url_: the judge's server address for a remote backend; empty for the default.
            judge_api_key_: the judge's API key, used for this run only and never stored.
            judge_threshold_: records the judge scores below this (0 to 1) are rejected.
            judge_rubric_: what the judge checks, as text or {"criteria": {...}} JSON; empty for consistency and realism.
            judge_column_: a column name for each record's judge score in exports, e.g. "judge_score"; empty for none.
            executor_: "this machine"; "provider batch API" (openai_compat: batch jobs at half price); or "Ray cluster" to shard the run over the cluster in SYNTH_RAY_ADDRESS.
            workers_: Ray workers for the run; 0 for one per CPU of the cluster.

        Returns:
            The run id, a progress sentence, accept/reject counts and the newest records.
        """
        studio = access.view(request)
        wanted = request_from(
            studio, template_name, schema_text, n_, temperature_, batch_size_, seed_, price_in_, price_out_
        )
        judge = judge_choice(
            studio, judge_, judge_backend_, judge_model_, judge_base_url_, judge_api_key_,
            judge_threshold_, judge_rubric_, judge_column_,
        )  # fmt: skip
        choice = backend_choice(studio, kind_, model_, base_url_, api_key_)
        placed, batch_api = placement.choice(studio.settings.ray_address, executor_, workers_)
        wanted = dataclasses.replace(wanted, batch_api=batch_api)
        yield from stream_run(*studio.start(wanted, choice, judge=judge, executor=placed), show_run=True)

    where = [executor, workers]
    run_event = go.click(
        generate,
        [
            template,
            schema,
            *backend_inputs,
            n,
            temperature,
            batch_size,
            seed,
            price_in,
            price_out,
            *judge_inputs,
            *where,
        ],
        [run_id, progress, counts, table],
        api_name="generate",
        concurrency_id=CONCURRENCY_ID,
        concurrency_limit=8,
    )

    @guarded
    def cancel(run: float | None, request: gr.Request) -> str:
        """Stop a running generation after its current batch; the records made so far are kept.

        Args:
            run: the run id that generate returned.
        """
        run_id_ = opt_int(run)
        if run_id_ is None:
            return "Nothing is running."
        if access.view(request).cancel(run_id_):
            return f"Stopping run {run_id_} after the current batch; everything made so far is kept."
        return f"Run {run_id_} is not running."

    stop.click(cancel, run_id, progress, api_name="cancel", queue=False)

    def download(run: float | None, fmt_: str, request: gr.Request) -> str:
        """Write a stored run to a file in the chosen format and return the file.

        Args:
            run: the run id.
            fmt_: one of csv, json, jsonl, parquet, xlsx.
        """
        run_id_ = opt_int(run)
        if run_id_ is None:
            raise InputError("generate records first; the download is written when you ask for it")
        return access.files.keep(files, access.view(request).download(run_id_, fmt_ or "csv"), request)

    file_events(download_button, download, [run_id, fmt], files, download_note, "download")
    wire_preview(
        access,
        preview,
        request_from,
        [template, schema, *backend_inputs, n, temperature, batch_size, seed, price_in, price_out],
        [progress, table, estimate],
    )
    return GenerateTab(
        ways=door.ways,
        template=template,
        schema=schema,
        backend_inputs=backend_inputs,
        run_id=run_id,
        outputs=[run_id, progress, counts, table],
        finished=[run_event],
    )


def judge_panel(kinds: list[str]) -> list[Any]:
    """The Judge accordion: on/off, its backend, threshold, rubric and export column (in generate's order)."""
    with gr.Accordion("Judge", open=False):
        on = gr.Checkbox(
            False,
            label="Judge each record with a language model",
            info="Rates consistency and realism from 1 to 5 and rejects records that score below the threshold",
        )
        with gr.Row():
            kind = gr.Dropdown([SAME_BACKEND, *kinds], value=SAME_BACKEND, label="Judge backend")
            model = gr.Textbox("", label="Judge model", placeholder="empty: the backend's default")
        with gr.Row():
            base_url = gr.Textbox("", label="Judge base URL", visible=False)
            api_key = gr.Textbox(
                "", label="Judge API key (kept in this browser session only)", type="password", visible=False
            )
        threshold = gr.Slider(0.0, 1.0, value=0.5, step=0.05, label="Reject below this judge score")
        rubric = gr.Textbox(
            "",
            lines=3,
            max_lines=12,
            label="Rubric (empty: consistency and realism)",
            placeholder='What the judge checks, e.g. "The reply answers the question asked"; or {"criteria": {...}}',
        )
        column = gr.Textbox("", label="Score column in exports (empty: none)", placeholder="judge_score")

    def on_kind(k: str) -> tuple[Any, Any]:
        settings = BACKEND_INFO.get(k, {}).get("settings", ())
        url = BACKEND_INFO.get(k, {}).get("default_url", "")
        return gr.update(visible="base_url" in settings, placeholder=url), gr.update(visible="api_key" in settings)

    kind.change(on_kind, kind, [base_url, api_key], api_visibility="private")
    return [on, kind, model, base_url, api_key, threshold, rubric, column]
