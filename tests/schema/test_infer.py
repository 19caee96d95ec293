from __future__ import annotations

import json

import numpy as np
import pandas as pd

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.infer import infer_schema
from synth_gradio.tables.shapes import codes_pattern


def test_types_enums_ranges_dates_and_nulls(tmp_path) -> None:
    path = tmp_path / "people.csv"
    pd.DataFrame(
        {
            "name": [f"Person {i}" for i in range(40)],
            "age": [20 + i for i in range(40)],
            "score": [0.5 + i / 10 for i in range(40)],
            "country": ["US", "DE"] * 20,
            "joined": [f"2024-01-{i % 28 + 1:02d}" for i in range(40)],
            "email": [f"p{i}@mail.com" for i in range(40)],
            "nickname": [None if i % 3 else f"nick{i}" for i in range(40)],
            "vip": [i % 2 == 0 for i in range(40)],
        }
    ).to_csv(path, index=False)
    schema = infer_schema(path, example_rows=3)
    p = schema.json_schema["properties"]
    assert {k: v for k, v in p["age"].items() if k != "x-distribution"} == {
        "type": "integer",
        "minimum": 20,
        "maximum": 59,
    }
    assert p["age"]["x-distribution"] == {"kind": "uniform"}  # 20..59 once each: flat
    assert p["country"]["x-distribution"] == {"kind": "categorical", "weights": {"DE": 0.5, "US": 0.5}}
    assert p["vip"]["x-distribution"]["weights"] == {"false": 0.5, "true": 0.5}
    assert "x-distribution" not in p["email"] and "x-distribution" not in p["nickname"]
    assert p["score"]["type"] == "number"
    assert p["country"]["enum"] == ["DE", "US"]
    assert p["joined"]["format"] == "date" and p["email"]["format"] == "email"
    assert p["nickname"]["type"] == ["string", "null"] and "nickname" not in schema.json_schema["required"]
    assert p["vip"]["type"] == "boolean"
    assert len(schema.examples) == 3 and all(schema.validator.is_valid(e) for e in schema.examples)
    json.dumps(schema.json_schema)


def test_each_column_records_its_fitted_marginal_and_generation_follows_it(tmp_path) -> None:
    rng = np.random.default_rng(3)
    n = 2000
    start = pd.Timestamp("2024-01-01")
    frame = pd.DataFrame(
        {
            "amount": np.round(rng.lognormal(np.log(80), 0.6, n), 2),
            "height": np.round(rng.normal(170, 8, n), 1),
            "share": np.round(rng.uniform(0, 1, n), 3),
            "plan": rng.choice(["free", "pro", "team"], n, p=[0.7, 0.2, 0.1]),
            "stars": rng.choice([1, 2, 3, 4, 5], n, p=[0.05, 0.05, 0.1, 0.3, 0.5]),
            "visits": rng.poisson(30, n),
            "day": [(start + pd.Timedelta(days=int(d))).date().isoformat() for d in rng.normal(180, 20, n)],
        }
    )
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    schema = infer_schema(path)
    p = {name: node["x-distribution"] for name, node in schema.json_schema["properties"].items()}
    assert p["amount"]["kind"] == "lognormal" and abs(p["amount"]["median"] / 80 - 1) < 0.1
    assert abs(p["amount"]["sigma"] - 0.6) < 0.06 and p["amount"]["decimals"] == 2
    assert p["height"]["kind"] == "normal" and abs(p["height"]["mean"] - 170) < 1 and abs(p["height"]["std"] - 8) < 1
    assert p["share"]["kind"] == "uniform"
    assert p["plan"]["kind"] == "categorical" and abs(p["plan"]["weights"]["free"] - 0.7) < 0.03
    assert p["stars"]["kind"] == "categorical" and set(p["stars"]["weights"]) == {"1", "2", "3", "4", "5"}
    assert p["visits"] == {"kind": "poisson", "lam": 30} or abs(p["visits"]["lam"] - 30) < 1
    assert p["day"]["kind"] == "normal" and abs(p["day"]["std"] - 20) < 2
    assert p["day"]["low"] == frame["day"].min() and p["day"]["high"] == frame["day"].max()
    planner = Planner(schema, seed=1)
    drawn = pd.DataFrame([planner.plan().fixed for _ in range(1000)])
    assert abs(drawn["amount"].median() / frame["amount"].median() - 1) < 0.1
    assert abs((drawn["plan"] == "free").mean() - 0.7) < 0.05
    assert abs((drawn["stars"] == 5).mean() - 0.5) < 0.05
    assert abs(pd.to_datetime(drawn["day"]).std().days - 20) < 3


def test_distributions_can_be_left_out(tmp_path) -> None:
    path = tmp_path / "small.csv"
    pd.DataFrame({"x": [1.5, 2.5, 9.0], "c": ["a", "b", "a"]}).to_csv(path, index=False)
    props = infer_schema(path, distributions=False).json_schema["properties"]
    assert all("x-distribution" not in node for node in props.values())


def test_row_counters_and_codes_are_identifiers_written_anew_and_unique(tmp_path) -> None:
    """A row counter was drawn from its range like any number (8 repeats in 300 rows of a learned run),
    and a code column was left to the language model, with only its length to go by."""
    path = tmp_path / "rentals.csv"
    n = 60
    pd.DataFrame(
        {
            "instant": range(1, n + 1),  # a counter from 1
            "order_id": range(1000, 1000 + n),  # named as a key
            "age": range(20, 20 + n),  # all different and consecutive, but no identifier
            "sku": [f"SKU-{i:05d}" for i in range(n)],
            "note": [f"left at door {i}" for i in range(n)],
            "day": pd.date_range("2024-01-01", periods=n).strftime("%Y-%m-%d"),
        }
    ).to_csv(path, index=False)
    props = infer_schema(path).json_schema["properties"]
    assert props["instant"] == {"type": "integer", "unique": True, "x-sequence": True}
    assert props["order_id"] == {**props["instant"], "minimum": 1000}  # numbered on from the first real id
    assert "x-sequence" not in props["age"] and "unique" not in props["age"]
    assert "unique" not in props["day"]  # every day once is a daily series, not a key
    assert props["sku"]["unique"] is True and "unique" not in props["note"]
    assert props["sku"]["pattern"] == "^SKU-[0-9]{5}$"
    assert codes_pattern(pd.Series(["02134", "10001"])) == "^[0-9]{5}$"  # zip codes read as text
    assert codes_pattern(pd.Series(["hello", "world"])) is None  # words of one length are no codes
    assert "pattern" not in props["note"] and props["note"]["maxLength"] == 15
    planner = Planner(infer_schema(path), seed=1)
    drawn = pd.DataFrame([planner.plan().fixed for _ in range(300)])
    assert drawn["instant"].tolist() == list(range(1, 301)) and drawn["order_id"].is_unique
    assert drawn["sku"].str.fullmatch(r"SKU-\d{5}").all() and drawn["sku"].is_unique  # drawn in code, not written


def test_a_field_named_for_a_person_that_names_things_is_left_to_the_model(tmp_path) -> None:
    """An airline's or a product's "name" was filled by Faker with a person's ("William Blake")."""
    from synth_gradio.engine.strategies import choose_all

    airlines = ["United Air Lines Inc.", "American Airlines Inc.", "Delta Air Lines Inc.", "JetBlue Airways"] * 3
    people = ["John Smith", "Mary Jones", "Ann Lee", "Robert Brown", "Linda Garcia", "James Miller"] * 2
    frame = pd.DataFrame({"name": airlines, "customer_name": people, "company_name": airlines})
    frame.to_csv(tmp_path / "t.csv", index=False)
    schema = infer_schema(tmp_path / "t.csv")
    chosen = choose_all(schema)
    assert chosen["name"] == "model"  # things: the model writes them from real examples
    assert chosen["customer_name"] == "faker:name" and chosen["company_name"] == "faker:company"
    from synth_gradio.schema.nameform import names_things

    assert not names_things(pd.Series(["Wei Zhang", "Priya Sharma", "Nguyen Van An", "Kenji Sato", "Ana Souza"]))


def test_lists_and_objects_of_a_json_lines_file_become_arrays_and_objects(tmp_path) -> None:
    import pytest

    from synth_gradio.errors import InputError

    path = tmp_path / "events.jsonl"
    rows = [{"event_id": i, "tags": ["a", "b"][: i % 3], "meta": {"k": i}, "amount": 1.5 * i} for i in range(40)]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    props = infer_schema(path).json_schema["properties"]
    assert props["tags"]["type"] == "array" and props["tags"]["items"]["type"] == "string"
    assert props["meta"]["type"] == "object" and props["meta"]["properties"]["k"]["type"] == "integer"
    rows[3]["tags"] = "a"  # one plain value among lists
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.raises(InputError, match="column 'tags' mixes lists, objects and plain values"):
        infer_schema(path)


def test_line_items_empty_lists_and_parquet_lists_are_arrays_of_what_they_hold(tmp_path) -> None:
    rows = [
        {"order": i, "lines": [{"sku": f"S{i % 4}", "qty": 1 + i % 3}], "notes": [], "tags": ["a", "b"][: i % 3]}
        for i in range(30)
    ]
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    props = infer_schema(path).json_schema["properties"]
    assert props["lines"]["items"]["type"] == "object"
    assert set(props["lines"]["items"]["properties"]) == {"sku", "qty"}
    assert props["notes"]["maxItems"] == 0
    pd.DataFrame(rows).drop(columns=["lines", "notes"]).to_parquet(tmp_path / "orders.parquet")  # lists read as arrays
    assert infer_schema(tmp_path / "orders.parquet").json_schema["properties"]["tags"]["type"] == "array"
