"""Columns a date implies (its year, quarter, a weekday's name, a weekend flag, an hour) agree with
the date in every drawn row, and the columns drawn after them know them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.learn import LearnedModel, fit_table

sm_datasets = pytest.importorskip("statsmodels.datasets")


def dated_macrodata() -> pd.DataFrame:
    """statsmodels' quarterly US macro series with the quarter's first day as a date column."""
    frame = sm_datasets.macrodata.load_pandas().data
    start = pd.PeriodIndex.from_fields(year=frame["year"].astype(int), quarter=frame["quarter"].astype(int), freq="Q")
    frame.insert(0, "date", start.to_timestamp().strftime("%Y-%m-%d"))
    return frame


HOLIDAYS = ["01-01", "05-01", "07-04", "12-25", "12-26"]


def rides(rows: int = 4000, seed: int = 0) -> pd.DataFrame:
    """Hourly rental counts of our own: a timestamp, its weekday by name, a weekend flag, its hour
    and month name, whether the day is a holiday (a few dates), and counts that follow the hour and
    the weekend; `promo` is only more common in December (a trend, not a part of the date)."""
    rng = np.random.default_rng(seed)
    stamps = pd.Timestamp("2023-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 730 * 24, rows)), unit="h")
    weekend = stamps.dayofweek >= 5
    peak = np.where(weekend, 14, np.where(stamps.hour < 12, 8, 17))
    mean = 20 + 80 * np.exp(-((stamps.hour - peak) ** 2) / 8) * np.where(weekend, 0.6, 1.0)
    return pd.DataFrame(
        {
            "stamp": stamps.strftime("%Y-%m-%d %H:%M"),
            "day_name": stamps.day_name(),
            "weekend": weekend,
            "hour": stamps.hour,
            "month": stamps.strftime("%b"),
            "promo": rng.random(rows) < np.where(stamps.month == 12, 0.6, 0.2),
            "holiday": stamps.strftime("%m-%d").isin(HOLIDAYS),
            "rides": rng.poisson(mean),
        }
    )


def agreement(rows: pd.DataFrame, checks: dict[str, tuple[str, object]]) -> dict[str, float]:
    return {name: round(float((rows[name] == expected).mean()), 3) for name, (_, expected) in checks.items()}


@pytest.mark.parametrize("method", ["sequential", "copula"])
def test_year_and_quarter_agree_with_the_date_they_come_from(method: str) -> None:
    """Without the stored parts (a model stored before them) a drawn year or quarter often names
    another date's; with them every row agrees."""
    real = dated_macrodata()
    stored = fit_table(real, seed=0, method=method).to_dict()
    laws = stored["parts"][0]["laws"]["calendar"]
    assert {(real.columns[law["column"]], law["part"]) for law in laws} == {("year", "year"), ("quarter", "quarter")}

    def measured(data: dict) -> dict[str, float]:
        rows = pd.DataFrame(LearnedModel.from_dict(data).sample(2000, 0))
        date = pd.to_datetime(rows["date"])
        return {"year": float((rows["year"] == date.dt.year).mean()), "quarter": float((rows["quarter"] == date.dt.quarter).mean())}  # fmt: skip

    assert measured(stored) == {"year": 1.0, "quarter": 1.0}
    stored["parts"] = [{**part, "laws": {**part["laws"], "calendar": []}} for part in stored["parts"]]
    assert min(measured(stored).values()) < 0.9


def test_names_flags_and_hours_follow_a_timestamp_and_later_columns_know_them() -> None:
    real = rides()
    model = fit_table(real, seed=0, method="sequential")
    laws = {real.columns[law["column"]]: law["part"] for law in model.to_dict()["parts"][0]["laws"]["calendar"]}
    assert laws == {"day_name": "weekday", "weekend": "weekday", "hour": "hour", "month": "month", "holiday": "date"}
    assert any("day_name" in note and "stamp" in note for note in model.summary()["notes"])
    rows = pd.DataFrame(model.sample(3000, 1))
    stamps = pd.to_datetime(rows["stamp"], format="%Y-%m-%d %H:%M")
    assert (rows["day_name"] == stamps.dt.day_name()).all()
    assert (rows["weekend"] == (stamps.dt.dayofweek >= 5)).all() and rows["weekend"].map(type).eq(bool).all()
    assert (rows["hour"] == stamps.dt.hour).all() and (rows["month"] == stamps.dt.strftime("%b")).all()
    holiday = stamps.dt.strftime("%m-%d").isin(HOLIDAYS)  # a holiday the training rows never saw is not known
    assert (rows["holiday"] == holiday).mean() > 0.995 and rows.loc[holiday, "holiday"].mean() > 0.8

    def morning_peak(frame: pd.DataFrame) -> float:  # weekday 8 o'clock rides over weekend ones
        at_eight = frame[frame["hour"] == 8]
        return at_eight.loc[~at_eight["weekend"], "rides"].mean() / at_eight.loc[at_eight["weekend"], "rides"].mean()

    assert morning_peak(real) > 2.5 and morning_peak(rows) > 2.0, (morning_peak(real), morning_peak(rows))


def test_dates_of_a_quarterly_series_stay_quarter_starts() -> None:
    """Drawn dates fell on any day between the real ones (a 19 May in a table of quarter starts)."""
    real = dated_macrodata()
    stored = fit_table(real, seed=0, method="sequential").to_dict()
    assert stored["parts"][0]["columns"][0]["date_grid"] == {"step": 3, "at": 0, "day": "start"}
    dates = pd.to_datetime(pd.DataFrame(LearnedModel.from_dict(stored).sample(2000, 0))["date"])
    assert (dates.dt.day == 1).all() and dates.dt.month.isin([1, 4, 7, 10]).all()
    assert dates.min() >= pd.Timestamp(real["date"].min()) and dates.max() <= pd.Timestamp(real["date"].max())
    assert dates.nunique() > 100  # the grid's days, not a few of them
    for part in stored["parts"]:
        part["columns"][0].pop("date_grid")
    before = pd.to_datetime(pd.DataFrame(LearnedModel.from_dict(stored).sample(2000, 0))["date"])
    assert (before.dt.day != 1).mean() > 0.5


@pytest.mark.parametrize(
    ("dates", "grid"),
    [
        (pd.date_range("2001-01-31", periods=30, freq="ME"), {"step": 1, "at": 0, "day": "end"}),
        (pd.date_range("1990-06-30", periods=25, freq="12ME"), {"step": 12, "at": 5, "day": "end"}),
        (pd.DatetimeIndex([f"{y}-03-15" for y in range(1990, 2020)]), {"step": 12, "at": 2, "day": 15}),
        (pd.date_range("2020-01-06", periods=40, freq="W-MON"), {"weekday": 0}),
        (pd.date_range("2020-01-06", periods=40, freq="D"), None),
    ],
)
def test_a_date_grid_is_found_and_kept(dates: pd.DatetimeIndex, grid: dict | None) -> None:
    from synth_gradio.learn.dategrid import find_grid, snap

    seconds = dates.to_numpy(dtype="datetime64[s]").astype("int64").astype(float)
    assert find_grid(seconds, 86400.0) == grid
    if grid is None:
        return
    drawn = np.random.default_rng(0).uniform(seconds.min(), seconds.max(), 500)
    snapped = snap(drawn, grid, seconds.min(), seconds.max())
    assert set(snapped) <= set(seconds)  # the grid's days within the range are exactly the real ones here
    gaps = np.diff(np.sort(seconds))
    assert np.all(np.abs(snapped - drawn) <= gaps.max() / 2 + 1)  # the nearest grid day


def monthly_balances(accounts: int = 300, seed: int = 0) -> pd.DataFrame:
    """A panel of our own: accounts with a balance on the first day of each month, its month's name
    and quarter beside it."""
    rng = np.random.default_rng(seed)
    rows = []
    for account in range(accounts):
        start = pd.Timestamp("2020-01-01") + pd.DateOffset(months=int(rng.integers(0, 12)))
        balance = rng.lognormal(7, 1)
        for m in range(int(rng.integers(6, 24))):
            day = start + pd.DateOffset(months=m)
            balance *= rng.lognormal(0.01, 0.1)
            rows.append({"account": account, "month": day.strftime("%Y-%m-%d"), "mon": day.strftime("%b"),
                         "quarter": day.quarter, "balance": round(balance, 2)})  # fmt: skip
    return pd.DataFrame(rows)


def test_a_monthly_panel_keeps_month_starts_and_what_its_dates_imply() -> None:
    """A sequence's dates are written from drawn gaps (30.4 days on average): without the grid they
    wandered off the first of the month, and the month's name was drawn as any category."""
    from synth_gradio.learn.related import fit_related
    from synth_gradio.learn.relations import Relations, Steps
    from synth_gradio.learn.relmodel import RelatedModel

    model = fit_related({"balances": monthly_balances()}, Relations(steps=[Steps("balances", "account", "month")]))
    stored = model.to_dict()
    assert any("mon (its month), quarter (its quarter) follow month" in note for note in model.notes)

    def measured(data: dict) -> dict[str, float]:
        rows = pd.DataFrame(RelatedModel.from_dict(data).sample(300, 1)["balances"])
        day = pd.to_datetime(rows["month"])
        gaps = rows.assign(day=day).groupby("account")["day"].diff().dt.days.dropna()
        return {
            "first_day": float((day.dt.day == 1).mean()),
            "name": float((rows["mon"] == day.dt.strftime("%b")).mean()),
            "quarter": float((rows["quarter"] == day.dt.quarter).mean()),
            "month_gaps": float(gaps.between(28, 31).mean()),
        }

    assert measured(stored) == {"first_day": 1.0, "name": 1.0, "quarter": 1.0, "month_gaps": 1.0}

    for table in stored["tables"]:
        table.pop("calendar", None)
        table["order_format"].pop("date_grid", None)
    before = measured(stored)  # a model stored before grids and calendar laws still draws; its first
    assert before["month_gaps"] == 1.0, before  # date is a date column now, drawn among real month starts


def orders(rows: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Orders of our own: a ship date that is the order date plus a delay, its weekday, and a signup
    year (the order's) before a first purchase year."""
    rng = np.random.default_rng(seed)
    ordered = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, rows), unit="D")
    delay = rng.integers(1, 9, rows)
    shipped = ordered + pd.to_timedelta(delay, unit="D")
    return pd.DataFrame(
        {
            "order_date": ordered.strftime("%Y-%m-%d"),
            "ship_days": delay,
            "ship_date": shipped.strftime("%Y-%m-%d"),
            "ship_weekday": shipped.day_name(),
            "signup_year": ordered.year,
            "first_purchase_year": ordered.year + rng.integers(0, 4, rows),
        }
    )


@pytest.mark.parametrize("method", ["sequential", "copula"])
def test_a_date_a_law_computes_still_fixes_its_parts(method: str) -> None:
    """The parts were written before the laws: a ship date computed from the order date and the delay
    then had a weekday drawn for the date before (18% of rows agreed, chance)."""
    rows = pd.DataFrame(fit_table(orders(), seed=0, method=method).sample(3000, 0))
    shipped, ordered = pd.to_datetime(rows["ship_date"]), pd.to_datetime(rows["order_date"])
    assert (rows["ship_weekday"] == shipped.dt.day_name()).all()
    assert ((shipped - ordered).dt.days == rows["ship_days"]).all()
    assert (rows["signup_year"] == ordered.dt.year).all()
    assert (rows["signup_year"] <= rows["first_purchase_year"]).mean() > 0.995


def test_a_day_never_seen_keeps_a_drawn_value_unless_one_value_holds_most_days() -> None:
    """Weather per match day (100 days of 3 years, 6 rows each): unseen days all got 'sunny' (85%
    against the real 44%); a holiday flag, where one value holds most rows, still gets it."""
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2021-01-01") + pd.to_timedelta(np.sort(rng.choice(1095, 100, replace=False)), unit="D")
    weather = rng.choice(["sunny", "rain", "snow"], 100, p=[0.44, 0.28, 0.28])
    real = pd.DataFrame({"day": np.repeat(days.strftime("%Y-%m-%d"), 6), "weather": np.repeat(weather, 6),
                         "score": rng.poisson(2, 600)})  # fmt: skip
    model = fit_table(real, seed=0, method="sequential")
    assert [law["part"] for law in model.to_dict()["parts"][0]["laws"]["calendar"]] == ["date"]
    drawn = pd.DataFrame(model.sample(3000, 1))
    assert abs((drawn["weather"] == "sunny").mean() - (real["weather"] == "sunny").mean()) < 0.1
