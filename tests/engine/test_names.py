"""Names agree with their record: a given name of the record's sex, written in the reference's form
with a title that fits the sex and the age (inferred from a real-looking passenger list)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
from faker.providers.person.en_US import Provider

from synth_gradio.engine.fakers import FakerPool, faker_value
from synth_gradio.engine.names import gender_of
from synth_gradio.schema.infer import infer_schema

MALE_ONLY = set(Provider.first_names_male) - set(Provider.first_names_female)
FEMALE_ONLY = set(Provider.first_names_female) - set(Provider.first_names_male)


def passenger_list(rows: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["male", "female"], rows)
    age = rng.integers(1, 70, rows)
    names = []
    for s, a in zip(sex, age, strict=True):
        family, given = rng.choice(["Smith", "Brown", "Andersson", "Kelly"]), rng.choice(["Ann", "John", "Lee", "Ida"])
        title = ("Master" if a < 13 else "Mr") if s == "male" else ("Miss" if a < 25 else "Mrs")
        names.append(f"{family}, {title}. {given}")
    return pd.DataFrame({"PassengerId": np.arange(1, rows + 1), "Name": names, "Sex": sex, "Age": age})


def test_the_form_is_read_with_titles_by_sex_and_age(tmp_path: Path) -> None:
    path = tmp_path / "passengers.csv"
    passenger_list().to_csv(path, index=False)
    form = infer_schema(path).json_schema["properties"]["Name"]["x-name-form"]
    assert form["order"] == "family-given" and form["dot"]
    assert set(form["titles_by"]["shares"]["female"]) == {"Miss", "Mrs"}
    assert form["ages"]["spans"]["Master"][1] <= 12


def test_plain_names_get_no_form(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    frame = passenger_list()
    frame["Name"] = [
        f"{g} {f}" for g, f in zip(["Ann", "Bo", "Cy"] * 100, ["Smith", "Lee", "Olsen"] * 100, strict=True)
    ]
    frame.to_csv(path, index=False)
    assert "x-name-form" not in infer_schema(path).json_schema["properties"]["Name"]


def test_written_names_follow_the_form_the_sex_and_the_age(tmp_path: Path) -> None:
    path = tmp_path / "passengers.csv"
    passenger_list().to_csv(path, index=False)
    node = infer_schema(path).json_schema["properties"]["Name"]
    pool, rng = FakerPool(1), random.Random(1)
    for sex, age, titles in [
        ("female", 40, {"Mrs"}),
        ("female", 8, {"Miss"}),
        ("male", 5, {"Master"}),
        ("male", 50, {"Mr"}),
    ]:
        for _ in range(10):
            name = faker_value("name", "Name", node, {"Sex": sex, "Age": age}, pool, rng)
            match = re.fullmatch(r"[\w'\-]+, (\w+)\. [\w'\- ]+", name)
            assert match and match.group(1) in titles, (sex, age, name)


def test_a_plain_name_field_draws_given_names_of_the_records_sex() -> None:
    pool, rng = FakerPool(2), random.Random(2)
    women = [
        faker_value("name", "name", {"type": "string"}, {"gender": "Female"}, pool, rng).split()[0] for _ in range(60)
    ]
    men = [faker_value("name", "name", {"type": "string"}, {"sex": "M"}, pool, rng).split()[0] for _ in range(60)]
    assert not set(women) & MALE_ONLY and not set(men) & FEMALE_ONLY
    assert set(women) & FEMALE_ONLY and set(men) & MALE_ONLY
    assert gender_of({"essex_county": "Manningtree"}) is None and gender_of({"customer_gender": "woman"}) == "female"
