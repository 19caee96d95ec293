"""A single series' slow course, learned apart from its moves from step to step.

Why: a table that is one series (a station's weekly CO2, a country's quarterly accounts) is learned
as steps, each drawn given the step before. Drawn as values, each step's small error adds to the
last and the path wanders: weekly CO2 learned from 1958 to 2001 stood at 341 ppm in 1958 (real
316) and flattened at 369 from 1986. Each number is learned instead as its distance from a smooth
trend of the real series (a local line over a window of steps, several seasons wide), and the drawn
distance is added back to the trend at the drawn step's time: the course over the years is the
real one, and what is drawn is how values move around it (seasons, cycles, noise) from step to step.
The trend is an average over many steps, so it singles out no row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.calendar import order_parts
from synth_gradio.learn.detect import detect as detect_column
from synth_gradio.learn.marginals import find_atom, number_out, stepped
from synth_gradio.learn.offsets import POSITION
from synth_gradio.learn.privacy import CopyGuard
from synth_gradio.learn.relcheck import order_numbers

MIN_VALUES = 10  # distinct values before a number has a course (fewer: a count or a code, drawn as it is)
KNOTS = 256  # points a trend keeps (written back by straight lines between them)
SHARE = 12  # a window spans at least this share of the series (1/12 of it) ...
SEASONS = 2  # ... and two seasons, so a season is left to the steps
PERSIST = 0.8  # a narrower window is tried while the distances keep this lag-1 correlation (too few swings)
NARROWER = 0.7  # each narrower window's share of the last
RESTS = 0.5  # a number that stays the same from one step to the next this often is a level that rests
EXPLAINS = 0.9  # a number is left as it is where its distances keep this share of its variance
NUDGES = 3  # tries to move a drawn step off a real row it repeats
DAY = 86_400.0
PERIODS = ((1.5 * DAY, 7), (10 * DAY, 52), (45 * DAY, 12), (120 * DAY, 4))  # a usual gap -> steps per season


def _season(gap: float, how: dict[str, Any]) -> int:
    """Steps in a season for a dated series: a day of hours or minutes, a week of days, a year of
    weeks, months or quarters."""
    if how["kind"] != "datetime" or gap <= 0:
        return 1
    if gap < 0.75 * DAY:
        return max(1, round(DAY / gap))
    return next((steps for longest, steps in PERIODS if gap <= longest), 1)


def local_line(values: np.ndarray, half: int) -> np.ndarray:
    """Each value's fitted level on a straight line through the values within `half` steps of it
    (fewer at the ends, where the line still follows the slope): running sums make it O(n)."""
    n = len(values)
    x = np.arange(n, dtype=float)
    low = np.clip(np.arange(n) - half, 0, n)
    high = np.clip(np.arange(n) + half + 1, 0, n)

    def window(a: np.ndarray) -> np.ndarray:
        total = np.r_[0.0, np.cumsum(a)]
        return total[high] - total[low]

    s0, s1, s2 = window(np.ones(n)), window(x), window(x * x)
    t0, t1 = window(values), window(x * values)
    det = s0 * s2 - s1 * s1
    slope = np.divide(s0 * t1 - s1 * t0, det, out=np.zeros(n), where=det > 0)
    return (t0 - slope * s1) / s0 + slope * x


def _lag1(values: np.ndarray) -> float:
    a, b = values[:-1] - values[:-1].mean(), values[1:] - values[1:].mean()
    scale = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / scale) if scale > 0 else 0.0


def _width(values: np.ndarray, narrowest: int) -> int:
    """Half the widest window (1/12 of the series at most) whose distances from the trend swing
    often enough to be learned from the real steps. Why: with a wide window a slow cycle is left to
    the steps, and a cycle seen a few times is learned from a few swings: quarterly unemployment,
    detrended over four years, drew paths that stayed at the highest distance seen for ten quarters
    (mean 7.3 against a real 5.9). A narrower window leaves faster moves, which the real steps show
    many times."""
    half = max(len(values) // (2 * SHARE), narrowest)
    while half > narrowest and _lag1(values - local_line(values, half)) > PERSIST:
        half = max(int(half * NARROWER), narrowest)
    return half


def _numbers(own: pd.DataFrame, skip: set[str]) -> dict[str, Any]:
    """Columns of many numeric values (not bookkeeping, identifiers, running numbers or flags), with
    what each is found to be."""
    out = {}
    for column in own.columns:
        if column.startswith("#") or column in skip or not pd.api.types.is_numeric_dtype(own[column]):
            continue
        if pd.api.types.is_bool_dtype(own[column]) or own[column].nunique() < MIN_VALUES:
            continue
        found = detect_column(column, own[column].dropna())
        if found.kind in ("number", "discrete"):
            out[column] = found
    return out


def find_trends(
    table: str, frame: pd.DataFrame, own: pd.DataFrame, order: str, skip: set[str]
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """`own` with each number of many values replaced by its distance from the series' trend, and
    each trend (knots of time and level, and how the column is written). Every column takes the
    narrowest window any needs: one window keeps a sum or difference of columns (a real interest
    rate, the bill rate less inflation) a sum of their trends, so it holds for the distances too.
    A number whose course explains little of it (a month number cycling 1 to 12) is left as it is."""
    try:
        numbers, how = order_numbers(table, order, frame[order])
    except InputError:
        return own, []  # the order column's own check (relcheck) says why
    skip = skip | {law["column"] for law in order_parts(frame, order, how, list(own.columns))}  # a date's year
    ranked = np.argsort(numbers, kind="stable")
    gaps = np.diff(numbers[ranked])
    narrowest = max(SEASONS * _season(float(np.median(gaps)) if len(gaps) else 1.0, how) // 2 + 1, 2)
    found = _numbers(own, skip)
    columns = {c: own[c].to_numpy(dtype=float)[ranked] for c in found}
    half = min((_width(v[np.isfinite(v)], narrowest) for v in columns.values()), default=narrowest)
    out, trends = own.copy(), []
    for column, values in columns.items():
        known = np.isfinite(values)
        at = numbers[ranked][known]
        fitted = local_line(values[known], half)
        count = min(len(at), max(KNOTS, int(np.ceil(4 * len(at) / (2 * half + 1)))))  # knots within a window
        keep = np.unique(np.r_[np.linspace(0, len(at) - 1, count).round().astype(int), len(at) - 1])
        level = np.interp(at, at[keep], fitted[keep])  # the level written back is the one learned around
        integer = bool(found[column].integer) or pd.api.types.is_integer_dtype(own[column])
        trend = {
            "column": column,
            "course": _has_course(values[known], level, integer, found[column].decimals),
            "integer": integer,
            "decimals": 0 if integer else found[column].decimals,
            "low": float(np.nanmin(values)),
            "high": float(np.nanmax(values)),
        }
        if trend["course"]:  # else kept only to be written and guarded as the others are
            distance = np.full(len(values), np.nan)
            distance[known] = values[known] - level
            out[column] = pd.Series(distance, index=own.index[ranked]).reindex(own.index).to_numpy()
            trend.update({"at": at[keep].tolist(), "level": fitted[keep].tolist(), "window": 2 * half + 1})
        trends.append(trend)
    return out, trends


def _has_course(values: np.ndarray, level: np.ndarray, integer: bool, decimals: int | None) -> bool:
    """Whether a number is learned around its course: not where the course explains little of it (a
    month number cycling 1 to 12), nor where the table's model keeps what a distance would lose: a
    value apart (dry days' 0 mm of rain: 63% real, 4% drawn around a course), a round step (sales in
    hundreds: 1% drawn so), or a level that rests from step to step (a zone code changing 12 times
    in ten years changed 97 times, into codes never seen)."""
    if np.var(values - level) >= EXPLAINS * np.var(values) or find_atom(values) is not None:
        return False
    if "step" in stepped({"integer": integer, "decimals": decimals}, values):
        return False
    return float(np.mean(np.diff(values) == 0)) < RESTS if len(values) > 1 else False


def courses(trends: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trends that are a course (models stored before this flag held only those)."""
    return [t for t in trends if t.get("course", True)]


def trends_note(table: str, trends: list[dict[str, Any]]) -> list[str]:
    trends = courses(trends)
    if not trends:
        return []
    names, window = ", ".join(t["column"] for t in trends), trends[0]["window"]
    return [
        f"{table}: {names} follow the series' course (a straight line through each {window} steps); steps move "
        "around it as the real ones do, so the values of each time stay near the real ones"
    ]


def within(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values mirrored back into the real range at its ends. Why: a history around the real course
    drew quarterly unemployment of 2.7 where the real low is 3.4 (10% of its quarters), a value the
    period never saw; mirrored, the ends are not piled up as a clip would pile them."""
    values = np.where(values < low, 2 * low - values, values)
    return np.clip(np.where(values > high, 2 * high - values, values), low, high)


def write_trends(rows: pd.DataFrame, trends: list[dict[str, Any]]) -> None:
    """In place: each drawn distance added to its trend at the step's time (POSITION), kept in the
    column's real range and written as the column is (whole numbers, its decimals)."""
    if not trends or POSITION not in rows:
        return
    position = pd.to_numeric(rows[POSITION], errors="coerce").to_numpy(dtype=float)
    for trend in courses(trends):
        column = trend["column"]
        if column not in rows:
            continue
        drawn = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
        value = within(drawn + np.interp(position, trend["at"], trend["level"]), trend["low"], trend["high"])
        rows[column] = pd.Series(_written(value, trend), index=rows.index, dtype=object)


def _written(values: Any, trend: dict[str, Any]) -> list[Any]:
    """Numbers as write_trends writes them (None where there is none), so real and drawn rows compare."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    known = np.isfinite(numbers)
    text = number_out(np.where(known, numbers, 0.0), trend["integer"], trend["decimals"])
    return [t if k else None for t, k in zip(text, known, strict=True)]


def copy_guard(frame: pd.DataFrame, order: str, trends: list[dict[str, Any]]) -> dict[str, Any]:
    """Digests of the real rows' time and numbers that follow a course (what `unrepeat` checks)."""
    if not trends:
        return {}
    columns = [frame[order].tolist(), *(_written(frame[t["column"]], t) for t in trends)]
    return CopyGuard.from_columns(columns).to_dict()


def unrepeat(
    rows: pd.DataFrame, order: str, trends: list[dict[str, Any]], guard: dict[str, Any], rng: np.random.Generator
) -> None:
    """In place: a drawn step that repeats a real row (the same week and the same reading to its last
    decimal, which a series of one number written to one decimal does one week in twenty) has one of
    its numbers of many values moved by one unit of its last decimal, so no real row comes back
    whole. A missing reading in a week whose real reading is missing too takes the course's level."""
    if not guard or not trends or order not in rows or POSITION not in rows:
        return
    position = pd.to_numeric(rows[POSITION], errors="coerce").to_numpy(dtype=float)
    check = CopyGuard.from_dict(guard)
    kept = [t for t in trends if t["column"] in rows]
    names = [t["column"] for t in kept]
    for _ in range(NUDGES):
        seen = np.flatnonzero(check.seen_rows([rows[c].tolist() for c in (order, *names)])) if names else []
        if not len(seen):
            return
        for i in seen:  # one number of the row that can move: one it has, or one with a course to fill it
            movable = [t for t in kept if rows[t["column"]].iat[i] is not None or "at" in t]
            if movable:
                _nudge(rows, int(i), movable[int(rng.integers(len(movable)))], position[i], rng)


def _nudge(rows: pd.DataFrame, i: int, trend: dict[str, Any], position: float, rng: np.random.Generator) -> None:
    """Row i's number in `trend`'s column moved by one unit of its last decimal (a missing one set to
    the course's level there), within the real range."""
    decimals = 0 if trend["integer"] else trend["decimals"]
    unit = 10.0**-decimals if decimals is not None else 1e-6 * (trend["high"] - trend["low"] or 1.0)
    column = rows.columns.get_loc(trend["column"])
    value = pd.to_numeric(pd.Series([rows.iat[i, column]]), errors="coerce").iat[0]
    if not np.isfinite(value):
        value = float(np.interp(position, trend["at"], trend["level"]))
        unit = 0.0
    moved = within(np.array([value + unit * rng.choice([-1.0, 1.0])]), trend["low"], trend["high"])
    rows.iat[i, column] = _written(moved, trend)[0]
