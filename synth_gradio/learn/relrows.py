"""One table's share of a related sample, as the per-record row source of that table's run.

A multi-table run draws every table's structured rows at once (relmodel.RelatedModel.sample) and
each table's run takes its rows in order; its free-text columns are then written by the model. The
stored form keeps the whole related model with the table name, count and seed, so resuming a run
draws the same rows again (no file needed) and continues after the rows already stored.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.learn.relmodel import RelatedModel

FORMAT = "synth_gradio.learn/related-table"
VERSION = 1


class TableRows:
    """The rows of `table` in a sample of `n` top-level entities drawn with `seed`."""

    def __init__(self, model: RelatedModel, table: str, n: int, seed: int, rows: list[dict[str, Any]] | None = None):
        if table not in model.tables:
            raise InputError(f"there is no table {table} among the learned tables ({', '.join(model.tables)})")
        self.model, self.table, self.n, self.seed = model, table, int(n), int(seed)
        self.rows = rows if rows is not None else model.sample(self.n, self.seed)[table]
        produced = set().union(*map(set, self.rows)) if self.rows else set()
        self.columns = [c for c in model.plans[table].columns if c in produced]
        self.text_columns = model.text_columns(table)

    def restrict(self, column: str, keys: set[Any]) -> int:
        """Drop rows whose `column` refers to a parent that was not stored (its record was rejected)."""
        before = len(self.rows)
        self.rows = [r for r in self.rows if r.get(column) is None or r[column] in keys]
        return before - len(self.rows)

    def rows_from(self, start: int) -> RowQueue:
        return RowQueue(self.rows, start)

    def sampler(self, seed: int | None = None) -> RowQueue:
        return RowQueue(self.rows, 0)

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


class RowQueue:
    """Rows in order, one per record. Past the end it starts again, so a run whose records were
    rejected still reaches its count (a repeated unique key is then redrawn by the planner)."""

    def __init__(self, rows: list[dict[str, Any]], start: int) -> None:
        self.rows, self.at = rows, start

    def next_row(self, rng: random.Random | None = None) -> dict[str, Any]:
        if not self.rows:
            raise InputError("the learned tables gave this table no rows")
        row = dict(self.rows[self.at % len(self.rows)])
        self.at += 1
        return row

    __call__ = next_row
