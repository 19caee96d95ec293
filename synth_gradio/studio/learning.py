"""Learning from a reference table: the schema, the fitted joint model and the few-shot examples.

The table is real data. What is kept is the fitted model (marginal quantiles, correlations, salted
hashes of training rows for the no-copy check) and a summary, never the rows. Free-text columns
are written by the language model; their few-shot examples pair a few real texts with structured
values drawn from the model, and those examples are stored with the run (the UI says so).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError, SchemaError
from synth_gradio.learn import LearnedModel, fit_table, relrows
from synth_gradio.learn.codes import key_format, new_keys
from synth_gradio.learn.detect import plain
from synth_gradio.learn.mentions import names
from synth_gradio.quality.textcheck import sentiment
from synth_gradio.quality.textroles import text_roles
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.studio.agree import PROBE_ROWS, agreeing
from synth_gradio.tables import read_table as read_file

MAX_BYTES = 50 * 2**20  # the app's upload limit, applied to every interface alike
EXAMPLES = 3
FEW = 20  # distinct values up to which an example shows its text's own value of a column
SHARED = 5  # real rows that must have an example's shown values alike (so none is singled out)
TONE_ROWS = 500  # texts whose valence is read to choose the examples


def read_table(path: str | Path) -> pd.DataFrame:
    """The reference table, with one sentence for each way an upload can be unusable."""
    path = Path(path)
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path.name} is {path.stat().st_size / 2**20:.0f} MB; the limit is 50 MB (sample it first)")
    frame = read_file(path)
    if len(frame) < 2:
        raise InputError(f"{path.name} has only {len(frame)} row; learning needs at least 2 (better hundreds)")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def matched_columns(schema: Schema, frame: pd.DataFrame, name: str) -> list[str]:
    """Schema fields the reference also has; none in common is an error naming both sides."""
    shared = [f.name for f in schema.fields if f.name in frame.columns]
    if not shared:
        raise InputError(
            f"the columns of {name} ({', '.join(list(frame.columns)[:10])}) do not match the schema's fields "
            f"({', '.join(f.name for f in schema.fields[:10])})"
        )
    return shared


def learn(path: str | Path, schema: Schema | None = None, *, seed: int = 0) -> tuple[Schema, LearnedModel]:
    """(schema, fitted model) for a reference table; `schema` None means infer it from the table."""
    frame = read_table(path)
    name = Path(path).name
    inferred = schema is None
    if schema is None:
        schema = _empty_columns_stay_empty(_infer(path), frame)
    columns = matched_columns(schema, frame, name)
    model = fit_table(frame, columns, seed=seed)  # the whole table: its holdout split is the one quality uses
    if (held := entity_rows(Path(path).stem, frame)) is not None:
        model.add_note(held, warn=True)
    if inferred:
        schema = agreed(schema, model.sample(PROBE_ROWS, seed), model.columns, model.add_note)
    return with_examples(schema, model, frame, seed), model


def entity_rows(name: str, frame: pd.DataFrame) -> str | None:
    """A sentence where the table holds each entity's rows (a panel, a series, a traveller's choices),
    which this path learns as independent rows: the user learns where those are kept together."""
    from synth_gradio.learn.keys import detect
    from synth_gradio.learn.relations import Relations

    steps = detect({name: frame}).steps
    if not steps:
        return None
    return (
        f"{'; '.join(Relations(steps=steps).describe())}: learned here as independent rows; learn it as related "
        "tables (the app's 'Learn related tables or sequences', or generate --reference FILE without --schema "
        "in the CLI) to keep them together"
    )


def agreed(schema: Schema, rows: list[dict[str, Any]], columns: list[str], note: Callable[[str], None]) -> Schema:
    """The inferred schema without the checks that the learned columns' drawn values fail (agree.py)."""
    raw, notes = agreeing(schema.json_schema, rows, columns)
    if not notes:
        return schema
    try:
        agreed_schema = load_schema(raw, examples=list(schema.examples) or None)
    except SchemaError:  # a check whose distribution needs it (a date's range): the schema stays
        return schema
    for sentence in notes:
        note(sentence)
    return agreed_schema


def _infer(path: str | Path) -> Schema:
    from synth_gradio.schema.infer import infer_schema

    return infer_schema(path)


def _empty_columns_stay_empty(schema: Schema, frame: pd.DataFrame) -> Schema:
    """A column with no value in the reference stays empty (nothing to learn, nothing for the model to write)."""
    empty = [c for c in frame.columns if frame[c].isna().all() and c in schema.json_schema.get("properties", {})]
    if not empty:
        return schema
    raw = dict(schema.json_schema)
    raw["properties"] = {
        **raw["properties"],
        **{c: {"type": "null", "description": "empty in every row of the reference"} for c in empty},
    }
    return load_schema(raw, examples=list(schema.examples) or None)


def with_examples(schema: Schema, model: LearnedModel, frame: pd.DataFrame, seed: int) -> Schema:
    """Few-shot examples for the free-text fields: real texts beside structured values from the model."""
    own = [hint["by"] for hint in model.hints.values()]
    return text_examples(schema, model.text_columns, frame, model.sample, seed, own=own, ids=model.id_columns)


def text_examples(
    schema: Schema,
    text_columns: list[str],
    frame: pd.DataFrame,
    draw: Callable[[int, int], list[dict[str, Any]]],
    seed: int,
    *,
    own: list[str] | None = None,
    ids: list[str] | None = None,
) -> Schema:
    """The schema with a few examples for its free-text fields: real texts of the reference beside
    structured values drawn by the learned model (`draw(n, seed)`), so the prompt shows how real people
    write (voice, length, register) without showing a real row.

    Columns of few values are the text's own row's where SHARED real rows have the same values in
    them (a one-star rating beside a furious review, not a drawn five; a Dell's product name beside
    "Dell"), the values the text must agree with first (a rating: narrowed by product and verified
    first, a furious review was shown beside a drawn five), then `own` (the category a text's names
    follow, learn/hints.py): an example that pairs a text with values it contradicts teaches the
    model to ignore the row. `ids`: identifier
    columns, which a drawn row lacks, numbered anew in the reference's format; without them an
    example misses a required field and none was shown (the model wrote product names unprompted).
    """
    text = [c for c in text_columns if c in schema.json_schema.get("properties", {})]
    if not text or schema.examples:
        return schema
    rng = random.Random(seed)
    rows = frame[text].dropna()
    if rows.empty:
        return schema
    chosen = _by_tone(rows, text[0], min(EXAMPLES, len(rows)), seed)
    numbered = {c: new_keys(key_format(frame[c]), len(chosen)) for c in ids or [] if c in frame.columns}
    anchors = [a.name for role in text_roles(schema.json_schema, text) for a in role.anchors]  # a rating first
    few = _few_valued(frame, [*text, *numbered], [*dict.fromkeys([*anchors, *(own or [])])])
    drawn = draw(len(chosen), rng.randrange(2**31))
    examples: list[dict[str, Any]] = []
    for i, (structured, at) in enumerate(zip(drawn, chosen.index, strict=False)):
        keys = {c: values[i] for c, values in numbered.items()}
        written = chosen.loc[at].to_dict()
        texts = {**_shared_values(frame, at, few), **_named(frame, at, few, written), **written}
        candidate = {k: v for k, v in {**keys, **structured, **texts}.items() if k in schema.json_schema["properties"]}
        if schema.validator.is_valid(candidate):
            examples.append(candidate)
    if not examples:
        return schema
    return load_schema(schema.json_schema, examples=examples)


def _by_tone(rows: pd.DataFrame, column: str, count: int, seed: int) -> pd.DataFrame:
    """`count` rows, one from each band of their texts' valence, lowest to highest. Drawn at random,
    three examples of a review table were mostly praise, the model wrote praise beside one-star
    ratings, and those rows were rejected until their offers ran out: 4% of the generated reviews
    had one star where 13% of the real ones do."""
    pool = rows.sample(n=min(len(rows), TONE_ROWS), random_state=seed)
    tones = pool[column].astype(str).map(sentiment).sort_values(kind="stable")
    bands = [list(band) for band in np.array_split(tones.index.to_numpy(), count) if len(band)]
    rng = random.Random(seed)
    return rows.loc[[rng.choice(band) for band in bands]]


def _few_valued(frame: pd.DataFrame, skip: list[str], own: list[str]) -> list[str]:
    """Columns of at most FEW values, `own` first, then the fewest-valued first."""
    counts = frame.nunique()
    few = [c for c in counts.sort_values(kind="stable").index if counts[c] <= FEW and c not in skip]
    return [c for c in own if c in frame.columns and c not in skip] + [c for c in few if c not in own]


def _named(frame: pd.DataFrame, at: Any, columns: list[str], texts: dict[str, Any]) -> dict[str, Any]:
    """The row's values that its own text names ("coffee grinder"): shown whatever rows share them,
    since the text shows them already; drawn instead, the text named another product than its row."""
    said = " ".join(str(v) for v in texts.values() if isinstance(v, str))
    return {c: plain(frame.at[at, c]) for c in columns if names(said, frame.at[at, c])}


def _shared_values(frame: pd.DataFrame, at: Any, columns: list[str]) -> dict[str, Any]:
    """The row's values in as many of `columns` (in order) as SHARED rows have alike."""
    same = pd.Series(True, index=frame.index)
    out: dict[str, Any] = {}
    for column in columns:
        value = frame.at[at, column]
        if pd.isna(value):
            continue
        narrowed = same & (frame[column] == value)
        if int(narrowed.sum()) < SHARED:
            continue
        same, out[column] = narrowed, plain(value)
    return out


def restore(data: dict[str, Any] | None, run_id: int) -> Any:
    """The stored model of a run (a table's joint model, or one table of related ones), or a sentence
    saying why it cannot be used."""
    if data is None:
        return None
    try:
        if data.get("format") == relrows.FORMAT:
            return relrows.TableRows.from_dict(data)
        return LearnedModel.from_dict(data)
    except InputError as exc:
        raise InputError(f"run {run_id} cannot continue: {exc}") from None
