"""Related tables and sequences: do generated families keep the real structure? (prints figures)

    python bench/related.py [--sets grunfeld,modechoice,shop] [--scale-customers 9000] [--seed 0]

Development data only (issue 23): grunfeld (a real firm-year panel from statsmodels), modechoice
(real travellers and their four mode choices, split into two linked tables) and shop (three levels
of our own: customers, dated orders with a second parent and a nullable link, and order lines;
tests/related_data.py). Each set is learned with learn.related.fit_related from what
learn.keys.detect finds, and as many top-level entities as the real set has are drawn.

One JSON line per set, with the issue's targets:
- children_ks: per link, 1 - KS statistic between children-per-parent counts (target >= 0.90);
- trend_gap: per link, the largest |corr(real) - corr(generated)| between a numeric parent column
  and a numeric child column over joined rows (target <= 0.10);
- lag1_gap: per sequence and numeric column, |lag-1 autocorrelation within entities| real minus
  generated (target <= 0.10);
- constant_share: per column constant within >= 99% of real entities, the share of generated
  entities in which it is constant (target >= 0.99); modechoice_long is the same
  travellers as one table of four rows each, learned as unordered steps per traveller (given);
- transition_gap: per categorical column of a sequence, the largest gap between real and generated
  frequencies of (from, to) pairs between consecutive steps (target <= 0.05);
- fk_valid, pk_unique: every foreign key found among its parent's keys, every primary key unique;
- sdmetrics: SDMetrics single-table QualityReport per table (keys excluded; target >= 0.90);
- flat_lag1_gap: the same lag-1 figure for the same table learned flat (fit_table), for contrast.
A last line times a three-level shop of about 100,000 rows: fit and sample seconds (targets 60, 10).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from related_data import grunfeld, modechoice, shop

from synth_gradio.learn import fit_table
from synth_gradio.learn.keys import detect
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relations import Relations, Steps

SETS = {
    "grunfeld": lambda: {"grunfeld": grunfeld()},
    "modechoice": modechoice,
    "modechoice_long": lambda: {"modechoice": modechoice_long()},  # one table, unordered steps per traveller
    "shop": shop,
}
GIVEN = {"modechoice_long": Relations(steps=[Steps("modechoice", "individual", None)])}


def modechoice_long() -> pd.DataFrame:
    tables = modechoice()
    joined = tables["choices"].merge(tables["travellers"], on="traveller_id").drop(columns="choice_id")
    return joined.rename(columns={"traveller_id": "individual"})


def numeric(frame: pd.DataFrame, skip: set[str]) -> list[str]:
    return [
        c for c in frame.columns if c not in skip and pd.api.types.is_numeric_dtype(frame[c]) and frame[c].nunique() > 2
    ]


def children_ks(real: dict, made: dict, link) -> float:
    def counts(t: dict) -> np.ndarray:
        sizes = t[link.child][link.column].dropna().value_counts()
        return t[link.parent][link.key].map(sizes).fillna(0).to_numpy()

    return round(1 - ks_2samp(counts(real), counts(made)).statistic, 3)


def trend_gap(real: dict, made: dict, link, keys: set[str]) -> float | None:
    def joined(t: dict) -> pd.DataFrame:
        parent = t[link.parent].add_prefix("^")
        return t[link.child].merge(parent, left_on=link.column, right_on="^" + link.key)

    r, m = joined(real), joined(made)
    parents = [c for c in numeric(real[link.parent], keys) if c in made[link.parent]]
    children = [c for c in numeric(real[link.child], keys) if c in made[link.child]]
    gaps = [abs(r["^" + p].corr(r[c]) - m["^" + p].corr(m[c])) for p in parents for c in children]
    gaps = [g for g in gaps if np.isfinite(g)]
    return round(max(gaps), 3) if gaps else None


def lag1(frame: pd.DataFrame, entity: str, order: str, column: str) -> float:
    frame = frame.sort_values([entity, order], kind="stable")
    previous = frame.groupby(entity)[column].shift(1)
    seen = previous.notna() & frame[column].notna()
    return float(np.corrcoef(frame[column][seen].astype(float), previous[seen].astype(float))[0, 1])


def transitions(frame: pd.DataFrame, entity: str, order: str, column: str) -> pd.Series:
    frame = frame.sort_values([entity, order], kind="stable")
    previous = frame.groupby(entity)[column].shift(1)
    seen = previous.notna()
    pairs = previous[seen].astype(str) + " -> " + frame[column][seen].astype(str)
    return pairs.value_counts(normalize=True)


def sequence_figures(real: pd.DataFrame, made: pd.DataFrame, steps, keys: set[str]) -> dict:
    entity, order = steps.entity, steps.order
    out: dict = {"lag1_gap": {}, "constant_share": {}, "transition_gap": {}}
    if order:
        for c in numeric(real, keys | {entity, order}):
            out["lag1_gap"][c] = round(abs(lag1(real, entity, order, c) - lag1(made, entity, order, c)), 3)
        for c in real.columns:
            if c not in (entity, order) and 2 <= real[c].nunique() <= 20:
                gap = transitions(real, entity, order, c).sub(transitions(made, entity, order, c), fill_value=0).abs()
                out["transition_gap"][c] = round(float(gap.max()), 3)
    several = real.groupby(entity).size() > 1
    for c in real.columns:
        if c in (entity, order):
            continue
        if (real.groupby(entity)[c].nunique(dropna=False)[several] <= 1).mean() >= 0.99:
            out["constant_share"][c] = round(float((made.groupby(entity)[c].nunique(dropna=False) <= 1).mean()), 3)
    return out


def sdmetrics_quality(real: pd.DataFrame, made: pd.DataFrame, skip: set[str]) -> float | None:
    from sdmetrics.reports.single_table import QualityReport

    columns = [c for c in real.columns if c not in skip and c in made.columns]
    if len(columns) < 2:
        return None
    meta = {
        "columns": {
            c: {"sdtype": "numerical" if c in numeric(real, set()) and real[c].nunique() > 10 else "categorical"}
            for c in columns
        }
    }
    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(
            real[columns], made[columns].astype(real[columns].dtypes.to_dict(), errors="ignore"), meta, verbose=False
        )
    return round(float(report.get_score()), 3)


def run_set(name: str, seed: int) -> dict:
    real = SETS[name]()
    relations = GIVEN.get(name) or detect(real)
    started = time.perf_counter()
    model = fit_related(real, relations, seed=seed)
    fit_s = time.perf_counter() - started
    roots = [n for n, p in model.plans.items() if p.parent is None]
    count = (
        len(real[model.main])
        if model.main in real
        else real[relations.steps[0].table][relations.steps[0].entity].nunique()
    )
    started = time.perf_counter()
    made = {k: pd.DataFrame(v) for k, v in model.sample(count, seed + 1).items()}
    sample_s = time.perf_counter() - started
    keys = set(relations.keys.values()) | {x.column for x in relations.links} | {s.entity for s in relations.steps}
    out: dict = {"set": name, "relations": relations.describe(), "rows": {k: len(v) for k, v in made.items()},
                 "real_rows": {k: len(v) for k, v in real.items()}, "fit_s": round(fit_s, 2), "sample_s": round(sample_s, 2),
                 "roots": roots}  # fmt: skip
    out["children_ks"] = {x.name: children_ks(real, made, x) for x in relations.links}
    out["trend_gap"] = {x.name: trend_gap(real, made, x, keys) for x in relations.links}
    out["fk_valid"] = all(set(made[x.child][x.column].dropna()) <= set(made[x.parent][x.key]) for x in relations.links)
    out["pk_unique"] = all(made[t][k].is_unique for t, k in relations.keys.items() if t in made)
    for steps in relations.steps:
        figures = sequence_figures(real[steps.table], made[steps.table], steps, keys)
        out[f"sequence {steps.table}"] = figures
        if steps.order and figures["lag1_gap"]:
            flat = pd.DataFrame(fit_table(real[steps.table], seed=seed).sample(len(real[steps.table]), seed))
            flat_gaps = {c: round(abs(lag1(real[steps.table], steps.entity, steps.order, c) - lag1(flat, steps.entity, steps.order, c)), 3) for c in figures["lag1_gap"]}  # fmt: skip
            out[f"sequence {steps.table}"]["flat_lag1_gap"] = flat_gaps
    out["sdmetrics"] = {t: sdmetrics_quality(real[t], made[t], keys | {s.order for s in relations.steps}) for t in made}
    return out


def scale(customers: int, seed: int) -> dict:
    real = shop(customers=customers, seed=seed)
    rows = sum(len(v) for k, v in real.items())
    started = time.perf_counter()
    model = fit_related(real, detect(real), seed=seed)
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    made = model.sample(customers, seed + 1)
    return {"scale": "shop", "real_rows": rows, "fit_s": round(fit_s, 1), "sample_s": round(time.perf_counter() - started, 1),
            "generated_rows": sum(len(v) for v in made.values())}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--scale-customers", type=int, default=9000, help="0: skip the timing line")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name in [s for s in args.sets.split(",") if s]:
        print(json.dumps(run_set(name, args.seed), default=str), flush=True)
    if args.scale_customers:
        print(json.dumps(scale(args.scale_customers, args.seed)), flush=True)


if __name__ == "__main__":
    main()
