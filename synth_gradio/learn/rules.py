"""What every drawn block keeps, in one order for both models: parts of dates, pairs of values
never seen together, values that fix others, then the numeric laws (orders, totals, products).

Why this order: a month written from its date is then final, so a value it fixes (a season) is set
from it rather than the month redrawn to fit the season, and a law that ties it (signup year <= first
purchase year) moves the other column; a law may swap or compute a date (a ship date from an order
date and a delay), so the parts of a date are written again after the laws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from synth_gradio.learn.calendar import Calendar
from synth_gradio.learn.combos import Combos
from synth_gradio.learn.depends import Dependencies
from synth_gradio.learn.keep_laws import keep_laws, tied
from synth_gradio.learn.laws import check_laws
from synth_gradio.learn.marginals import Marginal
from synth_gradio.learn.signs import Signs


class RowRules:
    """The stored laws of one part, ready to keep in drawn blocks."""

    def __init__(self, laws: dict[str, Any], specs: list[dict[str, Any]]) -> None:
        check_laws(laws, specs)
        self.laws = laws
        self.calendar = Calendar(laws.get("calendar", []), specs)  # parts stored before have none
        self.combos = Combos(laws.get("combos", []), specs)  # parts stored before have none
        self.dependencies = Dependencies(laws.get("determines", []), specs)
        self.signs = Signs(laws.get("signs", []), specs)  # parts stored before have none
        self.again = bool(tied(laws) & self.calendar.dates())  # a date a law swaps or computes

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
        fixed = given | self.calendar.columns  # a part of a date stays its date's, whatever law ties it
        self.calendar.keep(out, given)
        self.combos.keep(out, fixed, rng)  # before the values that fix others, which are exact
        self.dependencies.keep(out, fixed, rng)
        self.signs.mend(out, given)
        outside = keep_laws(self.laws, marginals, out, positions, fixed, near)
        if self.again:
            self.calendar.keep(out, given)
        return outside | self.signs.broken(out, given)
