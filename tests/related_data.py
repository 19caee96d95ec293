"""Related tables and panels for development: real ones built from statsmodels, and one fixture of ours.

- grunfeld: a real firm-year panel (11 firms x 20 years: investment, value, capital).
- modechoice: a real table of 210 travellers x 4 travel modes, split into travellers (income and
  party size, constant per person) and their four choices, linked by `individual`.
- workers: our own person-year panel (545 people x 8 years) shaped like the wage panels of labour
  economics: schooling and ethnicity fixed per person, experience one more each year and its
  square, marital and union status that change rarely, an occupation of nine 0/1 columns, year
  dummies, hours, and a log wage with a person effect that carries from year to year.
- shop: our own three levels with known structure (customers -> orders -> items), with a second
  parent (orders -> stores), a nullable link (orders.coupon_id) and dated orders per customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def grunfeld() -> pd.DataFrame:
    from statsmodels.datasets import grunfeld as data

    frame = data.load_pandas().data
    frame["year"] = frame["year"].astype(int)
    return frame


def co2() -> pd.DataFrame:
    """Weekly CO2 at Mauna Loa, 1958-2001 (2,284 weeks, 59 missing readings): one series."""
    from statsmodels.datasets import co2 as data

    frame = data.load_pandas().data
    return pd.DataFrame({"week": frame.index.strftime("%Y-%m-%d"), "co2": frame["co2"].to_numpy()})


def macro_quarters() -> pd.DataFrame:
    """US quarterly accounts 1959-2009 (203 quarters), dated by each quarter's first day: one series."""
    from statsmodels.datasets import macrodata as data

    frame = data.load_pandas().data
    frame["year"], frame["quarter"] = frame["year"].astype(int), frame["quarter"].astype(int)
    start = pd.PeriodIndex.from_fields(year=frame["year"], quarter=frame["quarter"], freq="Q").to_timestamp()
    frame.insert(0, "date", start.strftime("%Y-%m-%d"))
    return frame


def sunspots() -> pd.DataFrame:
    """Yearly sunspot activity 1700-2008 (309 years): one series ordered by a year number."""
    from statsmodels.datasets import sunspots as data

    frame = data.load_pandas().data
    frame["YEAR"] = frame["YEAR"].astype(int)
    return frame


def fertility() -> pd.DataFrame:
    """World Bank fertility rates (statsmodels), one row per country and year: a long real panel
    (210 countries, 3 to 52 years each, a smooth trend per country) with the country's name beside."""
    from statsmodels.datasets import fertility as data

    wide = data.load_pandas().data.drop(columns=["Indicator Name", "Indicator Code"])
    long = wide.melt(id_vars=["Country Name", "Country Code"], var_name="year", value_name="fertility").dropna()
    long["year"] = long["year"].astype(int)
    return long.sort_values(["Country Code", "year"]).reset_index(drop=True)


def modechoice() -> dict[str, pd.DataFrame]:
    from statsmodels.datasets import modechoice as data

    frame = data.load_pandas().data.astype({"individual": int, "mode": int, "choice": int, "psize": int})
    people = frame.groupby("individual", as_index=False)[["hinc", "psize"]].first()
    choices = frame[["individual", "mode", "choice", "ttme", "invc", "invt", "gc"]].reset_index(drop=True)
    choices.insert(0, "choice_id", np.arange(1, len(choices) + 1))
    return {"travellers": people.rename(columns={"individual": "traveller_id"}),
            "choices": choices.rename(columns={"individual": "traveller_id"})}  # fmt: skip


def workers(people: int = 545, years: int = 8, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for person in range(1, people + 1):
        educ = int(rng.choice(np.arange(6, 17), p=np.r_[np.full(5, 0.02), 0.4, 0.1, 0.1, 0.1, 0.08, 0.12]))
        black, start = int(rng.random() < 0.12), int(rng.integers(0, 8))
        married, union, occupation = int(rng.random() < 0.3), int(rng.random() < 0.25), int(rng.integers(0, 9))
        effect = rng.normal(0, 0.3)
        wage = 1.0 + 0.08 * educ + effect + rng.normal(0, 0.2)
        for step in range(years):
            if step:
                married = married if rng.random() > (0.1 if not married else 0.02) else 1 - married
                union = union if rng.random() > 0.08 else 1 - union
                occupation = occupation if rng.random() > 0.1 else int(rng.integers(0, 9))
                wage = 0.6 * wage + 0.4 * (1.0 + 0.08 * educ + effect) + 0.04 + rng.normal(0, 0.15)
            exper = start + step
            row = {"nr": person, "year": 1980 + step, "educ": educ, "black": black, "exper": exper,
                   "expersq": exper * exper, "married": married, "union": union,
                   "hours": int(np.clip(rng.normal(2200 - 300 * (occupation > 6), 400), 120, 4992)),
                   "lwage": round(wage + 0.1 * union + 0.05 * married, 5)}  # fmt: skip
            row.update({f"occ{k + 1}": int(occupation == k) for k in range(9)})
            row.update({f"d8{k}": int(step == k) for k in range(1, years)})
            rows.append(row)
    return pd.DataFrame(rows)


def shop(customers: int = 600, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Customers whose income sets how many orders they place and how big; items per order follow the order."""
    rng = np.random.default_rng(seed)
    segment = rng.choice(["retail", "business", "student"], customers, p=[0.6, 0.25, 0.15])
    income = np.round(rng.lognormal(10.5, 0.4, customers) * np.where(segment == "business", 1.8, 1.0), -2)
    cust = pd.DataFrame({"customer_id": np.arange(1, customers + 1), "segment": segment, "income": income,
                         "age": rng.integers(18, 80, customers)})  # fmt: skip
    stores = pd.DataFrame({"store_id": [f"S{i:03d}" for i in range(1, 13)],
                           "city": rng.choice(["Leeds", "York", "Hull", "Bath"], 12),
                           "size_m2": rng.integers(200, 3000, 12)})  # fmt: skip
    orders, items = [], []
    order_id = 0
    for c in cust.itertuples():
        k = rng.poisson(1 + c.income / 30000 + (3 if c.segment == "business" else 0))
        day = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 90)))
        for _ in range(k):
            order_id += 1
            day += pd.Timedelta(days=int(rng.integers(1, 40)))
            amount = round(float(rng.lognormal(3.2, 0.5) * (c.income / 30000) ** 0.5), 2)
            orders.append({"order_id": order_id, "customer_id": c.customer_id, "order_date": day.strftime("%Y-%m-%d"),
                           "store_id": f"S{int(rng.integers(1, 13)):03d}", "amount": amount,
                           "coupon_id": None if rng.random() < 0.7 else int(rng.integers(1, 5)),
                           "channel": rng.choice(["web", "shop"], p=[0.3, 0.7] if c.age > 50 else [0.7, 0.3])})  # fmt: skip
            for line in range(1 + rng.poisson(amount / 40)):
                items.append({"item_id": len(items) + 1, "order_id": order_id, "line": line + 1,
                              "quantity": int(1 + rng.poisson(1)), "price": round(amount / (line + 2), 2)})  # fmt: skip
    coupons = pd.DataFrame({"coupon_id": [1, 2, 3, 4], "discount": [5, 10, 15, 20]})
    return {"customers": cust, "stores": stores, "coupons": coupons, "orders": pd.DataFrame(orders),
            "items": pd.DataFrame(items)}  # fmt: skip
