"""A learned set of related tables as stored with a run, and drawing whole families from it.

`sample(n)` draws n top-level entities (the root table's rows: customers, people, sensors), then
each child table given its generated parents: as many children as each parent's learned count,
each drawn given its parent's columns, and steps in order given the step before. Other roots (an
airline table beside aircraft) get as many rows as they had relative to the main root.
"""

from __future__ import annotations

import copy
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.calendar import write_order_parts
from synth_gradio.learn.codes import new_keys
from synth_gradio.learn.counts import kept_counts, other_root, steady_total
from synth_gradio.learn.familyrules import broken, late, repair
from synth_gradio.learn.marginals import to_seconds
from synth_gradio.learn.model import LearnedModel, RngLike, generator
from synth_gradio.learn.offsets import POSITION, write_offsets
from synth_gradio.learn.presence import empty_texts, is_presence
from synth_gradio.learn.privacy import CopyGuard
from synth_gradio.learn.related import TablePlan, count_column
from synth_gradio.learn.relations import SERIES, Link, Relations
from synth_gradio.learn.relcheck import on_grid, write_order
from synth_gradio.learn.seasons import season_columns
from synth_gradio.learn.seconds import SLOT, SecondParents
from synth_gradio.learn.selfref import write_keys
from synth_gradio.learn.series import histories
from synth_gradio.learn.stays import expand_states, keep_states
from synth_gradio.learn.stepcols import (
    FIRST,
    GAP,
    PARENT,
    PREV,
    SECOND,
    STEP,
    guarded_columns,
    own_columns,
    previous_values,
    sequence_rows,
    whole_columns,
)
from synth_gradio.learn.totals import keep_totals
from synth_gradio.learn.trends import courses, unrepeat, write_trends

FORMAT = "synth_gradio.learn/related"
VERSION = 1
PLAN_KEYS = (
    "name", "columns", "rows", "key", "key_format", "order", "order_format", "steps", "null_parent", "sequences",
)  # fmt: skip
REDRAWS = 12  # tries to redraw a family that copies a real sequence or breaks a once-per-parent rule


def _plan_dict(plan: TablePlan) -> dict[str, Any]:
    extra = ("once", "id_formats", "calendar", "groups", "states", "seasons", "counts", "offsets", "key_texts")
    extra += ("self_links", "trends", "copies", "times")
    out = {k: copy.deepcopy(getattr(plan, k)) for k in (*PLAN_KEYS, *extra)}
    out["parent"] = asdict(plan.parent) if plan.parent else None
    out["others"] = [{**o, "link": asdict(o["link"])} for o in plan.others]
    out["merge_into"] = plan.merge_into
    out["model"] = plan.model.to_dict()
    out["first_model"] = plan.first_model.to_dict() if plan.first_model is not None else None
    return out


def _plan(data: dict[str, Any]) -> TablePlan:
    plan = TablePlan(**{k: copy.deepcopy(data[k]) for k in PLAN_KEYS})
    plan.parent = Link(**data["parent"]) if data.get("parent") else None
    plan.others = [{**o, "link": Link(**o["link"]), "null": float(o["null"])} for o in data.get("others", [])]
    plan.merge_into = data.get("merge_into")
    plan.once = [[str(c), str(v)] for c, v in data.get("once", [])]  # absent in models stored before rules
    plan.id_formats = dict(data.get("id_formats", {}))  # absent before: the schema wrote them per row
    plan.calendar = list(data.get("calendar", []))  # absent before: drawn as any column
    plan.groups = copy.deepcopy(data.get("groups", []))  # absent before: the table's model held them
    plan.states = list(data.get("states", []))  # absent before: no column was learned as a change
    plan.seasons = list(data.get("seasons", []))  # absent before: steps were drawn without them
    plan.counts = {str(c): list(v) for c, v in data.get("counts", {}).items()}  # absent before: drawn counts
    plan.offsets = copy.deepcopy(data.get("offsets", []))  # absent before: every column drawn as itself
    plan.key_texts = copy.deepcopy(data.get("key_texts", {}))  # absent before: the model wrote them
    plan.self_links = copy.deepcopy(data.get("self_links", {}))  # absent before: drawn as numbers
    plan.trends = copy.deepcopy(data.get("trends", []))  # absent before: no series was learned
    plan.copies = copy.deepcopy(data.get("copies", {}))
    plan.times = [float(x) for x in data.get("times", [])]
    if plan.parent and plan.parent.column == SERIES and not plan.times:  # a series stored with lasting states
        plan.states = []  # had one real first state, never drawn; a step's own model draws them now
    plan.model = LearnedModel.from_dict(data["model"])
    first = data.get("first_model")  # absent before: one model drew every step
    plan.first_model = LearnedModel.from_dict(first) if first is not None else None
    return plan


def written(model: Any) -> list[str]:
    """A drawn row's columns before it is written: the model's own and its texts' presence flags."""
    return [*model.columns, *model.presence_flags]


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


class RelatedModel:
    """Tables learned together; build with `fit_related` or `from_dict`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.plans = {p["name"]: _plan(p) for p in data["tables"]}
        self.relations = Relations.from_dict(data["relations"])
        self.notes: list[str] = list(data.get("notes", []))
        roots = [p for p in self.plans.values() if p.parent is None]
        if not roots:
            raise ValueError("no table is without a parent")
        with_children = [p for p in roots if any(c.parent and c.parent.parent == p.name for c in self.plans.values())]
        self.main = (with_children or roots)[0].name

    @classmethod
    def build(
        cls,
        plans: dict[str, TablePlan],
        relations: Relations,
        notes: list[str],
        seed: int,
        totals: list[dict[str, Any]] | None = None,
    ) -> RelatedModel:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "seed": seed,
            "notes": notes,
            "relations": relations.to_dict(),
            "tables": [_plan_dict(p) for p in plans.values()],
            "totals": list(totals or []),
            "steady": True,  # children totals held to the real rate (steady_total); absent before
        }
        return cls(data)

    @classmethod
    def from_dict(cls, data: Any) -> RelatedModel:
        try:
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError(f"it is not a {FORMAT} model")
            if data.get("version") != VERSION:
                raise ValueError(f"it has format version {data.get('version')!r}; this version reads {VERSION}")
            return cls(copy.deepcopy(data))
        except InputError:
            raise
        except Exception as exc:  # any failure to rebuild stored data means the same thing to the user
            detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            raise InputError(f"the stored tables model cannot be read ({detail}); learn it again") from None

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)

    @property
    def tables(self) -> list[str]:
        """The tables a sample writes (a panel's entities are written into its steps)."""
        return [name for name, plan in self.plans.items() if plan.merge_into is None]

    def text_columns(self, table: str) -> list[str]:
        """Columns of a table left to the language model (free text) or to the schema (identifiers)."""
        own = self._merged(table)
        ids = [c for p in own for c in p.model.id_columns if c not in p.id_formats]
        return [c for c in [*self.free_text(table), *ids] if not c.startswith((PARENT, SECOND))]

    def free_text(self, table: str) -> list[str]:
        """Columns of a table the language model writes (free text, not identifiers)."""
        return [c for p in self._merged(table) for c in p.model.text_columns if not c.startswith((PARENT, SECOND))]

    def entity_text(self, table: str) -> list[str]:
        """Free-text columns of a table that are its entities' own, the same in each of their steps."""
        return [c for p in self.plans.values() if p.merge_into == table for c in p.model.text_columns]

    def _merged(self, table: str) -> list[Any]:
        """A table's plan and those of the entity tables written into it."""
        return [self.plans[table], *(p for p in self.plans.values() if p.merge_into == table)]

    def summary(self) -> dict[str, Any]:
        return {
            "relations": self.relations.describe(),
            "tables": {
                name: {
                    "reference_rows": p.rows,
                    "parent": p.parent.name if p.parent else None,
                    "order": p.order,
                    "model": p.model.summary(),
                }
                for name, p in self.plans.items()
            },
            "notes": list(self.notes),
        }

    @property
    def series(self) -> str | None:
        """The table that is one series (N counts its steps), if that is what was learned."""
        return next((p.name for p in self.plans.values() if p.parent and p.parent.column == SERIES), None)

    def sample(self, n: int, rng_or_seed: RngLike = None) -> dict[str, list[dict[str, Any]]]:
        """n top-level entities with all their children (n steps of a series), one list of rows per table."""
        rng = generator(rng_or_seed)
        made: dict[str, pd.DataFrame] = {}
        main_rows = self.plans[self.main].rows
        series = self.series
        steps = histories(n, self.plans[series].rows) if series else []
        for name, plan in self.plans.items():
            if plan.parent is None:
                count = (len(steps) if series else n) if name == self.main else other_root(n, plan.rows, main_rows)
                rows, parents = _frame(plan.model.sample(count, rng, flags=True), written(plan.model)), None
                if count == plan.rows:
                    kept_counts(rows, plan.counts)
                if series and name == self.main:
                    rows[count_column(self.plans[series].parent)] = steps
            else:
                rows, parents = self._children(plan, made, rng)
            if plan.key:
                write_keys(rows, plan, rng)
            for column, how in plan.id_formats.items():
                rows[column] = new_keys(how, len(rows))
            if plan.parent is not None and parents is not None:
                keys = made[plan.parent.parent][self.plans[plan.parent.parent].key or plan.parent.key].tolist()
                chosen = [keys[i] if i >= 0 else None for i in parents.tolist()]
                rows[plan.parent.column] = pd.Series(chosen, index=rows.index, dtype=object)  # 7 stays 7 beside None
            for column in {o["link"].column for o in plan.others} & set(rows.columns):  # chosen in _children
                rows[column] = pd.Series(rows[column].tolist(), index=rows.index, dtype=object)  # 7 stays 7
            made[name] = rows.reset_index(drop=True)
        keep_totals(made, self._data.get("totals", []), list(self.plans))  # models stored before have none
        return {name: self._written(name, made) for name in self.tables}

    def _children(
        self, plan: TablePlan, made: dict[str, pd.DataFrame], rng: np.random.Generator
    ) -> tuple[pd.DataFrame, np.ndarray]:
        link = plan.parent
        assert link is not None
        parent = made[link.parent]
        asked = parent.get(count_column(link))
        counts = (
            pd.to_numeric(asked, errors="coerce").fillna(0).clip(lower=0).round().astype(int).to_numpy()
            if asked is not None
            else np.full(len(parent), max(1, round(plan.rows / max(1, self.plans[link.parent].rows))))
        )
        if asked is not None and self._data.get("steady") and link.column != SERIES:
            rate = plan.rows * (1 - plan.null_parent) / max(1, self.plans[link.parent].rows)
            counts = steady_total(counts, round(rate * len(parent)), rng)
        model = plan.model
        context = [c for c in model.columns if c.startswith(PARENT) and c[1:] in parent.columns]
        given = parent[[c[1:] for c in context]].set_axis(context, axis=1)
        given[SLOT] = np.arange(len(given))
        seconds = SecondParents(plan, made, self.plans, counts, rng)
        rows, at = _unseen_steps(plan, given, counts, rng, seconds)
        orphans = round(plan.null_parent / (1 - plan.null_parent) * len(rows)) if plan.null_parent < 1 else 0
        if orphans:
            empty = pd.DataFrame(np.nan, index=range(orphans), columns=context)
            empty[STEP], empty[SLOT] = 1, np.arange(orphans)
            theirs = SecondParents(plan, made, self.plans, np.ones(orphans, dtype=int), rng)
            theirs.add(empty, 1)
            extra = _draw_steps(plan, empty, rng, 1)
            theirs.write(extra, np.arange(orphans), 1)
            if plan.order is not None:
                extra[POSITION] = _first(extra, plan)
                extra[plan.order] = write_order(extra[POSITION].to_numpy(), plan.order_format)
                write_order_parts(plan.calendar, plan.order_format, extra, plan.order)
            rows = pd.concat([rows, extra], ignore_index=True)
            at = np.r_[at, np.full(orphans, -1)]
        write_trends(rows, plan.trends)
        unrepeat(rows, plan.order or "", plan.trends, plan.copies, rng)
        write_offsets(rows, plan.offsets, plan.order_format)  # after the copy guard: it compares distances
        models = [model, *([plan.first_model] if plan.first_model is not None else [])]  # first steps' own model
        mine = [c for m in models for c in [*own_columns(m), *m.presence_flags]]  # may know other texts' flags
        wanted = dict.fromkeys([*mine, *plan.states, plan.order, *seconds.columns])
        keep = [c for c in wanted if c and c in rows.columns]  # with states that never changed (not modelled)
        return rows[keep], at

    def _written(self, name: str, made: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
        frame = made[name]
        for entities, plan in self.plans.items():
            if plan.merge_into == name and plan.key:
                fixed = made[entities].set_index(plan.key)
                at = frame[plan.key]
                for column in fixed.columns:
                    if column in self.plans[name].columns or is_presence(column):
                        frame[column] = at.map(fixed[column]).to_numpy()
        frame = expand_states(frame, self.plans[name].groups)
        flags = [c for c in frame.columns if is_presence(c)]
        columns = [c for c in self.plans[name].columns if c in frame.columns]
        out = frame[columns + flags].astype(object).where(frame[columns + flags].notna(), None)
        for column in whole_columns([p for p in self.plans.values() if name in (p.name, p.merge_into)], columns):
            ints = [int(v) if isinstance(v, float) and v.is_integer() else v for v in out[column]]
            out[column] = pd.Series(ints, index=out.index, dtype=object)  # a plane's year 2004, not 2004.0
        return empty_texts(out.to_dict("records"), flags)  # a text a row lacks is None, else left to write


def _first(rows: pd.DataFrame, plan: TablePlan) -> np.ndarray:
    first = pd.to_numeric(rows[FIRST], errors="coerce") if FIRST in rows else pd.Series(np.nan, index=rows.index)
    if plan.order_format.get("kind") == "datetime" and FIRST in rows and first.isna().all():  # drawn as dates
        first = pd.Series(to_seconds(rows[FIRST], plan.order_format["format"]), index=rows.index)
    return first.fillna(plan.steps.get("first", 0.0)).to_numpy(dtype=float)


def _draw_steps(plan: TablePlan, given: pd.DataFrame, rng: np.random.Generator, t: int) -> pd.DataFrame:
    """Step `t` for each given row: a first step from the first-step model where there is one, a later
    one with the states that last filled from the previous step (stays.py)."""
    if t == 1 and plan.first_model is not None:
        return plan.first_model.draw_given_frame(given, rng)
    drawn = plan.model.draw_given_frame(given, rng)
    if not plan.states:
        return drawn
    previous = previous_values(given).reset_index(drop=True)

    def redraw(rows: np.ndarray, column: str) -> pd.DataFrame:
        return plan.model.draw_given_frame(given.iloc[rows], rng, present=(column,))

    return keep_states(drawn, previous, plan.states, redraw)


def _steps(
    plan: TablePlan, given: pd.DataFrame, counts: np.ndarray, rng: np.random.Generator, seconds: SecondParents
) -> tuple[pd.DataFrame, np.ndarray]:
    """Steps in order for every parent: step t is drawn given the parent, its second parents, t and
    step t - 1 (children without an order column are steps in the order they are written)."""
    model = plan.model
    previous = [c for c in model.columns if c.startswith(PREV)]
    last = {c[1:]: np.full(len(given), np.nan, dtype=object) for c in previous}  # each column's last value
    for trend in courses(plan.trends):  # a series' first step follows a step on its course, not a missing one
        if trend["column"] in last:
            last[trend["column"]][:] = 0.0
    position = np.full(len(given), np.nan)
    pieces = []
    integer = plan.order_format.get("integer", False) or plan.order_format.get("kind") == "datetime"
    for t in range(1, int(counts.max(initial=0)) + 1):
        active = np.flatnonzero(counts >= t)
        known = {STEP: np.full(len(active), t), **{c: last[c[1:]][active] for c in previous}}
        if plan.seasons:  # the time this step is due: its values follow the hour, weekday or month
            due = on_grid(position[active] + plan.steps["gap"], plan.order_format)  # NaN for a first step
            if plan.times and t > 1:  # a series' next time is its real one
                due = np.full(len(active), plan.times[min(t, len(plan.times)) - 1])
            known.update({c: v.to_numpy() for c, v in season_columns(due, plan.seasons).items()})
        step = pd.concat([given.iloc[active].reset_index(drop=True), pd.DataFrame(known)], axis=1)  # one frame
        seconds.add(step, t)
        drawn = _draw_steps(plan, step, rng, t)
        seconds.write(drawn, step[SLOT].to_numpy(dtype=int), t)
        if plan.order is not None:
            if plan.times:  # a series replays its real calendar
                position[active] = plan.times[min(t, len(plan.times)) - 1]
            elif t == 1:
                position[active] = _first(drawn, plan)
            else:
                gap = pd.to_numeric(drawn.get(GAP), errors="coerce").to_numpy(dtype=float)
                fallback = plan.steps.get("gap", 1.0)
                gap = np.minimum(
                    np.where(np.isfinite(gap) & (gap > 0), gap, fallback), plan.steps.get("longest", np.inf)
                )
                position[active] = position[active] + (np.maximum(np.round(gap), 1) if integer else gap)
            position[active] = on_grid(position[active], plan.order_format)  # the next gap starts from it
            drawn[plan.order], drawn[POSITION] = write_order(position[active], plan.order_format), position[active]
            write_order_parts(plan.calendar, plan.order_format, drawn, plan.order)
        drawn["#at"], drawn["#t"] = active, t
        for column, values in last.items():
            if column in drawn.columns:
                values[active] = drawn[column].to_numpy()
        pieces.append(drawn)
    if not pieces:
        return _frame([], [*model.columns, *([plan.order] if plan.order else [])]), np.empty(0, dtype=int)
    rows = pd.concat([p.astype(object) for p in pieces], ignore_index=True).sort_values(["#at", "#t"], kind="stable")
    return rows.reset_index(drop=True), rows["#at"].to_numpy().astype(int)


def _unseen_steps(
    plan: TablePlan, given: pd.DataFrame, counts: np.ndarray, rng: np.random.Generator, seconds: SecondParents
) -> tuple[pd.DataFrame, np.ndarray]:
    """`_steps`, with any family whose whole sequence (two steps or more) equals a real one, or that
    breaks a once-per-parent rule, drawn again; a rule still broken after that is then repaired."""
    rows, at = _steps(plan, given, counts, rng, seconds)
    last = plan.steps.get("last", np.inf) if POSITION in rows else np.inf  # stored before: no end
    if not (plan.sequences or plan.once or np.isfinite(last)) or rows.empty:
        return rows, at
    guard = CopyGuard.from_dict(plan.sequences) if plan.sequences else None
    columns = [c for c in guarded_columns(plan.model) if c in rows.columns]
    for _ in range(REDRAWS):
        bad = set(broken(rows, plan.once)) | set(late(rows, last))
        if guard is not None:
            drawn = sequence_rows(rows, rows["#at"].astype(int), rows["#t"].astype(int), columns)
            bad |= {e for e, seq in drawn.items() if guard.seen(seq)}
        if not bad:
            break
        again_at = np.array(sorted(bad), dtype=int)
        again, back = _steps(plan, given.iloc[again_at], counts[again_at], rng, seconds)
        again["#at"] = again_at[back.astype(int)]
        rows = pd.concat([rows[~rows["#at"].isin(again_at)], again], ignore_index=True)
        rows = rows.sort_values(["#at", "#t"], kind="stable").reset_index(drop=True)
    repair(rows, plan.once, rng)
    if late(rows, last):  # drawn again and still late: the series stops at the data's end
        over = pd.to_numeric(rows[POSITION], errors="coerce").to_numpy(dtype=float) > last
        rows = rows[~(over & (rows["#t"].to_numpy(dtype=int) > 1))].reset_index(drop=True)
    return rows, rows["#at"].to_numpy()
