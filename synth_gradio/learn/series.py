"""A table that is one series (a station's weekly readings, a country's quarterly accounts), learned
and drawn as the steps of one entity.

Why as one entity: the sequence model already learns each step given the step before and the time
it is due (related.py), so a series needs no model of its own, only an entity column (SERIES) that
every row shares. What differs: there is one real entity, so the entity table is learned from its
one row (held twice, as a count model needs two); and N counts steps, not entities, since a user who
asks for 500 rows of a weekly series wants 500 weeks. N up to the series' length is one history
from the real start; more is several histories of the same calendar, one after another.
"""

from __future__ import annotations

import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.periods import with_periods
from synth_gradio.learn.relations import SERIES, Relations


def with_series(tables: dict[str, pd.DataFrame], relations: Relations) -> dict[str, pd.DataFrame]:
    """The tables, each that is one series given the entity column all its rows share (and the date
    that its year and quarter or month make, where those order it)."""
    out = with_periods(tables, relations)
    for steps in relations.steps:
        if steps.entity == SERIES and len(tables) > 1:
            raise InputError(
                f"table {steps.table} is one series (--sequence {steps.table}.:{steps.order}), which is learned "
                f"on its own; give it alone, without {', '.join(t for t in tables if t != steps.table)}"
            )
        if steps.entity == SERIES and SERIES not in out[steps.table].columns:
            out[steps.table] = out[steps.table].assign(**{SERIES: "1"})
    return out


def one_entity(data: pd.DataFrame, key: str | None) -> pd.DataFrame:
    """A series' entity table, its one row held twice so that its model can be fitted."""
    return pd.concat([data, data], ignore_index=True) if key == SERIES and len(data) == 1 else data


def histories(n: int, length: int) -> list[int]:
    """Steps of each history for N rows of a series of `length` real steps."""
    length = max(1, length)
    full, rest = divmod(max(0, n), length)
    return [length] * full + ([rest] if rest else [])
