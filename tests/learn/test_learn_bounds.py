"""Bounds a swap cannot keep: years in a role never above years at the company (few-valued columns),
working years at least 18 below age (a gap), kept in every drawn row by drawing the row again."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.learn import LearnedModel, fit_table
from synth_gradio.learn.bounds import find_bounds


def careers(rows: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Ages, working years since 18 at most, years at the company and in the role at most those."""
    rng = np.random.default_rng(seed)
    age = np.clip(np.round(rng.normal(37, 9, rows)), 18, 60).astype(int)
    total = np.clip(np.round((age - 18) * rng.uniform(0.3, 1.0, rows)), 0, 40).astype(int)
    company = np.round(total * rng.beta(1.2, 2, rows)).astype(int)
    role = np.round(company * rng.beta(1.5, 2, rows)).astype(int)
    pay = np.round(np.exp(7.8 + 0.03 * total + rng.normal(0, 0.2, rows)), -1)
    return pd.DataFrame({"age": age, "working_years": total, "at_company": company, "in_role": role, "pay": pay})


def broken(rows: pd.DataFrame) -> dict[str, float]:
    n = {c: pd.to_numeric(rows[c]) for c in ("age", "working_years", "at_company", "in_role")}
    return {
        "in_role > at_company": float(np.mean(n["in_role"] > n["at_company"])),
        "at_company > working_years": float(np.mean(n["at_company"] > n["working_years"])),
        "working_years > age - 18": float(np.mean(n["working_years"] > n["age"] - 18)),
    }


def test_bounds_are_found_with_their_gap_and_only_where_every_row_keeps_them() -> None:
    real = careers()
    columns = {k: real[c].to_numpy(dtype=float) for k, c in enumerate(real.columns)}
    specs = [{"kind": "number"} for _ in real.columns]
    found = {(int(a), int(b)): gap for a, b, gap in find_bounds(columns, specs, [], set())}
    assert found[(1, 0)] == -18.0  # working years <= age - 18
    assert found[(3, 2)] == 0.0 and found[(2, 1)] == 0.0
    assert (0, 1) not in found and (4, 0) not in found  # age above working years; pay in another range
    assert (3, 2) not in {(int(a), int(b)) for a, b, _ in find_bounds(columns, specs, [], {2, 3})}  # both given


@pytest.mark.parametrize("method", ["copula", "sequential"])
def test_drawn_rows_keep_every_bound(method: str) -> None:
    real = careers()
    assert max(broken(real).values()) == 0.0
    model = fit_table(real, method=method, seed=0)
    drawn = pd.DataFrame(model.sample(4000, 1))
    assert broken(drawn) == {k: 0.0 for k in broken(real)}
    # truncation, not a squeeze: the spread of working years stays near the real one
    assert abs(drawn["working_years"].std() / real["working_years"].std() - 1) < 0.15


def test_a_model_stored_without_bounds_still_draws() -> None:
    model = fit_table(careers(), method="sequential", seed=0)
    data = model.to_dict()
    assert all(part["laws"]["bounds"] for part in data["parts"])
    for part in data["parts"]:
        del part["laws"]["bounds"]
    again = LearnedModel(data)
    assert len(again.sample(200, 2)) == 200


def test_a_gap_between_columns_of_apart_ranges_is_kept() -> None:
    """Births (1961 to 2003) all lie before hires (2008 to 2023), so no swap or overlap said more;
    yet every real employee was at least 21 when hired, and 1 in 100 generated ones was 16 or 17."""
    rng = np.random.default_rng(5)
    rows = 1200
    senior = rng.integers(0, 5, rows)
    hired = pd.Timestamp("2008-01-01") + pd.to_timedelta(rng.integers(0, 16 * 365, rows), unit="D")
    age = rng.uniform(21, 30, rows) + senior * rng.uniform(1, 5, rows)
    born = hired - pd.to_timedelta(np.round(age * 365.25), unit="D")
    pay = np.round(50_000 * 1.25**senior * rng.lognormal(0, 0.08, rows), -2)
    real = pd.DataFrame({"birth_date": born.strftime("%Y-%m-%d"), "hire_date": hired.strftime("%Y-%m-%d"), "pay": pay})
    model = fit_table(real, method="sequential", seed=0)
    assert model.to_dict()["parts"][0]["laws"]["bounds"], "no bound found"
    drawn = pd.DataFrame(model.sample(3000, 2))
    years = (pd.to_datetime(drawn["hire_date"]) - pd.to_datetime(drawn["birth_date"])).dt.days / 365.25
    assert years.min() >= 20.99 and years.quantile(0.5) > 25
    normal = rng.normal(0, 1, 1000)  # a smooth tail reaching as far makes no floor
    columns = {0: normal - 10, 1: rng.normal(0, 1, 1000) + 10}
    assert find_bounds(columns, [{"kind": "number"}] * 2, [], set()) == []
