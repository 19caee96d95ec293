"""Short codes (cabins, tickets) are learned by their form with the other columns, not written as
free text: every drawn code has a real form, digits within that form's real range, and the form
follows the columns it goes with."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from synth_gradio.learn import LearnedModel, fit_table
from synth_gradio.learn.codeforms import fill, form_of


def voyage(rows: int = 900, seed: int = 0) -> pd.DataFrame:
    """Passengers: first class mostly has a cabin on decks A-C, others rarely, on D-F; tickets of
    four forms whose share depends on the port."""
    rng = np.random.default_rng(seed)
    pclass = rng.choice([1, 2, 3], rows, p=[0.25, 0.2, 0.55])
    port = rng.choice(["S", "C", "Q"], rows, p=[0.7, 0.2, 0.1])
    has = rng.random(rows) < np.where(pclass == 1, 0.8, 0.06)
    deck = np.where(pclass == 1, rng.choice(list("ABC"), rows), rng.choice(list("DEF"), rows))
    cabin = [f"{d}{n}" if h else None for d, n, h in zip(deck, rng.integers(2, 130, rows), has, strict=True)]
    tickets = []
    for p in port:
        r = rng.random()
        if p == "C" and r < 0.6:
            tickets.append(f"PC {rng.integers(17000, 17800)}")
        elif r < 0.8:
            tickets.append(str(rng.integers(110000, 400000)))
        else:
            tickets.append(f"A/5 {rng.integers(1000, 30000)}")
    fare = np.round(np.where(pclass == 1, rng.lognormal(4.2, 0.6, rows), rng.lognormal(2.5, 0.5, rows)), 2)
    age = np.clip(np.round(rng.normal(30 + 8 * (pclass == 1), 13, rows)), 1, 80)
    sex = rng.choice(["male", "female"], rows, p=[0.64, 0.36])
    return pd.DataFrame(
        {"pclass": pclass, "sex": sex, "age": age, "port": port, "ticket": tickets, "fare": fare, "cabin": cabin}
    )


def test_form_of_keeps_letters_and_marks_digit_runs() -> None:
    assert form_of("A/5 21171") == ("A/{1} {5}", [5, 21171])
    assert form_of("C85") == ("C{2}", [85])
    rng = np.random.default_rng(0)
    assert all(re.fullmatch(r"PC 0\d{4}", fill("PC {5}", [[10, 999]], rng)) for _ in range(20))
    long = [fill("AB {20}", [[4 * 10**19, 5 * 10**19 - 1]], rng) for _ in range(20)]  # past int64
    assert all(re.fullmatch(r"AB [45]\d{19}", code) for code in long)


def test_codes_are_drawn_in_real_forms_that_follow_their_columns() -> None:
    real = voyage()
    model = fit_table(real, seed=0, method="sequential")
    assert model.text_columns == [] and {"ticket", "cabin"} <= set(model.columns)
    assert {"ticket", "cabin"} <= set(model.summary()["columns"]) and not any(
        "#" in c for c in model.summary()["columns"]
    )
    drawn = pd.DataFrame(model.sample(3000, 1))
    forms = {form_of(v)[0] for v in real["ticket"]} | {form_of(v)[0] for v in real["cabin"].dropna()}
    assert {form_of(v)[0] for v in drawn["ticket"]} <= forms
    assert {form_of(v)[0] for v in drawn["cabin"].dropna()} <= forms
    numbers = drawn["ticket"].str.extract(r"^PC (\d+)$")[0].dropna().astype(int)
    assert len(numbers) and numbers.between(17000, 17799).all()
    first = drawn[drawn["pclass"] == 1]["cabin"].dropna()
    assert first.str[0].isin(list("ABC")).mean() > 0.9  # decks follow the class
    assert abs(drawn["cabin"].notna().mean() - real["cabin"].notna().mean()) < 0.05
    pc = drawn["ticket"].str.startswith("PC")
    assert pc[drawn["port"] == "C"].mean() > 0.45 > 0.02 > pc[drawn["port"] != "C"].mean()


def test_a_stored_model_keeps_its_forms() -> None:
    model = fit_table(voyage(), seed=0, method="sequential")
    again = LearnedModel.from_dict(model.to_dict())
    assert again.sample(50, 3) == model.sample(50, 3)


def test_emails_and_web_addresses_keep_their_real_form_and_are_never_real_ones() -> None:
    """Every customer's address was user61042@example.de and every product page
    https://shop26.example.com/p/1511; they came out jessica44@example.com and http://newman.com/."""
    rng = np.random.default_rng(3)
    n = 1200
    real = pd.DataFrame(
        {
            "email": [f"user{x}@example.de" for x in rng.choice(np.arange(1000, 99999), n, replace=False)],
            "url": [f"https://shop{rng.integers(1, 40)}.example.com/p/{rng.integers(1000, 9999)}" for _ in range(n)],
            "created_at": (
                pd.Timestamp("2024-01-01", tz="Europe/Berlin") + pd.to_timedelta(rng.integers(0, 10**7, n), unit="s")
            ).map(lambda t: t.isoformat()),
            "order_no": [f"R{5000 + i}" for i in range(n)],  # every number in its range is real: numbered anew
            "amount": rng.lognormal(3, 1, n).round(2),
        }
    )
    model = fit_table(real, seed=0)
    assert set(model.to_dict()["forms"]) == {"email", "url"}
    rows = pd.DataFrame(model.sample(600, 1))
    assert rows["email"].str.fullmatch(r"user\d{4,5}@example\.de").all()
    assert rows["url"].str.fullmatch(r"https://shop\d{1,2}\.example\.com/p/\d{4}").all()
    assert not set(rows["email"]) & set(real["email"]) and not set(rows["url"]) & set(real["url"])
    assert pd.to_datetime(rows["created_at"], utc=True, errors="coerce").notna().all()  # no September 31
