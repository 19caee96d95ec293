"""Related tables learn when a text is empty and what form a code has, as a single table does: a
child's note present where real children like it have one, a voucher code of the channel's form."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
from fakes import FakeBackend

from synth_gradio import Settings, Studio
from synth_gradio.learn.relrows import TableRows

NOTES = ["please deliver after five", "gift wrap it", "leave it at the door", "call me on arrival", "fragile inside"]


def orders_set(customers: int = 300, seed: int = 4) -> dict[str, pd.DataFrame]:
    """Business customers leave a note on most orders and others on few; web orders carry codes of
    one form, shop orders of another."""
    rng = np.random.default_rng(seed)
    people = pd.DataFrame({"customer_id": range(1, customers + 1),
                           "segment": rng.choice(["home", "business"], customers, p=[0.7, 0.3]),
                           "age": rng.integers(18, 80, customers)})  # fmt: skip
    rows = []
    for c in people.itertuples():
        for _ in range(int(rng.integers(1, 6))):
            channel = str(rng.choice(["web", "shop"]))
            noted = rng.random() < (0.8 if c.segment == "business" else 0.1)
            voucher = (
                f"VC-{rng.integers(1000, 9999)}"
                if channel == "web"
                else f"SH{rng.integers(10, 99)}/{rng.integers(100, 999)}"
            )
            rows.append({"order_id": len(rows) + 1, "customer_id": c.customer_id, "channel": channel,
                         "amount": round(float(rng.lognormal(3, 0.5)), 2), "voucher": voucher,
                         "note": f"{rng.choice(NOTES)}, order {len(rows) + 1}" if noted else None})  # fmt: skip
    return {"customers": people, "orders": pd.DataFrame(rows)}


def test_a_childs_text_is_empty_where_real_children_like_it_are_and_codes_keep_their_form(tmp_path) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    real = orders_set()
    for name, frame in real.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    studio = Studio(Settings(db_path=str(tmp_path / "h.db")))
    learned = studio.learn_tables(folder, seed=1)
    model = learned.model
    assert model.free_text("orders") == ["note"] and model.plans["orders"].model.form_columns == ["voucher"]
    sample = model.sample(300, 3)
    people = {r["customer_id"]: r["segment"] for r in sample["customers"]}
    orders = sample["orders"]
    # codes: every one of a real form, and the form follows the channel (before: free text for the model)
    forms = {"web": re.compile(r"VC-\d{4}"), "shop": re.compile(r"SH\d{2}/\d{3}")}
    assert all(forms[r["channel"]].fullmatch(r["voucher"]) for r in orders)
    # presence: a row without a note holds it as None (the run then drops what the model wrote); a row
    # with one leaves it to the model; business customers' orders have one far more often
    assert all(r.get("note", "absent") in (None, "absent") for r in orders)
    noted = {
        seg: np.mean(["note" not in r for r in orders if people[r["customer_id"]] == seg]) for seg in people.values()
    }
    truth = (
        real["orders"]
        .merge(real["customers"], on="customer_id")
        .groupby("segment")["note"]
        .apply(lambda s: s.notna().mean())
    )
    assert abs(noted["business"] - truth["business"]) < 0.15 and abs(noted["home"] - truth["home"]) < 0.1, (
        noted,
        truth,
    )
    assert "note" not in TableRows(model, "orders", 300, 3).columns  # the text is not a given value of the row

    backend = FakeBackend([json.dumps({"note": f"Ring the bell twice, parcel {i}"}) for i in range(3000)], max_batch=16)
    _, events = studio.start_related(learned, 40, backend, seed=2)
    results: dict = {}
    for _, _, results in events:  # noqa: B007 - the last results are read below
        pass
    assert results["orders"].last.status == "completed", results["orders"].last.error
    made = results["orders"].records
    empty = [r for r in made if r.get("note") is None]
    assert 0 < len(empty) < len(made)  # some notes written by the model, the others left empty
    assert all(r["note"].startswith("Ring the bell") for r in made if r.get("note") is not None)
    assert all(forms[r["channel"]].fullmatch(r["voucher"]) for r in made)


def test_a_text_the_first_steps_model_did_not_learn_is_left_to_be_written() -> None:
    """First steps learned apart: the later steps' model learned the note's presence, the first
    steps' did not (every first order has one); every first order's note was then blanked."""
    from synth_gradio.learn.keys import detect
    from synth_gradio.learn.related import fit_related

    rng = np.random.default_rng(1)
    people = pd.DataFrame({"customer_id": range(1, 601), "segment": rng.choice(["home", "business"], 600)})
    rows = []
    for c in people.itertuples():
        for seq in (1, 2, 3):
            noted = seq == 1 or rng.random() < 0.5
            rows.append({"order_id": len(rows) + 1, "customer_id": c.customer_id, "seq": seq,
                         "amount": round(float(rng.lognormal(3, 0.5)), 2),
                         "note": f"{rng.choice(NOTES)}, order {len(rows) + 1}" if noted else None})  # fmt: skip
    tables = {"customers": people, "orders": pd.DataFrame(rows)}
    model = fit_related(tables, detect(tables), seed=0)
    assert model.plans["orders"].first_model is not None
    orders = model.sample(200, 2)["orders"]
    firsts = [r for r in orders if r["seq"] == 1]
    later = [r for r in orders if r["seq"] > 1]
    assert firsts and all("note" not in r for r in firsts)  # left to the model, never blanked
    assert 0.3 < np.mean(["note" in r for r in later]) < 0.7  # half the later ones have none, as real
