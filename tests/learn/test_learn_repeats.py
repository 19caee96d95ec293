"""A learned table whose real rows repeat one another keeps that rate in a run, no more."""

from __future__ import annotations

import pandas as pd
import pytest
from fakes import FakeBackend

from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.learn.repeats import repeat_curve, repeat_share
from synth_gradio.schema.model import load_schema

sm_datasets = pytest.importorskip("statsmodels.datasets")


def test_the_curve_is_the_expected_share_of_repeats_in_n_draws() -> None:
    two = [["a", "b"] * 50]  # two combinations, equally common: 10 of the rows hold about 2 distinct ones
    assert repeat_share(repeat_curve(two), 10) == pytest.approx(0.8, abs=0.01)
    assert repeat_share(repeat_curve(two), 100) == pytest.approx(0.98, abs=0.001)
    assert repeat_share(repeat_curve(two), 10_000) == pytest.approx(0.98, abs=0.001)  # held beyond the table
    assert repeat_curve([list(range(500)), list(range(500))]) == []  # all rows distinct: nothing stored
    assert repeat_share([], 1000) == 0.0


def test_the_deduplicator_lets_through_repeats_up_to_the_share_and_refuses_the_rest() -> None:
    schema = load_schema({"type": "object", "properties": {"x": {"type": "integer"}}})
    paced = Deduplicator(schema, repeats=0.25)
    paced.add({"x": 0})
    for i in range(1, 40):
        paced.add({"x": 0} if paced.check({"x": 0}) is None else {"x": i})  # a new record after a refused repeat
    assert paced.repeated <= 0.25 * paced.accepted + 1 and paced.repeated >= 0.2 * paced.accepted - 1
    assert Deduplicator(schema).check({"x": 1}) is None
    strict = Deduplicator(schema)
    strict.add({"x": 1})
    assert strict.check({"x": 1}) == "duplicate record"


def test_a_learned_run_repeats_records_as_often_as_real_rows_of_that_many_do(studio, tmp_path) -> None:
    """randhie's person-years repeat one another: 1,000 real rows hold about 14% repeats. Refusing
    each repeat rejected 774 of 1,774 candidates and drew the commonest combinations too rarely."""
    real = sm_datasets.randhie.load_pandas().data
    path = tmp_path / "randhie.csv"
    real.to_csv(path, index=False)
    rows = pd.DataFrame(studio.generate_records(1000, reference=path, seed=0, backend=FakeBackend([])))
    run = studio.history.list_runs()[0]
    drawn_repeats = 1 - len(rows.drop_duplicates()) / len(rows)
    real_repeats = 1 - len(real.sample(1000, random_state=0).drop_duplicates()) / 1000
    assert real_repeats > 0.05 and abs(drawn_repeats - real_repeats) < 0.06, (drawn_repeats, real_repeats)
    assert "duplicate" not in str(run.get("reject_counts") or {}), run.get("reject_counts")
