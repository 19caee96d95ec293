"""Related tables and sequences learned from real data: parents, their children, and steps in order.

Why this shape: every relation becomes "a child row drawn given its parent", which the sequential
model already does well once it is given the parent's columns (fit_table(given=...)):
- a parent learns, beside its own columns, how many children of each kind it has (`#n:child.col`),
  so the number of children follows the parent (big firms have more years, rich customers more
  orders);
- a child learns its columns given its parent's columns (`^col`); a child in order (a sequence)
  is also given its step number and the previous step's values (`<col`), and learns its first
  order value (`#first`) and the gaps between steps (`#gap`), so a life moves from year to year;
- a value that every parent's children have exactly once (a traveller's one chosen mode, an
  order's line 1) is found in the real rows (tables/rules.py); a family that breaks it is drawn
  again, so the rule holds for every family and not only on average;
- an entity's first step is learned apart, given its parent only (where first and later steps each
  number 500, or series are long: then with later steps alike, firsts.py): learned with them,
  a wage's link to schooling in a panel's first year fell from .49 to .37, and every year kept it;
- a state that mostly lasts from step to step (marital status, an occupation written as nine 0/1
  columns) is learned as its first value and its changes (stays.py), so it keeps how long it lasts;
- a table of steps per entity without a parent table (a person-year panel) gets one: its entities,
  holding the columns that never change within an entity, which are then the same in every step.
Keys are new, numbered as the reference's run (codes.py); every foreign key, and a column naming
another row of its own table (selfref.py), points at a generated row. A second parent (a flight's
airline beside its aircraft, an order line's product beside its order) is chosen for each child
first, in proportion to how many such children the generated parents should have, and the child is
drawn given its columns too (`&product_id:price`), so a line's price follows its product's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.calendar import order_parts
from synth_gradio.learn.codes import key_format
from synth_gradio.learn.detect import detect as detect_column
from synth_gradio.learn.firsts import apart, first_rows
from synth_gradio.learn.fit import fit_table
from synth_gradio.learn.keys import fixed_columns, key_text
from synth_gradio.learn.offsets import follow_order, offsets_note
from synth_gradio.learn.privacy import CopyGuard
from synth_gradio.learn.relations import CONSTANT, SERIES, Link, Relations
from synth_gradio.learn.relcheck import check, order_numbers, table_order, write_order
from synth_gradio.learn.seasons import SEASON, find_seasons, season_columns
from synth_gradio.learn.selfref import keyed_columns
from synth_gradio.learn.series import one_entity, with_series
from synth_gradio.learn.stays import find_states, mask_states, state_groups, states_note
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
)
from synth_gradio.learn.totals import find_totals
from synth_gradio.learn.trends import copy_guard, find_trends, trends_note
from synth_gradio.tables import once_rules

if TYPE_CHECKING:
    from synth_gradio.learn.relmodel import RelatedModel

STRUCTURED = ("number", "discrete", "category", "boolean", "datetime")
ENTITIES = "#entities"  # suffix of the parent table made for a panel's entities
SHARED = 2  # real rows that must share a combination of values before a draw may repeat it

LOOKUP_ROWS = 50  # a root beside the main one keeps up to this many of its real rows' count (relmodel.py)
MIN_FOLLOWING = 10  # main parents with several children that show a second parent follows the main one
COUNT = "#n:"  # prefix of a parent's column counting its children of one kind


def count_column(link: Link) -> str:
    return f"{COUNT}{link.child}.{link.column}"


@dataclass
class TablePlan:
    """What is learned for one table, before fitting; `to_dict` is what is stored."""

    name: str
    columns: list[str]  # the reference's columns, in order (what an output row has)
    rows: int
    key: str | None = None
    key_format: dict[str, Any] = field(default_factory=dict)
    parent: Link | None = None
    others: list[dict[str, Any]] = field(default_factory=list)  # second parents: link and null share
    order: str | None = None
    order_format: dict[str, Any] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)  # first order and gap medians (fallbacks)
    null_parent: float = 0.0  # share of rows without a parent (a nullable foreign key)
    merge_into: str | None = None  # a panel's entities are written into its steps
    sequences: dict[str, Any] | None = None  # digests of real entities' whole sequences (never drawn)
    once: list[list[str]] = field(default_factory=list)  # (column, value) each parent's children have once
    id_formats: dict[str, Any] = field(default_factory=dict)  # an entity's identifiers, written once per entity
    calendar: list[dict[str, Any]] = field(default_factory=list)  # own columns the order date fixes
    groups: list[dict[str, Any]] = field(default_factory=list)  # indicators drawn as one state (stays.py)
    states: list[str] = field(default_factory=list)  # columns learned as changes from the previous step
    seasons: list[str] = field(default_factory=list)  # parts of a step's due time given to its model
    counts: dict[str, list[int]] = field(default_factory=dict)  # a small root's real children counts, sorted
    offsets: list[dict[str, Any]] = field(default_factory=list)  # own columns learned as distances from the order
    trends: list[dict[str, Any]] = field(default_factory=list)  # a series' numbers learned around its course
    copies: dict[str, Any] = field(default_factory=dict)  # a series' real rows, none drawn again whole
    times: list[float] = field(default_factory=list)  # a series' real calendar, replayed by each history
    key_texts: dict[str, Any] = field(default_factory=dict)  # own columns written from the key (templates.py)
    self_links: dict[str, Any] = field(default_factory=dict)  # own columns naming another row (selfref.py)
    model: Any = None
    first_model: Any = None  # an entity's first step, given its parent only (None: `model` draws it)


def _structured(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    return [c for c in columns if detect_column(c, frame[c].dropna()).kind in STRUCTURED]


def _entities(tables: dict[str, pd.DataFrame], relations: Relations) -> tuple[dict, Relations, dict[str, str]]:
    """A panel without a parent table gets one: its entities and the columns that never change within one."""
    tables, merged = dict(tables), {}
    keys, links = dict(relations.keys), list(relations.links)
    for steps in relations.steps:
        if any(x.child == steps.table and x.column == steps.entity for x in links):
            continue
        frame = tables[steps.table]
        groups = frame.groupby(steps.entity, dropna=True, sort=False)
        constant = fixed_columns(frame, steps.entity, (steps.order,))
        name = f"{steps.table}{ENTITIES}"
        tables[name] = (
            groups[constant].first().reset_index() if constant else groups.size().reset_index()[[steps.entity]]
        )
        tables[steps.table] = frame.drop(columns=constant)
        keys[name] = steps.entity
        links.append(Link(steps.table, steps.entity, name, steps.entity))
        merged[name] = steps.table
    return tables, Relations(keys, links, list(relations.steps), list(relations.notes)), merged


def _primary(relations: Relations, tables: dict[str, pd.DataFrame]) -> dict[str, Link]:
    """Each child's main parent: the entity of its steps, else the link to the most parents.

    Why the most: a child's rows are counted per main parent, and those counts are drawn by the
    parent's model. A flight's first link was its airline (16 rows), whose model drew totals that
    made 13,000 to 20,000 flights from one seed to the next; per aircraft (1,500 rows) the total
    is steady, and the airline follows its aircraft (seconds.py)."""
    out: dict[str, Link] = {}
    for steps in relations.steps:
        for link in relations.links:
            if link.child == steps.table and link.column == steps.entity:
                out[steps.table] = link
    stepped = {(s.table, s.entity) for s in relations.steps}
    for link in relations.links:
        best = out.get(link.child)
        if best is None or (
            (best.child, best.column) not in stepped and _parents(tables, link) > _parents(tables, best)
        ):
            out[link.child] = link
    return out


def _parents(tables: dict[str, pd.DataFrame], link: Link) -> int:
    """How many parents a child's rows refer to."""
    return int(tables[link.child][link.column].nunique())


def follows(frame: pd.DataFrame, link: Link, other: Link) -> bool:
    """Whether the second parent is the same for every child of a main parent (an aircraft flies
    for one airline): then it is chosen once per main parent. Drawn per child, one aircraft's
    flights were spread over five airlines on average."""
    both = frame[[link.column, other.column]].dropna()
    sizes = both.groupby(link.column)[other.column].agg(["size", "nunique"])
    several = sizes[sizes["size"] > 1]
    return len(several) >= MIN_FOLLOWING and float((several["nunique"] == 1).mean()) >= CONSTANT


def second_prefix(link: Link) -> str:
    """How a second parent's columns are named in its child's model (`&store_id:size_m2`)."""
    return f"{SECOND}{link.column}:"


def parent_context(frame: pd.DataFrame, column: str, parent: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Each row's parent's modelled columns (by the key in `column`), named with `prefix`; nothing
    for a row without a parent."""
    at = key_text(frame[column]).map(pd.Series(np.arange(len(parent)), index=parent.index))
    context = parent.iloc[at.fillna(0).astype(int).to_numpy()].reset_index(drop=True)
    context.loc[at.isna().to_numpy()] = np.nan  # a child without a parent is given nothing
    context = context.add_prefix(prefix)
    context.index = frame.index
    return context


def _counts(frame: pd.DataFrame, key: str | None, tables: dict[str, pd.DataFrame], links: list[Link]) -> pd.DataFrame:
    """How many children of each kind every row has (0 where none refers to it)."""
    out = pd.DataFrame(index=frame.index)
    for link in links:
        sizes = key_text(tables[link.child][link.column].dropna()).value_counts()
        out[count_column(link)] = key_text(frame[key]).map(sizes).fillna(0).astype(int).to_numpy()
    return out


def _sequence_columns(
    frame: pd.DataFrame, own: pd.DataFrame, plan: TablePlan, link: Link, prev_of: list[str]
) -> pd.DataFrame:
    """Step number and the previous step's values for rows in order; with an order column, also its
    first value and the gaps between steps. Without one, rows are steps in the file's order, which
    keeps what siblings share (a traveller's four rows are the four modes, one each)."""
    timed = plan.order is not None
    if timed:
        numbers, plan.order_format = order_numbers(plan.name, plan.order, frame[plan.order])
        if link.column == SERIES:  # its real calendar, which every history replays (series.py)
            plan.times = sorted(float(x) for x in numbers if np.isfinite(x))
    else:
        numbers = np.arange(len(frame), dtype=float)
    entity = key_text(frame[link.column]).fillna("").to_numpy()
    step = pd.Series(numbers, index=frame.index).groupby(entity).rank(method="first").astype(int)
    ordered = np.lexsort((numbers, entity))
    back = np.empty_like(ordered)
    back[ordered] = np.arange(len(ordered))
    sorted_entity = entity[ordered]
    same = np.r_[False, sorted_entity[1:] == sorted_entity[:-1]]
    extra = pd.DataFrame(index=frame.index)
    extra[STEP] = step.to_numpy()
    lagged = own[prev_of].iloc[ordered].reset_index(drop=True)
    if timed:
        previous_number = np.r_[np.nan, numbers[ordered][:-1]]
        firsts = np.where(step.to_numpy() == 1, numbers, np.nan)
        extra[FIRST] = firsts
        extra[GAP] = np.where(same, numbers[ordered] - previous_number, np.nan)[back]
        lagged[GAP] = extra[GAP].to_numpy()[ordered]
        plan.seasons = find_seasons(numbers, extra[GAP].to_numpy(), plan.order_format)
        later = np.where(step.to_numpy() > 1, numbers, np.nan)  # a first step's time is drawn with it
        extra = pd.concat([extra, season_columns(later, plan.seasons, frame.index)], axis=1)
        gaps = extra[GAP].dropna()
        plan.steps = {
            "first": float(np.nanmedian(firsts)),
            "gap": float(gaps[gaps > 0].median()) if (gaps > 0).any() else 1.0,
            "longest": float(gaps.max()) if len(gaps) else 1.0,  # no drawn gap is longer
            "last": float(np.nanmax(numbers)),  # no drawn step is later (the data's end, a panel's last year)
        }
        if plan.order_format.get("kind") == "datetime":  # a date, so a bound on a parent's date is found
            written = write_order(np.nan_to_num(firsts), plan.order_format)  # (a first order after signing up)
            extra[FIRST] = [None if np.isnan(v) else w for v, w in zip(firsts, written, strict=True)]
    shifted = lagged.shift(1)
    shifted.loc[~same] = np.nan  # the first step of an entity has no previous one
    for column in shifted.columns:
        extra[PREV + column] = shifted[column].to_numpy()[back]
    return extra


def _sequence_guard(plan: TablePlan, frame: pd.DataFrame, own: pd.DataFrame, link: Link, step: pd.Series) -> dict:
    """Salted digests of the real entities' whole sequences, so that none is drawn again whole (a
    sequence that SHARED entities have in common singles out none of them, as for rows)."""
    columns = [c for c in guarded_columns(plan.model) if c in own.columns]
    written = pd.DataFrame(plan.model.written(own[columns]), index=own.index)
    rows = sequence_rows(written, key_text(frame[link.column]).fillna(""), step, columns)
    return CopyGuard.build(rows.values(), SHARED).to_dict()


def _fit(data: pd.DataFrame, given: list[str], seed: int, rare: int, plan: TablePlan) -> Any:
    """A table's model. A combination of values unique to one real row is never drawn; one that
    SHARED real rows have in common may be: a parent or child has few columns of its own, and
    redrawing every combination some real row has thins out the commonest profiles (with a guard
    on all of them, parties of one were 150 of 210 travellers instead of 114)."""
    try:
        aside = [c for c in data.columns if c.startswith(COUNT)]  # shown as rows of another table
        return fit_table(
            one_entity(data, plan.key),
            seed=seed,
            rare_threshold=rare,
            given=given or None,
            shared_rows=SHARED,
            aside=aside,
        )
    except InputError as exc:
        raise InputError(f"table {plan.name}: {exc}") from None


def fit_related(
    tables: dict[str, pd.DataFrame], relations: Relations, *, seed: int = 0, rare_threshold: int = 5
) -> RelatedModel:
    """Learn every table given its parent, in parent-first order (see the module docstring)."""
    from synth_gradio.learn.relmodel import RelatedModel

    original = {name: list(map(str, frame.columns)) for name, frame in tables.items()}  # what a row has
    tables, notes = check(with_series(tables, relations), relations)
    totals = find_totals(tables, relations.links, set(relations.keys.values()))
    notes += [
        f"{t['parent']}.{t['column']} is the sum of its {t['child']}' {t['of']}, in every generated row" for t in totals
    ]
    tables, relations, merged = _entities(tables, relations)
    primary = _primary(relations, tables)
    orders = {s.table: s.order for s in relations.steps if s.order}
    frames: dict[str, pd.DataFrame] = {}  # each table's modelled columns, for its children's context
    plans: dict[str, TablePlan] = {}
    for name in table_order(list(tables), relations.links):
        frame = tables[name]
        key = relations.keys.get(name) or next((x.key for x in relations.links if x.parent == name), None)
        link = primary.get(name)
        columns = original.get(name, list(map(str, frame.columns)))
        plan = TablePlan(name, columns, len(frame), key=key, parent=link, order=orders.get(name))
        plan.merge_into = merged.get(name)
        if key is not None:
            plan.key_format = key_format(frame[key])
        linked = [x for x in relations.links if x.child == name]
        for other in linked:
            if other != link:
                null = float(frame[other.column].isna().mean())
                plan.others.append(
                    {"link": other, "null": null, "follows": link is not None and follows(frame, link, other)}
                )
        skip = {key, plan.order, *(x.column for x in linked)}
        plan.key_texts, plan.self_links = keyed_columns(frame, key, [c for c in frame.columns if c not in skip], notes)
        own = frame[[c for c in map(str, frame.columns) if c not in skip | set(plan.key_texts)]].copy()
        if link is not None:
            own, plan.groups = state_groups(own)
        children = [x for x in relations.links if x.parent == name]
        if children:
            counted = _counts(frame, key, tables, children)
            own = pd.concat([own, counted], axis=1)
            if link is None and len(frame) <= LOOKUP_ROWS:
                plan.counts = {c: sorted(map(int, counted[c])) for c in counted.columns}
        given: list[str] = []
        data = own
        if link is not None:
            plan.null_parent = float(frame[link.column].isna().mean())
            seconds = [parent_context(frame, x.column, frames[x.parent], second_prefix(x)) for x in linked if x != link]
            context = pd.concat([parent_context(frame, link.column, frames[link.parent], PARENT), *seconds], axis=1)
            given = list(context.columns)
            if plan.order is not None:
                own, plan.offsets = follow_order(name, frame, own, plan.order)
                notes += offsets_note(name, plan.order, plan.offsets)
                if link.column == SERIES:
                    own, plan.trends = find_trends(name, frame, own, plan.order, {o["column"] for o in plan.offsets})
                    notes += trends_note(name, plan.trends)
            structured = _structured(own, list(own.columns))
            extra = _sequence_columns(frame, own, plan, link, structured)
            given += [STEP, *(c for c in extra.columns if c.startswith((PREV, SEASON)))]
            previous = previous_values(extra)
            dated = order_parts(frame, plan.order or "", plan.order_format, [c for c in structured if c in frame])
            lasting = [c for c in structured if not c.startswith("#") and c not in {x["column"] for x in dated}]
            lasting = lasting if link.column != SERIES else []  # one real first step: no first state to learn
            plan.states = find_states(own, previous, lasting)  # a date's year is written from it, not a state
            notes += states_note(name, plan.states, plan.groups)
            numbering = extra[STEP]
            rows = np.full(len(frame), True)  # the rows the step model learns from
            later = numbering.to_numpy() > 1
            if apart(int((~later).sum()), int(later.sum())):  # first steps learned apart
                firsts = pd.concat([context, extra[[c for c in (FIRST,) if c in extra]], own], axis=1)
                firsts = first_rows(
                    firsts, later, frame[link.column], numbering.to_numpy(), list(own.columns), FIRST, seed
                )
                plan.first_model = _fit(firsts, list(context.columns), seed, rare_threshold, plan)
                rows, extra = later, extra.drop(columns=[FIRST], errors="ignore")
            states = mask_states(own[rows], previous[rows], plan.states)
            data = pd.concat([context[rows], extra[rows], states], axis=1)
        plan.model = _fit(data, given, seed, rare_threshold, plan)
        if plan.merge_into:  # written into every step, so drawn here rather than per row by the schema
            plan.id_formats = {c: key_format(frame[c]) for c in plan.model.id_columns if c in frame.columns}
            notes += [
                f"{plan.merge_into}.{c} is a new identifier per {key}, the same in each of its rows"
                for c in plan.id_formats
            ]
        if link is not None:
            plan.sequences = _sequence_guard(plan, frame, own, link, numbering)
            if plan.order is not None:
                mine = [c for c in own_columns(plan.model) if c in frame.columns]
                plan.calendar = order_parts(frame, plan.order, plan.order_format, mine)
                plan.copies = copy_guard(frame, plan.order, plan.trends)
                fixed = ", ".join(f"{law['column']} (its {law['part'].replace('_', ' ')})" for law in plan.calendar)
                notes += [f"{name}: {fixed} follow {plan.order} in every drawn step"] if fixed else []
            plan.once = [list(rule) for rule in once_rules(frame, link.column, skip)]
        modelled = [c for c in plan.model.columns if c in own.columns and c not in plan.model.form_columns]
        frames[name] = own[modelled].set_axis(key_text(frame[key]) if key else frame.index.astype(str))
        plans[name] = plan
    return RelatedModel.build(plans, relations, notes, seed, totals)
