"""Related tables and sequences: do generated families keep the real structure? (prints figures)

    python bench/related.py [--sets grunfeld,modechoice,shop] [--scale-customers 9000] [--seed 0]

Development data only (issue 23): grunfeld (a real firm-year panel from statsmodels), modechoice
(real travellers and their four mode choices, split into two linked tables) and shop (three levels
of our own: customers, dated orders with a second parent and a nullable link, and order lines;
tests/related_data.py). Each set is learned with learn.related.fit_related from what
learn.keys.detect finds, and as many top-level entities as the real set has are drawn.

One JSON line per set, with the issue's targets (synth_gradio/quality/families.py computes them):
- children_ks: per link, 1 - KS statistic between children-per-parent counts (target >= 0.90);
- trend_gap: per link, the largest |corr(real) - corr(generated)| between a numeric parent column
  and a numeric child column over joined rows (target <= 0.10);
- lag1_gap: per sequence and numeric column, |lag-1 autocorrelation within entities| real minus
  generated (target <= 0.10);
- constant_share: per column constant within >= 99% of real entities, the share of generated
  entities in which it is constant (target >= 0.99); modechoice_long is the same
  travellers as one table of four rows each, found and learned as each traveller's rows in no order (learn/keys.find_groups);
- transition_gap: per categorical column of a sequence, the largest gap between real and generated
  frequencies of (from, to) pairs between consecutive steps (target <= 0.05);
- fk_valid, pk_unique: every foreign key found among its parent's keys, every primary key unique;
- sdmetrics: SDMetrics single-table QualityReport per table (keys excluded; target >= 0.90);
- detection: per table, a classifier's ROC AUC telling generated rows from real ones (keys left
  out; 0.5: it cannot), and the close-to-real share beside the held-out real rows' own share;
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

import pandas as pd

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from related_data import co2, fertility, grunfeld, macro_quarters, modechoice, shop, sunspots, workers

from synth_gradio.learn import fit_table, split_reference
from synth_gradio.learn.keys import detect
from synth_gradio.learn.periods import with_periods
from synth_gradio.learn.related import fit_related
from synth_gradio.quality.detection import detection_report
from synth_gradio.quality.families import family_report, lag1, numeric
from synth_gradio.quality.holdout import holdout_privacy

SETS = {
    "grunfeld": lambda: {"grunfeld": grunfeld()},
    "fertility": lambda: {"fertility": fertility()},
    "workers": lambda: {"workers": workers()},
    "modechoice": modechoice,
    "modechoice_long": lambda: {"modechoice": modechoice_long()},  # one table, unordered steps per traveller
    "shop": shop,
    "co2": lambda: {"co2": co2()},  # one series each: N counts steps (learn/series.py)
    "macro": lambda: {"macro": macro_quarters()},
    "macro_plain": lambda: {"macro": macro_quarters().drop(columns="date")},  # ordered by year and quarter
    "sunspots": lambda: {"sunspots": sunspots()},
}


def modechoice_long() -> pd.DataFrame:
    tables = modechoice()
    joined = tables["choices"].merge(tables["travellers"], on="traveller_id").drop(columns="choice_id")
    return joined.rename(columns={"traveller_id": "individual"})


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


def detection_and_privacy(real: pd.DataFrame, made: pd.DataFrame, keys: set[str]) -> dict | None:
    """Classifier AUC (real vs generated rows, keys left out) and the close-to-real share against the
    share of held-out real rows by the same rule (quality/holdout.py, split_reference's 20%). The
    related models hold out their own rows (of parent-augmented rows), so this split is indicative."""
    columns = [c for c in real.columns if c not in keys and c in made.columns]
    if len(columns) < 2 or len(real) < 50 or len(made) < 50:
        return None
    train, holdout = split_reference(real[columns])
    auc = detection_report(real[columns], made[columns], seed=0)["auc"]
    mine = holdout_privacy(real[columns], train, holdout, made[columns], columns)
    theirs = holdout_privacy(real[columns], train, holdout, holdout, columns)
    return {"auc": auc, "close": mine["rows_too_close_rate"], "holdout_close": theirs["rows_too_close_rate"],
            "exact_copies": mine["exact_copies"]}  # fmt: skip


def run_set(name: str, seed: int) -> dict:
    real = SETS[name]()
    relations = detect(real)
    started = time.perf_counter()
    model = fit_related(real, relations, seed=seed)
    fit_s = time.perf_counter() - started
    roots = [n for n, p in model.plans.items() if p.parent is None]
    series = model.series
    count = (
        len(real[series])
        if series
        else len(real[model.main])
        if model.main in real
        else real[relations.steps[0].table][relations.steps[0].entity].nunique()
    )
    started = time.perf_counter()
    made = {k: pd.DataFrame(v) for k, v in model.sample(count, seed + 1).items()}
    sample_s = time.perf_counter() - started
    keys = set(relations.keys.values()) | {x.column for x in relations.links} | {s.entity for s in relations.steps}
    keys |= {c for plan in model.plans.values() for c in plan.id_formats}  # new identifiers, like keys
    out: dict = {"set": name, "relations": relations.describe(), "rows": {k: len(v) for k, v in made.items()},
                 "real_rows": {k: len(v) for k, v in real.items()}, "fit_s": round(fit_s, 2), "sample_s": round(sample_s, 2),
                 "roots": roots}  # fmt: skip
    links = [(x.child, x.column, x.parent, x.key) for x in relations.links]
    steps = [(s.table, s.entity, s.order) for s in relations.steps]
    out.update(family_report(with_periods(real, relations), with_periods(made, relations), links, steps, dict(relations.keys)))  # fmt: skip
    for table, entity, order in steps:
        figures = out["sequences"][table]
        if order and figures["lag1"]:
            flat = pd.DataFrame(fit_table(real[table], seed=seed).sample(len(real[table]), seed))
            if series:  # one series learned flat, for contrast: how its rows are told apart
                out["flat_detection"] = detection_and_privacy(real[table], flat, keys)
            truth, flat = (f if entity in f else f.assign(**{entity: 1}) for f in (real[table], flat))
            truth, flat = (with_periods({table: f}, relations)[table] for f in (truth, flat))
            flat_gaps = {} if order not in flat else {c: round(abs((lag1(truth, entity, order, c) or 0) - (lag1(flat, entity, order, c) or 0)), 3) for c in figures["lag1"]}  # fmt: skip
            figures["flat_lag1_gap"] = flat_gaps if order in flat else "no order (drawn as an identifier)"
    out["detection"] = {t: detection_and_privacy(real[t], made[t], keys) for t in made}
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
