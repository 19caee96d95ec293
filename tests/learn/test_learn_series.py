"""A table that is one series (learn/series.py, learn/trends.py), on real series from statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from related_data import co2, macro_quarters, sunspots

from synth_gradio.errors import InputError
from synth_gradio.learn.keys import detect, find_series, parse_steps
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relations import SERIES, Relations, Steps
from synth_gradio.learn.trends import local_line, within
from synth_gradio.quality.families import family_report


@pytest.fixture(scope="module")
def weekly() -> tuple[pd.DataFrame, object]:
    real = co2()
    return real, fit_related({"co2": real}, detect({"co2": real}), seed=0)


def test_a_table_alone_in_calendar_order_is_one_series() -> None:
    relations = detect({"co2": co2()})
    assert relations.steps == [Steps("co2", SERIES, "week")]
    assert relations.describe() == ["co2: one series, in order of week"]
    assert detect({"sunspots": sunspots()}).steps == [Steps("sunspots", SERIES, "YEAR")]


def test_rows_out_of_order_or_at_irregular_times_are_no_series() -> None:
    rng = np.random.default_rng(0)
    seconds = np.sort(rng.uniform(1.6e9, 1.7e9, 300))  # customers signing up at their own times
    customers = pd.DataFrame(
        {
            "signup_date": pd.to_datetime(seconds, unit="s").strftime("%Y-%m-%d %H:%M:%S"),
            "spend": rng.gamma(2.0, 50.0, 300).round(2),
        }
    )
    assert find_series("customers", customers) is None
    assert detect({"customers": customers}).steps == []
    shuffled = co2().sample(frac=1.0, random_state=0)
    assert find_series("co2", shuffled) is None


@pytest.mark.parametrize("text", ["readings:week", ":week", "readings.:week"])
def test_a_series_is_named_by_its_table_and_order(text: str) -> None:
    assert parse_steps(text, {"readings": co2()}) == Steps("readings", SERIES, "week")
    assert parse_steps("co2:week", {"co2": co2()}).entity == "co2"  # a column of that name is an entity


def test_a_series_needs_its_table_named_among_several() -> None:
    with pytest.raises(InputError, match="name the table"):
        parse_steps(":week", {"co2": co2(), "other": co2()})


def test_a_series_keeps_its_course_seasons_and_moves(weekly) -> None:
    real, model = weekly
    made = pd.DataFrame(model.sample(len(real), 1)["co2"])
    assert list(made.columns) == ["week", "co2"]
    assert made["week"].tolist() == real["week"].tolist()  # every week once, in order
    years = [frame.assign(year=frame["week"].str[:4]).groupby("year")["co2"].mean() for frame in (real, made)]
    assert float((years[0] - years[1]).abs().max()) < 1.5  # drawn as values, 1958 stood at 341 (real 315)
    months = [frame.assign(m=frame["week"].str[5:7]).groupby("m")["co2"].mean() for frame in (real, made)]
    assert np.corrcoef(months[0] - months[0].mean(), months[1] - months[1].mean())[0, 1] > 0.9
    steps = [pd.to_numeric(frame["co2"]).diff().std() for frame in (real, made)]
    assert 0.7 < steps[1] / steps[0] < 1.4  # moves from week to week as wide as the real ones
    both = made.merge(real, on=["week", "co2"])
    assert both.empty  # no real reading comes back whole
    assert made["co2"].dropna().between(real["co2"].min(), real["co2"].max()).all()


def test_n_counts_steps_and_more_makes_histories_of_the_same_calendar(weekly) -> None:
    real, model = weekly
    short = pd.DataFrame(model.sample(100, 2)["co2"])
    assert short["week"].tolist() == real["week"].tolist()[:100]
    long = pd.DataFrame(model.sample(len(real) + 50, 3)["co2"])
    assert len(long) == len(real) + 50
    assert long["week"].tolist() == real["week"].tolist() + real["week"].tolist()[:50]


def test_a_series_of_many_columns_keeps_its_calendar_and_ranges() -> None:
    real = macro_quarters()
    model = fit_related({"macro": real}, detect({"macro": real}), seed=0)
    made = pd.DataFrame(model.sample(len(real), 4)["macro"])
    assert made["date"].tolist() == real["date"].tolist()
    assert made["year"].tolist() == real["year"].tolist()  # written from the date, not drawn
    assert made["quarter"].tolist() == real["quarter"].tolist()
    for column in ("unemp", "realinv", "infl"):
        assert made[column].between(real[column].min(), real[column].max()).all()
    gaps = {c: abs(real[c].autocorr() - pd.to_numeric(made[c]).autocorr()) for c in ("unemp", "tbilrate", "realinv")}
    assert max(gaps.values()) < 0.1, gaps
    report = family_report({"macro": real}, {"macro": made}, [], [("macro", SERIES, "date")], {})
    assert report["sequences"]["macro"]["lag1"]["realgdp"]["gap"] < 0.05


def test_a_trend_is_a_local_line_and_values_are_mirrored_into_range() -> None:
    line = 3.0 + 0.5 * np.arange(40)
    assert np.allclose(local_line(line, 5), line)  # a straight course is its own trend, ends included
    assert within(np.array([-1.0, 5.0, 12.0]), 0.0, 10.0).tolist() == [1.0, 5.0, 8.0]


def _daily(days: int = 200, seed: int = 3) -> pd.DataFrame:
    """Business days of a small shop of our own: a count with gaps in it and a regime that lasts."""
    rng = np.random.default_rng(seed)
    cases = rng.integers(10, 25, days).astype(float)
    cases[rng.choice(days, 8, replace=False)] = np.nan  # a whole-number column read from CSV as floats
    regime = np.repeat(["calm", "busy", "calm", "closing"], days // 4)
    dates = pd.bdate_range("2020-01-01", periods=days).strftime("%Y-%m-%d")
    return pd.DataFrame({"date": dates, "cases": cases, "regime": regime})


def test_a_series_replays_its_calendar_keeps_its_states_and_repeats_no_real_row() -> None:
    real = _daily()
    relations = detect({"shop": real})
    assert relations.steps == [Steps("shop", SERIES, "date")]
    model = fit_related({"shop": real}, relations, seed=0)
    for seed in range(3):
        made = pd.DataFrame(model.sample(len(real), seed)["shop"])
        assert made["date"].tolist() == real["date"].tolist()  # no weekend, the first day the real one
        assert made["regime"].notna().all() and set(made["regime"]) <= set(real["regime"])
        assert made["regime"].ne(made["regime"].shift()).sum() < 20  # a regime lasts, as the real one does
        made["cases"] = pd.to_numeric(made["cases"])
        assert made.merge(real, on=["date", "cases", "regime"]).empty


def test_a_series_is_learned_alone_and_its_found_lines_read_back() -> None:
    from synth_gradio.studio.related import key_lines, relations_for

    frames = {"co2": co2()}
    _, steps = key_lines(detect(frames))
    assert steps == "co2.:week"  # the table is named like its column: `co2:week` would name the column
    assert relations_for(frames, (), [steps]).steps == [Steps("co2", SERIES, "week")]
    with pytest.raises(InputError, match="learned on its own"):
        fit_related({"co2": co2(), "other": _daily()}, detect({"co2": co2()}), seed=0)


def test_tables_of_things_numbered_in_order_are_no_series() -> None:
    rng = np.random.default_rng(0)
    people = pd.DataFrame({"seq": np.arange(1, 201), "age": rng.integers(18, 80, 200)})
    signups = pd.DataFrame(
        {
            "customer_id": np.arange(1, 201),
            "signup_date": pd.date_range("2020-01-01", periods=200).strftime("%Y-%m-%d"),
            "spend": rng.gamma(2.0, 50.0, 200).round(2),
        }
    )
    periods = pd.DataFrame({"period": np.arange(1, 201), "value": rng.normal(10, 1, 200).round(2)})
    for name, frame in (("people", people), ("customers", signups), ("periods", periods)):
        assert find_series(name, frame) is None, name


def test_a_year_and_its_quarter_order_a_series_and_are_written_from_the_date_they_make() -> None:
    real = macro_quarters().drop(columns="date")  # statsmodels' own form: year and quarter as numbers
    relations = detect({"macro": real})
    assert relations.steps == [Steps("macro", SERIES, "year+quarter")]
    assert parse_steps("macro.:year+quarter", {"macro": real}) == relations.steps[0]
    model = fit_related({"macro": real}, relations, seed=0)
    made = pd.DataFrame(model.sample(len(real) + 10, 1)["macro"])
    assert list(made.columns) == list(real.columns)  # the date they make is never written
    first = made.iloc[: len(real)]
    assert first["year"].tolist() == real["year"].tolist() and first["quarter"].tolist() == real["quarter"].tolist()
    assert made["year"].iloc[len(real)] == real["year"].iloc[0]  # a second history starts again
    assert abs(real["unemp"].autocorr() - pd.to_numeric(first["unemp"]).autocorr()) < 0.1
    monthly = pd.DataFrame({"year": np.repeat([2020, 2021], 12), "month": np.tile(np.arange(1, 13), 2)})
    assert find_series("sales", monthly.assign(units=np.arange(24) * 3 + 50)).order == "year+month"


def test_a_series_too_long_to_learn_as_one_is_refused_in_one_sentence() -> None:
    days = pd.DataFrame({"time": pd.date_range("2000-01-01", periods=10_001, freq="h").strftime("%Y-%m-%d %H:%M")})
    days["load"] = np.arange(10_001) % 24
    assert find_series("load", days) is None  # found: learned as rows, not as a series
    with pytest.raises(InputError, match=r"table load is one series of 10,001 steps \(at most 10,000\)"):
        fit_related({"load": days}, Relations(steps=[parse_steps("load.:time", {"load": days})]), seed=0)


def test_rows_that_repeat_in_two_histories_keep_their_places_in_a_run_and_its_resume(weekly) -> None:
    from synth_gradio.learn.relrows import TableRows

    _, model = weekly
    rows = [
        {"week": "1958-03-29", "co2": 316.0},
        {"week": "1958-04-05", "co2": 317.0},
        {"week": "1958-03-29", "co2": 316.0},
    ]
    table = TableRows(model, "co2", 3, 0, rows=[dict(r) for r in rows])
    records = [dict(rows[1]), dict(rows[0]), dict(rows[2])]
    assert table.in_row_order(records) == rows  # each copy in its own history's place
    queue = table.rows_from([dict(rows[0])])  # one of the two alike stored: the other is still to draw
    assert queue.done == {0} and list(queue.fresh) == [1, 2]


def test_a_series_keeps_the_values_apart_and_round_steps_its_table_model_keeps() -> None:
    rng = np.random.default_rng(4)
    days = 400
    rain = np.where(rng.random(days) < 0.6, 0.0, rng.gamma(2.0, 4.0, days).round(1))
    sales = (np.round((2000 + 3 * np.arange(days) + rng.normal(0, 300, days)) / 100) * 100).astype(int)
    real = pd.DataFrame({"day": pd.date_range("2021-01-01", periods=days).strftime("%Y-%m-%d"), "rain_mm": rain})
    real["sales"] = sales
    model = fit_related({"shop": real}, detect({"shop": real}), seed=0)
    made = pd.DataFrame(model.sample(days, 1)["shop"])
    rain_made, sales_made = (pd.to_numeric(made[c]) for c in ("rain_mm", "sales"))
    assert abs(float((rain_made == 0).mean()) - float((real["rain_mm"] == 0).mean())) < 0.1  # was 0.04 drawn
    assert float((sales_made % 100 == 0).mean()) > 0.95  # sales stay in hundreds
