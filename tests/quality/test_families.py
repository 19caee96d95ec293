"""Quality across tables and within entities, on real statsmodels tables (grunfeld, modechoice)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from related_data import grunfeld, modechoice

from synth_gradio.quality.families import entity_privacy, family_report, sequence_report

LINK = ("choices", "traveller_id", "travellers", "traveller_id")
KEYS = {"travellers": "traveller_id", "choices": "choice_id"}


def test_real_tables_against_themselves_meet_every_target() -> None:
    tables = modechoice()
    report = family_report(tables, tables, [LINK], [("choices", "traveller_id", None)], KEYS)
    assert report["children_ks"]["choices.traveller_id->travellers.traveller_id"] == 1.0
    assert report["trend_gap"]["choices.traveller_id->travellers.traveller_id"] == 0.0
    assert report["foreign_keys_valid"] and report["primary_keys_unique"]
    panel = grunfeld()
    seq = sequence_report(panel, panel, ("grunfeld", "firm", "year"), set())
    assert all(v["gap"] == 0 for v in seq["lag1"].values()) and seq["lag1"]["invest"]["real"] > 0.9
    assert seq["privacy"]["sequence_copies"] == panel["firm"].nunique()  # itself: every sequence is a copy


def test_broken_structure_fails_the_targets() -> None:
    panel = grunfeld()
    rng = np.random.default_rng(0)
    shuffled = panel.assign(invest=rng.permutation(panel["invest"].to_numpy()))  # years no longer form a history
    seq = sequence_report(panel, shuffled, ("grunfeld", "firm", "year"), set())
    assert seq["lag1"]["invest"]["gap"] > 0.5
    tables = modechoice()
    long = tables["choices"].merge(tables["travellers"], on="traveller_id")
    mixed = long.assign(hinc=rng.permutation(long["hinc"].to_numpy()))  # income changes within a traveller
    report = family_report({"c": long}, {"c": mixed}, [], [("c", "traveller_id", None)], {"c": "choice_id"})
    assert report["sequences"]["c"]["constant_share"]["psize"] == 1.0
    assert report["targets"]["constant_share"]["passes"] is False
    orphaned = dict(tables, choices=tables["choices"].assign(traveller_id=tables["choices"]["traveller_id"] + 500))
    assert not family_report(tables, orphaned, [LINK], [], KEYS)["foreign_keys_valid"]
    twice = dict(tables, travellers=pd.concat([tables["travellers"], tables["travellers"].head(2)]))
    assert not family_report(tables, twice, [LINK], [], KEYS)["primary_keys_unique"]


def test_dates_as_order_and_entities_close_to_real_ones() -> None:
    visits = pd.DataFrame({
        "pid": [1, 1, 1, 2, 2, 3, 3, 4, 4],
        "day": ["2020-01-05", "2020-01-02", "2020-02-01", "2020-01-01", "2020-03-01", "2020-01-01", "2020-01-09",
                "2021-05-01", "2021-06-01"],
        "state": ["a", "b", "b", "a", "a", "b", "a", "a", "b"],
        "x": [1.0, 2.0, 3.0, 1.5, 1.7, 9.0, 8.0, 4.0, 4.5],
    })  # fmt: skip
    seq = sequence_report(visits, visits, ("v", "pid", "day"), set())
    assert seq["transition_gap"]["state"] == 0.0 and seq["steps_ks"] == 1.0
    near = visits.assign(pid=visits["pid"] + 10, x=visits["x"] + 1e-6)
    assert entity_privacy(visits, near, "pid", "day", set())["close_share"] == 1.0


def test_a_lookup_table_kept_whole_is_compared_by_each_parents_share() -> None:
    """Four airlines kept whole beside a tenth of the aircraft: each airline's flights are a tenth of
    the real ones. Compared as counts that scored near 0; by share the same spread scores 1."""
    from synth_gradio.quality.families import children_ks

    share = np.array([0.5, 0.3, 0.15, 0.05])
    real_flights = pd.DataFrame({"carrier": np.repeat(list("ABCD"), (share * 4000).astype(int))})
    made_flights = pd.DataFrame({"carrier": np.repeat(list("ABCD"), (share * 400).astype(int))})
    airlines = pd.DataFrame({"carrier": list("ABCD")})
    link = ("flights", "carrier", "airlines", "carrier")
    real = {"flights": real_flights, "airlines": airlines}
    assert children_ks(real, {"flights": made_flights, "airlines": airlines}, link) == 1.0
    uneven = pd.DataFrame({"carrier": np.repeat(list("ABCD"), [100, 100, 100, 100])})
    assert children_ks(real, {"flights": uneven, "airlines": airlines}, link) <= 0.5


def test_a_parent_column_few_parents_fill_has_no_trend_to_judge() -> None:
    """A column that 5 of 210 travellers fill joins too few rows for a correlation: scrambled, it
    scored a gap as large as a broken trend would; a column all travellers fill still counts."""
    from synth_gradio.quality.families import trend_gap

    tables = modechoice()
    rng = np.random.default_rng(1)
    people = tables["travellers"]
    sparse = people.assign(speed=np.where(np.arange(len(people)) < 5, rng.normal(100, 10, len(people)), np.nan))
    made = dict(tables, travellers=sparse.assign(speed=rng.permutation(sparse["speed"].to_numpy())))
    assert trend_gap(dict(tables, travellers=sparse), made, LINK, set(KEYS.values())) == 0.0
    trip = tables["choices"].groupby("traveller_id")["invt"].mean()  # a column every traveller fills
    dense = sparse.assign(trip=sparse["traveller_id"].map(trip))
    broken = dict(made, travellers=made["travellers"].assign(trip=rng.permutation(dense["trip"].to_numpy())))
    assert trend_gap(dict(tables, travellers=dense), broken, LINK, set(KEYS.values())) > 0.3
    emptied = dict(made, travellers=made["travellers"].assign(trip=np.nan))  # left empty: no trend kept
    assert trend_gap(dict(tables, travellers=dense), emptied, LINK, set(KEYS.values())) > 0.3
