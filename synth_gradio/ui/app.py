"""build_app(studio) -> gr.Blocks. It only assembles the tabs and the links between them; each tab wires
its own events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import gradio as gr

from synth_gradio.studio import Studio
from synth_gradio.ui import (
    analytics,
    compare,
    generate,
    history,
    imports,
    learn,
    quality,
    related,
    tables_quality,
    templates,
)
from synth_gradio.ui.access import Access
from synth_gradio.ui.files import OwnFilesOnly
from synth_gradio.ui.pickers import refresh_picker

INTRO = (
    "# synth_gradio\n"
    "Synthetic records from language models. Describe the records in words (or start from a template, your own "
    "data or SQL), check the fields, press **Preview 5** to see records and an estimate, then **Generate**, and "
    "download the result. Runs are kept in **History**."
)


def build_app(studio: Studio, notice: str = "", *, auth: bool = False, admins: Iterable[str] = ()) -> gr.Blocks:
    """`auth`: the app is launched with logins, so each user sees only their own runs (`admins`: all).

    Lists that hold runs or saved templates are filled per request (page load, tab opened), never
    when the page is built, so no user's runs are in the page everyone receives.
    """
    access = Access(studio, auth=auth, admins=admins)
    with gr.Blocks(title="synth_gradio") as demo:
        gr.Markdown(INTRO)
        if notice:
            gr.Markdown(f"> **Note:** {notice}")
        with gr.Tabs():
            with gr.Tab("Generate", id="generate"):
                generate_tab = generate.build(access)
                learn.build(access, generate_tab)
                related.build(access, generate_tab.backend_inputs)
                imports.build_table_generator(access, generate_tab.backend_inputs)
            with gr.Tab("History", id="history") as history_tab:
                hist = history.build(access, generate_tab)
            with gr.Tab("Quality", id="quality") as quality_tab:
                qual = quality.build(access)
                tables_quality.build(access)
            with gr.Tab("Analytics", id="analytics") as analytics_tab:
                show_analytics, since, charts = analytics.build(access)
            with gr.Tab("Template Builder", id="templates"):
                refresh_templates, template_pick, template_lists = templates.build(access, generate_tab)
            with gr.Tab("Compare", id="compare"):
                gr.Markdown("The schema comes from the Generate tab (its template or JSON editor).")
                compare.build(access, generate_tab)
        link_tabs(access, generate_tab, hist, qual)
        history_tab.select(*hist["opened"], api_visibility="private")
        quality_tab.select(qual["find_runs"], [qual["find"], qual["pick"]], qual["pick"], api_visibility="private")
        analytics_tab.select(show_analytics, since, charts, api_visibility="private")
        demo.load(refresh_templates, template_pick, template_lists, api_visibility="private")
    demo.synth_file_owners = access.files  # read by server_options when the app is launched
    return demo


def server_options(demo: gr.Blocks) -> dict[str, Any]:
    """Launch options the app needs: the check that serves files made from a user's runs to that user only."""
    from starlette.middleware import Middleware

    owners = getattr(demo, "synth_file_owners", None)
    if owners is None:
        return {}
    return {"app_kwargs": {"middleware": [Middleware(OwnFilesOnly, owners=owners)]}}


def link_tabs(access: Access, generate_tab: Any, hist: dict[str, Any], qual: dict[str, Any]) -> None:
    """A finished generation (or re-run, resume, learned run) becomes the selected run in History and Quality."""

    def select(run: float | None, request: gr.Request) -> tuple[Any, Any]:
        view = access.view(request)
        return refresh_picker(view, run), refresh_picker(view, run)

    targets = [hist["pick"], qual["pick"]]
    for event in generate_tab.finished:
        event.then(select, generate_tab.run_id, targets, api_visibility="private")
    for event in hist["finished"]:
        event.then(select, hist["run_id"], targets, api_visibility="private")
