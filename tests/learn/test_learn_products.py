"""A product whose factor is a rate's complement: a line's total is quantity x price x (1 - discount),
a gross amount is net x (1 + tax rate in percent). Before, only powers of columns were factors, so
the discounted lines (40%) came out with a total no reader could recompute (55% of lines right),
and a law's constant fitted on logs (0.99997) wrote 1,099 x 1 as 1,098.97."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth_gradio.learn import fit_table


def order_lines(rows: int = 1500, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    price = rng.choice([6.49, 24.99, 149.99, 279.99, 1099.0], rows)
    quantity = 1 + rng.geometric(0.35, rows) - 1
    discount = rng.choice([0.0, 0.05, 0.1, 0.2], rows, p=[0.6, 0.2, 0.15, 0.05])
    total = np.round(quantity * price * (1 - discount), 2)
    tax = rng.choice([0.0, 7.5, 19.0, 20.0], rows)
    return pd.DataFrame({"unit_price": price, "quantity": quantity, "discount": discount, "total": total,
                         "tax_pct": tax, "gross": np.round(total * (1 + tax / 100), 2)})  # fmt: skip


def test_a_total_after_discount_and_a_gross_after_tax_stay_exact() -> None:
    frame = order_lines()
    model = fit_table(frame, seed=0, method="sequential")
    laws = {frame.columns[law["column"]]: law for law in model.to_dict()["parts"][0]["laws"]["products"]}
    assert {"total", "gross"} <= set(laws), laws
    assert laws["total"]["constant"] == 1.0 and laws["total"]["shifts"], laws["total"]
    rows = pd.DataFrame(model.sample(1000, 0))
    total = (rows["quantity"] * rows["unit_price"] * (1 - rows["discount"])).round(2)
    assert float((np.abs(total - rows["total"]) <= 0.0101).mean()) == 1.0
    gross = (rows["total"] * (1 + rows["tax_pct"] / 100)).round(2)
    assert float((np.abs(gross - rows["gross"]) <= 0.0101).mean()) == 1.0
    assert (rows["discount"] > 0).mean() > 0.25  # the law is kept on discounted lines, not by dropping them
