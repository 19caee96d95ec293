"""An order line's total is its quantity times its price, plus shipping and tax, when names say so."""

from __future__ import annotations

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.totals import total_rules

NUMBER = {"type": "number", "minimum": 0}
LINE = {
    "type": "object",
    "properties": {
        "quantity": {"type": "integer", "minimum": 1, "maximum": 20},
        "unit_price": {"type": "number", "minimum": 1, "maximum": 2000},
        "subtotal": {"type": "number", "minimum": 1},
        "shipping_fee": {"type": "number", "minimum": 0, "maximum": 50},
        "sales_tax": NUMBER,
        "total": {"type": "number", "minimum": 1},
    },
    "required": ["quantity", "unit_price", "subtotal", "shipping_fee", "sales_tax", "total"],
}


def test_subtotal_and_total_add_up_in_every_drawn_record() -> None:
    schema = load_schema(LINE)
    assert [r.describe() for r in schema.rules] == [
        "subtotal = quantity * unit_price",
        "total = subtotal + shipping_fee + sales_tax",
    ]
    planner = Planner(schema, seed=6)
    for _ in range(200):
        row = planner.plan().fixed
        assert abs(row["subtotal"] - row["quantity"] * row["unit_price"]) < 0.011
        assert abs(row["total"] - (row["subtotal"] + row["shipping_fee"] + row["sales_tax"])) < 0.011


def test_a_total_that_could_fall_out_of_its_bounds_or_below_zero_is_left_alone() -> None:
    props = LINE["properties"]
    capped = {"properties": {**props, "subtotal": {"type": "number", "maximum": 100}}}
    assert total_rules(capped, set()) == []  # 20 x 2,000 would not fit
    discounted = {"properties": {k: v for k, v in props.items() if k != "subtotal"} | {"discount": NUMBER}}
    assert total_rules(discounted, set()) == []
    assert [r["target"] for r in total_rules(LINE, {"total"})] == ["subtotal"]  # a declared rule ties the total
    assert total_rules({"properties": {"price": NUMBER, "total": NUMBER}}, set()) == []  # no quantity


def test_counts_rates_optional_and_whole_totals_are_not_summed() -> None:
    integer, number = {"type": "integer", "minimum": 0}, {"type": "number", "minimum": 0}

    def rules(props: dict, required: list | None = None) -> list[str]:
        schema = {"properties": props, "required": list(props) if required is None else required}
        return [rule["expr"] for rule in total_rules(schema, set())]

    assert rules({"quantity": integer, "unit_price": number, "total": integer}) == []  # 3 x 9.99 is no integer
    assert rules({"stock_quantity": integer, "price": number, "total_reviews": integer}) == []  # a count
    assert rules({"quantity": integer, "unit_price": number, "tax_rate": number, "total": number}) == [
        "quantity * unit_price"  # a rate is no amount to add
    ]
    optional = {"quantity": integer, "unit_price": number, "shipping_cost": number, "total": number}
    assert rules(optional, ["quantity", "unit_price", "total"]) == ["quantity * unit_price"]  # may be left out
    assert rules({"quantity": integer, "unit_price": number, "total": {**number, "multipleOf": 5}}) == []
