"""The field editor for people: a form per field, written back so the JSON round-trips exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth_gradio.errors import InputError
from synth_gradio.schema.describe import draft_schema
from synth_gradio.schema.field_edit import FieldForm, apply_form, read_form
from synth_gradio.schema.model import load_schema
from synth_gradio.studio.previews import MODEL_WRITES, declared_values, sample_rows

TEMPLATES = Path(__file__).resolve().parents[2] / "synth_gradio" / "schema" / "templates"


def test_every_field_of_every_built_in_template_round_trips_byte_for_byte() -> None:
    fields = 0
    for path in sorted(TEMPLATES.glob("*.json")):
        schema = json.loads(path.read_text())["schema"]
        for name in schema["properties"]:
            assert json.dumps(apply_form(schema, name, read_form(schema, name))) == json.dumps(schema), (path, name)
            fields += 1
    assert fields > 100


def test_salary_rises_with_level_in_words_and_the_drawn_pay_follows() -> None:
    schema = draft_schema("employees with name, level and salary").schema
    form = read_form(schema, "salary")
    assert form.kind == "amount of money" and form.depends == "depends on level"  # the draft's own steps
    form.typical, form.depends = "70000", "rises with level"
    edited = apply_form(schema, "salary", form)
    load_schema(json.dumps(edited))
    cases = edited["properties"]["salary"]["x-distribution"]["cases"]
    medians = [cases[level]["median"] for level in edited["properties"]["level"]["enum"]]
    assert medians == sorted(medians) and medians[2] == 70000  # the middle level sits at the typical value
    pay = declared_values(edited, "salary", n=400)
    levels = declared_values(edited, "level", n=400)  # the same seed: the same records
    by_level = {lv: sorted(p for p, l2 in zip(pay, levels, strict=True) if l2 == lv) for lv in ("junior", "manager")}
    assert by_level["junior"][len(by_level["junior"]) // 2] < by_level["manager"][len(by_level["manager"]) // 2]


def test_values_and_shares_rename_and_a_new_field_keep_the_schema_valid() -> None:
    schema = draft_schema("employees with their level and salary").schema
    form = read_form(schema, "level")
    form.name, form.values = "grade", "junior 40, senior 40, principal 20"
    edited = apply_form(schema, "level", form)
    load_schema(json.dumps(edited))
    assert list(edited["properties"]).index("grade") == list(schema["properties"]).index("level")  # keeps its place
    assert edited["properties"]["grade"]["x-distribution"]["weights"] == {"junior": 40, "senior": 40, "principal": 20}
    salary = edited["properties"]["salary"]["x-distribution"]
    assert salary["by"] == "grade" and set(salary["cases"]) == {"junior", "senior"}  # removed values lose cases
    assert edited["x-rules"][0]["if"]["field"] == "grade"
    added = apply_form(edited, None, FieldForm(name="tenure years", kind="whole number", low="0", high="40"))
    assert added["properties"]["tenure_years"] == {"type": "integer", "minimum": 0, "maximum": 40}
    assert added["required"][-1] == "tenure_years"
    load_schema(json.dumps(added))


@pytest.mark.parametrize(
    ("field", "change", "says"),
    [
        ("level", {"values": "only"}, "at least two values"),
        ("level", {"values": "a 50, b"}, "a share for every value"),
        ("salary", {"depends": "because of the weather"}, "rises with FIELD"),
        ("salary", {"depends": "rises with full_name"}, "only on a category field"),
        ("salary", {"typical": "lots"}, "must be a number"),
        ("level", {"name": "salary"}, "already a field 'salary'"),
        ("level", {"kind": "spaceship"}, "choose a kind"),
    ],
)
def test_bad_settings_are_one_sentence(field: str, change: dict, says: str) -> None:
    schema = draft_schema("employees with name, level and salary").schema
    form = read_form(schema, field)
    for key, value in change.items():
        setattr(form, key, value)
    with pytest.raises(InputError, match=says):
        apply_form(schema, field, form)


def test_five_sample_records_are_drawn_now_and_name_what_the_model_writes() -> None:
    schema = draft_schema("customer complaints for a telecom company").schema
    rows = sample_rows(schema, 5)
    assert len(rows) == 5 and all(row["message"] == MODEL_WRITES for row in rows)
    assert len({row["complaint_id"] for row in rows}) == 5 and all(row["category"] for row in rows)
