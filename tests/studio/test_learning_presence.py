"""A free-text column that is mostly empty stays mostly empty, and empty where real rows like it are:
a steward's note for most first-class passengers and few others, written by the bundled model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from synth_gradio.learn import fit_table


def passengers(rows: int = 700, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pclass = rng.choice([1, 2, 3], rows, p=[0.25, 0.2, 0.55])
    fare = np.round(np.where(pclass == 1, rng.lognormal(4.2, 0.6, rows), rng.lognormal(2.5, 0.5, rows)), 2)
    has = rng.random(rows) < np.where(pclass == 1, 0.8, 0.05)
    wishes = [
        "a quiet table at dinner",
        "an early breakfast",
        "extra blankets",
        "help with the luggage",
        "a deck chair",
    ]
    people = ["travels with a maid", "travels alone", "travels with two children", "is a returning guest", "is unwell"]
    note = [
        f"Passenger {rng.choice(people)} and asks for {rng.choice(wishes)} on day {rng.integers(1, 6)}." if h else None
        for h in has
    ]
    sex = rng.choice(["male", "female"], rows, p=[0.65, 0.35])
    return pd.DataFrame({"pclass": pclass, "sex": sex, "fare": fare, "note": note})


def test_the_presence_of_a_text_follows_the_other_columns_and_never_shows_as_a_column() -> None:
    real = passengers()
    model = fit_table(real, seed=0, method="sequential")
    assert model.text_columns == ["note"] and not any(c.startswith("#") for c in model.columns)
    assert not any(c.startswith("#") for c in model.summary()["columns"])
    rows = model.sample(3000, 1)
    drawn = pd.DataFrame({"pclass": [r["pclass"] for r in rows], "has": ["note" not in r for r in rows]})
    assert all(r.get("note", "absent") in (None, "absent") for r in rows)  # a text is never drawn, only its absence
    by_class = drawn.groupby("pclass")["has"].mean()
    assert by_class[1] > 0.65 and by_class[3] < 0.15, by_class.to_dict()
    assert abs(drawn["has"].mean() - real["note"].notna().mean()) < 0.05


def test_a_text_column_without_nulls_learns_no_presence() -> None:
    real = passengers()
    real["note"] = [c or f"Passenger number {i} asks for nothing." for i, c in enumerate(real["note"])]
    model = fit_table(real, seed=0, method="sequential")
    assert model.text_columns == ["note"] and all("note" not in r for r in model.sample(200, 1))


def test_generated_records_leave_the_text_empty_where_the_learned_row_says(
    studio, llama_backend, tmp_path: Path
) -> None:
    path = tmp_path / "passengers.csv"
    real = passengers()
    real.to_csv(path, index=False)
    records = studio.generate_records(24, reference=str(path), seed=2, backend=llama_backend)
    assert len(records) == 24 and not any(k.startswith("#") for r in records for k in r)
    written = [r for r in records if r.get("note")]
    assert 0 < len(written) <= 12, [r.get("note") for r in records]  # about 22% of real passengers have one
    assert sum(r["pclass"] == 1 for r in written) >= len(written) / 2
