"""Column kinds: nulls that follow other columns, dates in their own format, rare values, integers, text."""

from __future__ import annotations

import json
import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from learn_helpers import as_frame, sklearn_table

from synth_gradio.learn import fit_table


def _mixed(rows: int = 1200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=rows)
    income = np.round(np.exp(10 + 0.5 * x + rng.normal(0, 0.3, rows)), 2)
    bonus = np.where(x > 0.5, np.nan, np.round(x * 100 + 500 + rng.normal(0, 20, rows), 1))  # nulls follow x
    days = (x * 300 + 19000 + rng.normal(0, 30, rows)).astype(int)
    segment = np.where(x > 0.3, "gold", np.where(x > -0.7, "silver", "bronze")).astype(object)
    segment[:3] = "platinum"  # a rare category: 3 rows
    segment[3] = "diamond"  # and a one-row one
    return pd.DataFrame(
        {
            "income": income,
            "bonus": bonus,
            "joined": pd.to_datetime(days, unit="D").strftime("%Y-%m-%d"),
            "seen": (pd.to_datetime(days, unit="D") + pd.to_timedelta(rng.integers(0, 86400, rows), unit="s")).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "stamp": pd.to_datetime(days, unit="D"),
            "segment": segment,
            "kids": np.clip(np.round(rng.exponential(1.0, rows)), 0, 9).astype(int),
            "active": x + rng.normal(0, 1, rows) > 0,
        }
    )


def test_null_pattern_follows_the_column_it_depends_on() -> None:
    real = _mixed()
    synthetic = as_frame(fit_table(real, seed=0).sample(3000, 1), list(real.columns))
    real_share, synthetic_share = real["bonus"].isna().mean(), synthetic["bonus"].isna().mean()
    assert abs(real_share - synthetic_share) < 0.03
    gap = (
        synthetic.loc[synthetic["bonus"].isna(), "income"].median()
        / synthetic.loc[synthetic["bonus"].notna(), "income"].median()
    )
    real_gap = real.loc[real["bonus"].isna(), "income"].median() / real.loc[real["bonus"].notna(), "income"].median()
    assert real_gap > 1.5 and gap > 1.3, (real_gap, gap)
    assert synthetic["bonus"].dropna().between(real["bonus"].min(), real["bonus"].max()).all()


def test_dates_come_back_in_their_own_format_and_range() -> None:
    real = _mixed()
    rows = fit_table(real, seed=0).sample(500, 2)
    formats = {
        "joined": ("%Y-%m-%d", r"\d{4}-\d\d-\d\d$"),
        "seen": ("%Y-%m-%d %H:%M:%S", r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"),
    }
    formats["stamp"] = ("%Y-%m-%d", r"\d{4}-\d\d-\d\d$")  # a pandas datetime column at midnight: ISO dates
    for name, (fmt, pattern) in formats.items():
        values = [row[name] for row in rows]
        assert all(isinstance(v, str) and re.match(pattern, v) for v in values), values[:3]
        parsed = [datetime.strptime(v, fmt) for v in values]
        low, high = pd.to_datetime(real[name]).min(), pd.to_datetime(real[name]).max()
        assert all(low <= p <= high for p in parsed)
        assert len(set(values)) > 100


def test_unpadded_day_dates_stay_unpadded() -> None:
    days = pd.date_range("2003-01-01", periods=300, freq="D")
    real = pd.DataFrame({"Date": [f"{d.day}-{d:%b-%y}" for d in days], "Close": np.linspace(20, 30, 300).round(2)})
    rows = fit_table(real, seed=0).sample(200, 0)
    assert all(re.match(r"[1-9]\d?-[A-Z][a-z]{2}-03$", row["Date"]) for row in rows)


def test_a_category_seen_in_one_row_never_appears_and_is_counted_not_named() -> None:
    real = _mixed()
    model = fit_table(real, seed=0, holdout=0)
    rows = model.sample(5000, 3)
    assert {row["segment"] for row in rows} == {"gold", "silver", "bronze", "platinum"}  # 3 rows share it
    summary = model.summary()
    assert summary["columns"]["segment"]["rare_values"] == 1
    assert summary["columns"]["segment"]["rare_rows"] == 1
    stored = json.dumps(model.to_dict()) + json.dumps(summary)
    assert "diamond" not in stored


def test_how_many_rows_a_category_needs_is_a_parameter() -> None:
    real = _mixed()
    model = fit_table(real, seed=0, holdout=0, rare_categories=5)
    assert {row["segment"] for row in model.sample(5000, 3)} == {"gold", "silver", "bronze"}
    assert "platinum" not in json.dumps(model.to_dict())


def test_rare_small_numbers_merge_into_the_nearest_frequent_value_but_keep_the_range() -> None:
    real = _mixed()
    counts = real["kids"].value_counts()
    frequent = set(counts[counts >= 5].index)
    rows = fit_table(real, seed=0, holdout=0).sample(5000, 4)
    drawn = {row["kids"] for row in rows}
    assert drawn <= frequent | {real["kids"].min(), real["kids"].max()}
    assert min(drawn) == real["kids"].min() and max(drawn) == real["kids"].max()  # the observed range
    inner = set(real["kids"]) - frequent - {real["kids"].min(), real["kids"].max()}
    assert inner and not drawn & inner  # rare values inside the range are merged away (6, one row)


def test_integers_stay_integers_within_range_and_numbers_keep_decimals() -> None:
    real = sklearn_table("diabetes")  # age, sex, bp... are whole numbers stored as floats
    rows = fit_table(real, seed=0).sample(1000, 5)
    for name in ("age", "sex", "target"):
        values = [row[name] for row in rows]
        assert all(type(v) is int for v in values), name
        assert real[name].min() <= min(values) and max(values) <= real[name].max()
    bmi = [row["bmi"] for row in rows]
    assert all(round(v, 1) == v for v in bmi) and any(v != int(v) for v in bmi)
    assert all(type(row["active"]) is bool for row in fit_table(_mixed(), seed=0).sample(50, 0))


def test_free_text_and_identifiers_are_reported_not_modelled() -> None:
    rng = np.random.default_rng(0)
    words = ["late", "parcel", "friendly", "refund", "broken", "quick", "again", "never", "great", "box"]
    real = pd.DataFrame(
        {
            "order_id": np.arange(1000, 1400),
            "sku": [f"SKU-{i:05d}" for i in rng.permutation(400)],
            "email": [f"user{i % 300}@example.com" for i in range(400)],
            "review": [" ".join(rng.choice(words, 6)) + f" {i}" for i in range(400)],
            "stars": rng.integers(1, 6, 400),
        }
    )
    model = fit_table(real, seed=0)
    assert model.columns == ["stars"]
    assert model.text_columns == ["review"]
    assert set(model.id_columns) == {"order_id", "sku", "email"}
    assert set(model.sample(20, 0)[0]) == {"stars"}
    summary = model.summary()  # five star values: every draw repeats some review's stars, the text makes rows new
    assert summary["shared_rows"] == 5 and summary["copy_share"] == 0.0
    assert any("review" in note for note in summary["notes"])


def test_constant_and_empty_columns() -> None:
    real = pd.DataFrame({"x": np.linspace(0, 1, 100) ** 2, "unit": "kg", "blank": [None] * 100})
    model = fit_table(real, seed=0)
    assert model.columns == ["x", "unit"]
    assert {row["unit"] for row in model.sample(100, 0)} == {"kg"}
    summary = model.summary()
    assert summary["skipped"] == {"blank": "empty"}
    assert any("'blank'" in note for note in summary["notes"])


def test_links_between_categories_alone_are_kept() -> None:
    """With no numbers to order them by, categories are ordered against each other (as in MCA)."""
    rng = np.random.default_rng(0)
    z = rng.normal(size=2000)
    levels = np.array(["north", "east", "south", "west", "up", "down"], dtype=object)  # names in no useful order

    def banded(noise: float) -> np.ndarray:
        w = z + rng.normal(0, noise, len(z))
        return levels[np.searchsorted(np.quantile(w, [1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6]), w)]

    real = pd.DataFrame({"a": banded(0.5), "b": banded(0.5), "c": rng.choice(levels[:3], len(z))})
    # 108 combinations, all in the table, where nearly every row has twins: a combination that at least 5
    # real rows share is drawn (no one's record), with a note; refused, the table could not be learned.
    model = fit_table(real, seed=0)
    assert model.summary()["shared_rows"] == 5 and any("no one's" in n for n in model.summary()["notes"])
    assert fit_table(real, seed=0, rare_threshold=1).summary()["shared_rows"] == 5  # never below 5 twins
    synthetic = pd.DataFrame(model.sample(4000, 1))
    rank = {v: i for i, v in enumerate(levels)}
    real_rho = real["a"].map(rank).corr(real["b"].map(rank), method="spearman")
    synthetic_rho = synthetic["a"].map(rank).corr(synthetic["b"].map(rank), method="spearman")
    assert real_rho > 0.6 and abs(real_rho - synthetic_rho) < 0.08, (real_rho, synthetic_rho)
    assert abs(synthetic["a"].map(rank).corr(synthetic["c"].map(rank), method="spearman")) < 0.08


def test_list_columns_are_skipped_with_a_note() -> None:
    real = pd.DataFrame({"tags": [["a", "b"]] * 60, "x": np.linspace(0, 1, 60) ** 2})
    model = fit_table(real, seed=0)
    assert model.columns == ["x"] and model.summary()["skipped"] == {"tags": "nested"}


def test_names_of_five_words_each_repeated_are_a_category_and_keep_their_shares() -> None:
    """A processor column ("Intel Core i5 7200U 2.5GHz": five words, 120 names each seen 5-40 times)
    is a category, not prose for the language model. Past 64 names a leaf keeps shares of the 63
    commonest and of the rest together: no name is drawn far more often than it occurs (drawn by
    rank, the last name kept took the overflow, 5.5% of rows for one seen in 0.4%)."""
    rng = np.random.default_rng(0)
    names = [f"Intel Core i{3 + 2 * (i % 3)} {7000 + 10 * i}U {1.5 + (i % 9) / 10:.1f}GHz" for i in range(120)]
    counts = np.maximum(5, (40 / (1 + np.arange(120)) ** 0.6).astype(int))
    cpu = np.repeat(names, counts)
    kind = np.where(np.char.find(cpu.astype(str), "i7") >= 0, "gaming", "notebook")
    real = pd.DataFrame({"Cpu": cpu, "TypeName": kind, "price": np.round(rng.lognormal(6.5, 0.3, len(cpu)), 2)})
    model = fit_table(real, seed=0, method="sequential", holdout=0)  # shares as the whole table has them
    assert "Cpu" in model.columns and model.text_columns == []
    drawn = pd.DataFrame(model.sample(6000, 1))
    real_share, drawn_share = real["Cpu"].value_counts(normalize=True), drawn["Cpu"].value_counts(normalize=True)
    assert (drawn_share / real_share.reindex(drawn_share.index)).max() < 2.5
    assert drawn_share.reindex(real_share.index).fillna(0).sub(real_share).abs().sum() / 2 < 0.1
    agree = (drawn["Cpu"].str.contains("i7") == (drawn["TypeName"] == "gaming")).mean()
    assert agree > 0.95, agree


def test_the_nearest_kept_number_is_found_by_bisection_as_by_all_distances() -> None:
    from synth_gradio.learn.marginals import nearest_index

    rng = np.random.default_rng(0)
    for _ in range(50):
        keep = np.unique(rng.integers(-50, 50, rng.integers(1, 30)).astype(float))
        x = np.r_[rng.uniform(-70, 70, 300), keep, (keep[:-1] + keep[1:]) / 2]  # ties go to the lower value
        assert (nearest_index(keep, x) == np.abs(x[:, None] - keep[None, :]).argmin(axis=1)).all()


@pytest.mark.parametrize("method", ["copula", "sequential"])
def test_a_capped_column_keeps_its_cap_where_an_order_ties_it(method: str) -> None:
    """Values in hundreds capped at 500,001 (a census value's top code), and a count that never
    exceeds them: rows rewritten to keep the order were rounded to hundreds, cap included, so
    the 7% at the cap came out as 500,000 and none at 500,001."""
    rng = np.random.default_rng(0)
    value = np.minimum(np.round(np.exp(rng.normal(12.4, 0.5, 3000)), -2), 500_001).astype(int)
    rooms = np.round(value * rng.uniform(0.05, 0.9, 3000)).astype(int)
    frame = pd.DataFrame({"rooms": rooms, "value": value, "age": rng.integers(1, 53, 3000)})
    assert (frame["rooms"] <= frame["value"]).all() and 0.05 < (frame["value"] == 500_001).mean() < 0.12
    drawn = pd.DataFrame(fit_table(frame, method=method, seed=0).sample(4000, 1))
    assert (drawn["value"] == 500_001).mean() == pytest.approx((frame["value"] == 500_001).mean(), abs=0.025)
    assert not (drawn["value"] == 500_000).any() and (drawn["rooms"] <= drawn["value"]).all()
