"""A text written from other columns of its row is learned as its template and written from the drawn
row: a customer's full name is their first and last name, their email is made of them (before: the
full name was a person name drawn apart, "Mary Phillips" beside Mary Gonzalez, and a table of names
and plans was refused because most draws of its few columns repeated a real row). An email's digits
are drawn again while it is a real one, so its row is new whatever else it repeats."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from synth_gradio.learn import fit_table
from synth_gradio.learn.keys import detect
from synth_gradio.learn.model import LearnedModel
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.templates import find_templates, template_of

FIRST = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Susan"]
LAST = ["Smith", "Johnson", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Moore", "Taylor"]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com"]


def customers(rows: int = 600, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first, last = rng.choice(FIRST, rows), rng.choice(LAST, rows)
    domain = rng.choice(DOMAINS, rows, p=[0.5, 0.3, 0.2])
    plan = rng.choice(["basic", "plus", "pro"], rows, p=[0.6, 0.3, 0.1])
    return pd.DataFrame({
        "first_name": first, "last_name": last, "full_name": [f"{a} {b}" for a, b in zip(first, last, strict=True)],
        "email": [f"{a.lower()}.{b.lower()}{rng.integers(10, 99)}@{d}" for a, b, d in zip(first, last, domain, strict=True)],
        "plan": plan, "monthly_fee": np.select([plan == "basic", plan == "plus"], [9.99, 19.99], 49.99),
    })  # fmt: skip


def test_a_template_holds_other_columns_between_word_boundaries() -> None:
    assert template_of("mary.gonzalez42@gmail.com", [("first", "Mary"), ("last", "Gonzalez")]) == (
        "{=first|lower}.{=last|lower}{0}@gmail.com",
        [42],
    )
    assert template_of("karen41@proton.me", [("plan", "pro")])[0] == "karen{0}@proton.me"  # not inside a word
    assert template_of("B6 Airways", [("code", "B6")])[0] == "{=code} Airways"
    broke = [template_of(f"The kettle broke after {n} days", [("product", "kettle")])[0] for n in (9, 12)]
    assert broke == ["The {=product} broke after {0} days"] * 2  # one template, whatever the number's width
    assert template_of("zip 02134", [])[0] == "zip {5}"  # leading zeros keep their width


def test_names_and_emails_are_written_from_their_row() -> None:
    real = customers()
    _, found = find_templates(real, ["full_name", "email"], set())
    assert found["full_name"]["sources"] == ["first_name", "last_name"] == found["email"]["sources"]
    model = LearnedModel.from_dict(fit_table(real, seed=0).to_dict())  # as stored with a run
    notes = model.summary()["notes"]
    assert any(note.startswith("email is written from first_name, last_name in its row") for note in notes)
    assert not any("#form:" in note or "single value" in note for note in notes)
    made = pd.DataFrame(model.sample(400, 1))
    assert (made["full_name"] == made["first_name"] + " " + made["last_name"]).all()
    local, domain = made["email"].str.split("@").str[0], made["email"].str.split("@").str[1]
    named = made["first_name"].str.lower() + "." + made["last_name"].str.lower()
    assert (local.str[:-2] == named).all() and local.str[-2:].str.isdigit().all()
    assert set(domain) == set(DOMAINS) and abs((domain == "gmail.com").mean() - 0.5) < 0.1
    assert not made["email"].isin(set(real["email"])).any()  # so no row copies a real one whole
    assert abs((made["plan"] == "pro").mean() - 0.1) < 0.05  # not thinned out by redrawing copies


def test_a_child_tables_template_is_written_from_its_drawn_frame() -> None:
    rng = np.random.default_rng(0)
    people = pd.DataFrame({"person_id": range(1, 201), "region": rng.choice(["north", "south"], 200)})
    rows = []
    for person in people["person_id"]:
        for _ in range(int(rng.integers(1, 4))):
            channel = str(rng.choice(["web", "store", "phone"]))
            rows.append({"order_id": len(rows) + 1, "person_id": person, "channel": channel,
                         "reference": f"{channel.upper()}-{rng.integers(10000, 99999)}"})  # fmt: skip
    tables = {"people": people, "orders": pd.DataFrame(rows)}
    made = pd.DataFrame(fit_related(tables, detect(tables), seed=0).sample(100, 1)["orders"])
    assert len(made) > 100
    assert (made["reference"].str.split("-").str[0] == made["channel"].str.upper()).all()
    assert made["reference"].str.fullmatch(r"[A-Z]+-\d{5}").all()
    assert not made["reference"].isin(set(tables["orders"]["reference"])).any()  # digits drawn until new


def test_a_full_name_of_many_values_is_written_from_its_parts(monkeypatch) -> None:
    """Names that repeat are a category, not free text; one of many values is still a template (a
    table of 86,000 distinct full names wrote "NameAg LastHcx" beside NameSe LastCqx)."""
    firsts = [f"{a}{b}ia" for a in "BCDFGHKLMNPRST" for b in "aeiou"][:50]
    lasts = [f"{a}{b}rsen" for a in "BCDFGHKLMNPRST" for b in "aeiou"][:50]
    monkeypatch.setattr(sys.modules[__name__], "FIRST", firsts)
    monkeypatch.setattr(sys.modules[__name__], "LAST", lasts)
    real = customers(6000)
    assert 1000 < real["full_name"].nunique() < 3000  # a category by its repeats (free text above 3,000)
    model = fit_table(real, seed=0)
    assert any(note.startswith("full_name is written from first_name, last_name") for note in model.summary()["notes"])
    made = pd.DataFrame(model.sample(500, 1))
    assert (made["full_name"] == made["first_name"] + " " + made["last_name"]).all()


def test_a_name_that_holds_its_own_key_is_written_from_the_new_key() -> None:
    """Keys are drawn new after the row, so a store's name "Store 12" beside store 12 is written then
    (before: the language model wrote names apart from the key, airline UB was "Q8 Airways Inc.")."""
    rng = np.random.default_rng(0)
    stores = pd.DataFrame({"store_id": range(101, 131), "name": [f"Store {i}" for i in range(101, 131)],
                           "city": rng.choice(["Leeds", "York"], 30)})  # fmt: skip
    sales = pd.DataFrame({"sale_id": range(1, 601), "store_id": rng.choice(stores["store_id"], 600),
                          "amount": rng.gamma(2.0, 30.0, 600).round(2)})  # fmt: skip
    tables = {"stores": stores, "sales": sales}
    model = fit_related(tables, detect(tables), seed=0)
    assert list(model.plans["stores"].key_texts) == ["name"]
    made = pd.DataFrame(model.sample(30, 1)["stores"])
    assert (made["name"] == "Store " + made["store_id"].astype(str)).all()
