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


def reviews(rows: int = 400, seed: int = 1) -> pd.DataFrame:
    """32 wordings, each 8 to 15 times, each with ratings of its own tone only: no single empty
    (wording, rating) cell is expected 5 times, yet together they hold ~180 rows."""
    rng = np.random.default_rng(seed)
    people = ["son", "wife", "husband", "mother", "daughter", "roommate"]
    tones = {
        (4, 5): [f"Love it, buying again for my {p}" for p in people] + [f"My {p} uses it daily" for p in people],
        (3,): ["Average, nothing special", "Decent but overpriced", "Okay, a bit loud", "Works, manual unclear"],
        (1, 2): [f"Terrible, my {p} agrees" for p in people]
        + ["Broke after a week", "Arrived damaged", "Never worked"],
    }
    rating = rng.choice([1, 2, 3, 4, 5], rows, p=[0.13, 0.07, 0.12, 0.33, 0.35])
    words = [rng.choice(next(w for r, w in tones.items() if x in r)) for x in rating]
    price = np.round(rng.lognormal(3.4, 0.3, rows), 2)
    return pd.DataFrame({"rating": rating, "review": words, "price": price})


@pytest.mark.parametrize("method", ["copula", "sequential"])
def test_wordings_too_many_to_count_alone_keep_their_ratings_together(method: str) -> None:
    """Before, 11% (trees) to 20% (copula) of drawn 'Love it' rows had a rating of 1 to 3."""
    real = reviews()
    drawn = pd.DataFrame(fit_table(real, seed=0, method=method).sample(3000, 2))
    seen = set(zip(real["review"], real["rating"], strict=True))
    unseen = [pair not in seen for pair in zip(drawn["review"], drawn["rating"], strict=True)]
    assert np.mean(unseen) < 0.003, np.mean(unseen)
    happy = drawn["review"].str.startswith(("Love it", "My "))
    assert drawn.loc[happy, "rating"].ge(4).all() and happy.mean() > 0.5
    unrelated = real.assign(review=real["review"].sample(frac=1, random_state=0).to_numpy())  # no tone: no rule
    codes = pd.DataFrame({"rating": unrelated["rating"].astype(str), "review": unrelated["review"]})
    specs = [{"name": c, "kind": "category", "values": sorted(codes[c].unique())} for c in codes.columns]
    for spec in specs:
        spec["probs"] = [float((codes[spec["name"]] == v).mean()) for v in spec["values"]]
    assert find_combos(codes, specs, set()) == []
