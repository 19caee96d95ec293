"""One table's share of a related sample, as the per-record row source of that table's run.

A multi-table run draws every table's structured rows at once (relmodel.RelatedModel.sample) and
each table's run takes its rows in order; its free-text columns are then written by the model. The
stored form keeps the whole related model with the table name, count and seed, so resuming a run
draws the same rows again (no file needed) and continues after the rows already stored.
"""

from __future__ import annotations

import copy
import random
from collections import deque
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.learn.relmodel import RelatedModel

FORMAT = "synth_gradio.learn/related-table"
CONTEXT = "#context"  # the engine's key for what a row's text should know (engine/plan.py)
ROW = "#row"  # a handed-out row's index, so a rejected record's row is offered again
MAX_CONTEXT = 12  # values of a parent and a previous step shown to the model
VERSION = 1


class TableRows:
    """The rows of `table` in a sample of `n` top-level entities drawn with `seed`."""

    def __init__(self, model: RelatedModel, table: str, n: int, seed: int, rows: list[dict[str, Any]] | None = None):
        if table not in model.tables:
            raise InputError(f"there is no table {table} among the learned tables ({', '.join(model.tables)})")
        self.model, self.table, self.n, self.seed = model, table, int(n), int(seed)
        self.rows = rows if rows is not None else with_context(model, model.sample(self.n, self.seed))[table]
        produced = {k for row in self.rows for k in row if k != CONTEXT} if self.rows else set()
        self.columns = [c for c in model.plans[table].columns if c in produced]
        self.text_columns = model.text_columns(table)

    def restrict(self, column: str, keys: set[Any]) -> int:
        """Drop rows whose `column` refers to a parent that was not stored (its record was rejected)."""
        before = len(self.rows)
        self.rows = [r for r in self.rows if r.get(column) is None or r[column] in keys]
        return before - len(self.rows)

    def rows_from(self, stored: list[dict[str, Any]]) -> RowQueue:
        """The rows whose records are not among `stored` (a resumed run's), in order."""
        columns = [c for c in self.columns if c in self.model.plans[self.table].columns]
        have = {tuple(r.get(c) for c in columns) for r in stored}
        done = {i for i, row in enumerate(self.rows) if tuple(row.get(c) for c in columns) in have}
        return RowQueue(self.rows, done)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "table": self.table,
            "n": self.n,
            "seed": self.seed,
            "model": self.model.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableRows:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise InputError("the stored tables model cannot be read; learn it again from the files")
        return cls(RelatedModel.from_dict(copy.deepcopy(data["model"])), data["table"], data["n"], data["seed"])

    def summary(self) -> dict[str, Any]:
        out = self.model.summary()
        return {"table": self.table, "rows": len(self.rows), "model": "related tables", **out}


def with_context(model: RelatedModel, sample: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Rows of tables with free text get CONTEXT: their parent's values and, in a sequence, the
    previous step's, so the model writes a customer's third order knowing the customer and the second."""
    for name, rows in sample.items():
        texts = set(model.text_columns(name))
        if not texts:
            continue
        plan = model.plans[name]
        link = plan.parent
        parents: dict[Any, dict[str, Any]] = {}
        if link is not None and link.parent in sample:
            hidden = set(model.text_columns(link.parent)) | {link.key}
            for row in sample[link.parent]:
                shown = {f"{link.parent}.{k}": v for k, v in row.items() if k not in hidden and v is not None}
                parents[row.get(link.key)] = dict(list(shown.items())[:MAX_CONTEXT])
        keys = {plan.key, *(x.column for x in model.relations.links if x.child == name)}
        previous: dict[str, Any] | None = None
        for row in rows:
            context = dict(parents.get(row.get(link.column), {})) if link is not None else {}
            if (
                plan.order
                and previous is not None
                and link is not None
                and previous.get(link.column) == row.get(link.column)
            ):
                steps = {
                    f"previous {k}": v for k, v in previous.items() if k not in keys and k != CONTEXT and v is not None
                }
                context.update(dict(list(steps.items())[:MAX_CONTEXT]))
            if context:
                row[CONTEXT] = context
            previous = row
    return sample


class RowQueue:
    """Rows in order, one per record. A row whose record was rejected is offered again (`settle`), so
    every row is stored once: the keys children refer to exist, and none repeats. Past the end, rows
    still in flight are offered (the run may ask for spare candidates), never an accepted one."""

    def __init__(self, rows: list[dict[str, Any]], done: set[int]) -> None:
        self.rows, self.done = rows, set(done)
        self.fresh = deque(i for i in range(len(rows)) if i not in self.done)
        self.retry: deque[int] = deque()
        self.out: set[int] = set()

    def next_row(self, rng: random.Random | None = None) -> dict[str, Any]:
        if not self.rows:
            raise InputError("the learned tables gave this table no rows")
        if self.retry:
            index = self.retry.popleft()
        elif self.fresh:
            index = self.fresh.popleft()
        else:
            index = min(self.out - self.done, default=0)
        self.out.add(index)
        return {**self.rows[index], ROW: index}

    __call__ = next_row

    def settle(self, row: dict[str, Any], accepted: bool) -> None:
        index = row.get(ROW)
        if index is None:
            return
        if accepted:
            self.done.add(index)
        elif index not in self.done and index not in self.retry:
            self.retry.append(index)
