"""A text that names its row's category (a review its product) never names another value of it."""

from __future__ import annotations

import random

import pandas as pd

from synth_gradio.learn import LearnedModel, fit_table
from synth_gradio.learn.mentions import find_mentions, mention_problem

PRODUCTS = ["air fryer", "coffee grinder", "electric kettle", "kettle lid", "rice cooker"]


def reviews(rows: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        product = rng.choice(PRODUCTS)
        opening = rng.choice(["Honestly", "Sadly", "Well", "So far", "After a month"])
        verb = rng.choice(["works", "broke", "hums", "sits", "shines"])
        text = f"{opening}, the {product} {verb} {rng.choice(['daily', 'again', 'at night', 'in the kitchen'])}."
        out.append({"product": product, "rating": rng.randint(1, 5), "review": text, "colour": rng.choice("RGB")})
    return pd.DataFrame(out)


def test_a_text_naming_another_product_is_refused_and_its_own_is_not() -> None:
    frame = reviews()
    found = find_mentions(frame, ["review"], ["product", "colour"])
    assert list(found) == ["review"] and list(found["review"]) == ["product"]  # one-letter colours never count
    assert mention_problem(found, {"product": "air fryer", "review": "My rice cookers are better."})
    assert mention_problem(found, {"product": "air fryer", "review": "The air fryer works."}) is None
    # a value inside a longer one named is not named on its own ("kettle lid" is not "electric kettle")
    assert mention_problem(found, {"product": "kettle lid", "review": "The kettle lid cracked."}) is None
    assert mention_problem(found, {"product": "electric kettle", "review": "The kettle lid cracked."})
    shuffled = frame.assign(review=frame["review"].sample(frac=1, random_state=1).to_numpy())
    assert find_mentions(shuffled, ["review"], ["product"]) == {}  # texts about any product: no rule


def test_a_learned_model_keeps_the_rule_through_storage() -> None:
    model = fit_table(reviews(), seed=0, method="sequential")
    assert model.text_columns == ["review"]
    again = LearnedModel.from_dict(model.to_dict())
    assert "agreement" in (again.disagrees({"product": "air fryer", "review": "Love the coffee grinder."}) or "")
    assert again.disagrees({"product": "air fryer", "review": "Love the air fryer."}) is None
    assert any("review names its row's product" in note for note in again.summary()["notes"])


def test_a_related_table_checks_its_texts_too() -> None:
    from synth_gradio.learn.keys import detect
    from synth_gradio.learn.related import fit_related
    from synth_gradio.learn.relrows import TableRows

    rng = random.Random(2)
    child = reviews(400).assign(review_id=range(1, 401), customer_id=[rng.randint(1, 120) for _ in range(400)])
    customers = pd.DataFrame({"customer_id": range(1, 121), "segment": [rng.choice("AB") for _ in range(120)]})
    tables = {"customers": customers, "reviews": child}
    model = fit_related(tables, detect(tables), seed=0)
    rows = TableRows(model, "reviews", 20, 0)
    assert rows.disagrees({"product": "air fryer", "review": "The rice cooker broke."})
    assert rows.disagrees({"product": "air fryer", "review": "The air fryer broke."}) is None
