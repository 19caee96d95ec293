"""Second parents chosen before their children are drawn, so a child follows both of its parents.

Why: a child is drawn given its parent's columns; a second parent (an order line's product beside
its order, a flight's airline beside its aircraft) was chosen after the child was drawn, in
proportion to how many children each generated parent should have, so nothing tied the child to
it: a line's price had no link to its product's price. Each child's slot (the t-th child of a
parent) now gets its second parents first, by those same proportions, and the child is drawn given
their columns too (`&product_id:price`, learned by related.py); a model stored before has no such
columns and draws as it did.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.model import quotas
from synth_gradio.learn.related import TablePlan, count_column, second_prefix

SLOT = "#slot:parent"  # a child's parent (its position among the generated parents), to find its slots


def allot(weights: np.ndarray, rows: int, rng: np.random.Generator) -> np.ndarray:
    """A parent for each of `rows` children, each parent as many as its share of the weights (the
    fractions rounded at random), in random order. Drawing each child's parent on its own added
    multinomial noise to counts the parents' model had already drawn: with 12 stores, the orders
    per store spread twice as wide as the real ones."""
    counts = quotas(weights / weights.sum(), rows, rng)
    return rng.permutation(np.repeat(np.arange(len(weights)), counts))


def pick(other: dict[str, Any], parent: pd.DataFrame, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A second parent's position for each child slot of `counts[i]` children per main parent (-1:
    none, as often as real rows have none); one per main parent where the second follows it."""
    rows = int(counts.sum())
    if not len(parent):
        return np.full(rows, -1)
    column = count_column(other["link"])
    weights = pd.to_numeric(parent[column], errors="coerce").to_numpy(dtype=float) if column in parent else None
    p = np.ones(len(parent)) if weights is None else np.nan_to_num(weights).clip(0) + 0.05
    empty = np.zeros(rows, dtype=bool)  # as many without one as real rows have, not a binomial draw of them
    empty[rng.choice(rows, round(other["null"] * rows), replace=False)] = True
    picks = np.full(rows, -1)
    if other.get("follows"):  # absent in models stored before: one per child
        picks[~empty] = np.repeat(fill(p, counts, rng), counts)[~empty]
    else:
        picks[~empty] = allot(p, int((~empty).sum()), rng)
    return picks


def fill(weights: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One second parent per main parent, so that each second parent's children come near its share
    of the weights: main parents in falling order of children, each to a second parent drawn in
    proportion to the children it still lacks."""
    want = weights / weights.sum() * counts.sum()
    out = np.zeros(len(counts), dtype=int)
    for i, u in zip(np.argsort(-counts, kind="stable"), rng.random(len(counts)), strict=True):
        lack = np.cumsum(np.clip(want, 0, None) if want.max() > 0 else weights)
        out[i] = min(int(np.searchsorted(lack, u * lack[-1], side="right")), len(want) - 1)
        want[out[i]] -= counts[i]
    return out


class SecondParents:
    """The second parents of every child slot of `counts[i]` children per parent, and their columns."""

    def __init__(
        self,
        plan: TablePlan,
        made: dict[str, pd.DataFrame],
        plans: dict[str, TablePlan],
        counts: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        self.offsets = np.cumsum(counts) - counts
        total = int(counts.sum())
        self.links: list[tuple[str, np.ndarray, dict[str, np.ndarray]]] = []
        for other in plan.others:
            link = other["link"]
            parent = made[link.parent].reset_index(drop=True)
            at = pick(other, parent, counts, rng)
            key = plans[link.parent].key or link.key
            keys = (
                np.array([None, *parent[key].tolist()], dtype=object)[at + 1] if key in parent else np.full(total, None)
            )
            prefix = second_prefix(link)
            columns = [c for c in plan.model.columns if c.startswith(prefix) and c[len(prefix) :] in parent.columns]
            context = parent[[c[len(prefix) :] for c in columns]].set_axis(columns, axis=1)
            context = context.reindex(np.where(at >= 0, at, len(parent)))  # a child without one: NaN
            self.links.append((link.column, keys, {c: context[c].to_numpy(dtype=object) for c in columns}))

    def add(self, step: pd.DataFrame, t: int) -> None:
        """The second parents' columns for the `t`-th children of the step's parents (`SLOT`), in place."""
        slots = self.offsets[step[SLOT].to_numpy(dtype=int)] + t - 1
        for _, _, context in self.links:
            for column, values in context.items():
                step[column] = values[slots]

    def write(self, drawn: pd.DataFrame, parents: np.ndarray, t: int) -> None:
        """Each drawn child's second-parent keys, in place."""
        slots = self.offsets[parents] + t - 1
        for column, keys, _ in self.links:
            drawn[column] = keys[slots]

    @property
    def columns(self) -> list[str]:
        return [column for column, _, _ in self.links]
