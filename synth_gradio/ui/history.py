"""History tab: find runs, inspect one, export, delete, re-run or resume."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.backends.registry import available_kinds
from synth_gradio.errors import InputError
from synth_gradio.studio import EXPORT_FORMATS, STATUSES, SUMMARY_FIELDS, Studio
from synth_gradio.ui.common import guarded, guarded_stream, opt_int, records_frame
from synth_gradio.ui.generate import CONCURRENCY_ID, GenerateTab, backend_choice, stream_run

PAGE = 25
COLUMNS = ["id", "created", "title / template", "backend:model", "achieved/requested", "status", "score", "duration s"]


def _date(value: Any, end: bool = False) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        day = dt.datetime.fromtimestamp(value, dt.UTC).replace(tzinfo=None)
    else:
        try:
            day = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise InputError(f"dates look like 2026-01-31, got {value!r}") from None
    return day + dt.timedelta(days=1) if end and day.time() == dt.time() else day


def runs_frame(runs: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for r in runs:
        score = (r.get("quality") or {}).get("score", {}).get("score")
        rows.append(
            [
                r["id"],
                r["created_at"].replace("T", " "),
                r["template"] or r["title"],
                f"{r['backend']}:{r['model']}",
                f"{r['achieved']}/{r['requested']}",
                r["status"],
                "" if score is None else score,
                r["duration_s"],
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def build(studio: Studio, generate_tab: GenerateTab) -> dict[str, Any]:
    with gr.Row():
        search = gr.Textbox(label="Search title and schema", scale=3)
        backend = gr.Dropdown(["", *available_kinds()], value="", label="Backend", scale=1)
        status = gr.Dropdown(["", *STATUSES], value="", label="Status", scale=1)
        since = gr.DateTime(label="From", include_time=False, type="string", scale=1)
        until = gr.DateTime(label="To", include_time=False, type="string", scale=1)
        page = gr.Number(1, label="Page", precision=0, minimum=1, scale=1)
        refresh = gr.Button("Search", scale=1)
    runs = gr.Dataframe(
        runs_frame(studio.list_runs(limit=PAGE)), label="Runs (select a row)", interactive=False, max_height=360
    )
    with gr.Row():
        run_id = gr.Number(None, label="Selected run", precision=0)
        fmt = gr.Dropdown(EXPORT_FORMATS, value="csv", label="Export format")
        export = gr.Button("Export")
        rerun = gr.Button("Re-run with same settings")
        resume = gr.Button("Resume")
    with gr.Row():
        confirm = gr.Checkbox(label="Yes, delete this run and its records", value=False)
        delete = gr.Button("Delete run", variant="stop")
    message = gr.Markdown()
    export_file = gr.File(label="Exported file", interactive=False)
    with gr.Row():
        details = gr.JSON(label="Schema, parameters and reject reasons")
        preview = gr.Dataframe(label="Records preview (first 200)", interactive=False, max_height=420, wrap=True)

    @guarded
    def list_runs(text: str, kind: str, state: str, start: Any, end: Any, page_no: float | None) -> pd.DataFrame:
        offset = (max(1, int(page_no or 1)) - 1) * PAGE
        found = studio.list_runs(
            search=text or "",
            backend=kind or "",
            status=state or "",
            since=_date(start),
            until=_date(end, True),
            limit=PAGE,
            offset=offset,
        )
        return runs_frame(found)

    filters = [search, backend, status, since, until, page]
    refresh.click(list_runs, filters, runs, api_name="list_runs")

    def on_select(frame: pd.DataFrame, evt: gr.SelectData) -> Any:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        return int(frame.iloc[row]["id"])

    @guarded
    def get_run(run: float | None) -> tuple[Any, Any, str]:
        if opt_int(run) is None:
            raise InputError("select a run first")
        data = studio.get_run(int(run))
        shown = {k: data[k] for k in (*SUMMARY_FIELDS, "params", "strategies", "reject_counts", "schema")}
        score = (data.get("quality") or {}).get("score")
        return (
            shown,
            records_frame(studio.preview(int(run)), limit=200),
            f"Run {data['id']}: **{data['status']}**" + (f", quality score {score['score']}" if score else ""),
        )

    runs.select(on_select, runs, run_id, api_visibility="private").then(
        get_run, run_id, [details, preview, message], api_name="select_run", api_visibility="private"
    )
    run_id.submit(get_run, run_id, [details, preview, message], api_name="get_run")
    show = gr.Button("Show run", size="sm")
    show.click(get_run, run_id, [details, preview, message], api_name="show_run", api_visibility="undocumented")

    @guarded
    def export_run(run: float | None, fmt_: str) -> str:
        if opt_int(run) is None:
            raise InputError("select a run first")
        return str(studio.download(int(run), fmt_ or "csv"))

    export.click(export_run, [run_id, fmt], export_file, api_name="export_run")

    @guarded
    def delete_run(run: float | None, sure: bool) -> str:
        if opt_int(run) is None:
            raise InputError("select a run first")
        if not sure:
            raise InputError("tick the confirmation box to delete the run")
        studio.delete_run(int(run))
        return f"Deleted run {int(run)}."

    delete.click(delete_run, [run_id, confirm], message, api_name="delete_run").then(
        list_runs, filters, runs, api_visibility="private"
    ).then(lambda: False, None, confirm, api_visibility="private")

    def _choice(kind: str, model: str, base_url: str, api_key: str) -> Any:
        # Keys come from this session's Generate tab; the stored run has none.
        return backend_choice(studio, kind, model, base_url, api_key)

    outputs = [run_id, message, gr.Markdown(visible=False), preview]

    @guarded_stream
    def rerun_run(run: float | None, *backend_values: str) -> Iterator[tuple[Any, ...]]:
        if opt_int(run) is None:
            raise InputError("select a run first")
        yield from stream_run(*studio.rerun(int(run), _choice(*backend_values)))

    @guarded_stream
    def resume_run(run: float | None, *backend_values: str) -> Iterator[tuple[Any, ...]]:
        if opt_int(run) is None:
            raise InputError("select a run first")
        yield from stream_run(*studio.resume(int(run), _choice(*backend_values)))

    backend_inputs = generate_tab.backend_inputs
    rerun.click(rerun_run, [run_id, *backend_inputs], outputs, api_name="rerun", concurrency_id=CONCURRENCY_ID)
    resume.click(resume_run, [run_id, *backend_inputs], outputs, api_name="resume", concurrency_id=CONCURRENCY_ID)
    return {"runs": runs, "refresh": (list_runs, filters)}
