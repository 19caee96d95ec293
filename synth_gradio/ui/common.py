"""Shared UI helpers: errors as sentences, record tables, progress text."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.errors import SynthError
from synth_gradio.export import flatten
from synth_gradio.studio import BatchResult

log = logging.getLogger(__name__)
TABLE_ROWS = 200
MIN_UPDATE_S = 0.3  # at most a few table updates per second
CUSTOM = "(custom JSON schema)"


def as_gr_error(exc: BaseException) -> gr.Error:
    """A sentence the user can act on; unexpected errors are logged, never shown as a traceback."""
    if isinstance(exc, gr.Error):
        return exc
    if isinstance(exc, SynthError):
        return gr.Error(str(exc))
    log.exception("unexpected error in a UI handler")
    return gr.Error(f"Something went wrong ({type(exc).__name__}). The details are in the server log.")


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a plain handler so every failure reaches the page as one clear sentence."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise as_gr_error(exc) from None

    return wrapper


def guarded_stream(fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """The same for streaming (generator) handlers."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from fn(*args, **kwargs)
        except Exception as exc:
            raise as_gr_error(exc) from None

    return wrapper


def opt_int(value: Any) -> int | None:
    """An optional whole number from a form field: None, "", 0 and blanks mean "not given"."""
    if value is None or str(value).strip() in ("", "0", "0.0"):
        return None
    try:
        return int(float(str(value).strip()))
    except ValueError:
        from synth_gradio.errors import InputError

        raise InputError(f"expected a whole number, got {value!r}") from None


def records_frame(records: list[dict[str, Any]], limit: int = TABLE_ROWS, hint: str = "No records yet") -> pd.DataFrame:
    """The newest `limit` records as a flat table (Gradio re-renders the whole table on update);
    with no records, an empty table whose header is `hint` (never Gradio's placeholder columns)."""
    rows = [flatten(r) for r in records[-limit:]]
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=[hint])


def file_events(
    button: gr.Button, fn: Callable[..., str], inputs: list[Any], file_out: Any, note: Any, api_name: str
) -> None:
    """A file made on request. The page's button never fails: a problem is one sentence in `note`
    and every other output keeps its data. The API endpoint `api_name` (same inputs) raises as usual."""

    def for_page(*args: Any) -> tuple[Any, str]:
        try:
            return fn(*args), ""
        except Exception as exc:
            message = as_gr_error(exc).message
            gr.Warning(message)
            return gr.update(), f"The file could not be made: {message}"

    # fn's signature, so Gradio passes the same values (a gr.Request included) to the page's button
    functools.update_wrapper(for_page, fn, assigned=("__annotations__", "__doc__"), updated=())
    button.click(for_page, inputs, [file_out, note], api_visibility="private")
    gr.Button(visible=False).click(guarded(fn), inputs, file_out, api_name=api_name)


def progress_text(r: BatchResult) -> str:
    eta = f"{r.eta_s:.0f} s" if r.eta_s is not None and r.status == "running" else "-"
    state = {"running": "Generating", "completed": "Done", "cancelled": "Stopped", "failed": "Failed"}.get(
        r.status, r.status
    )
    pct = 100 * r.achieved / max(1, r.requested)
    lines = [
        f"**{state}** run {r.run_id}: {r.achieved}/{r.requested} records ({pct:.0f}%), "
        f"{r.records_per_s:.2f} records/s, ETA {eta}, {r.elapsed_s:.1f} s elapsed",
    ]
    if r.error:
        lines.append(f"\n**{'Stopped' if r.status != 'failed' else 'Error'}:** {r.error}")
    return "\n".join(lines)


def counts_text(r: BatchResult) -> str:
    rejected = r.rejected_total
    duplicates = sum(c for k, c in r.reject_counts.items() if k.startswith("duplicate"))
    parts = [
        f"Accepted **{r.achieved}**",
        f"rejected **{rejected}**",
        f"duplicates **{duplicates}**",
        f"tokens {r.total_tokens}",
    ]
    text = " · ".join(parts)
    if r.reject_counts:
        text += "\n\n" + "\n".join(f"- {reason}: {n}" for reason, n in r.reject_counts.most_common(8))
    return text


def stream_run(run_id: int, results: Iterator[BatchResult], *, show_run: bool = False) -> Iterator[tuple[Any, ...]]:
    """Turn BatchResults into page updates: at most a few per second, always the last one. `show_run`
    reveals the run box (the Generate tab hides it until there is a run).

    Nothing is exported here: files are written when the user asks for a format. A failure after
    records exist never empties the page: the table stays and the progress says what happened.
    """
    yield (
        gr.Number(run_id, visible=True) if show_run else run_id,
        f"**Starting** run {run_id}: loading the model and writing the first batch...",
        "",
        records_frame([], hint="Records appear here as each batch is accepted"),
    )
    records: list[dict[str, Any]] = []
    last_yield = 0.0
    last: BatchResult | None = None
    try:
        for last in results:
            records.extend(last.accepted)
            records = records[-200:]
            now = time.monotonic()
            if last.done or now - last_yield >= MIN_UPDATE_S:
                last_yield = now
                yield last.run_id, progress_text(last), counts_text(last), records_frame(records)
    except Exception as exc:
        message = as_gr_error(exc).message
        gr.Warning(message)
        made = last.achieved if last is not None else 0
        yield (
            run_id,
            f"**Stopped** run {run_id}: {message} The {made} records made so far are kept.",
            gr.update(),
            gr.update(),
        )
        return
    if last is not None and last.status == "failed":
        gr.Warning(last.error or "generation failed")
