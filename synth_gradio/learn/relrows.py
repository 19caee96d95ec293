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
from synth_gradio.learn.hints import CONTEXT, hint_context
from synth_gradio.learn.relmodel import RelatedModel

FORMAT = "synth_gradio.learn/related-table"
ROW = "#row"  # a handed-out row's index, so a rejected record's row is offered again
MAX_CONTEXT = 12  # values of a parent and a previous step shown to the model
PREVIOUS_TEXT = 300  # characters of a previous step's text shown to the model
VERSION = 1


class TableRows:
    """The rows of `table` in a sample of `n` top-level entities drawn with `seed`."""

    def __init__(self, model: RelatedModel, table: str, n: int, seed: int, rows: list[dict[str, Any]] | None = None):
        if table not in model.tables:
            raise InputError(f"there is no table {table} among the learned tables ({', '.join(model.tables)})")
        self.model, self.table, self.n, self.seed = model, table, int(n), int(seed)
        self.rows = rows if rows is not None else with_context(model, model.sample(self.n, self.seed))[table]
        produced = {k for row in self.rows for k in row if k != CONTEXT} if self.rows else set()
        produced -= set(model.free_text(table))  # None where a row has no text (presence.py); else written
        self.columns = [c for c in model.plans[table].columns if c in produced]
        self.text_columns = model.text_columns(table)

    def disagrees(self, record: dict[str, Any]) -> str | None:
        """Why a written record's text names another category's line or value (its table's model)."""
        return self.model.plans[self.table].model.disagrees(record)

    def repeat_share(self, n: int) -> float:
        """The share of this sample's rows that repeat an earlier one, which the run keeps (engine/
        dedup.py): two histories of one series may read alike in a week, and each is drawn to stay."""
        columns = self._matched()
        seen: set[tuple[Any, ...]] = set()
        repeats = 0
        for row in self.rows:
            values = tuple(repr(row.get(c)) for c in columns)
            repeats += values in seen
            seen.add(values)
        return (repeats + 1) / max(1, len(self.rows)) if repeats else 0.0

    def restrict(self, column: str, keys: set[Any]) -> int:
        """Drop rows whose `column` refers to a parent that was not stored (its record was rejected)."""
        before = len(self.rows)
        self.rows = [r for r in self.rows if r.get(column) is None or r[column] in keys]
        return before - len(self.rows)

    def in_row_order(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Records in the order of their rows (each entity's steps together and in order), however
        the run stored them: a sequence with free text is written entity beside entity."""
        at = self._placed(records)
        return [records[j] for j in sorted(range(len(records)), key=lambda j: at.get(j, len(self.rows)))]

    def _matched(self) -> list[str]:
        return [c for c in self.columns if c in self.model.plans[self.table].columns]

    def _placed(self, records: list[dict[str, Any]]) -> dict[int, int]:
        """Each record's row (by the record's position), matched by value, one record per row and
        the rows of equal values in turn: two histories of one series may hold the same row, and
        both stay where their calendars put them."""
        columns = self._matched()
        free: dict[tuple[Any, ...], deque[int]] = {}
        for i, row in enumerate(self.rows):
            free.setdefault(tuple(row.get(c) for c in columns), deque()).append(i)
        placed = {}
        for j, record in enumerate(records):
            waiting = free.get(tuple(record.get(c) for c in columns))
            if waiting:
                placed[j] = waiting.popleft()
        return placed

    def rows_from(self, stored: list[dict[str, Any]]) -> RowQueue:
        """The rows whose records are not among `stored` (a resumed run's), in order; in a sequence
        with free text, a step waits for the one before it where it can (see RowQueue)."""
        done = {i: stored[j] for j, i in self._placed(stored).items()}
        texts = self.model.free_text(self.table)
        previous = previous_steps(self.model, self.table, self.rows) if texts else None
        return RowQueue(self.rows, done, previous, texts, self.model.entity_text(self.table))

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
    previous step's, so the model writes a customer's third order knowing the customer and the second;
    and names real rows of the row's category share, where its text follows one (learn/hints.py)."""
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
        rng = random.Random(name)  # the same names for the same rows when a run resumes
        for row, before in zip(rows, previous_steps(model, name, rows), strict=True):
            context = dict(parents.get(row.get(link.column), {})) if link is not None else {}
            if before is not None:
                steps = {
                    f"previous {k}": v
                    for k, v in rows[before].items()
                    if k not in keys and k != CONTEXT and v is not None
                }
                context.update(dict(list(steps.items())[:MAX_CONTEXT]))
            context.update(hint_context(plan.model.hints, row, rng))
            if context:
                row[CONTEXT] = context
    return sample


def previous_steps(model: RelatedModel, name: str, rows: list[dict[str, Any]]) -> list[int | None]:
    """For each row of a table in order, the index of the step before it in the same entity (None
    for a first step, and for every row of a table that is not a sequence)."""
    plan = model.plans[name]
    link = plan.parent
    if not plan.order or link is None:
        return [None] * len(rows)
    return [i - 1 if i and rows[i - 1].get(link.column) == row.get(link.column) else None for i, row in enumerate(rows)]


class RowQueue:
    """Rows in order, one per record. A row whose record was rejected is offered again (`settle`), so
    every row is stored once: the keys children refer to exist, and none repeats. Past the end, rows
    still in flight are offered (the run may ask for spare candidates), never an accepted one.

    In a sequence with free text (`previous` and `texts` given), a step is offered once the step
    before it is stored, where any such step is waiting, and its context then holds what that step's
    record wrote ("previous note": ...), so a patient's second visit is written knowing the first.
    Text that is the entity's own (`constant`: a name, an address, the same in every real step) is
    set, when a step's record is settled, to what the step before it got: the language model wrote
    it anew for each record, and a person's address changed from one visit to the next.
    Entities therefore advance side by side; when every waiting step's predecessor is still being
    written, the next row in order is offered without it.
    """

    def __init__(
        self,
        rows: list[dict[str, Any]],
        done: dict[int, dict[str, Any] | None] | set[int],
        previous: list[int | None] | None = None,
        texts: list[str] | None = None,
        constant: list[str] | None = None,
    ) -> None:
        self.rows = rows
        self.texts = list(texts or [])
        self.constant = [c for c in constant or [] if c in self.texts]
        self.previous = previous if previous is not None and self.texts else [None] * len(rows)
        stored = done if isinstance(done, dict) else dict.fromkeys(done)
        self.done = set(stored)
        self.written = {i: self._texts(r) for i, r in stored.items() if r}
        self.fresh = deque(i for i in range(len(rows)) if i not in self.done)
        self.ready = deque(i for i in self.fresh if self.previous[i] is None or self.previous[i] in self.done)
        self.retry: deque[int] = deque()
        self.out: set[int] = set()

    def _texts(self, record: dict[str, Any]) -> dict[str, str]:
        return {c: record[c] for c in self.texts if isinstance(record.get(c), str) and record[c].strip()}

    def _next(self) -> int:
        if self.retry:
            return self.retry.popleft()
        for queue in (self.ready, self.fresh):
            while queue:
                index = queue.popleft()
                if index not in self.out and index not in self.done:
                    return index
        return min(self.out - self.done, default=0)

    def next_row(self, rng: random.Random | None = None) -> dict[str, Any]:
        if not self.rows:
            raise InputError("the learned tables gave this table no rows")
        index = self._next()
        self.out.add(index)
        row = {**self.rows[index], ROW: index}
        before = self.written.get(self.previous[index]) if self.previous[index] is not None else None
        if before:
            shown = {f"previous {c}": text[:PREVIOUS_TEXT] for c, text in before.items()}
            row[CONTEXT] = {**row.get(CONTEXT, {}), **shown}
        return row

    __call__ = next_row

    def settle(self, row: dict[str, Any], accepted: bool, record: dict[str, Any] | None = None) -> None:
        index = row.get(ROW)
        if index is None:
            return
        if accepted:
            self.done.add(index)
            if record is not None and self.texts:
                before = self.written.get(self.previous[index]) if self.previous[index] is not None else None
                for column in self.constant:  # an entity's own text (a name, an address) is the first step's
                    if before and column in before:
                        record[column] = before[column]
                self.written[index] = self._texts(record)
                following = index + 1
                if following < len(self.rows) and self.previous[following] == index:
                    self.ready.append(following)
        elif index not in self.done and index not in self.retry:
            self.retry.append(index)
