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
from synth_gradio.studio import GenerationRequest
from synth_gradio.ui.access import Access
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


def build(access: Access, generate_tab: GenerateTab) -> None:
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
    progress = gr.Markdown(label="progress", show_label=False)
    table = gr.Dataframe(
        hint_frame("Press Compare: each configuration's validity, quality, speed and cost appear here"),
        label="Side by side",
        interactive=False,
    )
    chart = gr.Image(label="Quality and speed", type="filepath", visible=False)

    @guarded_stream
    def compare_models(
        template: str, schema_text: str, n_: float | None, seed_: str,
        use_1: bool, backend_1: str, model_1: str, base_url_1: str, api_key_1: str, temperature_1: float,
        use_2: bool, backend_2: str, model_2: str, base_url_2: str, api_key_2: str, temperature_2: float,
        use_3: bool, backend_3: str, model_3: str, base_url_3: str, api_key_3: str, temperature_3: float,
        use_4: bool, backend_4: str, model_4: str, base_url_4: str, api_key_4: str, temperature_4: float,
        request: gr.Request = None,
    ) -> Iterator[tuple[Any, ...]]:  # fmt: skip
        """Run one schema on 2 to 4 backend configurations and compare validity, diversity, quality, speed and cost.

        Args:
            template: a template name, or "(custom JSON schema)" to use schema_text.
            schema_text: a JSON schema for one record (used with "(custom JSON schema)").
            n_: records per configuration.
            seed_: a whole number, or empty.
            use_1: true to run configuration 1.
            backend_1: configuration 1's backend kind, e.g. "llamacpp" or "openai_compat".
            model_1: configuration 1's model name or path (empty: the backend's default).
            base_url_1: configuration 1's server address for remote backends (empty: the default).
            api_key_1: configuration 1's API key, used for this comparison only and never stored.
            temperature_1: configuration 1's sampling temperature, 0 to 2.
            use_2: true to run configuration 2.
            backend_2: configuration 2's backend kind.
            model_2: configuration 2's model name or path (empty: the default).
            base_url_2: configuration 2's server address (empty: the default).
            api_key_2: configuration 2's API key, never stored.
            temperature_2: configuration 2's sampling temperature, 0 to 2.
            use_3: true to run configuration 3.
            backend_3: configuration 3's backend kind.
            model_3: configuration 3's model name or path (empty: the default).
            base_url_3: configuration 3's server address (empty: the default).
            api_key_3: configuration 3's API key, never stored.
            temperature_3: configuration 3's sampling temperature, 0 to 2.
            use_4: true to run configuration 4.
            backend_4: configuration 4's backend kind.
            model_4: configuration 4's model name or path (empty: the default).
            base_url_4: configuration 4's server address (empty: the default).
            api_key_4: configuration 4's API key, never stored.
            temperature_4: configuration 4's sampling temperature, 0 to 2.

        Returns:
            A progress sentence, the side-by-side table and a chart of quality score and records/s.
        """
        if not n_ or int(n_) < 1:
            raise InputError("N must be at least 1")
        studio = access.view(request)
        source = schema_source(studio, template, schema_text)
        slots_ = [
            (use_1, backend_1, model_1, base_url_1, api_key_1, temperature_1),
            (use_2, backend_2, model_2, base_url_2, api_key_2, temperature_2),
            (use_3, backend_3, model_3, base_url_3, api_key_3, temperature_3),
            (use_4, backend_4, model_4, base_url_4, api_key_4, temperature_4),
        ]
        configs = [
            (backend_choice(studio, kind, model, base_url, api_key), float(temperature))
            for enabled, kind, model, base_url, api_key, temperature in slots_
            if enabled
        ]
        wanted = GenerationRequest(
            schema=source.schema,
            n=int(n_),
            seed=parse_seed(seed_),
            template=source.template,
            template_version=source.version,
        )
        group = None
        for group, latest, errors in studio.compare(wanted, configs):
            lines = [
                f"- **{name}**: {r.achieved}/{r.requested} ({r.status}), {r.records_per_s:.2f} rec/s"
                for name, r in latest.items()
            ]
            lines += [f"- **{name}**: failed: {err}" for name, err in errors.items()]
            yield "Comparison " + group + "\n" + "\n".join(lines), gr.update(), gr.update()
        frame = pd.DataFrame(studio.comparison_table(group)) if group else hint_frame("Nothing was compared")
        drawn = _chart(frame)
        yield f"Comparison {group} finished.", frame, drawn and access.files.keep(chart, drawn, request)

    go.click(
        compare_models,
        [generate_tab.template, generate_tab.schema, n, seed, *slots],
        [progress, table, chart],
        api_name="compare_models",
        concurrency_id="generate",
    ).then(lambda path: gr.update(visible=bool(path)), chart, chart, api_visibility="private")
