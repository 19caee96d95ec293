"""Numbers written with units or currencies ("25.6 kg/m2", "$151,000") are learned as numbers and
written back the same way; numbers that are all round (thousands) stay round."""

from __future__ import annotations

import numpy as np
import pandas as pd
from learn_helpers import sklearn_table

from synth_gradio.learn import LearnedModel, fit_table
from synth_gradio.learn.unitnum import read, write


def written_diabetes() -> pd.DataFrame:
    """sklearn's diabetes table (unscaled) with three columns written as a report would write them."""
    real = sklearn_table("diabetes").copy()
    real["bmi"] = real["bmi"].map(lambda v: f"{v:.1f} kg/m2")
    real["bp"] = real["bp"].map(lambda v: f"{v:.0f} mmHg")
    real["target"] = real["target"].map(lambda v: f"${v * 1000:,.0f}")
    return real


def test_numbers_with_units_are_learned_as_numbers_and_written_as_the_reference_writes_them() -> None:
    """Before, each was a category: its values drawn as seen, with no link to the other columns
    (bp against target: real correlation .44, drawn -.04)."""
    real = written_diabetes()
    model = LearnedModel.from_dict(fit_table(real, seed=0, method="sequential").to_dict())
    kinds = {name: column["kind"] for name, column in model.summary()["columns"].items()}
    assert {kinds["bmi"], kinds["bp"], kinds["target"]} <= {"number", "discrete"}
    assert any("'target' holds numbers written like '$1,234'" in note for note in model.summary()["notes"])
    rows = pd.DataFrame(model.sample(2000, 0))
    assert rows["bmi"].str.fullmatch(r"\d{2}\.\d kg/m2").all()
    assert rows["bp"].str.fullmatch(r"\d{2,3} mmHg").all()
    assert rows["target"].str.fullmatch(r"\$\d{1,3}(,\d{3})*").all()
    assert (read(rows["target"]) % 1000 == 0).all()  # real targets are whole thousands
    for a, b in (("bp", "target"), ("bmi", "target")):
        real_rho, drawn_rho = read(real[a]).corr(read(real[b])), read(rows[a]).corr(read(rows[b]))
        assert abs(real_rho - drawn_rho) < 0.1, (a, b, real_rho, drawn_rho)


def test_round_numbers_stay_round() -> None:
    real = sklearn_table("diabetes").assign(target=lambda f: f["target"] * 1000)
    model = fit_table(real, seed=0)
    assert model.to_dict()["parts"][0]["columns"][-1]["step"] == 1000
    drawn = pd.DataFrame(model.sample(2000, 1))["target"]
    assert (drawn % 1000 == 0).all() and drawn.nunique() > 150


def test_a_marker_for_no_value_is_a_null_and_is_written_back() -> None:
    """A few "-" among the prices made the whole column a category before."""
    real = written_diabetes()
    dashed = real.sample(frac=0.04, random_state=0).index
    real.loc[dashed, "target"] = "-"
    model = fit_table(real, seed=0, method="sequential")
    assert model.to_dict()["units"]["target"]["null"] == "-"
    rows = pd.DataFrame(model.sample(3000, 2))
    assert abs((rows["target"] == "-").mean() - 0.04) < 0.02
    assert rows.loc[rows["target"] != "-", "target"].str.fullmatch(r"\$\d{1,3}(,\d{3})*").all()


def test_whole_numbers_keep_their_point_where_the_reference_writes_one() -> None:
    """Python writes a weight of 2 kg as "2.0kg" beside "1.37kg"; drawn whole weights were "2kg",
    a form no real row has."""
    real = sklearn_table("diabetes").copy()
    real["bmi"] = (real["bmi"] / 10).round(2).map(lambda v: f"{v}kg")
    assert real["bmi"].str.fullmatch(r"\d\.0kg").any()
    rows = pd.DataFrame(fit_table(real, seed=0).sample(3000, 2))
    whole = rows["bmi"][read(rows["bmi"]) % 1 == 0]
    assert len(whole) and whole.str.fullmatch(r"\d\.0kg").all()
    assert rows["bmi"].str.fullmatch(r"\d\.\d{1,2}kg").all()


def test_a_handful_of_labels_that_hold_a_number_stay_labels() -> None:
    """ "Q1".."Q4" or "occ1".."occ9" are labels, not amounts in a currency called "occ": read as
    numbers, a label between two (occ4.5) or a shape of numbers instead of shares could be drawn."""
    from synth_gradio.tables.written import find_units

    real = sklearn_table("diabetes").copy()
    real["grade"] = "occ" + (real["age"] // 10).astype(int).astype(str)  # 7 labels
    real["price"] = real["target"].map(lambda v: f"USD {v:.0f}")  # 214 amounts with a currency
    found = find_units(real, set())
    assert "grade" not in found and found["price"]["prefix"] == "USD"


def test_plain_numbers_with_a_blank_for_no_value_are_numbers() -> None:
    """A total left " " for a customer in their first month made pandas read the whole column as text,
    and it was learned as a code of digits: its link to the months and the monthly charge was lost
    (a phone provider's customers: totals within 10% of months x charge, 55% drawn against 98% real)."""
    real = sklearn_table("diabetes").copy()
    blank = real.sample(frac=0.03, random_state=0).index
    real["target"] = real["target"].map(lambda v: f"{v * 1.5:.2f}")
    real.loc[blank, "target"] = " "
    model = fit_table(real, seed=0)
    assert model.to_dict()["units"]["target"] == {
        "prefix": "",
        "suffix": "",
        "thousands": False,
        "decimals": 2,
        "null": " ",
    }
    rows = pd.DataFrame(model.sample(3000, 1))
    assert 0.005 < (rows["target"] == " ").mean() < 0.06
    numbers = read(rows["target"])
    assert rows.loc[rows["target"] != " ", "target"].str.fullmatch(r"\d+\.\d\d").all()
    assert abs(numbers.corr(rows["bmi"]) - read(real["target"]).corr(real["bmi"])) < 0.1


def test_durations_in_parts_and_negatives_in_parentheses_are_numbers() -> None:
    """ "2h 50m" was a category (each value drawn only as seen, 46 of 250 never); "(91.47)" among
    amounts made the column a code of digit slots drawn evenly, so the median amount doubled."""
    real = sklearn_table("diabetes").copy()
    minutes = (real["target"] * 1.5).round().astype(int)
    real["flight"] = [f"{m // 60}h {m % 60}m" for m in minutes]
    amounts = (real["bmi"] * 10 - 200).round(2)
    real["amount"] = [f"({-a:,.2f})" if a < 0 else f"{a:,.2f}" for a in amounts]
    model = fit_table(real, seed=0)
    units = model.to_dict()["units"]
    assert units["flight"]["kind"] == "duration" and units["amount"]["negative"] == "parentheses"
    assert any("'flight' holds durations written like '2h 10m'" in n for n in model.summary()["notes"])
    rows = pd.DataFrame(model.sample(2000, 1))
    assert rows["flight"].str.fullmatch(r"\d+h \d{1,2}m").all()
    drawn = rows["flight"].str.extract(r"(\d+)h (\d+)m").astype(int)
    drawn_minutes = drawn[0] * 60 + drawn[1]
    assert (drawn[1] < 60).all() and abs(drawn_minutes.median() - minutes.median()) < 0.1 * minutes.median()
    assert drawn_minutes.corr(rows["target"]) > 0.95  # the duration follows the number it was made from
    assert rows["amount"].str.fullmatch(r"\(\d{1,3}(,\d{3})*\.\d\d\)|\d{1,3}(,\d{3})*\.\d\d").all()
    negative = rows["amount"].str.startswith("(").mean()
    assert abs(negative - (amounts < 0).mean()) < 0.05


def test_small_measures_keep_their_figures() -> None:
    """1.087e-04 needs 8 decimals; with at most 6 the column had none, and drawn values were written
    to 16 figures (9.804556263802807e-05)."""
    real = sklearn_table("diabetes")
    real = real.assign(s1=(real["s1"] * 1e-6 * np.random.default_rng(0).lognormal(0, 0.2, len(real))).round(8))
    assert real["s1"].nunique() > 400
    rows = pd.DataFrame(fit_table(real, seed=0).sample(1000, 1))
    assert (rows["s1"] == rows["s1"].round(8)).all() and rows["s1"].nunique() > 300


def test_ratings_sizes_with_multipliers_phrases_and_long_dates_are_read() -> None:
    """An app store's "4.1/5", sizes "19M" beside "800k" and "Varies with device", and dates written
    "October 26, 2016" were each a category: values drawn only as seen, and new rows sat near real
    ones because every value was a real one."""
    local = np.random.default_rng(0)
    n = 1500
    real = pd.DataFrame({"reviews": local.lognormal(8, 1, n).round().astype(int)})
    real["rate"] = [f"{x:.1f}/5" for x in np.clip(local.normal(4, 0.4, n), 1, 5)]
    megabytes = real["reviews"] / 300 * local.lognormal(0, 0.1, n)
    real["size"] = [f"{m:.1f}M" if m >= 1 else f"{m * 1000:.0f}k" for m in megabytes]
    real.loc[local.random(n) < 0.1, "size"] = "Varies with device"
    real["added"] = (pd.Timestamp("2015-01-01") + pd.to_timedelta(local.integers(0, 2500, n), unit="D")).strftime(
        "%B %d, %Y"
    )
    model = fit_table(real, seed=0)
    units = model.to_dict()["units"]
    assert units["rate"]["suffix"] == "/5" and units["size"]["null"] == "Varies with device"
    assert set(units["size"]["multipliers"]) == {"M", "k"}
    kinds = {name: column["kind"] for name, column in model.summary()["columns"].items()}
    assert kinds["added"] == "datetime"
    rows = pd.DataFrame(model.sample(2000, 1))
    assert rows["rate"].str.fullmatch(r"[1-5]\.\d/5").all()
    sized = rows["size"] != "Varies with device"
    assert abs((~sized).mean() - 0.1) < 0.03
    assert rows.loc[sized, "size"].str.fullmatch(r"\d+\.\dM|\d+k").all()
    drawn = read(rows.loc[sized, "size"], units["size"])
    assert ((drawn >= 1e6) == rows.loc[sized, "size"].str.endswith("M")).all()  # 1,000k is written 1.0M
    assert np.log(drawn).corr(np.log(rows.loc[sized, "reviews"])) > 0.8
    assert pd.to_datetime(rows["added"], format="%B %d, %Y").notna().all()


def test_a_number_written_with_one_of_several_units_keeps_each_units_numbers() -> None:
    """A film's "90 min" beside a show's "2 Seasons", a car's "23.4 kmpl" beside "26.10 km/kg": each
    value was a category (drawn only as seen, never new), and the closeness check could not pass.
    The number is learned with its unit beside it, so the unit follows the type and each unit keeps
    its own numbers and decimals."""
    local = np.random.default_rng(0)
    n = 2000
    kind = local.choice(["Movie", "TV Show"], n, p=[0.7, 0.3])
    minutes, seasons = local.normal(100, 20, n).round().astype(int), local.integers(1, 6, n)
    real = pd.DataFrame({"type": kind, "duration": [f"{m} min" if k == "Movie" else f"{s} Seasons" for k, m, s in zip(kind, minutes, seasons, strict=True)]})  # fmt: skip
    gas = local.random(n) < 0.1
    real["mileage"] = [f"{local.normal(25, 3):.2f} km/kg" if g else f"{local.normal(20, 4):.1f} kmpl" for g in gas]
    real["year"] = local.integers(2000, 2021, n)
    real["price"] = (local.lognormal(10, 0.5, n) * (1 + (real["year"] - 2000) / 20)).round(2)
    model = LearnedModel.from_dict(fit_table(real, seed=0).to_dict())
    how = model.to_dict()["units"]["duration"]
    assert how["per_unit"] == {" min": 0, " Seasons": 0} and how["ranges"][" Seasons"] == [1.0, 5.0]
    assert write([95.0, 95.0, None], how, [" Seasons", " min", None]) == ["5 Seasons", "95 min", None]  # in range
    assert model.to_dict()["units"]["mileage"]["per_unit"] == {" kmpl": 1, " km/kg": 2}
    assert model.columns == ["type", "duration", "mileage", "year", "price"]
    rows = pd.DataFrame(model.sample(2000, 1))
    assert list(rows.columns) == ["type", "duration", "mileage", "year", "price"]
    films = rows["type"] == "Movie"
    assert rows.loc[films, "duration"].str.fullmatch(r"\d+ min").all()
    assert rows.loc[~films, "duration"].str.fullmatch(r"[1-5] Seasons").all()
    drawn = rows.loc[films, "duration"].str.extract(r"(\d+)")[0].astype(int)
    assert abs(drawn.mean() - 100) < 5 and drawn.nunique() > 40  # new running times, not only real ones
    assert rows["mileage"].str.fullmatch(r"\d+\.\d kmpl|\d+\.\d\d km/kg").all()
    assert abs(rows["mileage"].str.endswith("km/kg").mean() - gas.mean()) < 0.03
    gas_numbers = rows["mileage"][rows["mileage"].str.endswith("km/kg")].str.extract(r"([\d.]+)")[0].astype(float)
    assert abs(gas_numbers.median() - 25) < 1.5  # a unit keeps its own numbers


def test_a_loans_month_and_its_padded_term_are_read_and_written_as_the_reference_writes_them() -> None:
    """A loan book's issue month "Aug-2019" was called "dates in more than one format" and learned as
    48 categories, and its term " 36 months" was written "36 months": the schema's values keep the
    space, so every drawn row was rejected (0 of 3,000 records)."""
    local = np.random.default_rng(1)
    n = 1200
    term = local.choice([36, 60], n, p=[0.7, 0.3])
    real = pd.DataFrame(
        {
            "issue_d": (pd.Timestamp("2019-01-01") + pd.to_timedelta(local.integers(0, 1460, n), unit="D")).strftime(
                "%b-%Y"
            ),
            "term": [f" {t} months" for t in term],
            "amount": np.round(local.lognormal(9, 0.6, n) / 25) * 25 * np.where(term == 60, 1.5, 1.0),
        }
    )
    model = fit_table(real, seed=0)
    assert model.to_dict()["units"]["term"]["lead"] == " "
    kinds = {name: column["kind"] for name, column in model.summary()["columns"].items()}
    assert kinds["issue_d"] == "datetime"
    rows = pd.DataFrame(model.sample(1000, 2))
    assert set(rows["term"]) == {" 36 months", " 60 months"}
    months = pd.to_datetime(rows["issue_d"], format="%b-%Y")
    assert (
        months.between("2019-01-01", "2022-12-31").all()
        and rows["issue_d"].str.fullmatch(r"[A-Z][a-z]{2}-20\d\d").all()
    )
    assert rows.groupby("term")["amount"].median()[" 60 months"] > rows.groupby("term")["amount"].median()[" 36 months"]


def test_a_trailing_space_that_is_the_suffix_is_written_once() -> None:
    from synth_gradio.tables import find_units

    units = find_units(pd.DataFrame({"a": ["$1,200 ", "$300 "] * 20}), set())
    assert write([36.0, None], units["a"]) == ["$36 ", None]
