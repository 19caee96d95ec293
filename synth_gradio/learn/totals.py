"""A parent's column that totals a column of its children: an order's amount and its lines' prices,
a customer's spend and their orders' amounts.

Why: each child is drawn given its parent, so children follow the parent's total on average, but
nothing makes them add up, and an invoice whose lines do not sum to its total is the first thing a
reader checks. A total is found on the real tables (in AGREE of the parents with children the
parent's value is its children's sum, to the last decimal), stored by table and column names,
and kept after a sample is drawn: the parent's value becomes its children's sum, from the deepest
tables up, so a customer's spend adds up the order amounts that add up their lines.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.keys import key_text
from synth_gradio.learn.relations import Link

AGREE = 0.99
MIN_PARENTS = 10
TOLERANCE = 0.0051  # a sum of values written to two decimals, as written
EMPTY = 0.99  # share of childless parents whose value is 0 before a childless parent is given 0


def _numbers(frame: pd.DataFrame, skip: set[str]) -> dict[str, pd.Series]:
    out = {}
    for column in map(str, frame.columns):
        if column in skip or pd.api.types.is_bool_dtype(frame[column]):
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.notna().sum() and values.notna().sum() == frame[column].notna().sum():
            out[column] = values
    return out


def find_totals(tables: dict[str, pd.DataFrame], links: list[Link], keys: set[str]) -> list[dict[str, Any]]:
    """[{"parent", "column", "child", "link", "key", "of", "empty"}]: parent.column is the sum of
    child.of over the children whose child.link holds parent.key (`keys`: key columns, skipped)."""
    out = []
    for link in links:
        parent, child = tables[link.parent], tables[link.child]
        owners = key_text(child[link.column])
        ids = key_text(parent[link.key])
        linking = keys | {x.column for x in links}
        wanted = _numbers(parent, linking | {link.key})
        for of, values in _numbers(child, linking).items():
            sums = ids.map(values.groupby(owners).sum(min_count=1))
            have = sums.notna().to_numpy()
            if have.sum() < MIN_PARENTS:
                continue
            for column, target in wanted.items():
                close = np.abs(target.to_numpy()[have] - sums.to_numpy()[have]) <= TOLERANCE + 1e-9 * np.abs(sums[have])
                if close.mean() >= AGREE:
                    zero = target.to_numpy()[~have]
                    empty = bool(len(zero) and np.mean(zero == 0) >= EMPTY)
                    out.append({"parent": link.parent, "column": column, "child": link.child, "link": link.column,
                                "key": link.key, "of": of, "empty": empty})  # fmt: skip
                    wanted.pop(column)
                    break
    return out


def keep_totals(made: dict[str, pd.DataFrame], totals: list[dict[str, Any]], order: list[str]) -> None:
    """Each total set to its generated children's sum (rounded as the sum of two-decimal values is),
    children's tables first (`order`: parents before children)."""
    depth = {name: i for i, name in enumerate(order)}
    for rule in sorted(totals, key=lambda r: -depth.get(r["child"], 0)):
        parent, child = made.get(rule["parent"]), made.get(rule["child"])
        if parent is None or child is None or rule["key"] not in parent:
            continue
        if rule["column"] not in parent or rule["of"] not in child or rule["link"] not in child:
            continue
        values = pd.to_numeric(child[rule["of"]], errors="coerce")
        sums = key_text(parent[rule["key"]]).map(values.groupby(key_text(child[rule["link"]])).sum(min_count=1))
        sums = sums.round(8)
        if rule["empty"]:
            sums = sums.fillna(0.0)
        column = parent[rule["column"]]
        whole = all(isinstance(v, (int, np.integer)) for v in column.dropna().tolist()[:50])
        written = [
            v if pd.isna(s) else (int(s) if whole and float(s).is_integer() else float(s))
            for v, s in zip(column, sums, strict=True)
        ]
        parent[rule["column"]] = pd.Series(written, index=parent.index, dtype=object)
