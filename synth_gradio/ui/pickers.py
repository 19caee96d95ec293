"""Run pickers: a dropdown of recent runs ("#id · title · status · n · time", newest first) beside a
hidden run-id number that the API endpoints take, so clients keep passing plain ids.
"""

from __future__ import annotations

import re
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.studio import Studio

RECENT = 50
_ID = re.compile(r"^\s*#?\s*(\d+)")


def run_label(run: dict[str, Any]) -> str:
    title = (run.get("template") or run.get("title") or "records")[:40]
    when = str(run["created_at"]).replace("T", " ")[:16]
    return f"#{run['id']} · {title} · {run['status']} · {run['achieved']} · {when}"


def run_choices(studio: Studio, search: str = "", limit: int = RECENT, **filters: Any) -> list[tuple[str, int]]:
    """(label, id) for the newest runs matching the search and filters."""
    return [(run_label(r), r["id"]) for r in studio.list_runs(search=search or "", limit=limit, **filters)]


def run_ref(value: Any) -> int | None:
    """A run id from a picker or a client: 12, 12.0, "12" or "#12 · title · ..."; blanks and 0 are None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) or None
    if not str(value).strip():
        return None
    match = _ID.match(str(value))
    if match is None:
        raise InputError(f"pick a run from the list (or give its id), got {value!r}")
    return int(match.group(1)) or None


def need_run(value: Any) -> int:
    run = run_ref(value)
    if run is None:
        raise InputError("pick a run first")
    return run


def hint_frame(text: str) -> pd.DataFrame:
    """An empty table whose one header is the hint, instead of Gradio's placeholder columns 1 2 3."""
    return pd.DataFrame(columns=[text])


def run_picker(studio: Studio, label: str = "Run", **kwargs: Any) -> tuple[gr.Dropdown, gr.Number]:
    """The dropdown people use and the hidden number the API takes; choosing in one sets the other."""
    choices = run_choices(studio)
    pick = gr.Dropdown(
        choices,
        value=None,
        label=label,
        info="Newest first; type to filter" if choices else "No runs yet: generate records in the Generate tab",
        allow_custom_value=True,
        filterable=True,
        **kwargs,
    )
    run_id = gr.Number(None, precision=0, visible=False, label="Run id")
    return pick, run_id


def picked(value: Any) -> int | None:
    """The picker's value as a run id for the hidden number (nothing raised while someone types)."""
    try:
        return run_ref(value)
    except InputError:
        return None


def refresh_picker(studio: Studio, selected: Any = None, search: str = "", **filters: Any) -> Any:
    """New choices for a picker; `selected` (an id) becomes its value when given."""
    choices = run_choices(studio, search, **filters)
    run = picked(selected)
    if run is not None and run not in {c[1] for c in choices}:
        try:
            choices = [(run_label(studio.get_run(run)), run), *choices]
        except InputError:
            run = None
    info = "Newest first; type to filter" if choices else "No run matches; clear the search or generate records"
    if run is None:
        return gr.update(choices=choices, info=info)
    return gr.update(choices=choices, value=run, info=info)
