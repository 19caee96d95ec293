"""Whether a free-text column has a value at all, learned with the other columns.

Why: free text is written by the language model, which was shown only real texts and so wrote one
in every row. A cabin number empty for 78% of passengers (and set for most of first class), a
comment most customers leave blank, a second address line: each came out filled in every row, a
difference any histogram of nulls shows. The column's presence is learned as one more yes/no
column (`#has:<name>`), so it follows the others (first class has a cabin); a drawn row says the
text is empty by holding the column with None, and the language model's text is then dropped
(engine/plan.py).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from synth_gradio.learn.codeforms import FORM, as_forms, find_forms
from synth_gradio.learn.detect import detect
from synth_gradio.learn.templates import find_templates

HAS = "#has:"
MIN_EMPTY = 0.01  # a text column empty in fewer rows than this is written in every row
WIDE = 20  # a category of this many values may be written from others (a full name from its parts)


def presence_columns(table: pd.DataFrame, texts: list[str]) -> dict[str, pd.Series]:
    """`#has:<name>` -> True where the free-text column has a value, for `texts` columns with nulls."""
    out = {}
    for name in texts:
        if MIN_EMPTY <= float(table[name].isna().mean()) < 1.0:
            out[f"{HAS}{name}"] = table[name].notna()
    return out


def is_presence(name: str) -> bool:
    return name.startswith(HAS)


def empty_texts(rows: list[dict], names: list[str]) -> list[dict]:
    """Rows without their presence columns; a text a row lacks is there as None (a row whose flag is
    None, drawn by a model that did not learn it, leaves its text to be written)."""
    flags = [n for n in names if is_presence(n)]
    if not flags:
        return rows
    for row in rows:
        for flag in flags:
            has = row.pop(flag, None)
            if has is not None and not has:
                row[flag[len(HAS) :]] = None
    return rows


def text_structure(
    table: pd.DataFrame, skip: set[str] | frozenset[str] = frozenset()
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """`table` with its code columns as forms (codeforms.py) and a presence flag beside every other
    free-text column with nulls; the forms found. `skip`: columns a draw is given (a parent's), as they are."""
    kinds = {n: detect(str(n), table[n]).kind for n in table.columns if n not in skip}  # read once
    texts = [n for n, kind in kinds.items() if kind == "text"]
    named = [n for n, kind in kinds.items() if kind == "id" and table[n].dtype == object]  # an email
    ids = {n for n, kind in kinds.items() if kind == "id"}  # written later, so no template's source
    wide = [n for n, kind in kinds.items() if kind == "category" and table[n].nunique() >= WIDE]  # names
    table, templates = find_templates(table, texts + named + wide, set(skip) | ids)  # written from their rows
    table = table.rename(columns={n: f"{FORM}{n}" for n in templates})
    texts = [t for t in texts if t not in templates]
    coded = find_forms(table, [n for n in named if n not in templates], identifiers=True)  # user{5}@shop.de
    forms = {**templates, **find_forms(table, texts), **coded}
    table = as_forms(table, {n: f for n, f in forms.items() if n not in templates})
    return table.assign(**presence_columns(table, [t for t in texts if t not in forms])), forms
