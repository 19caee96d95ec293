"""A sequence's own date that follows its order date is learned as the distance from it: a hospital
stay ends after it begins and lasts as long as its diagnosis does (before: 10% of generated stays
ended before they began, and appendicitis stays lasted 4 days instead of 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth_gradio.learn.keys import detect
from synth_gradio.learn.offsets import follow_order
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relmodel import RelatedModel

STAY = {"appendicitis": 1.0, "pneumonia": 4.0, "sepsis": 10.0}  # mean days in hospital


def stays(patients: int = 500, seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    people = pd.DataFrame({"patient_id": [f"P{i:05d}" for i in range(patients)],
                           "sex": rng.choice(["F", "M"], patients)})  # fmt: skip
    rows = []
    for person in people["patient_id"]:
        day = pd.Timestamp("2021-01-01") + pd.Timedelta(days=int(rng.integers(0, 600)))
        for _ in range(int(rng.integers(1, 5))):
            diagnosis = str(rng.choice(list(STAY)))
            days = 1 + int(rng.poisson(STAY[diagnosis] - 1))
            rows.append({"admission_id": len(rows) + 1, "patient_id": person, "admitted": day.strftime("%Y-%m-%d"),
                         "discharged": (day + pd.Timedelta(days=days)).strftime("%Y-%m-%d"),
                         "diagnosis": diagnosis, "cost": round(float(rng.lognormal(8 + days / 10, 0.3)), 2)})  # fmt: skip
            day += pd.Timedelta(days=days + 1 + int(rng.exponential(90)))
    return {"patients": people, "admissions": pd.DataFrame(rows)}


def _days(rows: pd.DataFrame) -> pd.Series:
    return (pd.to_datetime(rows["discharged"]) - pd.to_datetime(rows["admitted"])).dt.days


def test_a_date_that_follows_the_order_is_found_and_nothing_else() -> None:
    tables = stays(200)
    admissions = tables["admissions"]
    own = admissions.drop(columns=["admission_id", "patient_id", "admitted"])
    learned, offsets = follow_order("admissions", admissions, own, "admitted")
    assert [o["column"] for o in offsets] == ["discharged"]
    assert learned["discharged"].min() >= 86400 and learned["cost"].equals(own["cost"])


def test_a_stay_ends_after_it_begins_and_lasts_as_its_diagnosis_does() -> None:
    tables = stays()
    model = fit_related(tables, detect(tables), seed=0)
    assert any("discharged learned as the distance from admitted" in n for n in model.notes)
    model = RelatedModel.from_dict(model.to_dict())  # as stored with a run
    made = pd.DataFrame(model.sample(500, 1)["admissions"])
    days = _days(made)
    assert (days >= 1).all(), float((days < 1).mean())
    medians = days.groupby(made["diagnosis"]).median()
    assert medians["appendicitis"] <= 1.5 and medians["sepsis"] >= 7, medians.to_dict()
    ordered = made.assign(a=pd.to_datetime(made["admitted"]), d=pd.to_datetime(made["discharged"]))
    ordered = ordered.sort_values(["patient_id", "a"])
    before = ordered.groupby("patient_id")["d"].shift(1)
    assert not (ordered["a"] < before).any()  # no admission while the last stay goes on
