"""A column that is a log, square root or reciprocal of another, shifted: a survey's log(population
+ 0.1). Before, the log column was the log of the population beside it in 59% of drawn rows (a
population of 4 beside log 5.1), and once it was computed, every row with a population of 0 was
drawn again: its log sat outside a range that left out the column's value apart (the zero)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from synth_gradio.learn import fit_table
from synth_gradio.learn.functions import compute, find_functions


def anes96() -> pd.DataFrame:
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.datasets.anes96.load_pandas().data


def test_a_real_surveys_log_population_is_the_log_of_its_population() -> None:
    frame = anes96()
    model = fit_table(frame, seed=0)
    rows = pd.DataFrame(model.sample(944, 0))
    assert float((np.abs(np.log(rows["popul"] + 0.1) - rows["logpopul"]) < 1e-9).mean()) == 1.0
    zero = float((rows["popul"] == 0).mean())  # 24% of real people live where it rounds to 0
    assert abs(zero - float((frame["popul"] == 0).mean())) < 0.06, zero


def laws_of(frame: pd.DataFrame) -> dict[str, dict]:
    model = fit_table(frame, seed=0, method="sequential")
    found = model.to_dict()["parts"][0]["laws"]["functions"]
    return {frame.columns[law["column"]]: {**law, "source": frame.columns[law["source"]]} for law in found}


def measures(rows: int = 2000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    price = np.round(rng.lognormal(4, 1, rows), 2)
    area = np.round(rng.uniform(20, 300, rows), 1)
    return pd.DataFrame(
        {
            "price": price,
            "log10_price": np.round(np.log10(price), 4),  # rounded: two prices may share a log
            "area": area,
            "per_area": 1 / (area + 2),
            "log1p_area": np.log1p(area),
            "noise": np.log(price) + rng.normal(0, 0.05, rows),  # close to a law, but no law
        }
    )


def test_rounded_and_shifted_transforms_are_found_with_short_constants() -> None:
    laws = laws_of(measures())
    assert set(laws) == {"log10_price", "per_area", "log1p_area"}, laws
    assert laws["log10_price"] | {"column": 0} == {"column": 0, "source": "price", "transform": "log10", "shift": 0.0, "scale": 1.0}  # fmt: skip
    assert (laws["per_area"]["transform"], laws["per_area"]["shift"]) == ("reciprocal", -2.0)
    assert (laws["log1p_area"]["transform"], laws["log1p_area"]["shift"]) == ("log", -1.0)


def test_drawn_rows_keep_every_transform() -> None:
    frame = measures()
    rows = pd.DataFrame(fit_table(frame, seed=0, method="sequential").sample(1500, 3))
    assert float((np.abs(np.log10(rows["price"]) - rows["log10_price"]) <= 5.01e-5).mean()) == 1.0
    assert float((np.abs(1 / (rows["area"] + 2) - rows["per_area"]) < 1e-12).mean()) == 1.0
    assert float((np.abs(np.log1p(rows["area"]) - rows["log1p_area"]) < 1e-12).mean()) == 1.0
    assert float((np.abs(np.log(rows["price"]) - rows["noise"]) < 1e-3).mean()) < 0.2  # noise stays noise


def test_a_source_rounded_after_its_log_was_taken_is_no_law() -> None:
    rng = np.random.default_rng(2)
    exact = rng.lognormal(3, 1, 500)
    columns = {0: np.round(exact, 0), 1: np.log(exact)}  # two rows with one rounded value, two logs
    specs = [{"name": "a", "kind": "number"}, {"name": "b", "kind": "number"}]
    assert find_functions(columns, specs, set()) == []


def test_a_source_outside_the_domain_gives_no_value() -> None:
    law = {"transform": "log", "shift": 0.0, "scale": 1.0}
    assert np.isnan(compute(law, np.array([-1.0, 0.0]))).all()
