"""Names per category for the language model (learn/hints.py): only where names follow a category,
only names several real rows share, and never for prose."""

from __future__ import annotations

import random

import pandas as pd

from synth_gradio.learn.hints import SHOWN, find_hints, hint_context


def table(follow: bool, rows: int = 400) -> pd.DataFrame:
    rng = random.Random(1)
    lines = {"north": ["Alder", "Birch"], "south": ["Cedar", "Maple"], "west": ["Oak", "Pine"]}
    out = []
    for i in range(rows):
        region = rng.choice(list(lines))
        line = rng.choice(lines[region] if follow else [n for names in lines.values() for n in names])
        note = f"Visit {i}: the crew found {rng.randrange(1000)} loose boards and {rng.randrange(99)} nails."
        out.append({"region": region, "name": f"{line} {rng.randrange(30)}", "note": note})
    return pd.DataFrame(out)


def test_names_that_follow_a_category_are_kept_per_value_and_prose_is_left_alone() -> None:
    frame = table(follow=True)
    hints = find_hints(frame, ["name", "note"], ["region"])
    assert set(hints) == {"name"} and hints["name"]["by"] == "region"
    counts = frame.groupby(["region", "name"]).size()
    for region, names in hints["name"]["names"].items():
        assert names and all(counts[(region, n)] >= 2 for n in names)
    about = hint_context(hints, {"region": "south", "name": None}, random.Random(0))
    (shown,) = about.values()
    assert len(shown) == SHOWN and all(n.split()[0] in {"Cedar", "Maple"} for n in shown)
    assert hint_context(hints, {"region": "east"}, random.Random(0)) == {}


def test_names_that_do_not_follow_a_category_get_no_hints() -> None:
    assert find_hints(table(follow=False), ["name"], ["region"]) == {}


def test_a_name_from_another_categorys_line_is_a_disagreement() -> None:
    from synth_gradio.learn.hints import disagreement, owners

    hints = find_hints(table(follow=True), ["name"], ["region"])
    words = owners(hints)
    assert words["name"]["cedar"] == "south" and words["name"]["north"] == "north"
    assert disagreement(hints, words, {"region": "north", "name": "Cedar 12"}).startswith("agreement: name")
    assert disagreement(hints, words, {"region": "north", "name": "Alder 99"}) is None
    assert disagreement(hints, words, {"region": "north", "name": "Wholly new"}) is None
