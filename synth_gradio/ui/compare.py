"""Compare tab: one schema and N on 2 to 4 backend configurations, side by side, with charts."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.backends.registry import available_kinds
from synth_gradio.errors import InputError
from synth_gradio.quality import plots
from synth_gradio.studio import GenerationRequest, Studio
from synth_gradio.ui.common import guarded_stream
from synth_gradio.ui.generate import GenerateTab, backend_choice, parse_seed, schema_source
from synth_gradio.ui.pickers import hint_frame

SLOTS = 4


def _chart(table: pd.DataFrame) -> str | None:
    import matplotlib.pyplot as plt

    if table.empty:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(9, 3), layout="constrained")
    labels = [c[:28] for c in table["configuration"]]
    axes[0].barh(labels, table["quality score"].fillna(0), color="#4C72B0")
    axes[0].set_title("quality score", fontsize=10)
    axes[0].set_xlim(0, 100)
    axes[1].barh(labels, table["records/s"].fillna(0), color="#55A868")
    axes[1].set_title("records / s", fontsize=10)
    path = Path(tempfile.mkdtemp(prefix="synth_compare_")) / "comparison.png"
    return plots.save(fig, str(path))


def build(studio: Studio, generate_tab: GenerateTab) -> None:
    gr.Markdown(
        "Run the same schema on 2 to 4 backend configurations and compare validity, diversity, quality, speed and cost."
    )
    with gr.Row():
        n = gr.Number(20, label="Records per configuration (N)", precision=0, minimum=1)
        seed = gr.Textbox("", label="Seed (empty: random)")
    slots: list[Any] = []
    for i in range(SLOTS):
        with gr.Row():
            enabled = gr.Checkbox(value=i < 2, label=f"Use #{i + 1}", scale=1)
            kind = gr.Dropdown(available_kinds(), value="llamacpp", label="Backend", scale=2)
            model = gr.Textbox(label="Model", scale=2)
            base_url = gr.Textbox(label="Base URL", scale=2)
            api_key = gr.Textbox(label="API key", type="password", scale=2)
            temperature = gr.Slider(0, 2, value=[0.7, 1.2, 1.0, 1.0][i], step=0.05, label="Temperature", scale=2)
        slots += [enabled, kind, model, base_url, api_key, temperature]
    go = gr.Button("Compare", variant="primary")
    progress = gr.Markdown()
    table = gr.Dataframe(
        hint_frame("Press Compare: each configuration's validity, quality, speed and cost appear here"),
        label="Side by side",
        interactive=False,
    )
    chart = gr.Image(label="Quality and speed", type="filepath", visible=False)

    @guarded_stream
    def compare_models(
        template: str, schema_text: str, n_: float | None, seed_: str, *values: Any
    ) -> Iterator[tuple[Any, ...]]:
        """Run one schema on 2 to 4 backend configurations and compare validity, diversity, quality, speed and cost.

        Args:
            template: a template name, or "(custom JSON schema)" to use schema_text.
            schema_text: a JSON schema for one record (used with "(custom JSON schema)").
            n_: records per configuration.
            seed_: a whole number, or empty.
            values: for each of 4 slots: enabled, backend kind, model, base URL, API key, temperature.
        """
        if not n_ or int(n_) < 1:
            raise InputError("N must be at least 1")
        source = schema_source(studio, template, schema_text)
        configs = []
        for i in range(SLOTS):
            enabled, kind, model, base_url, api_key, temperature = values[i * 6 : (i + 1) * 6]
            if enabled:
                configs.append((backend_choice(studio, kind, model, base_url, api_key), float(temperature)))
        request = GenerationRequest(
            schema=source.schema,
            n=int(n_),
            seed=parse_seed(seed_),
            template=source.template,
            template_version=source.version,
        )
        group = None
        for group, latest, errors in studio.compare(request, configs):
            lines = [
                f"- **{name}**: {r.achieved}/{r.requested} ({r.status}), {r.records_per_s:.2f} rec/s"
                for name, r in latest.items()
            ]
            lines += [f"- **{name}**: failed: {err}" for name, err in errors.items()]
            yield "Comparison " + group + "\n" + "\n".join(lines), gr.update(), gr.update()
        frame = pd.DataFrame(studio.comparison_table(group)) if group else hint_frame("Nothing was compared")
        yield f"Comparison {group} finished.", frame, _chart(frame)

    go.click(
        compare_models,
        [generate_tab.template, generate_tab.schema, n, seed, *slots],
        [progress, table, chart],
        api_name="compare_models",
        concurrency_id="generate",
    ).then(lambda path: gr.update(visible=bool(path)), chart, chart, api_visibility="private")
