"""A column naming another row of its own table (an employee's manager) and keys numbered as the
reference's. Before, manager_id was taken for an entity ("steps of each manager_id"), the managers'
own rows (no manager) lost their department, and the run failed; learned flat, it was a number
naming no generated employee. Keys counted from 1 where the real ones run from 1,001."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.errors import InputError
from synth_gradio.learn.codes import key_format, new_keys
from synth_gradio.learn.keys import detect, has_self_links
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relations import Relations, Steps

LEVELS = ["Junior", "Mid", "Senior", "Lead", "Director"]


def staff(rows: int = 900, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    level = rng.choice(LEVELS, rows, p=[0.3, 0.32, 0.22, 0.11, 0.05])
    department = rng.choice(["Engineering", "Sales", "Support", "Finance"], rows, p=[0.35, 0.3, 0.2, 0.15])
    rank = np.array([LEVELS.index(x) for x in level])
    salary = np.round(48_000 * 1.3**rank * rng.lognormal(0, 0.06, rows), -2)
    frame = pd.DataFrame({"employee_id": np.arange(1001, 1001 + rows), "department": department, "level": level,
                          "salary": salary, "remote": rng.random(rows) < 0.3})  # fmt: skip
    managers = []
    for i in range(rows):
        above = frame.index[(frame["department"] == department[i]) & (rank > rank[i])]
        managers.append(int(frame["employee_id"][rng.choice(above)]) if len(above) and rank[i] < 4 else None)
    frame["manager_id"] = pd.array(managers, dtype="Int64")
    return frame


def test_a_manager_is_another_generated_employee_of_the_same_department_who_earns_more() -> None:
    tables = {"employees": staff()}
    relations = detect(tables)
    assert relations.steps == [] and relations.keys == {"employees": "employee_id"}
    assert has_self_links(tables, relations)
    model = fit_related(tables, relations, seed=0)
    assert any("manager_id names another row by its employee_id" in n for n in model.notes), model.notes
    made = pd.DataFrame(model.sample(600, 1)["employees"])
    assert made["employee_id"].tolist() == list(range(1001, 1601))  # numbered as the real ones run
    named = made[made["manager_id"].notna()]
    boss = made.set_index("employee_id").reindex(named["manager_id"].astype(int))
    assert boss["department"].notna().all()  # every manager is a generated employee
    assert (boss["department"].to_numpy() == named["department"].to_numpy()).all()
    assert (boss["salary"].to_numpy() > named["salary"].to_numpy()).all()
    assert (named["manager_id"].astype(int) != named["employee_id"]).all()
    assert 0.02 < made["manager_id"].isna().mean() < 0.2  # the top of each department has none
    again = type(model).from_dict(model.to_dict()).sample(600, 1)["employees"]
    assert pd.DataFrame(again)["manager_id"].fillna(0).tolist() == made["manager_id"].fillna(0).tolist()


def test_integers_that_merely_overlap_a_key_are_no_self_reference() -> None:
    """orders.customer_id 1..300 lies inside order_id 1..2000, yet names customers, not orders."""
    rng = np.random.default_rng(0)
    orders = pd.DataFrame({"order_id": range(1, 2001), "customer_id": rng.integers(1, 301, 2000),
                           "order_date": pd.date_range("2023-01-01", periods=2000, freq="4h").astype(str)})  # fmt: skip
    relations = detect({"orders": orders})
    assert not has_self_links({"orders": orders}, relations)
    assert relations.steps == [Steps("orders", "customer_id", "order_date")]


def test_key_numbers_follow_the_reference_run() -> None:
    assert new_keys(key_format(pd.Series([10, 20, 30, 40], name="id")), 3) == [10, 20, 30]
    assert new_keys(key_format(pd.Series(["ORD-100000", "ORD-100001", "ORD-100002"])), 2) == [
        "ORD-100000",
        "ORD-100001",
    ]
    spread = key_format(pd.Series([48213, 90321, 51000, 77777, 12000], name="account"))
    made = new_keys(spread, 200)
    assert len(set(made)) == 200 and 12000 <= min(made) < 13000 and 89000 < max(made) <= 90321  # over the range
    assert new_keys({"kind": "integer"}, 3) == [1, 2, 3]  # a model stored before counts from 1


def test_a_given_sequence_whose_entity_is_empty_in_some_rows_is_refused() -> None:
    tables = {"employees": staff(200)}
    relations = Relations({"employees": "employee_id"}, [], [Steps("employees", "manager_id", "salary")])
    with pytest.raises(InputError, match=r"entity column manager_id is empty in \d+ rows; every step needs its entity"):
        fit_related(tables, relations, seed=0)


def test_the_schema_leaves_a_self_reference_to_the_keys(tmp_path) -> None:
    """The schema kept manager_id's real range (1,002 to 1,898), so the run rejected every draw
    that named employee 1,001 and failed at its attempt budget."""
    from synth_gradio.studio.related import learn_tables

    path = tmp_path / "employees.csv"
    staff().to_csv(path, index=False)
    learned = learn_tables([path])
    node = next(t for t in learned.tables if t.name == "employees").schema.field("manager_id").schema
    assert "minimum" not in node and "x-distribution" not in node, node
