"""Units match what is measured: a patient's vitals, an item's weight, a stay of days."""

from __future__ import annotations

import pandas as pd

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.distributions import implied_priors
from synth_gradio.schema.model import load_schema

NUMBER, INTEGER = {"type": "number"}, {"type": "integer"}
VISIT = {
    "title": "Patient visit",
    "type": "object",
    "properties": {
        "height_cm": NUMBER, "weight_kg": NUMBER, "systolic_bp": INTEGER, "diastolic_bp": INTEGER,
        "heart_rate": INTEGER, "temperature_c": NUMBER, "spo2": NUMBER,
        "admitted_at": {"type": "string", "format": "date-time"},
        "discharged_at": {"type": "string", "format": "date-time"},
    },
}  # fmt: skip
VISIT["required"] = list(VISIT["properties"])


def test_a_patient_visit_draws_vitals_in_their_units_and_ranges() -> None:
    planner = Planner(load_schema(VISIT), seed=5)
    rows = pd.DataFrame([planner.plan().fixed for _ in range(1500)])
    medians = rows.median(numeric_only=True)
    assert 160 < medians["height_cm"] < 180 and 65 < medians["weight_kg"] < 90
    assert 110 < medians["systolic_bp"] < 135 and 70 < medians["diastolic_bp"] < 86
    assert 36 < medians["temperature_c"] < 38 and 60 < medians["heart_rate"] < 90 and rows["spo2"].max() <= 100
    assert (rows["systolic_bp"] > rows["diastolic_bp"]).all()
    assert rows[["height_cm", "weight_kg"]].corr("spearman").iloc[0, 1] > 0.25  # a build, shared
    stay = (pd.to_datetime(rows["discharged_at"]) - pd.to_datetime(rows["admitted_at"])).dt.total_seconds() / 3600
    assert stay.min() >= 0 and 24 < stay.median() < 24 * 7  # days, not years


def test_outside_a_person_a_weight_is_an_item_and_a_temperature_the_weather() -> None:
    parcel = {"title": "Shipment", "type": "object", "properties": {"weight_kg": NUMBER, "temperature_f": NUMBER}}
    priors = implied_priors(load_schema(parcel))
    assert priors["weight_kg"]["median"] == 2 and priors["temperature_f"]["mean"] == 59
    assert "height_cm" not in implied_priors(load_schema({"type": "object", "properties": {"height_cm": NUMBER}}))
    bounded = {"title": "Patient", "type": "object", "properties": {"weight_kg": {**NUMBER, "maximum": 10}}}
    assert "weight_kg" not in implied_priors(load_schema(bounded))  # bounds that exclude a person: not a body


def test_everyday_measures_get_their_units_range_and_time_parts_their_calendar() -> None:
    names = {"credit_score": NUMBER, "gpa": NUMBER, "interest_rate": NUMBER, "open_rate": NUMBER,
             "churn_probability": NUMBER, "humidity": NUMBER, "pressure_hpa": NUMBER, "engine_size_l": NUMBER,
             "birth_month": INTEGER, "day_of_week": INTEGER, "pickup_hour": INTEGER,
             "conversion_rate": {**NUMBER, "minimum": 0, "maximum": 1}}  # fmt: skip
    schema = {"title": "Row", "type": "object", "properties": names, "required": list(names)}
    planner = Planner(load_schema(schema), seed=7)
    rows = pd.DataFrame([planner.plan().fixed for _ in range(800)])
    medians = rows.median()
    assert 640 < medians["credit_score"] < 740 and rows["credit_score"].between(300, 850).all()
    assert 2.9 < medians["gpa"] < 3.5 and rows["gpa"].max() <= 4
    assert 4 < medians["interest_rate"] < 9 and 15 < medians["open_rate"] < 28
    assert rows["churn_probability"].between(0, 1).all() and 990 < medians["pressure_hpa"] < 1030
    assert 1.5 < medians["engine_size_l"] < 2.6 and 0.01 < medians["conversion_rate"] < 0.06  # a fraction
    assert set(rows["birth_month"]) == set(range(1, 13)) and set(rows["day_of_week"]) == set(range(1, 8))
    assert rows["pickup_hour"].between(0, 23).all()


def test_a_thing_is_read_from_what_the_name_ends_on() -> None:
    from synth_gradio.schema.distributions.measures import measure_of

    for name in ("floor_area_sqft", "cpu_cores", "battery_capacity_mah", "amount_this_month", "download_speed_mbps"):
        assert measure_of(name, False) is None, name
    assert measure_of("blood_pressure", True) is None  # no unit: neither the weather's nor a tyre's
    assert measure_of("tire_pressure_psi", False).centre == 32


def test_height_and_weight_follow_the_records_sex_wherever_it_is_listed() -> None:
    props = {
        "height_cm": NUMBER,
        "weight_kg": NUMBER,
        "gender": {"type": "string", "enum": ["Female", "Male", "Other"]},
    }
    schema = {"title": "Patient", "type": "object", "properties": props, "required": list(props)}
    planner = Planner(load_schema(schema), seed=3)
    rows = pd.DataFrame([planner.plan().fixed for _ in range(1500)])
    medians = rows.groupby("gender")[["height_cm", "weight_kg"]].median()
    assert medians.loc["Male", "height_cm"] - medians.loc["Female", "height_cm"] > 8
    assert medians.loc["Male", "weight_kg"] > medians.loc["Female", "weight_kg"] + 8
    assert 160 < medians.loc["Other", "height_cm"] < 180  # no case: the mean person


def test_objects_changes_and_other_scales_are_not_read_as_the_measure() -> None:
    def priors(title: str, props: dict) -> dict:
        return implied_priors(load_schema({"title": title, "type": "object", "properties": props}))

    gender = {"type": "string", "enum": ["male", "female"]}
    shipped = priors(
        "Order", {"customer_gender": gender, "item_weight_kg": NUMBER, "packed_by_employee_id": {"type": "string"}}
    )
    assert shipped["item_weight_kg"]["median"] == 2  # a customer's gender makes no parcel a body
    patient = priors("Patient", {"spouse_age": INTEGER, "pulse_survey_score": NUMBER, "weight_loss_kg": NUMBER,
                                 "height_ft": NUMBER, "freezer_temperature_c": NUMBER})  # fmt: skip
    assert patient["spouse_age"]["median"] == 38 and patient["pulse_survey_score"]["mean"] != 76
    assert not {"weight_loss_kg", "height_ft", "freezer_temperature_c"} & set(patient)
    scaled = priors("Deal", {"probability": {**INTEGER, "minimum": 0, "maximum": 100},
                             "likelihood": {**INTEGER, "minimum": 0, "maximum": 10},
                             "gpa": {**NUMBER, "minimum": 0, "maximum": 100}})  # fmt: skip
    assert scaled["probability"]["median"] == 15 and not {"likelihood", "gpa"} & set(scaled)
    assert priors("Sales", {"sales_apr": NUMBER, "price_floor": NUMBER})["price_floor"]["median"] == 30  # money
