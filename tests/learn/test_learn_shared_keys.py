"""Keys named like no key (a tail number, a carrier code) are found when another table's column of the
same name refers to them, and new keys keep a letter every real key has (the N of a US tail number)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth_gradio.learn.codes import key_format, new_keys
from synth_gradio.learn.keys import detect
from synth_gradio.learn.related import fit_related
from synth_gradio.tables import code_shape


def fleet(planes: int = 300, seed: int = 2) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    tails = sorted({f"N{rng.integers(100, 999)}{''.join(rng.choice(list('ABCDEFGHJK'), 2))}" for _ in range(planes)})
    seats = rng.choice([55, 100, 160, 190], len(tails))
    rows = []
    for tail, seat in zip(tails, seats, strict=True):
        when = pd.Timestamp("2013-01-01") + pd.Timedelta(hours=int(rng.integers(0, 100)))
        for hop in range(int(rng.integers(2, 9))):
            distance = int(rng.normal(400 if seat < 120 else 1400, 150))
            when += pd.Timedelta(hours=int(rng.integers(3, 60)))
            rows.append({"flight_id": len(rows) + 1, "tailnum": tail, "hop": hop + 1, "year": 2013, "distance": distance,
                         "time_hour": when.strftime("%Y-%m-%d %H:%M:%S")})  # fmt: skip
    # 'year' is in both tables; a plane's build year is not a key and 2013 is not a plane
    planes_table = pd.DataFrame({"tailnum": tails, "seats": seats, "year": rng.integers(1990, 2014, len(tails))})
    return {"planes": planes_table, "flights": pd.DataFrame(rows)}


def test_a_key_named_like_no_key_is_found_from_the_column_that_refers_to_it() -> None:
    tables = fleet()
    found = detect(tables)
    assert found.keys == {"planes": "tailnum", "flights": "flight_id"}
    assert [(x.child, x.column, x.parent, x.key) for x in found.links] == [("flights", "tailnum", "planes", "tailnum")]
    sample = fit_related(tables, found, seed=0).sample(80, 1)
    planes, flights = pd.DataFrame(sample["planes"]), pd.DataFrame(sample["flights"])
    assert flights["tailnum"].isin(planes["tailnum"]).all() and planes["tailnum"].is_unique
    assert planes["tailnum"].str.fullmatch(r"N\d{3}[A-Z]{2}").all()  # new tail numbers, the real shape
    assert not set(planes["tailnum"]) & set(tables["planes"]["tailnum"])
    assert (flights["year"] == 2013).all()  # a column constant in every step (sampling failed on it: KeyError)
    times = pd.to_datetime(flights["time_hour"])  # the steps' order: on the hour, as every real one is
    assert (times.dt.minute == 0).all() and (times.dt.second == 0).all()
    assert flights.assign(t=times).groupby("tailnum")["t"].apply(lambda t: t.is_monotonic_increasing).all()
    joined = flights.merge(planes, on="tailnum")
    assert (
        joined.loc[joined["seats"] < 120, "distance"].mean()
        < joined.loc[joined["seats"] > 120, "distance"].mean() - 500
    )


def test_columns_that_only_share_a_name_are_not_keys() -> None:
    rng = np.random.default_rng(0)
    customers = pd.DataFrame({"id": range(1, 101), "score": rng.normal(size=100)})
    orders = pd.DataFrame({"id": range(1, 401), "score": rng.normal(size=400), "day": rng.integers(1, 9, 400)})
    found = detect({"customers": customers, "orders": orders})
    assert found.links == []  # ids unique in both tables (neither refers to the other), scores are decimals


def test_a_letter_every_code_has_is_kept_and_a_few_codes_do_not_fix_one() -> None:
    rng = np.random.default_rng(1)
    tails = [f"N{rng.integers(100, 999)}{''.join(rng.choice(list('ABCDEFGHJK'), 2))}" for _ in range(40)]
    assert code_shape(tails) == "N#99AA"  # a number's first digit is never 0 (N039I looked made up)
    assert code_shape(tails[:5]) == "A999AA"
    made = new_keys(key_format(pd.Series(tails, name="tailnum")), 30)
    assert len(set(made)) == 30 and all(m.startswith("N") for m in made)


def test_codes_of_several_lengths_keep_a_shape_per_length() -> None:
    """Tail numbers of five and six characters were written as "tailnum_1363"."""
    tails = pd.Series([f"N{100 + i}{'ABCDEFGHJK'[i % 10]}" for i in range(1500)], name="tailnum")
    how = key_format(tails)
    assert how["kind"] == "shapes"
    made = pd.Series(new_keys(how, 2000))
    assert made.is_unique and made.str.fullmatch(r"N\d{3,4}[A-Z]").all()
    share_long = float((made.str.len() == 6).mean())
    assert abs(share_long - (tails.str.len() == 6).mean()) < 0.03
    assert new_keys(how, 50) == new_keys(how, 50)  # the same keys for the same count


def test_a_small_lookup_table_beside_the_main_one_keeps_its_rows_and_codes_of_mixed_classes() -> None:
    """Four airlines scaled to 100 planes were one airline, and every flight had it; its codes
    ("UA", "B6") became "carrier_1"."""
    tables = fleet()
    rng = np.random.default_rng(4)
    tables["airlines"] = pd.DataFrame({"carrier": ["UA", "AA", "DL", "B6"], "seats_sold": [90, 80, 85, 70]})
    tables["flights"]["carrier"] = rng.choice(["UA", "AA", "DL", "B6"], len(tables["flights"]))
    found = detect(tables)
    assert ("flights", "carrier", "airlines", "carrier") in [(x.child, x.column, x.parent, x.key) for x in found.links]
    sample = fit_related(tables, found, seed=0).sample(40, 1)
    airlines, flights = pd.DataFrame(sample["airlines"]), pd.DataFrame(sample["flights"])
    assert len(airlines) == 4 and airlines["carrier"].str.fullmatch(r"[A-Z0-9]{2}").all()
    assert flights["carrier"].isin(airlines["carrier"]).all() and flights["carrier"].nunique() == 4
    assert code_shape(["UA", "AA", "DL", "B6"]) == "AX" and code_shape(["UA", "9W", "DL", "B6"]) == "XX"


def test_dates_and_years_shared_by_name_are_values_not_keys() -> None:
    rng = np.random.default_rng(0)
    rates = pd.DataFrame(
        {"date": pd.date_range("2020-01-01", periods=60).strftime("%Y-%m-%d"), "rate": np.linspace(1, 2, 60)}
    )
    payments = pd.DataFrame(
        {"payment_id": range(1, 301), "date": rng.choice(rates["date"], 300), "amount": rng.normal(size=300)}
    )
    years = pd.DataFrame({"year": range(1990, 2020), "gdp": np.arange(30.0)})
    people = pd.DataFrame({"person": np.repeat(range(50), 6), "year": np.tile(range(1995, 2001), 50)})
    assert detect({"rates": rates, "payments": payments}).links == []
    assert detect({"years": years, "people": people}).links == []
    products = pd.DataFrame({"name": ["Rocket Pro", "Anvil Max", "Orbit Mini", "Nimbus Air"], "price": [1.0, 2, 3, 4]})
    lines = pd.DataFrame({"line_id": range(1, 41), "name": rng.choice(products["name"], 40)})
    assert detect({"products": products, "lines": lines}).links == []  # names of words are not keys


def test_an_entity_named_in_words_gets_new_names_of_its_kind() -> None:
    """Firms as the entities of a panel were written firm_1; a country keeps a numbered name (a real
    country's name on a drawn series would state a falsehood about it)."""
    firms = new_keys(key_format(pd.Series(["General Motors", "US Steel", "Chrysler"] * 5, name="firm")), 12)
    countries = new_keys(key_format(pd.Series(["Aruba", "Cote d'Ivoire", "Chad"] * 5, name="Country Name")), 30)
    assert len(set(firms)) == 12 and not any(f.startswith("firm_") for f in firms)
    assert countries[:2] == ["Country Name_1", "Country Name_2"]
    people = new_keys(key_format(pd.Series(["Ann Lee", "Bo Ray"] * 5, name="customer")), 300)
    assert len(set(people)) == 300 and sum(not c.startswith("customer_") for c in people) > 250
    assert new_keys(key_format(pd.Series(["General Motors"], name="firm")), 12) == firms  # the same for a count


def test_whole_numbers_with_gaps_come_out_as_ints_in_every_table() -> None:
    """A year some planes lack is read as floats (1997.0 beside NaN) and drawn as a whole number; a
    related table's rows came out with 2004.0, which a CSV then showed, where the flat table says 2004."""
    tables = fleet()
    tables["planes"]["year"] = tables["planes"]["year"].astype(float).mask(np.arange(len(tables["planes"])) % 9 == 0)
    assert tables["planes"]["year"].dtype == float
    sample = fit_related(tables, detect(tables), seed=0).sample(80, 1)
    years = [row["year"] for row in sample["planes"]]
    assert None in years and all(type(y) is int for y in years if y is not None), years[:5]
    assert all(type(row["distance"]) is int for row in sample["flights"])


def test_only_columns_every_drawing_model_keeps_whole_are_written_as_ints() -> None:
    """A first order's amount of 50 or 100 beside later ones of 37.6 stays as drawn, and so does an
    end learned as a distance from its start: their models' whole numbers are not the written ones."""
    from types import SimpleNamespace

    from synth_gradio.learn.stepcols import whole_columns

    def model(columns: list[str], whole: set[str]) -> SimpleNamespace:
        return SimpleNamespace(columns=columns, whole_columns=whole)

    first = model(["amount", "year", "end"], {"amount", "year", "end"})
    later = model(["amount", "year", "end"], {"year", "end"})
    plan = SimpleNamespace(model=later, first_model=first, offsets=[{"column": "end"}], trends=[])
    assert whole_columns([plan], ["amount", "year", "end", "note"]) == ["year"]
