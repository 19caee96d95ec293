"""Pairs of values that no real row combines (a sales role in the HR department) stay apart in drawn rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.learn import LearnedModel, fit_table
from synth_gradio.learn.combos import find_combos


def staff(rows: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Departments and their roles, many to many: "Manager" belongs to two departments, each has
    several roles, and the smallest department (5% of rows) shares a tree's leaf with a large one."""
    rng = np.random.default_rng(seed)
    roles = {
        "Research": ["Scientist", "Technician", "Director", "Analyst"],
        "Sales": ["Executive", "Representative", "Manager"],
        "People": ["Recruiter", "Manager"],
    }
    dept = rng.choice(list(roles), rows, p=[0.65, 0.30, 0.05])
    role = np.array([rng.choice(roles[d]) for d in dept])
    level = rng.integers(1, 6, rows)
    pay = np.round(np.exp(7.6 + 0.5 * level + rng.normal(0, 0.2, rows)), -1)
    return pd.DataFrame({"department": dept, "role": role, "level": level, "pay": pay})


def impossible(real: pd.DataFrame, drawn: pd.DataFrame) -> float:
    seen = set(zip(real["department"], real["role"], strict=True))
    return float(np.mean([pair not in seen for pair in zip(drawn["department"], drawn["role"], strict=True)]))


@pytest.mark.parametrize("method", ["copula", "sequential"])
def test_roles_of_other_departments_are_never_drawn_and_shared_roles_stay_shared(method: str) -> None:
    real = staff()
    model = fit_table(real, method=method, seed=0)
    drawn = pd.DataFrame(model.sample(4000, 1))
    assert impossible(real, drawn) == 0.0
    managers = drawn.loc[drawn["role"] == "Manager", "department"].value_counts(normalize=True)
    assert set(managers.index) == {"Sales", "People"} and managers["People"] > 0.05
    shares = drawn["department"].value_counts(normalize=True)
    assert shares["People"] == pytest.approx(0.05, abs=0.02)


def test_without_the_pairs_the_trees_mix_a_small_department_with_a_large_one() -> None:
    """The stored pairs are what keeps them apart: the same model without them draws impossible pairs."""
    real = staff()
    stored = fit_table(real, method="sequential", seed=0).to_dict()
    for part in stored["parts"]:
        part["laws"].pop("combos")  # as a model stored before pairs were learned: it still draws
    drawn = pd.DataFrame(LearnedModel.from_dict(stored).sample(4000, 1))
    assert impossible(real, drawn) > 0.005


def test_unrelated_columns_and_chance_gaps_are_not_pairs() -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {"a": rng.choice(list("xyz"), 3000), "b": rng.choice(list("pqrs"), 3000), "x": rng.normal(0, 1, 3000).round(3)}
    )
    frame.loc[:4, "b"] = "rare"  # five rows: absent beside most a values by chance, not by rule
    specs = fit_table(frame, method="copula", seed=0).to_dict()["parts"][0]["columns"]
    assert find_combos(frame, specs, set()) == []
    assert find_combos(staff(), fit_table(staff(), method="copula", seed=0).to_dict()["parts"][0]["columns"], set())


def test_a_related_tables_counts_and_step_numbers_are_left_to_its_plan() -> None:
    """A count of children that never is 0 for a business customer is the plan's to draw: moving it
    to fit the segment moved the children's figures."""
    frame = staff().rename(columns={"role": "#n:orders"})
    specs = fit_table(frame, method="copula", seed=0).to_dict()["parts"][0]["columns"]
    assert find_combos(frame, specs, set()) == []
    frame = frame.rename(columns={"#n:orders": "orders"})
    specs = fit_table(frame, method="copula", seed=0).to_dict()["parts"][0]["columns"]
    assert [specs[c["column"]]["name"] for c in find_combos(frame, specs, set())] == ["orders"]
