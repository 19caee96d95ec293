"""Learning from a real table through the facade: fidelity, privacy, stored models and bad input."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pandas as pd
import pytest
from fakes import FakeBackend
from sklearn.datasets import load_breast_cancer, load_wine

from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError


def wine_csv(folder: Path) -> Path:
    frame = load_wine(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "barolo", 1: "grignolino", 2: "barbera"})
    path = folder / "wine.csv"
    frame.to_csv(path, index=False)
    return path


def test_learned_run_scores_85_plus_and_a_column_by_column_run_below_75(studio, tmp_path) -> None:
    reference = wine_csv(tmp_path)
    learned = studio.resolve_schema(reference=reference, seed=1)
    assert learned.learned is not None and "target" in learned.learned.columns
    run_a = list(
        studio.run(GenerationRequest(schema=learned.schema, n=300, seed=1, learned=learned.learned), FakeBackend([]))
    )[-1]
    assert run_a.status == "completed"
    assert set(studio.get_run(run_a.run_id)["strategies"].values()) == {"learned"}
    # The same inferred schema, each column drawn on its own (what the product did before learning)
    plain = studio.resolve_schema(text=json.dumps(learned.schema.json_schema))
    run_b = list(studio.run(GenerationRequest(schema=plain.schema, n=300, seed=1), FakeBackend([])))[-1]
    full = studio.quality_report(run_a.run_id, reference, target="target")
    good = full["realism"]
    flat = studio.quality_report(run_b.run_id, reference, target="target")["realism"]
    # With a reference the realism score leads and the quality (validity) score sits beneath it
    assert full["headline"]["name"] == "realism" and full["headline"]["score"] == good["score"]
    assert [(b["name"], b["score"]) for b in full["headline"]["beneath"]] == [("quality", full["score"]["score"])]
    alone = studio.quality_report(run_a.run_id)
    assert alone["headline"] == {
        "name": "quality",
        "score": alone["score"]["score"],
        "label": "quality score",
        "beneath": [],
    }
    assert good["detection"]["auc"] < 0.7 < 0.9 < flat["detection"]["auc"]
    assert good["score"] >= 85, good["pulled_down_by"]
    assert flat["score"] < 75, flat["components"]
    assert good["components"]["column_pair_trends"] > flat["components"]["column_pair_trends"] + 0.1
    assert any("relationship" in s.lower() or "ml efficacy" in s.lower() for s in flat["pulled_down_by"])
    real_rows = {tuple(r) for r in pd.read_csv(reference).round(6).itertuples(index=False)}
    made = pd.DataFrame(studio.records(run_a.run_id, limit=300)).round(6)
    assert not real_rows & {tuple(r) for r in made.itertuples(index=False)}


def test_resume_draws_from_the_stored_model_without_the_file(studio, tmp_path) -> None:
    reference = tmp_path / "cancer.csv"
    load_breast_cancer(as_frame=True).frame.iloc[:, [0, 1, 2, 20, 27, 30]].to_csv(reference, index=False)
    source = studio.resolve_schema(reference=reference, seed=3)
    stop = threading.Event()
    handle = studio.start(
        GenerationRequest(schema=source.schema, n=120, seed=3, batch_size=16, learned=source.learned),
        FakeBackend([]),
        cancel=stop,
    )
    first = next(handle.results)
    stop.set()
    list(handle.results)
    assert 0 < studio.get_run(handle.run_id)["achieved"] < 120 and first.achieved >= 16
    model, summary = studio.history.get_learned(handle.run_id)
    assert summary["columns"] and "rows" not in json.dumps(model)[:0]  # the model is stored as JSON
    reference.unlink()
    resumed = list(studio.resume(handle.run_id, FakeBackend([])).results)
    assert resumed[-1].status == "completed" and resumed[-1].achieved == 120
    rerun = list(studio.rerun(handle.run_id, FakeBackend([])).results)
    assert rerun[-1].status == "completed" and rerun[-1].run_id != handle.run_id
    assert set(studio.get_run(rerun[-1].run_id)["strategies"].values()) == {"learned"}


def test_an_unreadable_stored_model_stops_resume_with_a_sentence(studio, tmp_path) -> None:
    source = studio.resolve_schema(reference=wine_csv(tmp_path), seed=1)
    stop = threading.Event()
    stop.set()
    handle = studio.start(
        GenerationRequest(schema=source.schema, n=50, seed=1, learned=source.learned), FakeBackend([]), cancel=stop
    )
    list(handle.results)
    studio.history.db.execute_sql('UPDATE "learnedmodel" SET "data_json" = ?', ('{"format": "nonsense"}',))
    with pytest.raises(InputError, match=rf"run {handle.run_id} cannot continue: the stored model .* cannot be read"):
        studio.resume(handle.run_id)


def bad(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "is empty"),
        ("one.csv", "a,b\n1,x\n", "only 1 row"),
        ("notes.txt", "hello", "CSV, Parquet, JSONL, Excel"),
        ("broken.parquet", b"PAR1 not really", "cannot read broken.parquet"),
        (
            "text.csv",
            "note\n" + "\n".join(f"free text number {i} about something else" for i in range(40)),
            "no structured",
        ),
    ],
)
def test_bad_reference_tables_get_one_sentence(studio, tmp_path, name, content, message) -> None:
    with pytest.raises(InputError, match=message):
        studio.resolve_schema(reference=bad(tmp_path, name, content))


def test_a_reference_over_the_upload_limit_is_refused_before_reading(studio, tmp_path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.truncate(51 * 2**20)
    with pytest.raises(InputError, match=r"huge\.csv is 51 MB; the limit is 50 MB"):
        studio.resolve_schema(reference=path)


def test_a_schema_whose_fields_the_reference_lacks_is_refused(studio, tmp_path) -> None:
    schema = json.dumps({"pet": {"type": "string"}, "age": {"type": "integer", "minimum": 0, "maximum": 20}})
    with pytest.raises(InputError, match=r"columns of wine.csv .* do not match the schema's fields \(pet, age\)"):
        studio.resolve_schema(text=schema, learn_from=wine_csv(tmp_path))


def test_constant_and_all_null_columns_are_handled(studio, tmp_path) -> None:
    frame = load_wine(as_frame=True).frame.iloc[:, :4].copy()
    frame["country"] = "IT"
    frame["empty"] = None
    path = tmp_path / "odd.csv"
    frame.to_csv(path, index=False)
    records = studio.generate_records(40, reference=path, seed=2, backend=FakeBackend([]))
    assert len(records) == 40 and {r["country"] for r in records} == {"IT"}
    assert all(r.get("empty") is None for r in records)


def test_free_text_columns_go_to_the_model_with_real_texts_as_examples(studio, tmp_path) -> None:
    import random

    rng = random.Random(0)
    words = ["battery", "screen", "delivery", "price", "sound", "camera", "support", "size", "colour", "setup"]
    rows = []
    for i in range(120):
        rating = rng.choice([1, 2, 3, 4, 5, 5, 5, 4])
        text = f"The {rng.choice(words)} was {'great' if rating > 3 else 'poor'}; order {i} arrived on day {i % 9}."
        rows.append({"rating": rating, "price": round(rng.lognormvariate(3, 0.5), 2), "review": text})
    path = tmp_path / "reviews.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    source = studio.resolve_schema(reference=path, seed=1)
    assert source.learned.text_columns == ["review"]
    assert source.schema.examples and all(e["review"] in {r["review"] for r in rows} for e in source.schema.examples)
    # each example's rating is its review's own (a drawn rating contradicted "great" or "poor")
    assert all(("great" in e["review"]) == (e["rating"] > 3) for e in source.schema.examples)
    written = [json.dumps({"review": f"Solid purchase number {i}, would buy again."}) for i in range(40)]
    last = list(
        studio.run(GenerationRequest(schema=source.schema, n=20, seed=1, learned=source.learned), FakeBackend(written))
    )[-1]
    run = studio.get_run(last.run_id)
    assert run["status"] == "completed"
    assert run["strategies"]["review"] == "model" and run["strategies"]["rating"] == "learned"
    assert "rows" not in run["params"] and len(run["examples"]) <= 3  # only a few texts, never the table


EDITIONS = ["Pro", "Air", "Plus", "Max", "Mini", "Ultra", "Slim", "Go"]
COLOURS = ["Silver", "Black", "Blue", "Gold", "Grey", "White", "Red", "Green"]


def test_names_that_follow_a_category_are_shown_per_row_and_the_examples_agree(studio, tmp_path) -> None:
    """Product names belong to their maker, and rows carry an id. Before, no example was shown
    (drawn rows lack the id, so every example missed a required field) and the bundled model wrote
    another maker's name in a third of the rows read; now the examples pair a real name with its
    own maker, and each row's prompt lists names its maker's real rows share (learn/hints.py). (Names
    like "Inspiron 230", a line and a number, are codes now, learned by form with the maker:
    test_learn_codeforms.py.)"""
    import random

    rng = random.Random(0)
    lines = {
        "Dell": ["Inspiron", "Latitude", "XPS"],
        "Apple": ["MacBook", "iMac"],
        "Lenovo": ["ThinkPad", "IdeaPad", "Yoga"],
    }
    maker_of = {line: maker for maker, names in lines.items() for line in names}
    rows = []
    for i in range(400):
        maker = rng.choice(list(lines))
        product = f"{rng.choice(lines[maker])} {rng.choice(EDITIONS)} {rng.choice(COLOURS)}"  # free text, not a code
        rows.append(
            {"laptop_id": i + 1, "company": maker, "product": product, "price": round(rng.lognormvariate(6.5, 0.4), 2)}
        )
    path = tmp_path / "laptops.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    source = studio.resolve_schema(reference=path, seed=1)
    assert source.learned.text_columns == ["product"] and source.learned.hints["product"]["by"] == "company"
    assert source.schema.examples
    assert all(maker_of[e["product"].split()[0]] == e["company"] for e in source.schema.examples)
    counts = pd.DataFrame(rows)["product"].value_counts()
    shown = [n for names in source.learned.hints["product"]["names"].values() for n in names]
    assert shown and all(counts[n] >= 2 for n in shown)  # a name one real row has is never shown
    backend = FakeBackend([json.dumps({"product": f"Model {i}"}) for i in range(40)])
    last = list(studio.run(GenerationRequest(schema=source.schema, n=12, seed=1, learned=source.learned), backend))[-1]
    assert studio.get_run(last.run_id)["status"] == "completed"
    suffixes = [s for request in backend.requests for s in request.suffixes]
    assert suffixes and all(s.startswith("About: ") for s in suffixes)
    for suffix in suffixes:
        about, given = (json.loads(line.split(": ", 1)[1]) for line in suffix.splitlines()[:2])
        (names,) = about.values()
        assert {maker_of[n.split()[0]] for n in names} == {given["company"]}, suffix
    assert "About: " in backend.requests[0].prefix  # the examples show how the line is used
    # a name of another maker's line is rejected ("Dell ThinkPad"), whatever the prompt said
    assert source.learned.disagrees({"company": "Dell", "product": "Dell ThinkPad 120"}).startswith("agreement:")
    assert source.learned.disagrees({"company": "Lenovo", "product": "ThinkPad 120"}) is None
    wrong = [json.dumps({"product": "ThinkPad 120"})] * 8 + [json.dumps({"product": f"Model {i}"}) for i in range(40)]
    last = list(
        studio.run(GenerationRequest(schema=source.schema, n=8, seed=2, learned=source.learned), FakeBackend(wrong))
    )
    made = studio.records(last[-1].run_id)
    assert len(made) == 8 and all(r["company"] == "Lenovo" for r in made if r["product"].startswith("ThinkPad"))
    assert any(not r["product"].startswith("ThinkPad") for r in made)  # the others were written again


def test_examples_show_their_own_rating_and_named_product_and_span_the_tones(studio, tmp_path) -> None:
    """Five products, a verified flag and a rating: narrowed by the flag and the product first, a
    one-star review's rating was shared by fewer than 5 rows and a drawn five was shown beside it;
    drawn at random, the three examples were all praise. Now the rating (the text's anchor) comes
    first, the product its text names is its own, and the examples run from the worst review up."""
    import random

    rng = random.Random(3)
    products = ["air fryer", "coffee grinder", "rice cooker", "hand blender", "electric kettle"]
    rows = []
    for i in range(300):
        product, rating = rng.choice(products), rng.choice([1, 2, 3, 4, 4, 5, 5, 5])
        tone = {1: ["Terrible.", "Awful, a waste of money.", "Worst buy ever."], 2: ["Disappointing.", "Annoying."],
                3: ["It is okay.", "Average."]}.get(rating, ["Wonderful!", "I love it.", "Great value."])  # fmt: skip
        middle = rng.choice(["My", "Our", "The"]) + f" {product} " + rng.choice(["runs", "sits", "works", "hums"])
        end = rng.choice(["every morning", "in the kitchen", "most days", "for the family", "since spring"])
        text = (
            f"{rng.choice(tone)} {middle} {end}, {rng.choice(['honestly', 'really', 'so far'])} {rng.randint(2, 90)}."
        )
        rows.append({"review_id": f"R{5000 + i}", "product": product, "rating": rating,
                     "verified": rng.random() < 0.8, "votes": rng.randint(0, 12), "review": text})  # fmt: skip
    path = tmp_path / "reviews.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    examples = studio.resolve_schema(reference=path, seed=1).schema.examples
    assert len(examples) == 3
    by_text = {r["review"]: r for r in rows}
    for example in examples:
        own = by_text[example["review"]]
        assert example["rating"] == own["rating"] and example["product"] == own["product"], example
    assert min(e["rating"] for e in examples) <= 2 and max(e["rating"] for e in examples) >= 4


def test_a_panel_learned_as_independent_rows_warns_where_its_histories_are_kept(studio, tmp_path) -> None:
    from related_data import grunfeld

    panel = tmp_path / "grunfeld.csv"
    grunfeld().to_csv(panel, index=False)
    learned = studio.resolve_schema(reference=panel, seed=0).learned
    assert len(learned.warnings) == 1 and learned.warnings[0].startswith(
        "grunfeld: steps of each firm, in order of year"
    )
    assert "Learn related tables or sequences" in learned.warnings[0]
    assert learned.warnings[0] in learned.summary()["notes"]
    assert studio.resolve_schema(reference=wine_csv(tmp_path), seed=0).learned.warnings == []
