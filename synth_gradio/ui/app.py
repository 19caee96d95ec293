"""build_app(studio) -> gr.Blocks. It only assembles the tabs and the links between them; each tab wires
its own events."""

from __future__ import annotations

from typing import Any

import gradio as gr

from synth_gradio.studio import Studio
from synth_gradio.ui import analytics, compare, generate, history, imports, learn, quality, templates
from synth_gradio.ui.pickers import refresh_picker

INTRO = (
    "# synth_gradio\n"
    "Synthetic records from language models. Pick a template or write a JSON schema, press **Preview 5** to see "
    "records and an estimate, then **Generate**, and download the result. Runs are kept in **History**."
)


def build_app(studio: Studio, notice: str = "") -> gr.Blocks:
    with gr.Blocks(title="synth_gradio") as demo:
        gr.Markdown(INTRO)
        if notice:
            gr.Markdown(f"> **Note:** {notice}")
        with gr.Tabs():
            with gr.Tab("Generate", id="generate"):
                generate_tab = generate.build(studio)
                learn.build(studio, generate_tab)
                imports.build_table_generator(studio, generate_tab.backend_inputs)
            with gr.Tab("History", id="history") as history_tab:
                hist = history.build(studio, generate_tab)
            with gr.Tab("Quality", id="quality") as quality_tab:
                qual = quality.build(studio)
            with gr.Tab("Analytics", id="analytics") as analytics_tab:
                show_analytics, since, charts = analytics.build(studio)
            with gr.Tab("Template Builder", id="templates"):
                templates.build(studio, generate_tab)
            with gr.Tab("Compare", id="compare"):
                gr.Markdown("The schema comes from the Generate tab (its template or JSON editor).")
                compare.build(studio, generate_tab)
        link_tabs(studio, generate_tab, hist, qual)
        history_tab.select(*hist["opened"], api_visibility="private")
        quality_tab.select(
            lambda text, sel: refresh_picker(studio, sel, text),
            [qual["find"], qual["pick"]],
            qual["pick"],
            api_visibility="private",
        )
        analytics_tab.select(show_analytics, since, charts, api_visibility="private")
    return demo


def link_tabs(studio: Studio, generate_tab: Any, hist: dict[str, Any], qual: dict[str, Any]) -> None:
    """A finished generation (or re-run, resume, learned run) becomes the selected run in History and Quality."""

    def select(run: float | None) -> tuple[Any, Any]:
        return refresh_picker(studio, run), refresh_picker(studio, run)

    targets = [hist["pick"], qual["pick"]]
    for event in generate_tab.finished:
        event.then(select, generate_tab.run_id, targets, api_visibility="private")
    for event in hist["finished"]:
        event.then(select, hist["run_id"], targets, api_visibility="private")
