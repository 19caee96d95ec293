"""Sizes of one thing drawn together: a flat's rooms, floor area and rent; a person's experience and pay.

Priors (priors.py) give each undeclared number its own believable shape, but drawn one by one a
five-bedroom flat came out at 745 square feet and a one-bedroom at 3,858, for less rent. In a real
record the measures of one entity's size rise together, and so do its ranks (a seniority, a plan:
tiers.py) with its pay and price. Each prior of such a field gets a loading
on one latent size per record (a one-factor Gaussian copula): its value is drawn at the quantile
Phi(loading * z + sqrt(1 - loading^2) * e), so its own distribution is unchanged and two linked
fields correlate by the product of their loadings in normal scores (rooms and area .72, area and
rent .6, experience and salary .49). Declared distributions are the user's and are never linked;
a record with fewer than two linked fields is left as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synth_gradio.schema.distributions.priors import MONEY_MEDIANS, family, tokens
from synth_gradio.schema.distributions.tiers import tier_order

if TYPE_CHECKING:
    from synth_gradio.schema.model import Schema

LOADINGS = {"area": 0.85, "rooms": 0.85, "tier": 0.75, "money": 0.7, "experience": 0.7, "size": 0.6, "age": 0.45}
ROOMS = {"bedrooms", "bathrooms", "rooms", "beds", "guests"}
EXPERIENCE = {"tenure", "experience", "seniority"}
PAY = {w for w, median in MONEY_MEDIANS.items() if median >= 55000}  # salary, income, wage: what age goes with


def _link(name: str, node: dict[str, Any]) -> str | None:
    """Which size a field measures, by its prior's family and its words (or an enum's ladder), or None."""
    if "enum" in node:
        return "tier" if tier_order(node, name) is not None else None
    kind = family(name, str(node.get("description", "")))
    words = set(tokens(name))
    if kind == "quantity" and words & ROOMS:
        return "rooms"
    if kind == "duration" and words & EXPERIENCE:
        return "experience"
    return kind if kind in LOADINGS and kind not in ("rooms", "experience") else None


def size_links(schema: Schema, fields: list[str]) -> dict[str, float]:
    """field -> loading on the record's latent size, for the prior-drawn `fields` (empty when fewer
    than two are linked; an age only beside experience or pay, not beside a basket's total)."""
    links = {name: _link(name, schema.field(name).schema) for name in fields}
    linked = {name: link for name, link in links.items() if link}
    paid = any(set(tokens(name)) & PAY for name, link in linked.items() if link == "money")
    if "experience" not in linked.values() and not paid:
        linked = {name: link for name, link in linked.items() if link != "age"}
    return {name: LOADINGS[link] for name, link in linked.items()} if len(linked) >= 2 else {}
