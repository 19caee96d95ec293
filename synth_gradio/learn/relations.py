"""How real tables relate: primary keys, foreign keys and sequences, given or found, and checked.

Why a module of its own: the user confirms what was found before anything is learned, so finding
keys (from names, then values) is separate from fitting. Every problem is one sentence naming the
table and column: duplicate primary keys, links whose values mostly match nothing, a cycle, an order
column with mixed formats or repeats within an entity, an entity with too many steps.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from synth_gradio.errors import InputError

MAX_STEPS = 10_000  # steps per entity a sequence may have (a longer one is a series, not a life)
REFUSE = 0.5  # a given link whose values mostly match nothing is refused, not trimmed
CONSTANT = 0.99  # share of entities in which a column never changes for it to belong to the entity
SERIES = "#series"  # the entity of a table that is one series (a station's weekly readings): no column of its own


@dataclass(frozen=True)
class Link:
    """child.column holds parent.key (a foreign key); `nullable` when some children have none."""

    child: str
    column: str
    parent: str
    key: str

    @property
    def name(self) -> str:
        return f"{self.child}.{self.column}->{self.parent}.{self.key}"


@dataclass(frozen=True)
class Steps:
    """Rows of `table` are steps of the entity in `entity`, in the order of `order` (None: unordered)."""

    table: str
    entity: str
    order: str | None = None


@dataclass
class Relations:
    keys: dict[str, str] = field(default_factory=dict)  # table -> primary key column
    links: list[Link] = field(default_factory=list)
    steps: list[Steps] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "keys": dict(self.keys),
            "links": [asdict(x) for x in self.links],
            "steps": [asdict(s) for s in self.steps],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relations:
        return cls(
            dict(data.get("keys", {})),
            [Link(**x) for x in data.get("links", [])],
            [Steps(**s) for s in data.get("steps", [])],
            list(data.get("notes", [])),
        )

    def describe(self) -> list[str]:
        """One line per key, link and sequence, for the user to confirm."""
        lines = [f"{t}: primary key {k}" for t, k in self.keys.items()]
        lines += [f"{x.child}.{x.column} refers to {x.parent}.{x.key}" for x in self.links]
        lines += [
            f"{s.table}: one series, in order of {s.order}"
            if s.entity == SERIES
            else f"{s.table}: steps of each {s.entity}" + (f", in order of {s.order}" if s.order else " (unordered)")
            for s in self.steps
        ]
        return lines


def parse_key(text: str, tables: dict[str, pd.DataFrame]) -> Link:
    """`child.column=parent.key`, each side naming a table and one of its columns."""
    left, sep, right = text.partition("=")
    sides = [part.strip().rsplit(".", 1) for part in (left, right)]
    if not sep or any(len(s) != 2 or not all(s) for s in sides):
        raise InputError(f"--key takes CHILD.COLUMN=PARENT.COLUMN (e.g. orders.customer_id=customers.id), got {text!r}")
    (child, column), (parent, key) = sides
    for table, col in ((child, column), (parent, key)):
        if table not in tables:
            raise InputError(f"--key {text}: there is no table {table}; the tables are {', '.join(tables)}")
        if col not in map(str, tables[table].columns):
            raise InputError(f"--key {text}: table {table} has no column {col}")
    return Link(child, column, parent, key)
