"""What every drawn block keeps, in one order for both models: parts of dates, values that fix
others, then the numeric laws (orders, totals, products).

Why this order: a month written from its date is then final, so a value it fixes (a season) is set
from it rather than the month redrawn to fit the season; the numeric laws may swap two dates, so
the parts of a date are written again after them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from synth_gradio.learn.calendar import Calendar
from synth_gradio.learn.depends import Dependencies
from synth_gradio.learn.keep_laws import keep_laws
from synth_gradio.learn.laws import check_laws
from synth_gradio.learn.marginals import Marginal


class RowRules:
    """The stored laws of one part, ready to keep in drawn blocks."""

    def __init__(self, laws: dict[str, Any], specs: list[dict[str, Any]]) -> None:
        check_laws(laws, specs)
        self.laws = laws
        self.calendar = Calendar(laws.get("calendar", []), specs)  # parts stored before have none
        self.dependencies = Dependencies(laws.get("determines", []), specs)
        swapped = {int(k) for pair in laws.get("orders", []) for k in pair}
        self.again = bool(swapped & self.calendar.dates())

    def keep(
        self,
        out: list[list[Any]],
        marginals: list[Marginal],
        positions: dict[int, np.ndarray],
        given: set[int],
        rng: np.random.Generator,
        near: frozenset[int] | set[int] = frozenset(),
    ) -> np.ndarray:
        """Rewrite `out` in place (see keep_laws.keep_laws); the rows to draw again."""
        self.calendar.keep(out, given)
        self.dependencies.keep(out, given | self.calendar.columns, rng)
        outside = keep_laws(self.laws, marginals, out, positions, given, near)
        if self.again:
            self.calendar.keep(out, given)
        return outside
