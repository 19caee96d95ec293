"""A number's sign that a category fixes (a deposit is positive, a fee negative) holds in every drawn row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.learn import LearnedModel, fit_table
from synth_gradio.learn.signs import find_signs


def ledger(rows: int = 3000, seed: int = 0) -> pd.DataFrame:
    """Bank movements: deposits positive, withdrawals and fees negative, and the balance after each
    the balance before plus the amount (a law computed from the amount, after its sign is mended)."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(["deposit", "withdrawal", "fee"], rows, p=[0.45, 0.5, 0.05])
    size = np.where(kind == "deposit", rng.lognormal(5, 1, rows), rng.lognormal(4.5, 1, rows))
    amount = np.round(np.where(kind == "deposit", size, np.where(kind == "fee", -5.0, -size)), 2)
    before = np.round(rng.lognormal(7, 1, rows), 2)
    return pd.DataFrame({"kind": kind, "before": before, "amount": amount, "after": np.round(before + amount, 2)})


def wrong_signs(frame: pd.DataFrame) -> float:
    deposit = frame["kind"] == "deposit"
    return float(((deposit & (frame["amount"] <= 0)) | (~deposit & (frame["amount"] >= 0))).mean())


@pytest.mark.parametrize("method", ["copula", "sequential"])
def test_every_drawn_row_keeps_the_sign_its_kind_has_and_kinds_keep_their_shares(method: str) -> None:
    real = ledger()
    drawn = pd.DataFrame(fit_table(real, method=method, seed=0).sample(4000, 1))
    assert wrong_signs(drawn) == 0.0
    shares = drawn["kind"].value_counts(normalize=True)
    assert shares["fee"] == pytest.approx(0.05, abs=0.015)  # mended in place, not drawn again
    assert np.allclose(drawn["after"], drawn["before"] + drawn["amount"], atol=0.011)


def test_without_the_sign_rules_the_trees_draw_deposits_below_zero() -> None:
    stored = fit_table(ledger(), method="sequential", seed=0).to_dict()
    for part in stored["parts"]:
        part["laws"].pop("signs")  # as a model stored before signs were learned: it still draws
    drawn = pd.DataFrame(LearnedModel.from_dict(stored).sample(4000, 1))
    assert wrong_signs(drawn) > 0.01


def test_signs_unrelated_to_a_category_are_no_rule() -> None:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"group": rng.choice(list("abc"), 2000), "change": rng.normal(0, 1, 2000).round(3)})
    model = fit_table(frame, method="sequential", seed=0)
    assert all(not part["laws"]["signs"] for part in model.to_dict()["parts"])
    specs = [{"name": "group", "kind": "category", "values": ["a", "b", "c"], "probs": [1 / 3] * 3}]
    specs.append({"name": "change", "kind": "number"})
    assert find_signs(frame, specs) == []


def test_a_real_travel_table_keeps_zero_terminal_time_for_cars_and_no_sign_it_never_had() -> None:
    """statsmodels' modechoice: terminal waiting time is 0 for the car and positive for air, train
    and bus; no row is negative, so a car's drawn wait is mended to 0, never mirrored below it."""
    import statsmodels.api as sm

    real = sm.datasets.modechoice.load_pandas().data
    real = real.assign(mode=real["mode"].map({1.0: "air", 2.0: "train", 3.0: "bus", 4.0: "car"}))
    drawn = pd.DataFrame(fit_table(real, method="sequential", seed=0).sample(2000, 1))
    car = drawn["mode"] == "car"
    assert (drawn["ttme"] >= 0).all()
    assert (drawn.loc[car, "ttme"] == 0).all() and (drawn.loc[~car, "ttme"] > 0).all()


def test_a_category_that_fixes_a_number_pins_it_even_in_a_small_table() -> None:
    """300 movements hold 18 fees, each of 5; a tree's leaf needs more rows than that, and without
    the pin 86% of drawn fees had other amounts."""
    real = ledger(rows=300, seed=1)
    stored = fit_table(real, method="sequential", seed=0).to_dict()
    drawn = pd.DataFrame(LearnedModel.from_dict(stored).sample(3000, 1))
    fees = drawn.loc[drawn["kind"] == "fee", "amount"]
    assert len(fees) > 50 and (fees == -5.0).all()
    for part in stored["parts"]:
        for rule in part["laws"]["signs"]:
            rule.pop("pins")  # as a rule stored before pins
    before = pd.DataFrame(LearnedModel.from_dict(stored).sample(3000, 1))
    assert (before.loc[before["kind"] == "fee", "amount"] != -5.0).mean() > 0.3


def test_a_common_value_that_a_few_rows_share_by_chance_is_no_pin() -> None:
    """Ten rows of a group with no visits, where 80% of all rows have none, is chance (0.8^10 = .11)."""
    rng = np.random.default_rng(4)
    group = np.array(["small"] * 10 + list(rng.choice(["a", "b"], 990)))
    visits = np.where(group == "small", 0, rng.choice([0, 1, 2, 3], 1000, p=[0.8, 0.1, 0.05, 0.05]))
    specs = [
        {"name": "group", "kind": "category", "values": ["a", "b", "small"], "probs": [0.495, 0.495, 0.01]},
        {"name": "visits", "kind": "discrete", "values": [0, 1, 2, 3], "probs": [0.8, 0.1, 0.05, 0.05]},
    ]
    frame = pd.DataFrame({"group": group, "visits": visits})
    assert all(not rule["pins"] for rule in find_signs(frame, specs))
    fixed = frame.assign(visits=np.where(group == "small", 3, visits))  # 3 is 5% of rows: 0.05^10
    assert any(rule["pins"] == [["small", 3]] for rule in find_signs(fixed, specs))


def test_a_set_of_values_keeps_its_values_when_a_sign_is_mended() -> None:
    """Points of +10, +20, +50 for a credit and -5, -15 for a debit: a drawn sign is mirrored only
    onto a value the column takes (a debit of -10 is no value of it), else the row is drawn again."""
    rng = np.random.default_rng(0)
    kind = rng.choice(["credit", "debit"], 3000)
    points = np.where(kind == "credit", rng.choice([10, 20, 50], 3000), rng.choice([-5, -15], 3000))
    real = pd.DataFrame({"kind": kind, "points": points, "x": rng.normal(0, 1, 3000).round(5)})
    drawn = pd.DataFrame(fit_table(real, method="sequential", seed=0).sample(3000, 1))
    assert set(drawn["points"]) <= {10, 20, 50, -5, -15}
    assert ((drawn["kind"] == "credit") == (drawn["points"] > 0)).all()
