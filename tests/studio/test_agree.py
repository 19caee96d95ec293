"""An inferred schema agrees with the model learned from the same table: a check its drawn values
fail is dropped, with a note; a schema the user gave is left alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth_gradio.schema.validation import compile_validator
from synth_gradio.studio import learning
from synth_gradio.studio.agree import agreeing


def test_only_the_failing_checks_of_a_learned_column_are_dropped() -> None:
    schema = {
        "type": "object",
        "properties": {
            "term": {"type": "string", "enum": [" 36 months", " 60 months"], "maxLength": 10},
            "grade": {"type": "string", "enum": ["A", "B"]},
        },
    }
    rows = [{"term": "36 months", "grade": "C"}, {"term": " 60 months", "grade": "A"}]
    raw, notes = agreeing(schema, rows, ["term"])  # grade is not learned: its enum stays
    assert raw["properties"]["term"] == {"type": "string", "maxLength": 10}
    assert raw["properties"]["grade"] == schema["properties"]["grade"]
    assert notes == ["column 'term': drawn values such as '36 months' failed the inferred schema's enum; the learned values are kept"]  # fmt: skip
    assert agreeing(schema, [{"term": " 36 months"}], ["term"]) == (schema, [])


def loans(path, rows: int = 600) -> None:
    rng = np.random.default_rng(0)
    term = rng.choice([36, 60], rows)
    pd.DataFrame({"term": [f" {t} months" for t in term], "amount": rng.lognormal(9, 0.5, rows).round(-1)}).to_csv(path, index=False)  # fmt: skip


def test_a_writer_that_disagrees_with_the_inferred_schema_no_longer_rejects_every_row(tmp_path, monkeypatch) -> None:
    """As before the padding was written back: the model writes "36 months", the schema's enum has
    " 36 months"; every drawn row failed, 0 of 3,000 records."""
    loans(tmp_path / "loans.csv")
    monkeypatch.setattr("synth_gradio.tables.written._padding", lambda values: {})
    schema, model = learning.learn(tmp_path / "loans.csv")
    validator = compile_validator(schema.json_schema)
    assert all(validator.is_valid(row) for row in model.sample(200, 1))
    assert any("failed the inferred schema's enum" in note for note in model.summary()["notes"])


def test_a_schema_the_user_gave_is_not_changed(tmp_path) -> None:
    loans(tmp_path / "loans.csv")
    given = learning.load_schema({"term": {"type": "string", "enum": ["36", "60"]}, "amount": {"type": "number"}})
    schema, _ = learning.learn(tmp_path / "loans.csv", given)
    assert schema.json_schema["properties"]["term"]["enum"] == ["36", "60"]


def test_a_null_drawn_value_is_left_to_the_schemas_null_handling() -> None:
    schema = {"type": "object", "properties": {"x": {"type": "string", "enum": ["a"]}}}
    assert agreeing(schema, [{"x": None}], ["x"]) == (schema, [])
