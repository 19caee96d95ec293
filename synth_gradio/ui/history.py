"""History tab: find runs, pick one, inspect it, export, delete, re-run, resume or publish it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.backends.registry import available_kinds
from synth_gradio.errors import InputError
from synth_gradio.studio import EXPORT_FORMATS, STATUSES, SUMMARY_FIELDS
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import file_events, guarded, guarded_stream, records_frame
from synth_gradio.ui.generate import CONCURRENCY_ID, GenerateTab, backend_choice, stream_run
from synth_gradio.ui.pickers import hint_frame, need_run, picked, refresh_picker, run_choices, run_picker
from synth_gradio.ui.publish import build_publish

PAGE = 25
COLUMNS = ["id", "created", "title / template", "backend:model", "achieved/requested", "status", "score", "duration s"]
NO_RUNS = "No runs yet: generate records in the Generate tab"
NO_MATCH = "No run matches these filters"


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


def runs_frame(runs: list[dict[str, Any]], hint: str = NO_RUNS) -> pd.DataFrame:
    if not runs:
        return hint_frame(hint)
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


def build(access: Access, generate_tab: GenerateTab) -> dict[str, Any]:
    initial = access.initial  # the page starts empty; opening the tab lists the user's runs
    with gr.Row():
        search = gr.Textbox(label="Search title and schema", scale=3)
        backend = gr.Dropdown(["", *available_kinds()], value="", label="Backend", scale=1)
        status = gr.Dropdown(["", *STATUSES], value="", label="Status", scale=1)
        since = gr.DateTime(label="From", include_time=False, type="string", scale=1)
        until = gr.DateTime(label="To", include_time=False, type="string", scale=1)
        page = gr.Number(1, label="Page", precision=0, minimum=1, scale=1)
        refresh = gr.Button("Search", scale=1)
    runs = gr.Dataframe(
        runs_frame(initial.list_runs(limit=PAGE)), label="Runs (select a row)", interactive=False, max_height=360
    )
    with gr.Row():
        pick, run_id = run_picker(initial, "Selected run", scale=3)
        fmt = gr.Dropdown(EXPORT_FORMATS, value="csv", label="Export format", scale=1)
        export = gr.Button("Export", scale=1)
        rerun_button = gr.Button("Re-run with same settings", scale=1)
        resume_button = gr.Button("Resume", scale=1)
    with gr.Row():
        confirm = gr.Checkbox(label="Yes, delete this run and its records", value=False)
        delete = gr.Button("Delete run", variant="stop")
    message = gr.Markdown(label="message", show_label=False)
    export_file = gr.File(label="Exported file", interactive=False, elem_id="export-file")
    with gr.Row():
        details = gr.JSON(label="Schema, parameters and reject reasons")
        preview = gr.Dataframe(
            hint_frame("Pick a run to see its records"),
            label="Records preview (first 200)",
            interactive=False,
            max_height=420,
            wrap=True,
        )
    build_publish(access, run_id)

    def _filters(text: str, kind: str, state: str, start: Any, end: Any) -> dict[str, Any]:
        return {
            "search": text or "",
            "backend": kind or "",
            "status": state or "",
            "since": _date(start),
            "until": _date(end, True),
        }

    @guarded
    def list_runs(
        text: str, kind: str, state: str, start: Any, end: Any, page_no: float | None, request: gr.Request = None
    ) -> pd.DataFrame:
        """List stored runs, newest first, 25 per page (with logins: the caller's own; an admin's: all).

        Args:
            text: words to find in the run's title, template or schema (empty: all runs).
            kind: only runs of this backend, e.g. "llamacpp" (empty: any).
            state: only runs with this status: completed, failed, cancelled, interrupted, running (empty: any).
            start: only runs created on or after this day, e.g. "2026-01-31" (empty: no limit).
            end: only runs created on or before this day (empty: no limit).
            page_no: the page, from 1.

        Returns:
            A table: id, created, title / template, backend:model, achieved/requested, status, score, duration s.
        """
        offset = (max(1, int(page_no or 1)) - 1) * PAGE
        found = access.view(request).list_runs(**_filters(text, kind, state, start, end), limit=PAGE, offset=offset)
        filtered = any((text, kind, state, start, end)) or offset
        return runs_frame(found, NO_MATCH if filtered else NO_RUNS)

    def picker_choices(
        text: str, kind: str, state: str, start: Any, end: Any, selected: Any, request: gr.Request = None
    ) -> Any:
        try:
            return refresh_picker(access.view(request), selected, **_filters(text, kind, state, start, end))
        except InputError:
            return gr.update()

    filters = [search, backend, status, since, until, page]
    refresh.click(list_runs, filters, runs, api_name="list_runs").then(
        picker_choices, [*filters[:5], pick], pick, api_visibility="private"
    )

    def on_select(frame: pd.DataFrame, evt: gr.SelectData, request: gr.Request) -> Any:
        if "id" not in frame.columns or not len(frame):
            return gr.update()
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        return refresh_picker(access.view(request), int(frame.iloc[row]["id"]))

    @guarded
    def get_run(run: float | None, request: gr.Request = None) -> tuple[Any, Any, str]:
        """A stored run's details (schema, parameters, status, counts, reject reasons) and its first 200 records.

        Args:
            run: the run id (from list_runs).

        Returns:
            The run as JSON, its first records as a table, and a one-line status.
        """
        studio = access.view(request)
        data = studio.get_run(need_run(run))
        shown = {k: data[k] for k in (*SUMMARY_FIELDS, "params", "strategies", "reject_counts", "schema")}
        score = (data.get("quality") or {}).get("score")
        return (
            shown,
            records_frame(studio.records(data["id"]), limit=200, hint="This run has no records"),
            f"Run {data['id']}: **{data['status']}**" + (f", quality score {score['score']}" if score else ""),
        )

    def show_picked(run: float | None, request: gr.Request) -> tuple[Any, Any, str]:
        if run is None:
            return None, hint_frame("Pick a run to see its records"), ""
        return get_run(run, request)

    runs.select(on_select, runs, pick, api_visibility="private")
    pick.change(picked, pick, run_id, api_visibility="private").then(
        show_picked, run_id, [details, preview, message], api_visibility="private"
    )
    gr.Button(visible=False).click(get_run, run_id, [details, preview, message], api_name="get_run")

    def export_run(run: float | None, fmt_: str, request: gr.Request) -> str:
        """Write a stored run to a file (csv, json, jsonl, parquet or xlsx) and return the file.

        Args:
            run: the run id.
            fmt_: one of csv, json, jsonl, parquet, xlsx.
        """
        return access.files.keep(export_file, access.view(request).download(need_run(run), fmt_ or "csv"), request)

    file_events(export, export_run, [run_id, fmt], export_file, message, "export_run")

    def cleared_picker(request: gr.Request) -> Any:
        return gr.update(choices=run_choices(access.view(request)), value=None)

    @guarded
    def delete_run(run: float | None, sure: bool, request: gr.Request) -> str:
        """Delete a stored run and its records (cannot be undone).

        Args:
            run: the run id.
            sure: must be true to confirm the deletion.
        """
        rid = need_run(run)
        if not sure:
            raise InputError("tick the confirmation box to delete the run")
        access.view(request).delete_run(rid)
        return f"Deleted run {rid}."

    delete.click(delete_run, [run_id, confirm], message, api_name="delete_run").then(
        list_runs, filters, runs, api_visibility="private"
    ).then(lambda: False, None, confirm, api_visibility="private").then(
        cleared_picker, None, pick, api_visibility="private"
    )

    def _choice(kind: str, model: str, base_url: str, api_key: str) -> Any:
        # Keys come from this session's Generate tab; the stored run has none.
        return backend_choice(access.studio, kind, model, base_url, api_key)

    outputs = [run_id, message, gr.Markdown(visible=False, label="counts"), preview]

    @guarded_stream
    def rerun(
        run: float | None,
        kind_: str = "",
        model_: str = "",
        base_url_: str = "",
        api_key_: str = "",
        request: gr.Request = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Start a new run with a stored run's schema and parameters; streams like generate.

        Args:
            run: the id of the run to repeat.
            kind_: the backend kind; the run's own backend is used unless this names the same kind.
            model_: model override (empty: the run's model).
            base_url_: server address override (empty: the run's).
            api_key_: API key for remote backends, used for this run only and never stored.
        """
        studio = access.view(request)
        yield from stream_run(*studio.rerun(need_run(run), _choice(kind_, model_, base_url_, api_key_)))

    @guarded_stream
    def resume(
        run: float | None,
        kind_: str = "",
        model_: str = "",
        base_url_: str = "",
        api_key_: str = "",
        request: gr.Request = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Complete an interrupted, cancelled or failed run to its N; streams like generate.

        Args:
            run: the id of the run to complete.
            kind_: the backend kind; the run's own backend is used unless this names the same kind.
            model_: model override (empty: the run's model).
            base_url_: server address override (empty: the run's).
            api_key_: API key for remote backends, used for this run only and never stored.
        """
        studio = access.view(request)
        yield from stream_run(*studio.resume(need_run(run), _choice(kind_, model_, base_url_, api_key_)))

    backend_inputs = generate_tab.backend_inputs
    finished = [
        rerun_button.click(rerun, [run_id, *backend_inputs], outputs, api_name="rerun", concurrency_id=CONCURRENCY_ID),
        resume_button.click(
            resume, [run_id, *backend_inputs], outputs, api_name="resume", concurrency_id=CONCURRENCY_ID
        ),
    ]

    def on_open(
        text: str, kind: str, state: str, start: Any, end: Any, page_no: Any, selected: Any, request: gr.Request
    ) -> tuple[Any, Any]:
        return list_runs(text, kind, state, start, end, page_no, request), picker_choices(
            text, kind, state, start, end, selected, request
        )

    opened = (on_open, [*filters, pick], [runs, pick])
    return {"opened": opened, "pick": pick, "run_id": run_id, "finished": finished}
