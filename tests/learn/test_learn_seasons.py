"""Series learned with the hour, weekday or month their steps fall on; histories whose times tie."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from synth_gradio.errors import InputError
from synth_gradio.learn import seasons
from synth_gradio.learn.keys import detect
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relations import Relations, Steps


def sensors(count: int = 40, hours: int = 96, seed: int = 1) -> dict[str, pd.DataFrame]:
    """Hourly readings with a daily cycle whose sign follows the sensor's kind (temperature peaks in
    the afternoon, humidity dips then)."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(["temperature", "humidity"], count)
    rows = []
    for i, kind in enumerate(kinds):
        base = {"temperature": 15, "humidity": 60}[kind] + rng.normal(0, 3)
        swing = {"temperature": 6, "humidity": -12}[kind]
        for h in range(hours):
            at = pd.Timestamp("2024-03-01") + pd.Timedelta(hours=h)
            value = base + swing * np.sin(2 * np.pi * (h % 24 - 8) / 24) + rng.normal(0, 0.7)
            rows.append({"sensor_id": i + 1, "at": at.strftime("%Y-%m-%d %H:%M"), "value": round(value, 1)})
    return {"sensors": pd.DataFrame({"sensor_id": range(1, count + 1), "kind": kinds}), "readings": pd.DataFrame(rows)}


def daily_swing(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Per kind, the spread of the hour-of-day means (days after the first)."""
    rows = tables["readings"].merge(tables["sensors"], on="sensor_id")
    rows["when"] = pd.to_datetime(rows["at"])
    rows = rows[rows["when"].dt.day > 1]
    return rows.groupby(["kind", rows["when"].dt.hour])["value"].mean().unstack().std(axis=1)


def sampled(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], Any]:
    model = fit_related(tables, detect(tables), seed=0)
    return {name: pd.DataFrame(rows) for name, rows in model.sample(40, 1).items()}, model


def test_hourly_readings_keep_their_daily_cycle_which_steps_alone_flatten(monkeypatch) -> None:
    real = sensors()
    drawn, model = sampled(real)
    assert model.plans["readings"].seasons == ["hour"]
    kept = daily_swing(drawn) / daily_swing(real)
    monkeypatch.setattr("synth_gradio.learn.related.find_seasons", lambda *a: [])
    flat, _ = sampled(real)
    lost = daily_swing(flat) / daily_swing(real)
    assert (kept > 0.88).all() and (lost < 0.85).all(), (kept.to_dict(), lost.to_dict())


def test_irregular_or_short_steps_get_no_season() -> None:
    rng = np.random.default_rng(0)
    irregular = np.cumsum(rng.exponential(3 * 3600, 200))
    assert seasons.find_seasons(irregular, np.diff(irregular, prepend=np.nan), {"kind": "datetime"}) == []
    hourly = np.arange(200) * 3600.0
    assert seasons.find_seasons(hourly, np.diff(hourly, prepend=np.nan), {"kind": "datetime"}) == ["hour"]
    assert seasons.find_seasons(hourly, np.diff(hourly, prepend=np.nan), {"kind": "number"}) == []
    yearly = np.arange(40) * 365.25 * 86400
    assert seasons.find_seasons(yearly, np.diff(yearly, prepend=np.nan), {"kind": "datetime"}) == []


def test_a_history_ordered_by_a_time_named_like_no_order_with_tied_times_is_learned_in_order() -> None:
    """`ts` is found by its values; two payments in one second are steps in the file's order."""
    rng = np.random.default_rng(3)
    rows = []
    for account in range(60):
        at = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))
        for _ in range(int(rng.integers(3, 12))):
            at += pd.Timedelta(seconds=float(rng.exponential(86400)))
            rows.append(
                {"tx_id": len(rows) + 1, "account_id": f"AC{account:04d}", "ts": at.strftime("%Y-%m-%d %H:%M:%S")}
            )
    tx = pd.DataFrame(rows).assign(amount=rng.lognormal(4, 1, len(rows)).round(2))
    tx.loc[1, "ts"] = tx.loc[0, "ts"]  # a tie within account AC0000
    relations = detect({"transactions": tx})
    assert [(s.entity, s.order) for s in relations.steps] == [("account_id", "ts")]
    model = fit_related({"transactions": tx}, relations, seed=0)
    assert any("share their ts" in note for note in model.notes)
    drawn = pd.DataFrame(model.sample(30, 2)["transactions"])
    ordered = drawn.groupby("account_id")["ts"].apply(lambda s: pd.to_datetime(s).is_monotonic_increasing)
    assert ordered.all() and len(drawn) > 60


def test_a_year_repeated_within_an_entity_or_many_repeated_times_are_refused() -> None:
    twice = pd.DataFrame({"pid": [1, 1, 2, 2] * 10, "year": [2000, 2000, 2000, 2001] * 10, "v": range(40)})
    assert detect({"panel": twice}).steps == []
    days = pd.DataFrame(
        {"pid": [1, 1, 1, 2] * 10, "day": ["2020-01-03", "2020-01-03", "2020-01-04", "2020-01-05"] * 10}
    )
    relations = Relations(steps=[Steps("visits", "pid", "day")])
    with pytest.raises(InputError, match=r"pid 1 has day '2020-01-03' more than once .*at most 5% of rows"):
        fit_related({"visits": days.assign(v=range(40))}, relations)


def _jumps_and_daily_link(tables: dict[str, pd.DataFrame]) -> tuple[float, float]:
    """Share of steps that move by more than 6 units, and the mean within-sensor correlation of a
    reading with the one 24 hours on."""
    rows = tables["readings"].sort_values(["sensor_id", "at"])
    moves = rows.groupby("sensor_id")["value"].diff().abs()
    daily = rows.groupby("sensor_id")["value"].apply(lambda x: x.autocorr(24)).mean()
    return float((moves > 6).mean()), float(daily)


def test_a_long_series_learns_its_first_step_apart_and_its_steps_do_not_jump(monkeypatch) -> None:
    """40 sensors of 96 hourly steps: the later steps' model then has a previous value in every row
    and ties each reading to it in degrees; learned with the first steps, readings jumped."""
    real = sensors(count=40)
    drawn, model = sampled(real)
    assert model.plans["readings"].first_model is not None
    jumps, daily = _jumps_and_daily_link(drawn)
    assert jumps < 0.005 and daily > 0.6, (jumps, daily)
    monkeypatch.setattr("synth_gradio.learn.firsts.LONG", 10**6)
    together, model = sampled(real)
    assert model.plans["readings"].first_model is None
    assert _jumps_and_daily_link(together)[0] > 0.02


def test_times_past_what_pandas_holds_have_no_season_rather_than_an_overflow() -> None:
    parts = seasons.season_columns(np.array([1e20, np.nan, 1.7e9, -np.inf]), ["hour"])
    assert parts["#season:hour"].isna().tolist() == [True, True, False, True]
