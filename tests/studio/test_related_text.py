"""Free text in related tables is written knowing the parent and the previous step, its values and the
text its record got (the prompt shows them)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from fakes import FakeBackend

from synth_gradio import Settings, Studio

WORDS = ["parcel", "invoice", "login", "refund", "screen", "battery", "courier", "password", "receipt", "charger"]


def tickets(customers: int = 80, seed: int = 3) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    people = pd.DataFrame({"customer_id": range(1, customers + 1),
                           "segment": rng.choice(["home", "business"], customers),
                           "tenure_years": rng.integers(0, 15, customers),
                           "monthly_spend": np.round(rng.lognormal(3, 0.6, customers), 2)})  # fmt: skip
    rows = []
    for c in people.itertuples():
        for step in range(int(rng.integers(1, 5))):
            a, b = rng.choice(WORDS, 2, replace=False)
            rows.append({"ticket_id": len(rows) + 1, "customer_id": c.customer_id, "visit": step + 1,
                         "priority": rng.choice(["low", "high"]),
                         "message": f"Ticket {len(rows)}: the {a} and the {b} for account {c.customer_id} need a look."})  # fmt: skip
    return {"customers": people, "tickets": pd.DataFrame(rows)}


def test_child_text_is_written_knowing_the_parent_and_the_previous_step(tmp_path) -> None:
    folder = tmp_path / "support"
    folder.mkdir()
    for name, frame in tickets().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    studio = Studio(Settings(db_path=str(tmp_path / "h.db")))
    learned = studio.learn_tables(folder, seed=1)
    assert "message" in learned.model.text_columns("tickets")
    real = set(tickets()["tickets"]["message"])
    table = next(t for t in learned.tables if t.name == "tickets")
    assert table.schema.examples and all(e["message"] in real for e in table.schema.examples)
    assert all(table.schema.validator.is_valid(e) for e in table.schema.examples)  # new keys, drawn values
    rng = np.random.default_rng(0)
    texts = [
        json.dumps({"message": f"Case {i}: my {a} broke after the {b} update."})
        for i, (a, b) in enumerate(rng.choice(WORDS, (400, 2)))
    ]
    texts = [t if i % 4 else '{"message": ' for i, t in enumerate(texts)]  # every 4th is rejected: its row comes back
    backend = FakeBackend(texts, max_batch=8)
    _, events = studio.start_related(learned, 12, backend, seed=2)
    results: dict = {}
    for _, _, results in events:  # noqa: B007 - the last results are read below
        pass
    assert results["tickets"].last.status == "completed", results["tickets"].last.error
    suffixes = [s for request in backend.requests for s in request.suffixes]
    assert suffixes and all(s.startswith("About: ") for s in suffixes)
    shown = [json.loads(s.split("\n", 1)[0][len("About: ") :]) for s in suffixes]
    assert all("customers.segment" in c and "customers.tenure_years" in c for c in shown)
    assert any("need a look." in r.prefix for r in backend.requests)  # real texts show how people write
    assert any("previous priority" in c for c in shown)  # a second step knows the first
    written = {json.loads(t)["message"] for t in texts if t.endswith("}")}
    before = [c["previous message"] for c in shown if "previous message" in c]
    assert len(before) >= len(shown) // 4 and set(before) <= written  # and what the first one's record wrote
    assert not any("customers.customer_id" in c or "previous ticket_id" in c for c in shown)  # keys are not context
    made = results["tickets"].records
    assert len({r["ticket_id"] for r in made}) == len(made) == results["tickets"].last.requested
    steps = [(r["customer_id"], r["visit"]) for r in made]
    assert steps == sorted(steps)  # written entity beside entity, handed out each entity's steps in order
    assert results["tickets"].last.reject_counts  # some rows were rejected, offered again and stored once
    people = {r["customer_id"]: r for r in results["customers"].records}
    first = results["tickets"].records[0]
    assert first["customer_id"] in people and "message" in first


STREETS = ["Elm", "Oak", "Mill", "Church", "Station", "Park", "Bridge", "Castle"]


def test_an_entitys_own_text_is_the_same_in_each_of_its_steps(tmp_path) -> None:
    """Patients' visits with the patient's home address beside each (free text, the same in every
    real visit): the model writes an address for each record, and a patient moved house between
    visits; every visit now carries the address the first one got."""
    rng = np.random.default_rng(4)
    rows = []
    for person in range(1, 61):
        home = f"{int(rng.integers(1, 300))} {rng.choice(STREETS)} Road, flat {person}"
        for visit in range(1, int(rng.integers(2, 5)) + 1):
            a, b = rng.choice(WORDS, 2, replace=False)
            rows.append({"patient_id": person, "visit": visit, "home": home, "weight_kg": round(float(rng.normal(75, 9)), 1),
                         "note": f"Visit {visit}: asked about the {a} and the {b}; follow up in a month."})  # fmt: skip
    folder = tmp_path / "clinic"
    folder.mkdir()
    pd.DataFrame(rows).to_csv(folder / "visits.csv", index=False)
    studio = Studio(Settings(db_path=str(tmp_path / "h.db")))
    learned = studio.learn_tables(folder, seed=1)
    assert learned.model.entity_text("visits") == ["home"]
    texts = [
        json.dumps({"home": f"{i} {rng.choice(STREETS)} Lane", "note": f"Check {i}: asked about the {w} again today."})
        for i, w in enumerate(rng.choice(WORDS, 400))
    ]
    _, events = studio.start_related(learned, 10, FakeBackend(texts, max_batch=4), seed=2)
    results: dict = {}
    for _, _, results in events:  # noqa: B007 - the last results are read below
        pass
    made = pd.DataFrame(results["visits"].records)
    assert results["visits"].last.status == "completed" and made["patient_id"].nunique() == 10
    assert made.groupby("patient_id")["home"].nunique().eq(1).all(), made[["patient_id", "visit", "home"]]
    assert made.groupby("patient_id")["note"].nunique().gt(1).any()  # the visits' own text still varies


EDITIONS = ["Pro", "Air", "Plus", "Max", "Mini", "Ultra", "Slim", "Go"]
COLOURS = ["Silver", "Black", "Blue", "Gold", "Grey", "White", "Red", "Green"]


def test_child_names_that_follow_a_category_are_shown_per_row(tmp_path) -> None:
    """A child's short names follow its own category (an order's product and its brand): each row's
    prompt lists names real rows of that brand share, beside the parent's values. (Names like
    "Rocket 230", a line and a number, are codes, learned by form with the brand since related
    tables learn them too.)"""
    rng = np.random.default_rng(5)
    lines = {"Acme": ["Rocket", "Anvil"], "Globex": ["Orbit", "Nimbus"], "Initech": ["Stapler", "Printer"]}
    people = pd.DataFrame({"customer_id": range(1, 201), "segment": rng.choice(["home", "business"], 200)})
    rows = []
    for c in people.itertuples():
        for _ in range(int(rng.integers(1, 5))):
            brand = str(rng.choice(list(lines)))
            product = f"{rng.choice(lines[brand])} {rng.choice(EDITIONS)} {rng.choice(COLOURS)}"  # text, not a code
            rows.append({"order_id": len(rows) + 1, "customer_id": c.customer_id, "brand": brand, "product": product})
    folder = tmp_path / "shop"
    folder.mkdir()
    people.to_csv(folder / "customers.csv", index=False)
    pd.DataFrame(rows).to_csv(folder / "orders.csv", index=False)
    studio = Studio(Settings(db_path=str(tmp_path / "h.db")))
    learned = studio.learn_tables(folder, seed=1)
    assert learned.model.plans["orders"].model.hints["product"]["by"] == "brand"
    backend = FakeBackend([json.dumps({"product": f"Thing {i}"}) for i in range(200)], max_batch=8)
    _, events = studio.start_related(learned, 10, backend, seed=2)
    for _ in events:
        pass
    maker = {line: brand for brand, names in lines.items() for line in names}
    suffixes = [s for request in backend.requests for s in request.suffixes]
    assert suffixes
    for suffix in suffixes:
        about, given = (json.loads(line.split(": ", 1)[1]) for line in suffix.splitlines()[:2])
        names = about[f"product names used for brand {given['brand']}"]
        assert names and {maker[n.split()[0]] for n in names} == {given["brand"]}, suffix
