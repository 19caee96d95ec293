"""Fitting: classify the columns, fit the marginals on the training rows, correlate their scores."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.detect import detect
from synth_gradio.learn.marginals import Marginal, fit_marginal, outcomes
from synth_gradio.learn.model import COLUMN_KEYS, FORMAT, VERSION, LearnedModel
from synth_gradio.learn.parts import fit_part
from synth_gradio.learn.privacy import CopyGuard, holdout_mask
from synth_gradio.learn.segments import choose_segment

PROBE_ROWS = 1000  # rows drawn after fitting to measure how often a draw copies a reference row
MAX_COPY_SHARE = 0.5  # more copies than this: redrawing them would leave an unfaithful table


def _check(frame: Any, columns: list[str] | None) -> list[str]:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"the reference must be a table (a pandas DataFrame), not {type(frame).__name__}")
    if len(frame) < 2:
        raise InputError(f"the reference table has {len(frame)} row(s); learning needs at least 2 (better hundreds)")
    labels = pd.Index([str(c) for c in frame.columns])
    if labels.duplicated().any():
        raise InputError(f"the reference table repeats the column {labels[labels.duplicated()][0]!r}")
    names = list(frame.columns) if columns is None else list(columns)
    missing = [c for c in names if c not in frame.columns]
    if missing:
        raise InputError(f"the reference table has no column {missing[0]!r}")
    if not names:
        raise InputError("no columns were given to learn from the reference table")
    return names


def _prepare(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The modelled columns with plain dtypes: string names, NaN or None for every kind of null.

    Nullable pandas dtypes (Int64, boolean, string, category) become float or object columns, and
    infinities become nulls, so the marginals see one representation.
    """
    out = {}
    for name in names:
        series = frame[name]
        extension = isinstance(series.dtype, pd.api.extensions.ExtensionDtype)
        if extension and not pd.api.types.is_datetime64_any_dtype(series):
            if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                series = series.astype("float64")
            else:
                series = series.astype(object).where(series.notna(), None)
        if pd.api.types.is_float_dtype(series):
            series = series.where(np.isfinite(series), np.nan)
        out[str(name)] = series
    return pd.DataFrame(out, index=frame.index)


def _training(frame: pd.DataFrame, table: pd.DataFrame, holdout: float) -> tuple[pd.DataFrame, int]:
    """The rows to fit on; a table too small to split is fitted whole (and has no holdout).

    The split is decided on the whole `frame`, exactly as `split_reference(frame)` decides it.
    """
    if holdout <= 0:
        return table, 0
    mask = holdout_mask(frame, holdout)
    if (~mask).sum() < 2:
        return table, 0
    return table[~mask], int(mask.sum())


def _classify(frame: pd.DataFrame, train: pd.DataFrame, names: list[str], rare: int) -> dict[str, Any]:
    """Marginal specs for the modelled columns, and which columns are text, ids or skipped (and why)."""
    found: dict[str, Any] = {"specs": [], "text": [], "ids": [], "skipped": {}, "notes": []}
    for name in names:
        kind = detect(str(name), frame[name])
        if kind.kind in ("text", "id"):
            found["text" if kind.kind == "text" else "ids"].append(str(name))
            continue
        if kind.kind == "nested":
            found["skipped"][str(name)] = "nested"
            found["notes"].append(f"column {name!r} holds lists or objects; it is not learned (the schema fills it)")
            continue
        if kind.kind == "empty" or train[name].isna().all():
            found["skipped"][str(name)] = "empty"
            found["notes"].append(f"column {name!r} is empty in every row; it is not learned (the schema fills it)")
            continue
        spec = fit_marginal(str(name), train[name], kind, rare)
        if outcomes(spec) == 0:
            found["skipped"][str(name)] = "rare"
            found["notes"].append(
                f"every value of column {name!r} occurs in fewer than {rare} rows, so none is learned "
                "(rare values are never copied; the schema fills it)"
            )
            continue
        if spec["rare_values"]:
            found["notes"].append(
                f"column {name!r}: {spec['rare_values']} value(s) seen in fewer than {rare} rows "
                f"({spec['rare_rows']} rows) are not reproduced"
            )
        if outcomes(spec) == 1:
            found["notes"].append(f"column {name!r} has a single value; every row gets it")
        found["specs"].append(spec)
    return found


def _nothing_left(found: dict[str, Any]) -> InputError:
    parts = [f"{', '.join(found['text'])} free text" if found["text"] else ""]
    parts.append(f"{', '.join(found['ids'])} identifiers" if found["ids"] else "")
    parts.append(f"{', '.join(found['skipped'])} empty, nested or all rare" if found["skipped"] else "")
    why = "; ".join(p for p in parts if p)
    return InputError(f"the reference table has no structured column to learn ({why})")


def _parts(specs: list[dict[str, Any]], train: pd.DataFrame, segment: bool) -> tuple[list[dict[str, Any]], str | None]:
    """The whole-table copula, or one per value of the chosen segment column."""
    whole, matrix = fit_part(train, specs)
    chosen = choose_segment(specs, whole, train, matrix) if segment else None
    if chosen is None:
        return [{**whole, "weight": 1.0}], None
    name, codes = chosen
    parts = []
    for code in range(int(codes.max()) + 1):
        part, _ = fit_part(train[codes == code], specs)
        parts.append({**part, "weight": float(np.mean(codes == code))})
    return parts, name


def fit_table(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    *,
    seed: int = 0,
    rare_threshold: int = 5,
    holdout: float = 0.2,
    segment: bool = True,
    shared_rows: int = 0,
) -> LearnedModel:
    """Learn the joint distribution of a table's structured columns.

    Pass the whole reference table: the holdout split (see `split_reference`) is decided on all its
    columns, so the quality report's holdout is the same one; `columns` limits what is modelled.
    The model is fitted on the training rows only; the copy check covers every reference row.
    `segment` allows one copula per value of a strongly associated category (segments.py).
    `shared_rows` k > 0 lets value combinations that at least k reference rows share be drawn
    (k-anonymity); the default 0 never reproduces any reference row.
    """
    started = time.perf_counter()
    table = _prepare(frame, _check(frame, columns))
    train, held = _training(frame, table, holdout)
    found = _classify(table, train, list(table.columns), max(1, int(rare_threshold)))
    specs = found["specs"]
    if not specs:
        raise _nothing_left(found)
    if held == 0 and holdout > 0:
        found["notes"].append("the table is too small to hold rows out; it was fitted whole")
    parts, segment = _parts(specs, train, segment)
    written = list(zip(*[Marginal(spec).outputs(table[spec["name"]]) for spec in specs], strict=True))
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "columns": [{k: spec[k] for k in COLUMN_KEYS if k in spec} for spec in specs],
        "segment": segment,
        "parts": parts,
        "text_columns": found["text"],
        "id_columns": found["ids"],
        "skipped": found["skipped"],
        "notes": found["notes"],
        "copies": CopyGuard.build(written, shared_rows).to_dict(),
        "shared_rows": int(shared_rows),
        "training_rows": len(train),
        "holdout_rows": held,
        "reference_rows": len(frame),
        "rare_threshold": int(rare_threshold),
        "seed": seed,
    }
    model = _guarded(data, written, seed)
    data["fit_seconds"] = round(time.perf_counter() - started, 3)
    return model


def _probe(data: dict[str, Any], seed: int) -> tuple[LearnedModel, float]:
    model = LearnedModel(data)
    _, copied = model.draw(PROBE_ROWS, np.random.default_rng(seed))
    data["copy_share"] = round(copied / PROBE_ROWS, 4)
    return model, copied / PROBE_ROWS


def _guarded(data: dict[str, Any], written: list[tuple[Any, ...]], seed: int) -> LearnedModel:
    """The model, once it is known how often a draw copies a reference row, and what that means.

    Redrawing copies conditions the model on "not a reference row"; when most draws are copies the
    structured columns have too few combinations for that to leave a faithful table. With free-text
    columns beside, whole rows are new anyway, so only combinations shared by fewer than
    `rare_threshold` reference rows stay guarded (a note says so); without, it is an InputError.
    """
    model, share = _probe(data, seed)
    if share > MAX_COPY_SHARE and data["text_columns"] and not data["shared_rows"]:
        data["shared_rows"] = data["rare_threshold"]
        data["copies"] = CopyGuard.build(written, data["shared_rows"]).to_dict()
        data["notes"].append(
            f"{share:.0%} of drawn rows repeat a reference row's structured values; combinations that at least "
            f"{data['shared_rows']} reference rows share are kept, since the free-text columns "
            f"({', '.join(data['text_columns'])}) make every row new"
        )
        model, share = _probe(data, seed)
    if share > MAX_COPY_SHARE:
        raise model.exhausted(share)
    return model
