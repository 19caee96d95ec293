"""Coherence rules: declarative, stored as data under a schema's top-level "x-rules" list.

Kinds (each a JSON object with "kind" and an optional "name"):
- conditional: {"if": {"field": F, "equals": V | "in": [...]}, "then": {"field": G, "pattern" | "enum" | "minimum"/"maximum"}}
  fix "clamp" (default when min/max are given) moves the value into range; patterns and enums
  have no fix, so violations are rejected.
- compare: {"left": A, "op": "<" | "<=" | "==" | "!=" | ">" | ">=", "right": B}  (numbers or ISO dates)
  fix "swap" (default for < and <=) exchanges the two values.
- arithmetic: {"target": T, "expr": "quantity * unit_price"} or {"target": T, "sum": "items[].price"},
  "tolerance" (default 0.01); fix "recompute" (default) writes the computed value.
- map: {"from": F, "to": G, "values": {"DE": "EUR", ...}, "prefix": false}; with "prefix": true the
  target must start with the mapped value (country -> phone prefix). Fix "map" (default) sets it.
- derived: {"target": T, "from": F, "function": "years_since", "reference": "2025-12-31"}; fix "recompute".
- gap: {"from": A, "to": B, "unit": "minutes", "min": 10, "max": 90, "median": 25, "step": 5}: B lies
  that far after A (schema/gaps.py); fix "redraw" (default) draws the gap again.
Each rule checks a record and may fix it; the engine re-validates fixed records against the schema.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from synth_gradio.errors import SchemaError
from synth_gradio.schema.dateparts import date_part
from synth_gradio.schema.gaps import check_gap, describe_gap, fix_gap, gap_problem
from synth_gradio.schema.phones import with_prefix

KINDS = ("conditional", "compare", "arithmetic", "map", "derived", "gap")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITH = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return value
    return value


def _path_values(record: dict[str, Any], path: str) -> list[Any]:
    """Values at "items[].price" (every element's price) or "a.b" (nested)."""
    current: list[Any] = [record]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        nxt: list[Any] = []
        for item in current:
            value = item.get(key) if isinstance(item, dict) else None
            if many and isinstance(value, list):
                nxt.extend(value)
            elif value is not None:
                nxt.append(value)
        current = nxt
    return current


def _eval(node: ast.AST, record: dict[str, Any]) -> float:
    if isinstance(node, ast.Expression):
        return _eval(node.body, record)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        value = record.get(node.id)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(f"{node.id} is not a number")
        return float(value)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        return _ARITH[type(node.op)](_eval(node.left, record), _eval(node.right, record))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, record)
    raise ValueError("unsupported expression")


@dataclass
class Rule:
    spec: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.spec["kind"]

    @property
    def name(self) -> str:
        return str(self.spec.get("name") or self.describe())

    def fields(self) -> tuple[list[str], list[str]]:
        """(parent fields, child fields): parents are fixed first and children conditioned on them."""
        s = self.spec
        if self.kind == "conditional":
            return [s["if"]["field"]], [s["then"]["field"]]
        if self.kind == "compare":
            return [s["left"]], [s["right"]]
        if self.kind == "arithmetic":
            names = (
                sorted({n.id for n in ast.walk(ast.parse(s["expr"], mode="eval")) if isinstance(n, ast.Name)})
                if "expr" in s
                else [s["sum"].split("[]")[0]]
            )
            return names, [s["target"]]
        if self.kind in ("map", "gap"):
            return [s["from"]], [s["to"]]
        return [s["from"]], [s["target"]]

    def describe(self) -> str:
        s = self.spec
        if self.kind == "conditional":
            cond = s["if"]
            when = (
                f"{cond['field']} is {cond['equals']!r}"
                if "equals" in cond
                else f"{cond['field']} is one of {cond['in']}"
            )
            then = s["then"]
            need = (
                f"matches {then['pattern']}"
                if "pattern" in then
                else f"is one of {then['enum']}"
                if "enum" in then
                else f"is between {then.get('minimum', '-inf')} and {then.get('maximum', 'inf')}"
            )
            return f"when {when}, {then['field']} {need}"
        if self.kind == "compare":
            return f"{s['left']} {s['op']} {s['right']}"
        if self.kind == "arithmetic":
            return f"{s['target']} = {s.get('expr') or 'sum of ' + s['sum']}"
        if self.kind == "map":
            pairs = ", ".join(f"{k}->{v}" for k, v in list(s["values"].items())[:6])
            return f"{s['to']} {'starts with' if s.get('prefix') else 'follows'} {s['from']} ({pairs})"
        if self.kind == "gap":
            return describe_gap(s)
        return f"{s['target']} = {s.get('part') or s.get('function', 'years_since')}({s['from']})"

    # ----- checking ---------------------------------------------------------------------------------
    def check(self, record: dict[str, Any]) -> str | None:
        """None when the record satisfies the rule (or the rule does not apply), else why not."""
        try:
            return getattr(self, f"_check_{self.kind}")(record)
        except (TypeError, ValueError, ZeroDivisionError):
            return f"{self.name}: cannot be checked on these values"

    def _check_conditional(self, r: dict[str, Any]) -> str | None:
        cond, then = self.spec["if"], self.spec["then"]
        value = r.get(cond["field"])
        applies = value == cond["equals"] if "equals" in cond else value in cond.get("in", [])
        if not applies or then["field"] not in r:
            return None
        target = r[then["field"]]
        ok = True
        if "pattern" in then:
            ok = isinstance(target, str) and re.search(then["pattern"], target) is not None
        if "enum" in then:
            ok = ok and target in then["enum"]
        if "minimum" in then:
            ok = ok and target is not None and target >= then["minimum"]
        if "maximum" in then:
            ok = ok and target is not None and target <= then["maximum"]
        return None if ok else f"{self.name}: got {target!r}"

    def _check_compare(self, r: dict[str, Any]) -> str | None:
        s = self.spec
        if r.get(s["left"]) is None or r.get(s["right"]) is None:
            return None
        ok = _OPS[s["op"]](_comparable(r[s["left"]]), _comparable(r[s["right"]]))
        return None if ok else f"{self.name}: got {r[s['left']]!r} and {r[s['right']]!r}"

    def _expected(self, r: dict[str, Any]) -> float:
        s = self.spec
        if "expr" in s:
            return _eval(ast.parse(s["expr"], mode="eval"), r)
        values = _path_values(r, s["sum"])
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise ValueError("non-numeric values")
        return float(sum(values))

    def _check_arithmetic(self, r: dict[str, Any]) -> str | None:
        s = self.spec
        if r.get(s["target"]) is None:
            return None
        expected = self._expected(r)
        tolerance = float(s.get("tolerance", 0.01))
        return (
            None
            if abs(float(r[s["target"]]) - expected) <= tolerance
            else f"{self.name}: expected {round(expected, 6)}, got {r[s['target']]}"
        )

    def _check_map(self, r: dict[str, Any]) -> str | None:
        s = self.spec
        source, target = r.get(s["from"]), r.get(s["to"])
        if source not in s["values"] or target is None:
            return None
        want = s["values"][source]
        ok = str(target).startswith(str(want)) if s.get("prefix") else target == want
        return (
            None
            if ok
            else f"{self.name}: {s['from']}={source!r} needs {s['to']} {'starting with ' if s.get('prefix') else ''}{want!r}, got {target!r}"
        )

    def _check_gap(self, r: dict[str, Any]) -> str | None:
        s = self.spec
        return None if check_gap(s, r) else f"{self.name}: got {r[s['from']]!r} and {r[s['to']]!r}"

    def _derived_value(self, r: dict[str, Any]) -> Any:
        s = self.spec
        if s.get("function") == "date_part":  # implied by names (schema/dateparts.py)
            return date_part(r[s["from"]], s["part"], s.get("values"))
        start = dt.date.fromisoformat(str(r[s["from"]])[:10])
        ref = dt.date.fromisoformat(s.get("reference", dt.date.today().isoformat()))
        return ref.year - start.year - ((ref.month, ref.day) < (start.month, start.day))

    def _check_derived(self, r: dict[str, Any]) -> str | None:
        s = self.spec
        if r.get(s["from"]) is None or r.get(s["target"]) is None:
            return None
        expected = self._derived_value(r)
        return None if r[s["target"]] == expected else f"{self.name}: expected {expected}, got {r[s['target']]}"

    # ----- fixing -----------------------------------------------------------------------------------
    def fix(self, record: dict[str, Any], drawn: bool = False, rng: random.Random | None = None) -> bool:
        """Repair the record in place when this rule has a fix; True when something changed. `drawn`:
        the values were drawn in code, so a gap is drawn whether or not it holds (two dates drawn on
        their own mostly lie inside a wide gap, spread evenly); `rng`: the run's random source for
        what a fix draws (else drawn from the value, so it repeats)."""
        s = self.spec
        fix = s.get(
            "fix",
            {
                "compare": "swap" if s.get("op") in ("<", "<=", ">", ">=") else None,
                "arithmetic": "recompute",
                "map": "map",
                "derived": "recompute",
                "gap": "redraw",
            }.get(self.kind),
        )
        if not fix or fix == "none" or (self.check(record) is None and not (drawn and self.kind == "gap")):
            return False
        try:
            if self.kind == "compare" and fix == "swap":
                record[s["left"]], record[s["right"]] = record[s["right"]], record[s["left"]]
            elif self.kind == "arithmetic":
                value = self._expected(record)
                record[s["target"]] = (
                    round(value, 2) if isinstance(record[s["target"]], float) or value % 1 else int(value)
                )
            elif self.kind == "map":
                want = s["values"][record[s["from"]]]
                if s.get("prefix"):
                    record[s["to"]] = with_prefix(str(record[s["to"]]), str(want), str(record[s["from"]]))
                else:
                    record[s["to"]] = want
            elif self.kind == "derived":
                record[s["target"]] = self._derived_value(record)
            elif self.kind == "gap":
                return fix_gap(s, record, rng)
            elif self.kind == "conditional" and fix == "clamp":
                then = s["then"]
                value = record[then["field"]]
                value = max(value, then.get("minimum", value))
                record[then["field"]] = min(value, then.get("maximum", value))
            else:
                return False
        except (TypeError, ValueError, KeyError, ZeroDivisionError, OverflowError):
            return False
        return True


def load_rules(raw: Any, field_names: set[str]) -> list[Rule]:
    """Check the rule list of a schema; errors name the rule's JSON path."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SchemaError("'x-rules' must be a list of rule objects", "$.x-rules")
    rules = []
    for i, spec in enumerate(raw):
        path = f"$.x-rules[{i}]"
        if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
            raise SchemaError(f"each rule needs a 'kind': one of {', '.join(KINDS)}", path)
        rule = Rule(spec)
        try:
            if rule.kind == "compare" and spec.get("op") not in _OPS:
                raise SchemaError(f"'op' must be one of {', '.join(_OPS)}", f"{path}.op")
            if rule.kind == "arithmetic" and "expr" in spec:
                _eval_check(spec["expr"], path)
            if rule.kind == "gap" and (problem := gap_problem(spec)):
                raise SchemaError(problem, path)
            parents, children = rule.fields()
        except KeyError as exc:
            raise SchemaError(f"a {rule.kind} rule needs {exc.args[0]!r}", path) from None
        for name in parents + children:
            if name.split(".")[0].replace("[]", "") not in field_names:
                raise SchemaError(f"rule refers to unknown field {name!r}", path)
        rules.append(rule)
    return rules


def _eval_check(expr: str, path: str) -> None:
    try:
        tree = ast.parse(str(expr), mode="eval")
    except SyntaxError:
        raise SchemaError(f"cannot parse expression {expr!r}", f"{path}.expr") from None
    for node in ast.walk(tree):
        if (
            not isinstance(
                node, ast.Expression | ast.BinOp | ast.UnaryOp | ast.Name | ast.Constant | ast.Load | ast.USub
            )
            and type(node) not in _ARITH
        ):
            raise SchemaError(f"only + - * / numbers and field names are allowed in {expr!r}", f"{path}.expr")


def in_order(rules: list[Rule]) -> list[Rule]:
    """The order rules are fixed in: rules that touch no gap's later field first (they may move a
    gap's earlier one), then the gaps, each after the gap that writes its start (created -> starts ->
    ends), then rules on a gap's later field (an order rule on the same pair then holds rather than
    swapping in the later value's own draw)."""
    gaps = [r for r in rules if r.kind == "gap"]
    ends = {r.spec["to"] for r in gaps}

    def touches(rule: Rule) -> bool:
        parents, children = rule.fields()
        return bool({n.split(".")[0].replace("[]", "") for n in parents + children} & ends)

    chained: list[Rule] = []
    while gaps:  # a gap whose start another pending gap writes waits for it (a cycle: listed order)
        ready = next((g for g in gaps if not any(o.spec["to"] == g.spec["from"] for o in gaps if o is not g)), gaps[0])
        chained.append(ready)
        gaps.remove(ready)
    others = [r for r in rules if r.kind != "gap"]
    return [r for r in others if not touches(r)] + chained + [r for r in others if touches(r)]


def apply_rules(rules: list[Rule], record: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Check, fix what can be fixed (in_order), check again: (violations before, violations after)."""
    before = [msg for rule in rules if (msg := rule.check(record))]
    if before:
        for rule in in_order(rules):
            rule.fix(record)
    after = [msg for rule in rules if (msg := rule.check(record))] if before else []
    return before, after
