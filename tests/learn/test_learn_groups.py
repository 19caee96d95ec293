"""A table given alone that holds each entity's rows in no order (a traveller's four mode choices)
is found and learned as entities with their rows, on statsmodels' real modechoice table as it comes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.learn import fit_table
from synth_gradio.learn.keys import detect
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relations import Steps


@pytest.fixture(scope="module")
def travels() -> pd.DataFrame:
    from statsmodels.datasets import modechoice as data

    frame = data.load_pandas().data.astype({"individual": int, "choice": int, "psize": int})
    return frame.assign(mode=frame["mode"].map({1.0: "air", 2.0: "train", 3.0: "bus", 4.0: "car"}))


def _families(rows: pd.DataFrame) -> dict[str, float]:
    groups = rows.groupby("individual")
    return {
        "one_choice": float(groups["choice"].sum().eq(1).mean()),
        "four_modes": float(groups["mode"].agg(lambda m: sorted(m) == ["air", "bus", "car", "train"]).mean()),
        "fixed_income": float(groups["hinc"].nunique().eq(1).mean()),
    }


def test_a_table_of_each_travellers_rows_is_found_and_keeps_each_family(travels) -> None:
    relations = detect({"travels": travels})
    assert relations.steps == [Steps("travels", "individual", None)]
    made = pd.DataFrame(fit_related({"travels": travels}, relations, seed=0).sample(150, 1)["travels"])
    assert made["individual"].nunique() == 150
    families = _families(made)
    assert min(families.values()) >= 0.97, families
    # learned flat, the same rows lose their families: the traveller is a number like any other
    flat = pd.DataFrame(fit_table(travels, seed=0).sample(600, 1))
    assert min(_families(flat).values()) < 0.5


def _people(entities: int, rows_each: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.repeat(np.arange(1, entities + 1), rows_each)
    income = np.repeat(rng.integers(20, 90, entities), rows_each)
    return pd.DataFrame({"customer_id": ids, "income": income, "amount": rng.gamma(2, 30, len(ids)).round(2)})


def test_rows_grouped_by_what_is_no_entity_stay_one_flat_table() -> None:
    assert detect({"t": _people(40, 3)}).steps == [Steps("t", "customer_id", None)]
    by_state = _people(40, 3).rename(columns={"customer_id": "state"})  # a state's people are no one thing's rows
    assert detect({"t": by_state}).steps == []
    assert detect({"t": _people(6, 3)}).steps == []  # six groups: a category, not entities
    assert detect({"t": _people(12, 300)}).steps == []  # 300 rows each: a category the rows share
    nothing_fixed = _people(40, 3).assign(income=lambda f: np.arange(len(f)))
    assert detect({"t": nothing_fixed}).steps == []
    sales = _people(40, 3).assign(sale_id=lambda f: np.arange(1, len(f) + 1))  # rows with a key of their own
    assert detect({"sales": sales}).steps == []
    one_odd = _people(40, 3).assign(income="EUR")
    one_odd.loc[7, "income"] = "USD"  # fixed within every customer, yet one value for nearly all
    assert detect({"t": one_odd}).steps == []
    repeated = _people(40, 3).assign(amount=lambda f: f["income"] * 2)  # the same record again and again
    assert detect({"t": repeated}).steps == []
    days = pd.date_range("2024-01-01", periods=40)
    facts = pd.DataFrame({"date_key": np.repeat(days.strftime("%Y%m%d").astype(int), 3),
                          "weekday": np.repeat(days.day_name(), 3), "units": np.arange(120) % 7})  # fmt: skip
    assert detect({"facts": facts}).steps == []  # a date's rows are no entity's


def test_an_id_glued_to_its_word_names_a_panels_entity() -> None:
    from related_data import workers

    panel = workers(people=30, years=4).rename(columns={"nr": "idcode", "year": "yr"})
    assert detect({"nls": panel}).steps == [Steps("nls", "idcode", "yr")]
    for word in ("paid", "thyroid", "lipid"):  # words that end in id are no ids
        assert detect({"t": _people(40, 3).rename(columns={"customer_id": word})}).steps == []
    assert detect({"t": _people(40, 3).rename(columns={"customer_id": "patient"})}).steps != []


def test_names_that_only_contain_a_group_word_and_columns_of_lists_find_nothing() -> None:
    for name in ("customer_type", "user_agent"):
        assert detect({"t": _people(40, 3).rename(columns={"customer_id": name})}).steps == []
    tagged = _people(40, 3).assign(tags=[["a", "b"]] * 120)  # a list column is neither key nor entity
    assert detect({"t": tagged}).steps == [Steps("t", "customer_id", None)]
    from related_data import workers

    sessions = workers(people=30, years=4).rename(columns={"nr": "sessionid"})  # an order beside it proves it
    assert detect({"t": sessions}).steps == [Steps("t", "sessionid", "year")]
