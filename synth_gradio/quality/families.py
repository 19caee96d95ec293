"""Quality across related tables and sequences: is the structure between rows the real one?

Pure functions over DataFrames. Links are plain (child, column, parent, key) tuples and sequences
(table, entity, order-or-None) tuples, so quality knows nothing of how tables were learned.
- children per parent: 1 - KS between the real and generated counts (parents with none count 0);
- parent-child trends: the largest gap between real and generated correlations of a parent's
  numeric column with a child's, over joined rows (pairs that at least 20 real parents fill with
  children that fill theirs; a pair left empty in the generated rows counts as no correlation);
- sequences: lag-1 autocorrelation within entities per numeric column, columns constant within
  entities, transitions between consecutive categorical values, steps per entity;
- once-per-parent rules: for each value that every real parent's children have exactly once (a
  traveller's one chosen mode), the share of generated parents for which it holds;
- privacy per entity: generated entities whose whole sequence equals a real one, and those that
  sit closer to a real entity than real entities sit to each other (the 5th percentile).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from synth_gradio.tables import held_share, key_text, once_rules

Link = tuple[str, str, str, str]  # child, column, parent, key
Steps = tuple[str, str, str | None]  # table, entity, order
CONSTANT = 0.99
FEW = 20  # a column with at most this many values has transitions
TREND_PARENTS = 20  # real parents, at least, that fill a column and have children filling another
UNSCALED = 1.5  # parents that grew this many times more or less than their children are compared by shares


def numeric(frame: pd.DataFrame, skip: set[str]) -> list[str]:
    """Numeric columns with more than two values (keys and flags left out)."""
    return [
        str(c)
        for c in frame.columns
        if c not in skip and pd.api.types.is_numeric_dtype(frame[c]) and frame[c].nunique() > 2
    ]


def _ks(a: np.ndarray, b: np.ndarray) -> float | None:
    return round(float(1 - ks_2samp(a, b).statistic), 3) if len(a) and len(b) else None


def children_ks(real: dict[str, pd.DataFrame], made: dict[str, pd.DataFrame], link: Link) -> float | None:
    """1 - KS between children per parent; per parent's share of all children where the parents did
    not grow with the children (16 airlines kept whole beside 50 aircraft of 1,500: each airline's
    flights are a thirtieth of the real ones, and counts compared as they are scored 0.25)."""
    child, column, parent, key = link

    def counts(tables: dict[str, pd.DataFrame]) -> np.ndarray:
        sizes = key_text(tables[child][column].dropna()).value_counts()
        return key_text(tables[parent][key]).map(sizes).fillna(0).to_numpy(dtype=float)

    ours, theirs = counts(made), counts(real)
    grown = (len(made[parent]) / max(1, len(real[parent]))) / max(1e-9, ours.sum() / max(1.0, theirs.sum()))
    if ours.sum() and theirs.sum() and not 1 / UNSCALED < grown < UNSCALED:
        ours, theirs = ours / ours.sum(), theirs / theirs.sum()
    return _ks(theirs, ours)


def _spread(joined: pd.DataFrame, parent: str, child: str) -> bool:
    """Whether enough real parents have children with both values for a trend to mean anything: a
    plane's speed, given for the 9 small planes of 900, joined 40 flights and scored a gap of 0.91.
    Judged on the real rows only, so a generated table that leaves a column empty still fails."""
    filled = joined["^" + parent].notna() & joined[child].notna()
    return int(joined.loc[filled, "#k"].nunique()) >= TREND_PARENTS


def trend_gap(real: dict[str, pd.DataFrame], made: dict[str, pd.DataFrame], link: Link, keys: set[str]) -> float | None:
    child, column, parent, key = link

    def joined(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        left = tables[child].assign(**{"#k": key_text(tables[child][column])})
        right = tables[parent].add_prefix("^").assign(**{"#k": key_text(tables[parent][key])})
        return left.merge(right, on="#k")

    r, m = joined(real), joined(made)
    parents = [c for c in numeric(real[parent], keys) if c in made[parent]]
    children = [c for c in numeric(real[child], keys) if c in made[child]]
    pairs = [(p, c) for p in parents for c in children if _spread(r, p, c)]
    real_corr = [r["^" + p].corr(r[c]) for p, c in pairs]
    made_corr = [m["^" + p].corr(m[c]) for p, c in pairs]  # none (a column left empty or fixed): counted as 0
    gaps = [abs(a - (b if np.isfinite(b) else 0.0)) for a, b in zip(real_corr, made_corr, strict=True)]
    gaps = [g for g in gaps if np.isfinite(g)]
    return round(float(max(gaps)), 3) if gaps else None


def _ordered(frame: pd.DataFrame, entity: str, order: str | None) -> pd.DataFrame:
    if order is None:
        return frame
    numbers = pd.to_numeric(frame[order], errors="coerce")
    if numbers.isna().any():
        numbers = pd.to_datetime(frame[order], errors="coerce", format="mixed").astype("int64")
    return frame.assign(**{"#o": numbers}).sort_values([entity, "#o"], kind="stable")


def lag1(frame: pd.DataFrame, entity: str, order: str | None, column: str) -> float | None:
    frame = _ordered(frame, entity, order)
    previous = frame.groupby(entity)[column].shift(1)
    seen = previous.notna() & frame[column].notna()
    if seen.sum() < 3:
        return None
    with np.errstate(invalid="ignore", divide="ignore"):  # a column that never moves has no correlation
        value = np.corrcoef(frame[column][seen].astype(float), previous[seen].astype(float))[0, 1]
    return float(value) if np.isfinite(value) else None


def transitions(frame: pd.DataFrame, entity: str, order: str | None, column: str) -> pd.Series:
    frame = _ordered(frame, entity, order)
    previous = frame.groupby(entity)[column].shift(1)
    seen = previous.notna()
    return (previous[seen].astype(str) + " -> " + frame[column][seen].astype(str)).value_counts(normalize=True)


def constant_columns(frame: pd.DataFrame, entity: str, skip: set[str]) -> list[str]:
    """Columns that never change within at least 99% of the entities with two or more steps."""
    several = frame.groupby(entity).size() > 1
    if not several.any():
        return []
    varying = frame.groupby(entity).nunique(dropna=False)[several]
    return [str(c) for c in varying.columns if c not in skip and float((varying[c] <= 1).mean()) >= CONSTANT]


def _signatures(frame: pd.DataFrame, entity: str, order: str | None, columns: list[str]) -> set[str]:
    """Whole sequences of two steps or more as text (one step is a row: the row-level checks cover it)."""
    frame = _ordered(frame, entity, order)
    rows = frame[columns].astype(str).agg("|".join, axis=1)
    several = frame.groupby(entity)[entity].transform("size") >= 2
    return set(rows[several].groupby(frame[entity][several]).agg("\n".join))


def _profiles(frame: pd.DataFrame, entity: str, columns: list[str]) -> pd.DataFrame:
    """An entity as numbers: its length and each numeric column's mean and spread across its steps."""
    groups = frame.groupby(entity)
    parts = [groups.size().rename("#len")]
    for c in columns:
        values = pd.to_numeric(frame[c], errors="coerce").groupby(frame[entity])
        parts += [values.mean().rename(f"{c}:mean"), values.std().fillna(0).rename(f"{c}:sd")]
    return pd.concat(parts, axis=1).fillna(0)


def entity_privacy(real: pd.DataFrame, made: pd.DataFrame, entity: str, order: str | None, keys: set[str]) -> dict:
    """Whole sequences copied, and generated entities closer to a real one than real ones are to each other."""
    columns = [c for c in real.columns if c not in keys | {entity, order} and c in made.columns]
    copies = len(_signatures(made, entity, order, columns) & _signatures(real, entity, order, columns))
    numbers = numeric(real, keys | {entity, order or ""})
    a, b = _profiles(real, entity, numbers), _profiles(made, entity, numbers)
    if len(a) < 3 or b.empty:
        return {"sequence_copies": copies, "close_share": None}
    scale = a.std().replace(0, 1)
    x, y = (a / scale).to_numpy(), (b[a.columns] / scale).to_numpy()
    within = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(within, np.inf)
    threshold = np.percentile(within.min(axis=1), 5)
    nearest = np.sqrt(((y[:, None, :] - x[None, :, :]) ** 2).sum(-1)).min(axis=1)
    return {"sequence_copies": copies, "close_share": round(float((nearest < threshold).mean()), 3)}


def _histories(frame: pd.DataFrame, entity: str, order: str | None) -> pd.DataFrame:
    """A table that is one series has no entity column: each history starts where its order goes
    back (a generated table may hold several histories of the same calendar, one after another)."""
    if entity in frame.columns or order is None:
        return frame
    numbers = _ordered(frame.assign(**{entity: 0}), entity, order)["#o"].reindex(frame.index)
    if numbers.is_unique:  # one history, in whatever order its rows are written
        return frame.assign(**{entity: 0})
    return frame.assign(**{entity: (numbers.diff() <= 0).cumsum().to_numpy()})


def sequence_report(real: pd.DataFrame, made: pd.DataFrame, steps: Steps, keys: set[str]) -> dict[str, Any]:
    _, entity, order = steps
    real, made = _histories(real, entity, order), _histories(made, entity, order)
    skip = keys | {entity, order or ""}
    out: dict[str, Any] = {
        "steps_ks": _ks(real.groupby(entity).size().to_numpy(), made.groupby(entity).size().to_numpy()),
        "lag1": {},
        "constant_share": {},
        "transition_gap": {},
    }
    if order is not None:
        for c in numeric(real, skip):
            truth, got = lag1(real, entity, order, c), lag1(made, entity, order, c)
            if truth is not None and got is not None:
                out["lag1"][c] = {
                    "real": round(truth, 3),
                    "generated": round(got, 3),
                    "gap": round(abs(truth - got), 3),
                }
        for c in real.columns:
            if c not in skip and c in made.columns and 2 <= real[c].nunique() <= FEW:
                gap = transitions(real, entity, order, c).sub(transitions(made, entity, order, c), fill_value=0).abs()
                out["transition_gap"][c] = round(float(gap.max()), 3)
    for c in constant_columns(real, entity, skip):
        if c in made.columns:
            out["constant_share"][c] = round(float((made.groupby(entity)[c].nunique(dropna=False) <= 1).mean()), 3)
    out["privacy"] = entity_privacy(real, made, entity, order, keys)
    return out


def _worst(values: list[float | None], best: str) -> float | None:
    found = [v for v in values if v is not None]
    return (min(found) if best == "high" else max(found)) if found else None


def family_report(
    real: dict[str, pd.DataFrame],
    made: dict[str, pd.DataFrame],
    links: list[Link],
    steps: list[Steps],
    keys: dict[str, str],
) -> dict[str, Any]:
    """Every cross-table and per-entity figure, with the targets each is held to."""
    plain = set(keys.values()) | {link[1] for link in links} | {s[1] for s in steps}
    present = [link for link in links if link[0] in made and link[2] in made]
    out: dict[str, Any] = {
        "children_ks": {f"{c}.{col}->{p}.{k}": children_ks(real, made, (c, col, p, k)) for c, col, p, k in present},
        "trend_gap": {f"{c}.{col}->{p}.{k}": trend_gap(real, made, (c, col, p, k), plain) for c, col, p, k in present},
        "foreign_keys_valid": all(
            set(key_text(made[c][col].dropna())) <= set(key_text(made[p][k])) for c, col, p, k in present
        ),
        "primary_keys_unique": all(made[t][k].is_unique for t, k in keys.items() if t in made and k in made[t]),
        "sequences": {s[0]: sequence_report(real[s[0]], made[s[0]], s, plain) for s in steps if s[0] in made},
        "once_share": {
            f"{c}.{column} = {value} once per {p}": held_share(made[c], col, column, value)
            for c, col, p, _ in present
            for column, value in once_rules(real[c], col, plain)
        },
    }
    for table, entity, _ in steps:  # a value each entity's own rows have once (a traveller's one choice)
        if (
            table in made
            and entity in real[table]
            and entity in made[table]
            and not any(x[0] == table and x[1] == entity for x in links)
        ):
            for column, value in once_rules(real[table], entity, plain):
                out["once_share"][f"{table}.{column} = {value} once per {entity}"] = held_share(
                    made[table], entity, column, value
                )
    seqs = out["sequences"].values()
    worst = {
        "children_ks": (_worst(list(out["children_ks"].values()), "high"), 0.90, "high"),
        "trend_gap": (_worst(list(out["trend_gap"].values()), "low"), 0.10, "low"),
        "lag1_gap": (_worst([v["gap"] for s in seqs for v in s["lag1"].values()], "low"), 0.10, "low"),
        "constant_share": (_worst([v for s in seqs for v in s["constant_share"].values()], "high"), 0.99, "high"),
        "transition_gap": (_worst([v for s in seqs for v in s["transition_gap"].values()], "low"), 0.05, "low"),
        "once_share": (_worst(list(out["once_share"].values()), "high"), CONSTANT, "high"),
    }
    out["targets"] = {
        name: {"worst": value, "target": target, "passes": None if value is None else (value >= target if best == "high" else value <= target)}
        for name, (value, target, best) in worst.items()
    }  # fmt: skip
    return out
