"""Rules a drawn family keeps as a whole: a value every real family has exactly once (a traveller's
one chosen mode, an order's line 1), and no step after the data's end. The families that break
them are found here for relmodel.py to draw again; a rule still broken after that is mended.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth_gradio.learn.offsets import POSITION
from synth_gradio.tables import key_text, once_counts


def late(rows: pd.DataFrame, last: float) -> list[int]:
    """Families with a step after the last real time (the data's end, a panel's last year): real
    series stop there, and drawn freely, 4% of 210 countries' 52 yearly rows ran on to 2057."""
    if not np.isfinite(last):
        return []
    over = pd.to_numeric(rows[POSITION], errors="coerce").to_numpy(dtype=float) > last
    return sorted(set(rows["#at"].to_numpy(dtype=int)[over].tolist()))


def broken(rows: pd.DataFrame, once: list[list[str]]) -> list[int]:
    """Families (by "#at") in which a once-value is missing or repeated."""
    out: set[int] = set()
    for column, value in once:
        if column in rows:
            hits = once_counts(rows, "#at", column, value)
            out |= set(hits.index[hits != 1].astype(int))
    return sorted(out)


def repair(rows: pd.DataFrame, once: list[list[str]], rng: np.random.Generator) -> None:
    """In place: a family still without its once-value gets it on one row, one with several keeps one;
    the others take the column's commonest other value in the drawn rows."""
    for column, value in once:
        if column not in rows:
            continue
        text = key_text(rows[column])
        typed, others = rows.loc[text == value, column], rows.loc[text != value, column]
        if typed.empty:
            continue
        at = rows.columns.get_loc(column)
        other = others.mode().iloc[0] if not others.empty else None
        for family in broken(rows, [[column, value]]):
            members = np.flatnonzero((rows["#at"] == family).to_numpy())
            with_value = members[(text.iloc[members] == value).to_numpy()]
            if len(with_value) == 0:
                rows.iloc[int(rng.choice(members)), at] = typed.iloc[0]
            elif other is not None:
                keep = int(rng.choice(with_value))
                for row in with_value[with_value != keep]:
                    rows.iloc[int(row), at] = other
