"""Totals a plain schema implies by its names: total = quantity * unit_price + shipping + tax.

Nobody writes the arithmetic of an order line into a schema, and drawn one by one, a line of four
at 107.90 came to 1,101.60. Where a record has a quantity, a unit price and a total (names alone,
all numbers), the total becomes an implied arithmetic rule, recomputed after the draw: a subtotal,
if there is one, is quantity times price, and the total adds the record's shipping, tax and fees.
Left alone: a total beside a discount (the sum could fall below zero), one whose bounds could refuse
a correct sum, fields a declared rule already ties, and schemas inferred from a table.
"""

from __future__ import annotations

from typing import Any

from synth_gradio.schema.jsontypes import type_list
from synth_gradio.schema.pairs import _words

_QUANTITY = {"quantity", "qty", "units"}
_ADDS = {"shipping", "tax", "fee", "fees", "delivery", "handling", "vat", "surcharge", "tip"}
_SUBTRACTS = {"discount", "rebate", "coupon"}
_INF = float("inf")


_MEASURES = {"rate", "percent", "percentage", "pct", "days", "hours", "time", "weight", "kg", "lb", "distance", "km",
             "miles", "count"}  # fmt: skip
_COUNTED = _MEASURES | {"reviews", "sales", "items", "units", "orders", "quantity", "qty", "visits", "views"}
_MONEY_HEADS = {"total", "subtotal", "amount", "price", "cost", "value", "due", "fee", "fees", "tax", "shipping",
                "delivery", "handling", "vat", "surcharge", "tip", "charge", "discount"}  # fmt: skip
_UNSAFE = {"multipleOf", "const", "exclusiveMinimum", "exclusiveMaximum", "enum", "x-distribution"}


def _number(node: Any) -> bool:
    """A plain number or integer: no grid, const or exclusive bound a computed sum could miss."""
    types = type_list(node) if isinstance(node, dict) else []
    return bool(types) and set(types) <= {"integer", "number"} and not _UNSAFE & set(node)


def _role(name: str) -> str | None:
    words = _words(name)
    if "subtotal" in words or words[:2] == ["sub", "total"]:
        return "subtotal"
    if "total" in words or words in (["amount"], ["order", "amount"], ["line", "amount"]):
        money = words[-1] in _MONEY_HEADS and not set(words) & _COUNTED  # not total_reviews, total_weight
        return "total" if money and not set(words) & (_ADDS | _SUBTRACTS | _QUANTITY) else None
    if words and words[-1] in _QUANTITY:
        return "quantity"
    if "price" in words or words[-2:] in (["unit", "cost"], ["item", "cost"]):
        return "price"
    if set(words) & _SUBTRACTS:
        return "minus"
    if set(words) & _ADDS and not set(words) & _MEASURES:  # not tax_rate, delivery_days, shipping_weight_kg
        return "plus"
    return None


def _largest(props: dict[str, Any], names: list[str]) -> float:
    highs = [props[n].get("maximum", _INF) for n in names]
    return _INF if _INF in highs else float(sum(highs))


def total_rules(json_schema: dict[str, Any], tied: set[str]) -> list[dict[str, Any]]:
    """Implied arithmetic rules for a record's subtotal and total (fields in `tied` left alone)."""
    required = set(json_schema.get("required") or [])  # an operand left out could not be summed
    props = {
        n: p for n, p in (json_schema.get("properties") or {}).items() if _number(p) and n not in tied and n in required
    }
    roles: dict[str, list[str]] = {}
    for name in props:
        if role := _role(name):
            roles.setdefault(role, []).append(name)
    one = {role: names[0] for role, names in roles.items() if len(names) == 1}
    if not {"quantity", "price"} <= set(one) or not ({"total", "subtotal"} & set(one)):
        return []
    quantity, price = props[one["quantity"]], props[one["price"]]
    line = f"{one['quantity']} * {one['price']}"
    low = quantity.get("minimum", 0) * price.get("minimum", 0)
    high = quantity.get("maximum", _INF) * price.get("maximum", _INF)
    out = []
    for role in ("subtotal", "total"):
        if role not in one or (role == "total" and roles.get("minus")):  # a discount could take it below zero
            continue
        adds = roles.get("plus", []) if role == "total" else []
        node = props[one[role]]
        operands = [one["quantity"], one["price"], *adds]
        fractional = "integer" in type_list(node) and any("number" in type_list(props[n]) for n in operands)
        negative = any(props[n].get("minimum", -1) < 0 for n in operands)  # a sum could fall below its bound
        if (
            fractional
            or negative
            or node.get("minimum", -_INF) > low
            or node.get("maximum", _INF) < high + _largest(props, adds)
        ):
            return out  # the bounds could refuse a correct sum: left as drawn
        expr = " + ".join([line, *adds])
        out.append({"kind": "arithmetic", "target": one[role], "expr": expr, "implied": True})
        line, low, high = one[role], node.get("minimum", low), node.get("maximum", _INF)
    return [{**rule, "name": f"{rule['target']} = {rule['expr']} (their names)"} for rule in out]
