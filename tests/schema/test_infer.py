from __future__ import annotations

import json

import pandas as pd

from synth_gradio.schema.infer import infer_schema


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
    assert p["age"] == {"type": "integer", "minimum": 20, "maximum": 59}
    assert p["score"]["type"] == "number"
    assert p["country"]["enum"] == ["DE", "US"]
    assert p["joined"]["format"] == "date" and p["email"]["format"] == "email"
    assert p["nickname"]["type"] == ["string", "null"] and "nickname" not in schema.json_schema["required"]
    assert p["vip"]["type"] == "boolean"
    assert len(schema.examples) == 3 and all(schema.validator.is_valid(e) for e in schema.examples)
    json.dumps(schema.json_schema)
