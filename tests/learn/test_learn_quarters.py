"""Quarters written as labels (1959Q1, Q1 1959) are dates: read, ordered and written back in their form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.learn import fit_table
from synth_gradio.learn.detect import detect
from synth_gradio.learn.keys import detect as detect_relations
from synth_gradio.learn.quarters import FORMATS, quarter_format, quarter_seconds, write_quarters
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relations import SERIES, Steps


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_label_form_reads_and_writes_back_the_same_quarter(fmt) -> None:
    periods = pd.period_range("1899Q1", "2101Q4", freq="Q")
    labels = pd.Series([fmt.replace("%Y", str(p.year)).replace("%q", str(p.quarter)) for p in periods])
    assert quarter_format(labels) == fmt
    seconds = quarter_seconds(labels, fmt)
    starts = periods.to_timestamp().to_numpy().astype("datetime64[s]").astype("int64")
    assert np.array_equal(seconds, starts.astype(float))
    assert write_quarters(seconds + 80 * 86_400, fmt) == labels.tolist()  # any day of a quarter is its label


def test_a_label_keeps_its_case_and_a_time_that_is_no_number_writes_none() -> None:
    labels = pd.Series(["2021q1", "2021q2", None])
    assert quarter_format(labels) == "%Yq%q"
    assert write_quarters(quarter_seconds(labels, "%Yq%q"), "%Yq%q") == ["2021q1", "2021q2", None]
    assert quarter_format(pd.Series([" 2021Q1", "2021Q2"])) is None  # padded: not one form


def test_text_that_only_looks_like_quarters_is_no_date() -> None:
    assert quarter_format(pd.Series(["1959Q1", "1959Q5"])) is None
    assert quarter_format(pd.Series(["1959Q1", "Q2 1959"])) is None  # two forms: not one column of dates
    assert detect("code", pd.Series(["A1959Q1", "B1960Q2"] * 20)).kind != "datetime"


def _quarterly() -> pd.DataFrame:
    from statsmodels.datasets import macrodata

    frame = macrodata.load_pandas().data
    labels = [f"{int(y)}Q{int(q)}" for y, q in zip(frame["year"], frame["quarter"], strict=True)]
    return frame.drop(columns=["year", "quarter"]).assign(period=labels)[["period", "realgdp", "unemp", "infl"]]


def test_a_real_quarterly_series_labelled_1959Q1_is_one_series_written_in_its_labels() -> None:
    real = _quarterly()
    assert detect("period", real["period"]).kind == "datetime"
    relations = detect_relations({"macro": real})
    assert relations.steps == [Steps("macro", SERIES, "period")]
    made = pd.DataFrame(fit_related({"macro": real}, relations, seed=0).sample(40, 1)["macro"])
    assert made["period"].tolist() == real["period"].tolist()[:40]


def test_quarters_of_a_flat_table_are_drawn_as_dates_and_written_as_labels() -> None:
    rng = np.random.default_rng(0)
    quarters = [f"{y}Q{q}" for y in range(2015, 2024) for q in range(1, 5)]
    real = pd.DataFrame(
        {
            "quarter": rng.choice(quarters, 600),
            "region": rng.choice(["north", "south"], 600),
            "sales": rng.gamma(3, 40, 600),
        }
    )
    made = pd.DataFrame(fit_table(real, seed=0).sample(400, 1))
    assert made["quarter"].isin(quarters).all()  # a label of the real range, in the real form
    assert made["quarter"].nunique() >= 30


@pytest.mark.parametrize("method", ["copula", "sequential"])
def test_a_date_column_of_few_frequent_dates_keeps_exactly_them(method) -> None:
    rng = np.random.default_rng(0)
    months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in (1, 2, 4)]  # no March: a report's months
    quarters = [f"{y}Q{q}" for y in (2021, 2022, 2023) for q in (1, 2, 4)]
    real = pd.DataFrame(
        {"month": rng.choice(months, 600), "q": rng.choice(quarters, 600), "sales": rng.gamma(3, 40, 600)}
    )
    made = pd.DataFrame(fit_table(real, seed=0, method=method).sample(2000, 1))
    assert made["month"].isin(months).all() and made["q"].isin(quarters).all()  # drawn between: 2% were unseen
    shares = made["month"].value_counts(normalize=True) - real["month"].value_counts(normalize=True)
    assert shares.abs().max() < 0.03
