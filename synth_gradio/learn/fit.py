"""Fitting: classify the columns, fit the marginals on the training rows, correlate their scores."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.calendar import calendar_notes, dates_first
from synth_gradio.learn.choose import choose_method
from synth_gradio.learn.closeness import DRAWN_ROWS, CloseCheck
from synth_gradio.learn.codeforms import written_name
from synth_gradio.learn.copriv import private_parts
from synth_gradio.learn.detect import detect
from synth_gradio.learn.guard import guarded
from synth_gradio.learn.hints import find_hints
from synth_gradio.learn.laws import find_laws
from synth_gradio.learn.marginals import fit_marginal, outcomes, written_columns
from synth_gradio.learn.mentions import find_mentions
from synth_gradio.learn.model import COLUMN_KEYS, FORMAT, METHODS, VERSION, LearnedModel
from synth_gradio.learn.onehot import collapse, find_groups
from synth_gradio.learn.onehot import notes as onehot_notes
from synth_gradio.learn.parts import fit_part
from synth_gradio.learn.presence import is_presence, text_structure
from synth_gradio.learn.privacy import CopyGuard, holdout_mask
from synth_gradio.learn.segments import choose_segment
from synth_gradio.learn.seqfit import SequentialFit
from synth_gradio.learn.sequential import SequentialPart
from synth_gradio.learn.templates import fresh, template_notes
from synth_gradio.learn.unitnum import as_numbers, find_units
from synth_gradio.learn.unitnum import notes as unit_notes

TREE_ROWS = 50_000  # training rows the sequential trees are grown on (a random subset beyond)
MAX_FIT_ROWS = 200_000  # a bigger reference is subsampled for fitting (with a note); its digests cover all rows
MOSTLY_NULL = 0.9  # a column this empty gets a note
SMALL_TABLE = 50  # fewer training rows than this get a note: too few to learn a joint distribution well
AUTO_ROWS = 1000  # training rows from which "auto" learns sequential trees; below, both are measured
MIN_HOLDOUT = 20  # held-out rows needed to measure how close drawn rows sit to training rows
WIDEN = 3  # leaf doublings tried before smoothing
SMOOTHING = (0.5, 1.0, 2.0, 4.0)  # kernel widths tried, in leaf spreads


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


def _training(frame: pd.DataFrame, table: pd.DataFrame, holdout: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows to fit on and the rows held out; a table too small to split is fitted whole.

    The split is decided on the whole `frame`, exactly as `split_reference(frame)` decides it.
    """
    if holdout <= 0:
        return table, table.iloc[:0]
    mask = holdout_mask(frame, holdout)
    if (~mask).sum() < 2:
        return table, table.iloc[:0]
    return table[~mask], table[mask]


def _classify(
    frame: pd.DataFrame, train: pd.DataFrame, names: list[str], rare: tuple[int, int], wide_support: bool
) -> dict[str, Any]:
    """Marginal specs for the modelled columns, and which columns are text, ids or skipped (and why)."""
    found: dict[str, Any] = {"specs": [], "text": [], "ids": [], "skipped": {}, "notes": []}
    for name in names:
        label = written_name(str(name))  # a code's form column is named after its code in notes
        kind = detect(str(name), frame[name], wide_support)
        if kind.kind in ("text", "id"):
            found["text" if kind.kind == "text" else "ids"].append(str(name))
            continue
        if kind.kind == "nested":
            found["skipped"][str(name)] = "nested"
            found["notes"].append(f"column {label!r} holds lists or objects; it is not learned (the schema fills it)")
            continue
        if kind.kind == "empty" or train[name].isna().all():
            found["skipped"][str(name)] = "empty"
            found["notes"].append(f"column {label!r} is empty in every row; it is not learned (the schema fills it)")
            continue
        found["notes"].extend(_caveats(str(name), frame[name], kind.kind))
        least = rare[1] if kind.kind == "category" else rare[0]  # rows a kept value is seen in
        spec = fit_marginal(str(name), train[name], kind, least, smooth=not wide_support)  # the copula's
        if outcomes(spec) == 0:
            found["skipped"][str(name)] = "rare"
            found["notes"].append(
                f"every value of column {label!r} occurs in fewer than {least} rows, so none is learned "
                "(rare values are never copied; the schema fills it)"
            )
            continue
        if spec["rare_values"]:
            found["notes"].append(
                f"column {label!r}: {spec['rare_values']} value(s) seen in fewer than {least} rows "
                f"({spec['rare_rows']} rows) are not reproduced"
            )
        if outcomes(spec) == 1 and label == name:  # one form still writes a new code or text per row
            found["notes"].append(f"column {label!r} has a single value; every row gets it")
        found["specs"].append(spec)
    return found


def _caveats(name: str, series: pd.Series, kind: str) -> list[str]:
    """Sentences about a column learned other than a user may expect: mixed types, mixed date
    formats, mostly empty."""
    out = []
    values = series.dropna()
    if kind == "category" and len(values):
        numbers = pd.to_numeric(values, errors="coerce").notna()
        if 0.05 < numbers.mean() < 0.95:
            out.append(
                f"column {name!r} mixes numbers and text ({numbers.mean():.0%} numbers); it is learned as categories"
            )
        else:
            parsed = pd.to_datetime(values.astype(str), errors="coerce", format="mixed")
            if parsed.notna().mean() > 0.9:
                out.append(
                    f"column {name!r} holds dates written in more than one format; it is learned as categories "
                    "(write every date one way, e.g. 2024-03-31, to learn it as dates)"
                )
    share = series.isna().mean()
    if MOSTLY_NULL <= share < 1:
        out.append(
            f"column {name!r} is {share:.0%} empty; its {len(values)} values are learned, with whether a row has one"
        )
    return out


def _nothing_left(found: dict[str, Any]) -> InputError:
    parts = [f"{', '.join(found['text'])} free text" if found["text"] else ""]
    parts.append(f"{', '.join(found['ids'])} identifiers" if found["ids"] else "")
    parts.append(f"{', '.join(found['skipped'])} empty, nested or all rare" if found["skipped"] else "")
    why = "; ".join(p for p in parts if p)
    return InputError(f"the reference table has no structured column to learn ({why})")


def _parts(specs: list[dict[str, Any]], train: pd.DataFrame, segment: bool) -> tuple[list[dict[str, Any]], str | None]:
    """The whole-table copula, or one per value of the chosen segment column."""
    whole, matrix = fit_part(train, specs)
    laws = find_laws(train, specs)  # laws hold in every training row, so in every segment
    chosen = choose_segment(specs, whole, train, matrix) if segment else None
    if chosen is None:
        return [{**whole, "weight": 1.0, "laws": laws}], None
    name, codes = chosen
    parts = []
    for code in range(int(codes.max()) + 1):
        part, _ = fit_part(train[codes == code], specs)
        parts.append({**part, "weight": float(np.mean(codes == code)), "laws": laws})
    return parts, name


def leaf_size(rows: int, rare_threshold: int) -> int:
    """The fewest training rows per leaf: never fewer than the rare-value threshold, and more on
    big tables, where a leaf that small would describe a handful of people rather than a group."""
    return int(max(rare_threshold, 8, round(rows**0.5 / 4)))


def fit_table(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    *,
    seed: int = 0,
    rare_threshold: int = 5,
    rare_categories: int = 2,
    holdout: float = 0.2,
    segment: bool = True,
    shared_rows: int = 0,
    method: str = "auto",
    min_leaf: int | None = None,
    given: list[str] | None = None,
    aside: list[str] | None = None,
) -> LearnedModel:
    """Learn the joint distribution of a table's structured columns.

    Pass the whole reference table: the holdout split (see `split_reference`) is decided on all its
    columns, so the quality report's holdout is the same one; `columns` limits what is modelled.
    The model is fitted on the training rows only; the copy check covers every reference row.
    `segment` allows one copula per value of a strongly associated category (segments.py).
    A number's value seen in fewer than `rare_threshold` training rows is merged into its nearest
    kept one; a category's value seen in fewer than `rare_categories` rows is never drawn (a value
    one row alone has could single it out; values several rows share are drawn at their rates, as
    a long tail of product names or processors needs, or a classifier spots the missing tail).
    `shared_rows` k > 0 lets value combinations that at least k reference rows share be drawn
    (k-anonymity); the default 0 never reproduces any reference row.
    `method` is "sequential" (a tree per column, sequential.py), "copula" (parts.py) or "auto":
    sequential from AUTO_ROWS training rows, where its trees have groups to learn from; below, both
    are fitted and the one a classifier tells from the reference less is kept (choose.py), the
    copula where they are level, one correlation per pair being the steadier estimate. `min_leaf`
    is the fewest training rows a sequential tree's leaf holds (default: see `leaf_size`).
    `given`: columns whose values a draw may be given (`LearnedModel.draw_given`): they come first
    in a sequential model, whatever `method` says (a child's parent, a step's previous values).
    `aside`: columns a written row does not show (a parent's count of its children, which shows as
    rows of another table), left out of the no-copy guard and the closeness check: with a count
    beside them, customers of three columns passed the check while 15% of them sat closer to a
    real customer than unseen customers do, and 1.5% copied one.
    """
    if method not in (*METHODS, "auto"):
        raise InputError(f"unknown learning method {method!r}; choose auto or one of {', '.join(METHODS)}")
    started = time.perf_counter()
    table = _prepare(frame, _check(frame, columns))
    units = find_units(table, set(given or []))
    table = as_numbers(table, units)
    groups = find_groups(table, set(given or []))
    table = collapse(table, groups) if groups else table
    table, forms = text_structure(table, set(given or []))  # codes by form, texts' presence
    train, held_rows = _training(frame, table, holdout)
    held = len(held_rows)
    if given:
        method = "sequential"
    elif method == "auto" and len(train) < AUTO_ROWS:  # both fitted, the one told apart less kept
        again = dict(seed=seed, rare_threshold=rare_threshold, rare_categories=rare_categories, holdout=holdout)
        again.update(segment=segment, shared_rows=shared_rows, min_leaf=min_leaf, aside=aside)
        return choose_method(
            lambda m, **options: fit_table(frame, columns, method=m, **{**again, **options}),
            frame if columns is None else frame[list(columns)],
            seed,
        )
    elif method == "auto":
        method = "sequential"
    if len(train) > MAX_FIT_ROWS:
        train = train.sample(MAX_FIT_ROWS, random_state=seed).sort_index()
        notes = [f"the model was fitted on {MAX_FIT_ROWS:,} of the {len(frame):,} reference rows, drawn at random"]
    else:
        notes = []
    rare = (max(1, int(rare_threshold)), max(1, int(rare_categories)))
    found = _classify(table, train, list(table.columns), rare, method == "sequential")
    specs = found["specs"]
    found["notes"][:0] = notes + unit_notes(units) + onehot_notes(groups)
    if not specs:
        raise _nothing_left(found)
    if held == 0 and holdout > 0:
        found["notes"].append("the table is too small to hold rows out; it was fitted whole")
    if len(train) < SMALL_TABLE:
        found["notes"].append(
            f"only {len(train)} rows were learned from; with so few the joint model is rough (hundreds of rows "
            "make it faithful)"
        )
    closeness = None
    new_texts = fresh(forms)  # an email whose digits are drawn until it is no real one
    unseen = set(aside or []) | set(filter(is_presence, table.columns)) | new_texts  # not guarded or checked
    checked = [spec for spec in specs if spec["name"] not in unseen] or ([] if aside else specs)  # what is measured
    held_rows = held_rows if checked else held_rows.iloc[:0]  # a count alone shows no person: 52 years smoothed to 51
    if method == "sequential":
        leaf = leaf_size(min(len(train), TREE_ROWS), rare_threshold) if min_leaf is None else max(1, int(min_leaf))
        names = [spec["name"] for spec in specs]
        first = [names.index(c) for c in given or [] if c in names]
        part, closeness = _private(train, held_rows, specs, leaf, seed, found["notes"], first, checked)
        parts, segment = [{**part, "weight": 1.0}], None
    else:
        parts, segment = _parts(specs, train, segment)
        if len(held_rows) >= MIN_HOLDOUT:
            closeness, said = private_parts(parts, specs, train, held_rows, seed, checked)
            found["notes"] += said
    found["notes"] += calendar_notes(parts[0]["laws"]["calendar"], specs) + template_notes(forms)
    written = [v for k, v in written_columns(specs, table).items() if k not in unseen]
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "method": method,
        "columns": [{k: spec[k] for k in COLUMN_KEYS if k in spec} for spec in specs],
        "segment": segment,
        "parts": parts,
        "text_columns": found["text"],
        "id_columns": found["ids"],
        "skipped": found["skipped"],
        "notes": found["notes"],
        "copies": CopyGuard.from_columns(written, shared_rows).to_dict(),
        "shared_rows": int(shared_rows),
        "training_rows": len(train),
        "holdout_rows": held,
        "reference_rows": len(frame),
        "rare_threshold": int(rare_threshold),
        "seed": seed,
        "closeness": closeness,
    }
    if groups:  # stored only where found, so models without any stay as they were
        data["onehot"] = groups
    labels = [s["name"] for s in specs if s["kind"] == "category" and train[s["name"]].dtype == object]
    if found["text"] and (hints := find_hints(train, found["text"], labels)):
        data["hints"] = hints
        data["notes"] += [
            f"{t}: the model is shown names that 2+ real rows of the row's {h['by']} share" for t, h in hints.items()
        ]
    if found["text"] and (mentions := find_mentions(train, found["text"], labels)):
        data["mentions"] = mentions
        data["notes"] += [f"{t} names its row's {', '.join(b)}; a text naming another is written again" for t, b in mentions.items()]  # fmt: skip
    if units:
        data["units"] = units
    if forms:
        data["forms"] = forms
    if new_texts:
        data["fresh"] = sorted(written_name(n) for n in new_texts)
    if unseen:
        data["aside"] = [spec["name"] for spec in specs if spec["name"] in unseen]
    closer = (lambda: CloseCheck(checked, train, held_rows, seed)) if len(held_rows) >= MIN_HOLDOUT else None
    model = guarded(data, written, seed, closer)
    data["fit_seconds"] = round(time.perf_counter() - started, 3)
    return model


def _private(
    train: pd.DataFrame,
    held: pd.DataFrame,
    specs: list[dict[str, Any]],
    leaf: int,
    seed: int,
    notes: list[str],
    given: list[int] | None = None,
    checked: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A sequential part whose rows sit no closer to training rows than unseen real rows do.

    Leaves are doubled (up to WIDEN times), then draws are smoothed (a kernel of SMOOTHING times a
    leaf's spread), then leaves doubled again (to at most a quarter of the table), until the drawn
    rows' too-close share (closeness.py) is no higher than the holdout's; without a holdout it is
    not measured.
    """
    names = [spec["name"] for spec in specs]
    if len(train) > TREE_ROWS:  # the marginals saw every row; trees and lines need fewer
        notes.append(f"column shapes were learned from {len(train):,} rows, the trees from {TREE_ROWS:,} of them")
        train = train.sample(TREE_ROWS, random_state=seed).sort_index()
    first = leaf
    laws = find_laws(train, specs, given)  # the same for every refit below
    fitted = SequentialFit(train, specs, seed=seed, first=dates_first(laws["calendar"], given or []))
    part = fitted.part(leaf, laws)
    if len(held) < MIN_HOLDOUT:
        return part, None
    closeness = CloseCheck(checked or specs, train, held, seed)

    def refit(leaf: int) -> dict[str, Any]:
        return fitted.part(leaf, laws)

    def check() -> dict[str, Any]:
        drawn = SequentialPart(part, names).draw(DRAWN_ROWS, np.random.default_rng(seed))
        found = closeness.check(pd.DataFrame(dict(zip(names, drawn, strict=True))))
        return {**found, "min_leaf": leaf, "smoothing": part["smoothing"]}

    found = check()
    while not found["passes"] and leaf < first * 2**WIDEN and 2 * leaf <= len(train) // 4:
        leaf *= 2
        part = refit(leaf)
        found = check()
    for smoothing in SMOOTHING:
        if found["passes"]:
            break
        part["smoothing"] = smoothing
        found = check()
    while not found["passes"] and 2 * leaf <= len(train) // 4:  # last resort: groups, not people
        leaf *= 2
        part = {**refit(leaf), "smoothing": SMOOTHING[-1]}
        found = check()
    _privacy_notes(found, first, notes)
    return part, found


def _privacy_notes(found: dict[str, Any], first: int, notes: list[str]) -> None:
    smoothed = f", draws smoothed by {found['smoothing']} leaf spreads" if found["smoothing"] else ""
    widened = f"leaves hold at least {found['min_leaf']} training rows (first tried: {first}){smoothed}"
    if not found["passes"]:
        notes.append(
            f"{found['drawn']:.0%} of drawn rows sit closer to a training row than 95% of unseen real rows do "
            f"(the unseen rows themselves: {found['holdout']:.0%}), even with {widened}; the table may be too "
            "small, or its rows too unique (one per firm and year), to hide them"
        )
    elif found["min_leaf"] > first or found["smoothing"]:
        notes.append(f"{widened}, so that drawn rows sit no closer to real rows than unseen real rows do")
