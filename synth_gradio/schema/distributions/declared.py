"""x-distribution: a field's declared marginal, optionally conditioned on a categorical field.

    "salary": {"type": "integer", "minimum": 20000, "maximum": 300000,
               "x-distribution": {"kind": "lognormal", "median": 60000, "sigma": 0.2,
                                  "by": "level", "cases": {"senior": {"median": 90000}}}}

Kinds and their parameters (see PARAMS): categorical (weights: value -> weight, non-strings as JSON
text such as "3", "true", "null"; values left out get weight 0), constant (value), uniform
(low/high, default the field's bounds), normal (mean, std), lognormal (median, sigma), poisson
(lam), exponential (scale, loc = 0). Every continuous kind also takes low/high, which narrow the
truncation inside the field's bounds. Dates and date-times take uniform and normal with ISO
low/high/mean and std in days. Extras: `decimals` (number fields), `nulls` (share of nulls on a
nullable field), `hours`, `every` and `weekdays` (the time of day and days of the week, clock.py). A numeric enum may take a continuous kind: each value is weighted by the density.
A free-text string (no enum) takes categorical only when the weights list its values.

`by` names a field that is categorical (enum, boolean, const, or itself declared categorical);
`cases` maps its values (JSON text; "null" for a missing or null value) to parameter overrides;
values without a case use the base. A case that sets its own `kind` replaces the base parameters
instead of merging with them (only the extras carry over): {"kind": "constant", "value": 0}
gives a free plan zero revenue.

Draws are truncated to the field's bounds (and low/high) by inverse CDF, never clipped; integers,
multipleOf, dates and date-times round to their grid, numbers to `decimals` (else x-decimals,
else enough for the spread). Every problem is a SchemaError with the JSON path of the offending
value; cycles name the fields. "Far outside the bounds" means a mean/median/lam more than one
range width beyond finite bounds, or bounds that keep less than 1e-6 of the probability.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from synth_gradio.errors import SchemaError
from synth_gradio.schema.distributions.check import Group, check_group
from synth_gradio.schema.distributions.clock import CLOCK, CONTINUOUS
from synth_gradio.schema.distributions.space import Space, field_space, text_key

KEY = "x-distribution"
_LIMITS = ("low", "high")
PARAMS: dict[str, tuple[str, ...]] = {
    "categorical": ("weights",),
    "constant": ("value",),
    "uniform": _LIMITS,
    "normal": ("mean", "std", *_LIMITS),
    "lognormal": ("median", "sigma", *_LIMITS),
    "poisson": ("lam", *_LIMITS),
    "exponential": ("scale", "loc", *_LIMITS),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "categorical": ("weights",),
    "constant": ("value",),
    "uniform": (),
    "normal": ("mean", "std"),
    "lognormal": ("median", "sigma"),
    "poisson": ("lam",),
    "exponential": ("scale",),
}
KINDS = tuple(PARAMS)
EXTRAS = ("decimals", "nulls", *CLOCK)  # CLOCK: hours, weekdays, every (clock.py)
_STRUCTURE = ("kind", "by", "cases")
_CONFLICTS = ("const", "x-sequence", "x-foreign-key")


@dataclass(frozen=True)
class Declared:
    """A checked declaration: the base group and one merged group per `cases` key."""

    name: str
    path: str
    space: Space
    base: Group
    by: str | None = None
    cases: tuple[tuple[str, Group], ...] = ()

    def group(self, by_value: Any) -> Group:
        key = text_key(by_value)
        return next((g for k, g in self.cases if k == key), self.base)


def load_distributions(props: dict[str, Any], required: set[str]) -> dict[str, Declared]:
    """Check every field's x-distribution; fields in schema order."""
    for name, node in props.items():
        _no_nested(node, f"$.properties.{name}", top=True)
    raw = {name: node[KEY] for name, node in props.items() if isinstance(node, dict) and KEY in node}
    for name, spec in raw.items():
        _check_structure(name, spec, props[name])
    by_values = {name: _by_values(name, spec, props, raw, required) for name, spec in raw.items() if "by" in spec}
    _check_cycles(raw, list(props))
    out = {}
    for name, spec in raw.items():
        out[name] = _resolve(name, spec, props[name], by_values.get(name))
    return out


def dependency_order(declared: dict[str, Declared], names: list[str]) -> list[str]:
    """Declared fields and the fields they depend on, each after its `by` field."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        d = declared.get(name)
        if d is not None and d.by:
            visit(d.by)
        order.append(name)

    for name in names:
        if name in declared:
            visit(name)
    return order


def _path(name: str) -> str:
    return f"$.properties.{name}.{KEY}"


def _no_nested(node: Any, path: str, top: bool = False) -> None:
    if not isinstance(node, dict):
        return
    if KEY in node and not top:
        raise SchemaError("x-distribution is supported on top-level fields only", f"{path}.{KEY}")
    for key, child in (node.get("properties") or {}).items():
        _no_nested(child, f"{path}.properties.{key}")
    if isinstance(node.get("items"), dict):
        _no_nested(node["items"], f"{path}.items")


def _unknown(key: str, allowed: tuple[str, ...], kind: str, path: str) -> SchemaError:
    takes = ", ".join(k for k in allowed if k != "kind")
    owners = [k for k, params in PARAMS.items() if key in params]
    if owners:
        return SchemaError(f"'{key}' is a parameter of {', '.join(owners)}, not of {kind}; {kind} takes {takes}", path)
    hint = difflib.get_close_matches(key, allowed, n=1)
    extra = f" (did you mean '{hint[0]}'?)" if hint else ""
    return SchemaError(f"unknown parameter '{key}' for a {kind} distribution{extra}; it takes {takes}", path)


def _check_kind(kind: Any, path: str) -> str:
    if kind is None:
        raise SchemaError(f"an x-distribution needs a 'kind': one of {', '.join(KINDS)}", path.rsplit(".", 1)[0])
    if kind not in PARAMS:
        hint = difflib.get_close_matches(str(kind), KINDS, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise SchemaError(f"unknown distribution kind {kind!r}{extra}; use one of {', '.join(KINDS)}", path)
    return kind


def _check_structure(name: str, spec: Any, node: dict[str, Any]) -> None:
    path = _path(name)
    if not isinstance(spec, dict):
        raise SchemaError("x-distribution must be an object with a 'kind'", path)
    for key in _CONFLICTS:
        if key in node:
            raise SchemaError(f"x-distribution cannot be combined with '{key}' on the same field", path)
    kind = _check_kind(spec.get("kind"), f"{path}.kind")
    allowed = (*PARAMS[kind], *EXTRAS, *_STRUCTURE)
    for key in spec:
        if key not in allowed:
            raise _unknown(key, allowed, kind, f"{path}.{key}")
    for key in REQUIRED[kind]:
        if key not in spec:
            raise SchemaError(f"a {kind} distribution needs '{key}'", path)
    if "by" in spec and not isinstance(spec["by"], str):
        raise SchemaError("'by' must name another field of the record", f"{path}.by")
    if "cases" in spec:
        if "by" not in spec:
            raise SchemaError("'cases' needs 'by', the field whose values they are", f"{path}.cases")
        if not isinstance(spec["cases"], dict):
            raise SchemaError("'cases' must map each value of the 'by' field to parameter overrides", f"{path}.cases")
        for key, case in spec["cases"].items():
            _check_case(kind, case, f"{path}.cases.{key}")


def _check_case(kind: str, case: Any, path: str) -> None:
    if not isinstance(case, dict):
        raise SchemaError("a case must be an object of parameter overrides", path)
    own = _check_kind(case["kind"], f"{path}.kind") if "kind" in case else kind
    allowed = (*PARAMS[own], *EXTRAS, "kind")
    for key in case:
        if key in ("by", "cases"):
            raise SchemaError(f"'{key}' cannot be set per case", f"{path}.{key}")
        if key not in allowed:
            raise _unknown(key, allowed, own, f"{path}.{key}")
    if own != kind:
        for key in REQUIRED[own]:
            if key not in case:
                raise SchemaError(f"a case that switches to {own} needs '{key}'", path)


def _by_values(name: str, spec: dict, props: dict, raw: dict, required: set[str]) -> set[str]:
    """The JSON-text values of the `by` field, which must be categorical."""
    by, path = spec["by"], f"{_path(name)}.by"
    if by not in props:
        hint = difflib.get_close_matches(by, list(props), n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise SchemaError(f"'by' names {by!r}, which is not a field of the record{extra}", path)
    node, space = props[by], field_space(props[by])
    values: set[str] = set()
    if "enum" in node:
        values = {text_key(v) for v in node["enum"]}
    elif "const" in node:
        values = {text_key(node["const"])}
    elif space.kind == "boolean":
        values = {"true", "false"}
    elif isinstance(raw.get(by), dict) and raw[by].get("kind") in ("categorical", "constant"):
        other = raw[by]
        for part in [other, *(other.get("cases") or {}).values()]:
            if isinstance(part.get("weights"), dict):
                values |= set(part["weights"])
            if "value" in part:
                values.add(text_key(part["value"]))
    else:
        raise SchemaError(
            f"'by' names {by!r}, which is not categorical (an enum, a boolean or a categorical x-distribution)", path
        )
    if space.nullable or by not in required:
        values.add("null")
    return values


def _check_cycles(raw: dict[str, Any], names: list[str]) -> None:
    for start in names:
        if start not in raw:
            continue
        chain, current = [start], raw[start].get("by")
        while current in raw and current not in chain:
            chain.append(current)
            current = raw[current].get("by")
        if current == start:
            loop = " -> ".join([*chain, start])
            raise SchemaError(f"x-distribution 'by' forms a cycle: {loop}", f"{_path(start)}.by")


def _resolve(name: str, spec: dict[str, Any], node: dict[str, Any], by_values: set[str] | None) -> Declared:
    path = _path(name)
    space = field_space(node)
    validator = _validator_for(node)
    params = {k: v for k, v in spec.items() if k not in _STRUCTURE}
    paths = {k: f"{path}.{k}" for k in spec}
    base = check_group(name, spec["kind"], params, paths, space, validator)
    cases = []
    for key, case in (spec.get("cases") or {}).items():
        where = f"{path}.cases.{key}"
        if by_values is not None and key not in by_values:
            shown = ", ".join(sorted(by_values))
            raise SchemaError(f"{key!r} is not a value of {spec['by']!r} (its values: {shown})", where)
        kind = case.get("kind", spec["kind"])
        if kind == spec["kind"]:
            merged, merged_paths = {**params, **case}, {**paths, **{k: f"{where}.{k}" for k in case}}
        else:
            kept = {k: params[k] for k in EXTRAS if k in params and (k not in CLOCK or kind in CONTINUOUS)}
            merged = {**kept, **case}
            merged_paths = {**{k: paths[k] for k in kept}, **{k: f"{where}.{k}" for k in case}}
        merged.pop("kind", None)
        merged_paths.setdefault("kind", paths["kind"])
        cases.append((key, check_group(name, kind, merged, merged_paths, space, validator)))
    return Declared(name, path, space, base, spec.get("by"), tuple(cases))


def _validator_for(node: dict[str, Any]):
    from synth_gradio.schema.validation import compile_validator

    return compile_validator({k: v for k, v in node.items() if not k.startswith("x-")})
