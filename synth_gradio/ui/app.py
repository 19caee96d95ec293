"""build_app(studio) -> gr.Blocks. It only assembles the tabs; each tab wires its own events."""

from __future__ import annotations

import gradio as gr

from synth_gradio.studio import Studio
from synth_gradio.ui import compare, generate, history, imports, learn, quality, templates

INTRO = (
    "# synth_gradio\n"
    "Synthetic records from language models. Pick a template or write a JSON schema, press **Generate**, "
    "and download the result. Runs are kept in **History**."
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
            with gr.Tab("Quality", id="quality"):
                quality.build(studio)
            with gr.Tab("Template Builder", id="templates"):
                templates.build(studio, generate_tab)
            with gr.Tab("Compare", id="compare"):
                gr.Markdown("The schema comes from the Generate tab (its template or JSON editor).")
                compare.build(studio, generate_tab)
        list_runs, filters = hist["refresh"]
        history_tab.select(list_runs, filters, hist["runs"], api_visibility="private")
    return demo
