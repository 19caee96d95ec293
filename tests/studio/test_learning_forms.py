"""A passenger list learned end to end: names in the list's own form with titles that fit the sex,
cabins and tickets in real forms, cabins mostly empty and on first-class decks for first class."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from synth_gradio.learn.codeforms import form_of


def manifest(rows: int = 800, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pclass = rng.choice([1, 2, 3], rows, p=[0.25, 0.2, 0.55])
    sex = rng.choice(["male", "female"], rows, p=[0.64, 0.36])
    age = np.clip(np.round(rng.normal(30 + 8 * (pclass == 1), 13, rows)), 1, 80).astype(int)
    names = []
    for s, a in zip(sex, age, strict=True):
        title = ("Master" if a < 13 else "Mr") if s == "male" else ("Miss" if a < 22 else "Mrs")
        family = "".join(rng.choice(["Bra", "Cu", "Hei", "Fut", "Al", "Mo", "Mc", "Pal", "Ker", "Son"], 3)).title()
        given = rng.choice(
            ["Owen", "John", "Laina", "Lily", "William", "Elisabeth", "Harris", "Anna", "Karl", "Ida"], 2
        )
        names.append(f"{family}, {title}. {' '.join(given)}")  # mostly unique, as real passengers' names
    has = rng.random(rows) < np.where(pclass == 1, 0.8, 0.06)
    deck = np.where(pclass == 1, rng.choice(list("ABC"), rows), rng.choice(list("DEF"), rows))
    cabin = [f"{d}{n}" if h else None for d, n, h in zip(deck, rng.integers(2, 130, rows), has, strict=True)]
    ticket = [f"PC {n}" if r < 0.2 else str(m) for r, n, m in zip(rng.random(rows), rng.integers(17000, 17800, rows), rng.integers(110000, 400000, rows), strict=True)]  # fmt: skip
    fare = np.round(np.where(pclass == 1, rng.lognormal(4.2, 0.6, rows), rng.lognormal(2.5, 0.5, rows)), 2)
    return pd.DataFrame(
        {"Name": names, "Sex": sex, "Age": age, "Pclass": pclass, "Ticket": ticket, "Fare": fare, "Cabin": cabin}
    )


def test_names_codes_and_empty_cabins_agree_with_their_rows(studio, llama_backend, tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    real = manifest()
    real.to_csv(path, index=False)
    rows = pd.DataFrame(studio.generate_records(150, reference=str(path), seed=4, backend=llama_backend))
    titles = rows["Name"].str.extract(r"^[\w'\-]+, (\w+)\. \w+")[0]
    assert titles.notna().all(), rows["Name"].head().tolist()
    assert (titles[rows["Sex"] == "female"].isin(["Miss", "Mrs"])).all()
    assert (titles[rows["Sex"] == "male"].isin(["Master", "Mr"])).all()
    assert (rows.loc[titles == "Master", "Age"] <= 12).all()
    forms = {form_of(v)[0] for v in real["Ticket"]} | {form_of(v)[0] for v in real["Cabin"].dropna()}
    assert {form_of(v)[0] for v in rows["Ticket"]} | {form_of(v)[0] for v in rows["Cabin"].dropna()} <= forms
    assert 0.1 < rows["Cabin"].notna().mean() < 0.35  # real: 0.24
    first = rows.loc[rows["Pclass"] == 1, "Cabin"].dropna()
    assert len(first) and first.map(lambda c: bool(re.match(r"[ABC]\d", c))).mean() > 0.9
