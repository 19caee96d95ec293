"""Times written with their offset or milliseconds are learned as times and written back alike."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_gradio.learn import fit_table
from synth_gradio.learn.detect import date_format
from synth_gradio.learn.marginals import format_seconds, to_seconds

STAMPS = pd.Timestamp("2024-01-01", tz="Europe/Berlin") + pd.to_timedelta(
    np.random.default_rng(0).integers(0, 300 * 24 * 3600, 300), unit="s"
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ([t.isoformat() for t in STAMPS], "%Y-%m-%dT%H:%M:%S%:z|Europe/Berlin"),  # +01:00 and +02:00
        ([str(t.tz_convert("UTC")) for t in STAMPS], "%Y-%m-%d %H:%M:%S%:z|UTC"),  # pandas' own str()
        (
            [t.tz_convert("America/New_York").strftime("%Y-%m-%dT%H:%M:%S%z") for t in STAMPS],
            "%Y-%m-%dT%H:%M:%S%z|America/New_York",
        ),
        (
            [t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.") + f"{i % 1000:03d}Z" for i, t in enumerate(STAMPS)],
            "%Y-%m-%dT%H:%M:%S.%3fZ",
        ),
        (
            [t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S+05:30") for t in STAMPS],
            "%Y-%m-%dT%H:%M:%S%:z|Asia/Kolkata",
        ),
    ],
)
def test_zoned_times_are_read_and_written_back_exactly(written: list[str], expected: str) -> None:
    values = pd.Series(written)
    fmt = date_format(values)
    assert fmt == expected
    seconds = to_seconds(values, fmt)
    assert not np.isnan(seconds).any()
    if "%3f" not in fmt and "+05:30" not in written[0]:  # milliseconds are not kept; +05:30 is Kolkata's
        assert format_seconds(seconds, fmt) == written


def test_a_zoned_column_is_learned_as_times_in_its_zone() -> None:
    """It was an identifier before, written at random between the first and last time, in UTC."""
    rng = np.random.default_rng(1)
    n = 1500
    at = pd.Timestamp("2024-01-01", tz="Europe/Berlin") + pd.to_timedelta(
        np.sort(rng.integers(0, 300 * 24 * 3600, n)), unit="s"
    )
    real = pd.DataFrame(
        {"created_at": [t.isoformat() for t in at], "amount": (np.arange(n) / 10 + rng.normal(0, 5, n)).round(2)}
    )
    model = fit_table(real, seed=0)
    assert model.summary()["columns"]["created_at"]["kind"] == "datetime"
    rows = pd.DataFrame(model.sample(1000, 2))
    assert rows["created_at"].str.fullmatch(r"2024-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00").all()
    local = pd.to_datetime(rows["created_at"], utc=True).dt.tz_convert("Europe/Berlin")
    assert (local.dt.strftime("%z").str[:3] == rows["created_at"].str[-6:-3]).all()  # DST as Berlin writes it
    assert local.dt.month.corr(rows["amount"]) > 0.8  # the time is learned with the other columns


def test_local_midnights_stay_midnights_and_a_missing_time_stays_missing() -> None:
    """Learned in UTC seconds, Berlin's midnights fell at 22:00 and 23:00: 3.6% of drawn days sat on one."""
    days = pd.date_range("2015-01-01", periods=3000, freq="D")
    rng = np.random.default_rng(0)
    real = pd.DataFrame({"day": [d.tz_localize("Europe/Berlin").isoformat() for d in days], "x": rng.normal(size=3000).round(3)})  # fmt: skip
    rows = pd.DataFrame(fit_table(real, seed=0).sample(500, 1))
    assert rows["day"].str.contains("T00:00:00").all()
    fmt = "%Y-%m-%dT%H:%M:%S%:z|Europe/Berlin"
    assert format_seconds(np.array([np.nan, 0.0]), fmt) == [None, "1970-01-01T00:00:00+01:00"]
