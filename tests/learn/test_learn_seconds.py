"""A child follows its second parent too: an order line's price is its product's, though the line's
first parent is its order (before, the product was chosen after the line was drawn, at random)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth_gradio.learn.keys import detect
from synth_gradio.learn.related import fit_related


def lines_set(orders: int = 500, products: int = 60, seed: int = 3) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    catalogue = pd.DataFrame({"product_id": range(1, products + 1),
                              "category": rng.choice(["toys", "tools", "food"], products),
                              "list_price": np.round(rng.lognormal(3, 0.8, products), 2)})  # fmt: skip
    popular = rng.dirichlet(np.full(products, 0.7))
    order_rows = pd.DataFrame({"order_id": range(1, orders + 1), "channel": rng.choice(["web", "shop"], orders)})
    lines = []
    for order in order_rows.itertuples():
        for _ in range(int(rng.integers(1, 5))):
            product = int(rng.choice(products, p=popular))
            price = catalogue["list_price"].iloc[product] * (0.9 if order.channel == "web" else 1.0)
            lines.append({"line_id": len(lines) + 1, "order_id": order.order_id, "product_id": product + 1,
                          "quantity": int(rng.integers(1, 4)), "price": round(float(price), 2)})  # fmt: skip
    return {"products": catalogue, "orders": order_rows, "lines": pd.DataFrame(lines)}


def test_a_line_follows_its_product_and_its_order() -> None:
    tables = lines_set()
    found = detect(tables)
    links = {(x.child, x.column, x.parent) for x in found.links}
    assert links == {("lines", "order_id", "orders"), ("lines", "product_id", "products")}
    model = fit_related(tables, found, seed=0)
    sample = model.sample(500, 1)
    made = {name: pd.DataFrame(rows) for name, rows in sample.items()}
    lines = made["lines"].merge(made["products"], on="product_id").merge(made["orders"], on="order_id")
    assert len(lines) == len(made["lines"])  # every key points at a generated parent
    real = tables["lines"].merge(tables["products"], on="product_id")
    real_corr = np.corrcoef(np.log(real["price"]), np.log(real["list_price"]))[0, 1]
    made_corr = np.corrcoef(np.log(lines["price"].astype(float)), np.log(lines["list_price"].astype(float)))[0, 1]
    assert real_corr > 0.95 and made_corr > real_corr - 0.1, (real_corr, made_corr)  # before: about 0
    # lines per product still follow the products' own counts (popular products have more lines)
    per_product = lines.groupby("product_id").size().reindex(made["products"]["product_id"], fill_value=0)
    assert per_product.max() > 4 * max(per_product.median(), 1)


def fleet_set(planes: int = 300, flights: int = 4000, seed: int = 5) -> dict[str, pd.DataFrame]:
    """Airlines, aircraft and flights: each aircraft flies for one airline, a few aircraft fly a lot."""
    rng = np.random.default_rng(seed)
    carriers = ["UA", "B6", "EV", "DL", "AA", "MQ", "WN", "HA"]
    share = np.array([30, 25, 20, 10, 8, 4, 2, 1], dtype=float)
    airlines = pd.DataFrame({"carrier": carriers, "founded": rng.integers(1920, 2000, len(carriers))})
    fleet = pd.DataFrame({"tailnum": [f"N{100 + i}{'ABCDEFGH'[i % 8]}" for i in range(planes)],
                          "year": rng.integers(1985, 2013, planes),
                          "seats": rng.choice([50, 100, 150, 200], planes)})  # fmt: skip
    owner = rng.choice(len(carriers), planes, p=share / share.sum())
    busy = rng.lognormal(0, 1.0, planes)
    plane = rng.choice(planes, flights, p=busy / busy.sum())
    rows = pd.DataFrame({"flight_id": range(1, flights + 1), "carrier": np.array(carriers)[owner[plane]],
                         "tailnum": fleet["tailnum"].to_numpy()[plane],
                         "distance": np.round(rng.lognormal(6.5, 0.5, flights))})  # fmt: skip
    return {"airlines": airlines, "planes": fleet, "flights": rows}


def test_an_aircraft_flies_for_one_airline_and_keeps_its_share_of_flights() -> None:
    tables = fleet_set()
    found = detect(tables)
    assert {(x.child, x.column, x.parent) for x in found.links} == {
        ("flights", "carrier", "airlines"),
        ("flights", "tailnum", "planes"),
    }
    model = fit_related(tables, found, seed=0)
    assert model.plans["flights"].parent.parent == "planes"  # the link to the most parents leads
    totals = []
    for seed in range(3):
        made = {name: pd.DataFrame(rows) for name, rows in model.sample(300, seed).items()}
        flights = made["flights"]
        per_plane = flights.groupby("tailnum")["carrier"].nunique()
        assert (per_plane == 1).all()  # before: five airlines per aircraft on average
        totals.append(len(flights))
        shares = [
            t["carrier"].value_counts(normalize=True).sort_values().to_numpy() for t in (tables["flights"], flights)
        ]
        assert np.abs(shares[0] - shares[1]).max() < 0.03, shares  # each airline's share of flights, as real
        real_busy = tables["flights"]["tailnum"].value_counts().quantile(0.9)
        assert flights["tailnum"].value_counts().quantile(0.9) > 0.75 * real_busy  # the busy tail stays
    # counted per airline (8 rows), the totals had swung from 0.65 to 1.0 of the real count between seeds;
    # per aircraft they wander a few percent, and are then held to the real rate of flights per aircraft
    assert totals == [len(tables["flights"])] * 3, totals
