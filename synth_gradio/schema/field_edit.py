"""Editing one field as people think of it (a kind, its values and shares, a range, a typical value,
a length, "rises with level"), written back into the JSON schema so the JSON round-trips exactly.

A form read from a field and applied unchanged leaves the schema byte for byte as it was: only the
keys behind a changed setting are rewritten, and keys the form does not show (examples, formats,
x-rules, other extensions) stay. Changing the kind rebuilds the field from that kind's defaults.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.schema.field_kinds import KIND_NODES, KINDS
from synth_gradio.schema.friendly import kind_of

_SHARE = re.compile(r"^\s*(.+?)\s+(\d+(?:\.\d+)?)\s*%?\s*$")
_DEPENDS = re.compile(r"^\s*(rises|grows|increases|falls|drops|decreases|depends)\s+(?:with|on)\s+(\w+)\s*$", re.I)
STEP = 1.25  # each next value of the field a number rises with multiplies its typical value by this


@dataclass
class FieldForm:
    """What the field editor shows for one field; every setting is text so an empty box means "not set"."""

    name: str
    kind: str
    description: str = ""
    values: str = ""  # "basic 50, pro 30, enterprise 20" (shares optional)
    low: str = ""
    high: str = ""
    typical: str = ""
    length: str = ""
    depends: str = ""  # "rises with level"


def _props(schema: dict[str, Any]) -> dict[str, Any]:
    props = schema.get("properties")
    if not isinstance(props, dict):
        raise InputError("the schema has no fields yet; draft one or pick a template first")
    return props


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_form(schema: dict[str, Any], name: str) -> FieldForm:
    """The form for field `name` of the schema."""
    node = _props(schema).get(name)
    if not isinstance(node, dict):
        raise InputError(f"there is no field {name!r}; pick one from the list")
    spec = node.get("x-distribution") if isinstance(node.get("x-distribution"), dict) else {}
    form = FieldForm(name=name, kind=kind_of(name, node), description=str(node.get("description", "")))
    if "enum" in node:
        weights = spec.get("weights") if spec.get("kind") == "categorical" and not spec.get("by") else None
        if isinstance(weights, dict):
            total = sum(float(w) for w in weights.values()) or 1.0
            form.values = ", ".join(f"{v} {100 * float(weights.get(str(v), 0)) / total:g}" for v in node["enum"])
        else:
            form.values = ", ".join(_text(v) for v in node["enum"])
    form.low = _text(spec.get("low", node.get("minimum")))
    form.high = _text(spec.get("high", node.get("maximum")))
    form.typical = _text(spec.get("median", spec.get("mean")))
    form.length = _text(node.get("maxLength")) if "enum" not in node else ""
    if spec.get("by"):
        form.depends = f"depends on {spec['by']}"
    return form


def _parse_values(text: str, kind: str) -> tuple[list[Any], dict[str, float] | None]:
    values: list[Any] = []
    shares: dict[str, float] = {}
    for part in [p for p in text.split(",") if p.strip()]:
        match = _SHARE.match(part)
        value, share = (match.group(1), float(match.group(2))) if match else (part.strip(), None)
        values.append(value)
        if share is not None:
            shares[value] = _whole(share)
    if len(values) < 2:
        raise InputError(
            "a category needs at least two values, separated by commas (shares optional: 'basic 60, pro 40')"
        )
    if len(set(values)) < len(values):
        raise InputError("a category's values must differ from each other")
    if shares and len(shares) < len(values):
        raise InputError("give a share for every value, or for none ('basic 60, pro 30, enterprise 10')")
    if shares and sum(shares.values()) <= 0:
        raise InputError("the shares must add up to more than 0")
    return values, shares or None


def _number(text: str, what: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise InputError(f"{what} must be a number, not {text!r}") from None


def _whole(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def apply_form(schema: dict[str, Any], old_name: str | None, form: FieldForm) -> dict[str, Any]:
    """A copy of the schema with the field written from the form (`old_name` None: a new field)."""
    out = copy.deepcopy(schema)
    props = _props(out)
    name = re.sub(r"\W+", "_", form.name.strip()).strip("_")
    if not name:
        raise InputError("a field needs a name (letters, digits and underscores)")
    if name != old_name and name in props:
        raise InputError(f"there is already a field {name!r}")
    if form.kind not in KIND_NODES:
        raise InputError(f"choose a kind from the list ({', '.join(KINDS[:6])} ...)")
    before = read_form(schema, old_name) if old_name else None
    if before is not None and asdict(before) == asdict(form):
        return out  # nothing changed: the JSON stays exactly as it was
    node = copy.deepcopy(props[old_name]) if old_name else {}
    if before is None or before.kind != form.kind:
        node = KIND_NODES[form.kind]()
        before = None
    changed = (lambda key: True) if before is None else (lambda key: getattr(before, key) != getattr(form, key))
    if changed("description"):
        node["description"] = form.description.strip()
        if not node["description"]:
            node.pop("description")
    _apply_settings(node, form, changed)
    if changed("depends"):
        _apply_depends(node, form.depends, props, name)
    rebuilt = {}
    for key, value in props.items():  # the field keeps its place; a renamed one too
        rebuilt[name if key == old_name else key] = node if key == old_name else value
    if old_name is None:
        rebuilt[name] = node
    out["properties"] = rebuilt
    _follow(out, old_name, name, node.get("enum") if before is None or changed("values") else None)
    required = out.get("required")
    if isinstance(required, list):
        out["required"] = [name if r == old_name else r for r in required] + ([name] if old_name is None else [])
    return out


def _follow(schema: dict[str, Any], old: str | None, new: str, values: list[Any] | None) -> None:
    """Keep what refers to the field true: a renamed field is renamed where other fields depend on it
    and in the rules; a category's removed values lose their cases in the fields that depend on it."""
    if old is None:
        return
    for node in schema["properties"].values():
        spec = node.get("x-distribution") if isinstance(node, dict) else None
        if not isinstance(spec, dict) or spec.get("by") != old:
            continue
        spec["by"] = new
        if values is not None and isinstance(spec.get("cases"), dict):
            kept = {str(v) for v in values}
            spec["cases"] = {k: v for k, v in spec["cases"].items() if k in kept}
    if old == new:
        return
    for rule in schema.get("x-rules") or []:
        for part in (rule, rule.get("if"), rule.get("then")):
            if isinstance(part, dict):
                for key in ("field", "left", "right", "target", "from", "to"):
                    if part.get(key) == old:
                        part[key] = new
        if isinstance(rule.get("expr"), str):
            rule["expr"] = re.sub(rf"\b{re.escape(old)}\b", new, rule["expr"])


def _apply_settings(node: dict[str, Any], form: FieldForm, changed: Any) -> None:
    spec = node.get("x-distribution") if isinstance(node.get("x-distribution"), dict) else None
    if "enum" in node and changed("values"):
        values, shares = _parse_values(form.values, form.kind)
        node["enum"] = values
        if shares:
            node["x-distribution"] = {"kind": "categorical", "weights": shares}
        else:
            node.pop("x-distribution", None)
    dated = node.get("format") in ("date", "date-time")
    for key, bound in (("low", "minimum"), ("high", "maximum")):
        if not changed(key) or "enum" in node:
            continue
        text = getattr(form, key).strip()
        if dated and spec is not None:
            if text:
                spec[key] = text
            else:
                spec.pop(key, None)
        elif text:
            node[bound] = _whole(_number(text, "from" if key == "low" else "to"))
        else:
            node.pop(bound, None)
    if changed("typical") and spec is not None and form.typical.strip():
        value = _whole(_number(form.typical, "the typical value"))
        spec["median" if spec.get("kind") == "lognormal" else "mean"] = value
    if changed("length") and form.length.strip() and "enum" not in node:
        node["maxLength"] = int(_number(form.length, "the length"))


def _apply_depends(node: dict[str, Any], text: str, props: dict[str, Any], name: str) -> None:
    """'rises with level': the typical value steps up with each value of `level` (down for 'falls')."""
    spec = node.get("x-distribution")
    if not text.strip():
        if isinstance(spec, dict):
            spec.pop("by", None)
            spec.pop("cases", None)
        return
    match = _DEPENDS.match(text)
    if match is None:
        raise InputError("write a dependency as 'rises with FIELD', 'falls with FIELD' or 'depends on FIELD'")
    verb, other = match.group(1).lower(), match.group(2)
    source = props.get(other)
    if other == name or not isinstance(source, dict) or "enum" not in source:
        raise InputError(f"{name} can depend only on a category field of this schema, and {other!r} is not one")
    key = {"lognormal": "median", "normal": "mean"}.get(spec.get("kind")) if isinstance(spec, dict) else None
    if key is None:
        raise InputError(
            f"{name} has no typical value to move; give it one (an amount of money or a number with a typical value)"
        )
    step = 1 / STEP if verb in ("falls", "drops", "decreases") else STEP
    center = float(spec[key])
    values = source["enum"]
    middle = (len(values) - 1) / 2
    cases = {}
    for i, value in enumerate(values):
        moved = center * step ** (i - middle)
        cases[str(value)] = {key: _whole(round(moved)) if node.get("type") == "integer" else round(moved, 2)}
    spec["by"], spec["cases"] = other, cases
