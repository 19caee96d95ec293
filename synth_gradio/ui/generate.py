"""Generate tab: schema source, backend picker, controls, streamed progress and downloads."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from synth_gradio.backends.registry import BACKEND_INFO, available_kinds
from synth_gradio.errors import InputError, SynthError
from synth_gradio.schema.model import load_schema
from synth_gradio.studio import EXPORT_FORMATS, BackendConfig, BatchResult, GenerationRequest, ResolvedSchema, Studio
from synth_gradio.ui.common import CUSTOM, counts_text, guarded, guarded_stream, opt_int, progress_text, records_frame

MIN_UPDATE_S = 0.3  # at most a few table updates per second
CONCURRENCY_ID = "generate"


@dataclass
class GenerateTab:
    template: gr.Dropdown
    schema: gr.Code
    backend_inputs: list[Any]  # kind, model, base_url, api_key
    run_id: gr.Number
    outputs: list[Any]  # run id, progress, counts, records table: what stream_run updates


def template_choices(studio: Studio) -> list[str]:
    return [CUSTOM] + [t["name"] for t in studio.catalog.list()]


def template_editor_text(studio: Studio, name: str) -> str:
    data = studio.catalog.get(name)
    schema = dict(data["schema"])
    if data["examples"]:
        schema["examples"] = data["examples"]
    return json.dumps(schema, indent=2, ensure_ascii=False)


def validate_text(text: str) -> str:
    if not text or not text.strip():
        return "Paste a JSON schema, or choose a template."
    try:
        schema = load_schema(text)
    except SynthError as exc:
        return f"❌ {exc}"
    names = ", ".join(f.name for f in schema.fields[:8]) + (" ..." if len(schema.fields) > 8 else "")
    return f"✅ Valid schema: {len(schema.fields)} fields ({names}), {len(schema.examples)} examples"


def schema_source(studio: Studio, template_name: str | None, schema_text: str | None) -> ResolvedSchema:
    """The Generate tab's schema: the picked template, or the JSON editor when "custom" is picked."""
    if template_name and template_name != CUSTOM:
        return studio.resolve_schema(template=template_name)
    return studio.resolve_schema(text=schema_text)


def backend_choice(studio: Studio, kind: str, model: str, base_url: str, api_key: str) -> BackendConfig:
    """This session's backend picks; the key lives only in the call that carries it."""
    return studio.backend_config(kind or None, model=model, base_url=base_url, api_key=api_key)


def parse_seed(value: str | float | None) -> int | None:
    """Blank means a random seed; anything else must be a whole number (0 included)."""
    if value is None or not str(value).strip():
        return None
    try:
        return int(float(str(value).strip()))
    except ValueError:
        raise InputError(f"the seed must be a whole number, got {value!r}") from None


def stream_run(run_id: int, results: Iterator[BatchResult]) -> Iterator[tuple[Any, ...]]:
    """Turn BatchResults into page updates: at most a few per second, always the last one.

    Nothing is exported here: files are written when the user asks for a format.
    """
    yield (
        run_id,
        f"**Starting** run {run_id}: loading the model and writing the first batch...",
        "",
        records_frame([]),
    )
    records: list[dict[str, Any]] = []
    last_yield = 0.0
    last: BatchResult | None = None
    for last in results:
        records.extend(last.accepted)
        records = records[-200:]
        now = time.monotonic()
        if last.done or now - last_yield >= MIN_UPDATE_S:
            last_yield = now
            yield last.run_id, progress_text(last), counts_text(last), records_frame(records)
    if last is not None and last.status == "failed":
        gr.Warning(last.error or "generation failed")


def build(studio: Studio) -> GenerateTab:
    kinds = available_kinds()
    with gr.Row():
        with gr.Column(scale=2):
            template = gr.Dropdown(
                template_choices(studio),
                value="customer_data",
                label="Template",
                info="A built-in or saved template, or your own JSON schema",
            )
            schema = gr.Code(
                template_editor_text(studio, "customer_data"),
                language="json",
                label="JSON schema (one record)",
                lines=16,
                max_lines=28,
                interactive=True,
            )
            check = gr.Markdown(validate_text(template_editor_text(studio, "customer_data")))
            with gr.Accordion("Backend", open=False):
                kind = gr.Dropdown(kinds, value="llamacpp", label="Backend", info=BACKEND_INFO["llamacpp"]["label"])
                model = gr.Dropdown(
                    [], value="", label="Model", info=BACKEND_INFO["llamacpp"]["model_hint"], allow_custom_value=True
                )
                base_url = gr.Textbox(label="Base URL", visible=False)
                api_key = gr.Textbox(
                    label="API key (kept in this browser session only)", type="password", visible=False
                )
                list_button = gr.Button("List models", size="sm", visible=False)
            with gr.Row():
                n = gr.Number(50, label="Records (N)", precision=0, minimum=1, maximum=100_000)
                temperature = gr.Slider(0.0, 2.0, value=1.0, step=0.05, label="Temperature")
            with gr.Row():
                batch_size = gr.Slider(1, 64, value=16, step=1, label="Batch size")
                seed = gr.Textbox("", label="Seed (empty: random)", placeholder="e.g. 42")
            with gr.Row():
                go = gr.Button("Generate", variant="primary")
                stop = gr.Button("Stop", variant="stop")
        with gr.Column(scale=3):
            run_id = gr.Number(None, label="Run", precision=0, interactive=False)
            progress = gr.Markdown("Choose a template or write a schema, then press **Generate**.")
            counts = gr.Markdown()
            table = gr.Dataframe(
                label="Newest records (up to 200)",
                interactive=False,
                wrap=True,
                max_height=520,
                elem_id="records-table",
            )
            with gr.Row():
                fmt = gr.Dropdown(EXPORT_FORMATS, value="csv", label="Download format", scale=1)
                download = gr.Button("Download", scale=1)
            files = gr.File(label="Download", interactive=False)

    backend_inputs = [kind, model, base_url, api_key]

    def on_template(name: str) -> tuple[Any, str]:
        if not name or name == CUSTOM:
            return gr.update(), validate_text("")
        text = template_editor_text(studio, name)
        return text, validate_text(text)

    template.change(guarded(on_template), template, [schema, check], api_visibility="private")
    schema.input(lambda text: (CUSTOM, validate_text(text)), schema, [template, check], api_visibility="private")
    schema.change(validate_text, schema, check, api_name="validate_schema", trigger_mode="always_last")

    def on_kind(k: str) -> tuple[Any, ...]:
        info = BACKEND_INFO.get(k, {})
        settings = info.get("settings", ())
        return (
            gr.update(info=info.get("label", "")),
            gr.update(info=info.get("model_hint", ""), choices=[], value=""),
            gr.update(visible="base_url" in settings, placeholder=info.get("default_url", "")),
            gr.update(visible="api_key" in settings),
            gr.update(visible=not info.get("local", True)),
        )

    kind.change(on_kind, kind, [kind, model, base_url, api_key, list_button], api_visibility="private")

    @guarded
    def list_models(kind_: str, base_url_: str, api_key_: str) -> Any:
        names = studio.list_models(backend_choice(studio, kind_, "", base_url_, api_key_))
        if not names:
            gr.Warning("The server lists no models.")
        return gr.update(choices=names, value=names[0] if names else "")

    list_button.click(list_models, [kind, base_url, api_key], model, api_name="list_models")

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
    ) -> Iterator[tuple[Any, ...]]:
        if not n_ or int(n_) < 1:
            raise InputError("N must be at least 1")
        source = schema_source(studio, template_name, schema_text)
        request = GenerationRequest(
            schema=source.schema,
            n=int(n_),
            temperature=float(temperature_),
            batch_size=int(batch_size_),
            seed=parse_seed(seed_),
            template=source.template,
            template_version=source.version,
        )
        choice = backend_choice(studio, kind_, model_, base_url_, api_key_)
        yield from stream_run(*studio.start(request, choice))

    go.click(
        generate,
        [template, schema, *backend_inputs, n, temperature, batch_size, seed],
        [run_id, progress, counts, table],
        api_name="generate",
        concurrency_id=CONCURRENCY_ID,
        concurrency_limit=8,
    )

    @guarded
    def cancel(run: float | None) -> str:
        run_id_ = opt_int(run)
        if run_id_ is None:
            return "Nothing is running."
        if studio.cancel(run_id_):
            return f"Stopping run {run_id_} after the current batch; everything made so far is kept."
        return f"Run {run_id_} is not running."

    stop.click(cancel, run_id, progress, api_name="cancel", queue=False)

    @guarded
    def download_run(run: float | None, fmt_: str) -> str:
        run_id_ = opt_int(run)
        if run_id_ is None:
            raise InputError("generate records first; the download is written when you ask for it")
        return str(studio.download(run_id_, fmt_ or "csv"))

    download.click(download_run, [run_id, fmt], files, api_name="download")
    return GenerateTab(
        template=template,
        schema=schema,
        backend_inputs=backend_inputs,
        run_id=run_id,
        outputs=[run_id, progress, counts, table],
    )
