"""Compiled samplers for declared distributions: built once, then one cheap call per field per record.

Everything that can be computed ahead (cumulative weights, CDF values at the truncation bounds,
poisson tables, the per-case lookup) is computed when the sampler is built, so a draw is a few
`random.Random` calls and some arithmetic. The UI's histogram preview uses the same samplers.

Draws are stratified: each group (base or case) splits [0, 1) into STRATA equal strata and uses
each once, in a random order, per block of STRATA draws, with a uniform position inside the
stratum (Latin hypercube sampling in one dimension). Every single draw still follows the declared
distribution exactly, but a run of a few hundred records matches the declared shares, medians and
means far more closely than independent draws would: the shares of a 400-record run land within
about one point, where independent draws stray by up to five. Fields and groups are stratified
independently of each other. Samplers carry this block state, so build them once per run.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Mapping
from typing import Any

from synth_gradio.schema.distributions import Declared
from synth_gradio.schema.distributions.check import Group
from synth_gradio.schema.distributions.clock import clocked
from synth_gradio.schema.distributions.math import INF, discrete_quantile, poisson_table, quantile_fn, truncated_stats
from synth_gradio.schema.distributions.space import Space, text_key

GroupDraw = Callable[[random.Random], Any]
FieldDraw = Callable[[random.Random, Mapping[str, Any]], Any]
STRATA = 32


def stratified(quantile: Callable[[float], Any]) -> GroupDraw:
    """Draws quantile(u) with u stratified in blocks of STRATA (see the module docstring)."""
    order: list[int] = []
    width = 1.0 / STRATA

    def draw(rng: random.Random) -> Any:
        if not order:
            order.extend(range(STRATA))
            rng.shuffle(order)
        return quantile((order.pop() + rng.random()) * width)

    return draw


def linked(quantile: Callable[[float], Any], loading: float, latent: list[float]) -> GroupDraw:
    """Draws quantile(u), u = Phi(loading * z + sqrt(1 - loading^2) * e) with the record's latent size
    z in latent[0] (set by the planner per record; distributions/linked.py): uniform on its own."""
    rest = math.sqrt(1 - loading * loading)

    def draw(rng: random.Random) -> Any:
        u = 0.5 * math.erfc(-(loading * latent[0] + rest * rng.gauss(0.0, 1.0)) / math.sqrt(2))
        return quantile(min(max(u, 1e-12), 1 - 1e-12))

    return draw


def _grid(q: Callable[[float], float], group: Group, space: Space) -> Callable[[float], Any]:
    """Round the real-line quantile to the group's grid (integers, multiples, decimals, days, seconds)."""
    step = group.step or 1.0
    half = step / 2
    k_lo = round((group.lo + half) / step) if group.lo > -INF else -INF
    k_hi = round((group.hi - half) / step) if group.hi < INF else INF
    if space.kind == "integer" and step == 1.0:

        def integer(u: float) -> int:
            k = round(q(u))
            return k_lo if k < k_lo else k_hi if k > k_hi else k

        return integer
    out = space.from_grid

    def on_grid(u: float) -> Any:
        k = round(q(u) / step)
        return out(k_lo if k < k_lo else k_hi if k > k_hi else k, step)

    return on_grid


Link = tuple[float, list[float]]  # a loading on the record's latent size, and where that size is kept


def group_draw(group: Group, space: Space, link: Link | None = None) -> GroupDraw:
    """A draw of one field value for one group (base or case), stratified or `link`ed to the
    record's latent size."""
    if group.discrete:
        quantile: Callable[[float], Any] = discrete_quantile(list(group.values), list(group.weights))
    elif group.kind == "poisson":
        values, cum = poisson_table(group.real["lam"], group.lo, group.hi, group.step)
        quantile = discrete_quantile(values, [c - (cum[i - 1] if i else 0.0) for i, c in enumerate(cum)])
    else:
        quantile = _grid(quantile_fn(group.kind, group.real, group.lo, group.hi), group, space)
    source = linked(quantile, *link) if link else stratified(quantile)
    draw = clocked(source, group.params, group.lo, group.hi)  # days, hours (clock.py)
    share = group.params.get("nulls", 0)
    if share:
        inner = draw
        return lambda rng: None if rng.random() < share else inner(rng)
    return draw


def field_draw(declared: Declared, link: Link | None = None) -> FieldDraw:
    """A draw for the field given the record so far (its `by` field already drawn)."""
    base = group_draw(declared.base, declared.space, link)
    if not declared.by or not declared.cases:
        return lambda rng, record: base(rng)
    table = {key: group_draw(g, declared.space, link) for key, g in declared.cases}
    by = declared.by
    dumps = json.dumps

    def conditioned(rng: random.Random, record: Mapping[str, Any]) -> Any:
        v = record.get(by)
        return table.get(v if type(v) is str else dumps(v), base)(rng)

    return conditioned


def compile_samplers(
    declared: Mapping[str, Declared], links: Mapping[str, float] | None = None, latent: list[float] | None = None
) -> dict[str, FieldDraw]:
    """Samplers per field; those in `links` draw at their loading on latent[0], the record's size."""
    links = links or {}
    cell = latent if latent is not None else [0.0]
    return {name: field_draw(d, (links[name], cell) if name in links else None) for name, d in declared.items()}


def expected(declared: Declared, group: Group) -> dict[str, Any]:
    """What a group should produce: median and mean of the truncated distribution, or the weights."""
    if group.discrete:
        total = sum(group.weights)
        return {"weights": {text_key(v): w / total for v, w in zip(group.values, group.weights, strict=True)}}
    return truncated_stats(group.kind, group.real, group.lo, group.hi, group.step)
