"""Local `$ref`s, `anyOf`-with-null and one-schema `allOf` turned into the plain subset the engine reads.

Pydantic's `model_json_schema()` puts every nested model under `$defs` and points at it with
`{"$ref": "#/$defs/Name"}`, writes `Optional[X]` as `anyOf: [X, {"type": "null"}]` and older
versions wrap a described reference in `allOf`. Resolving these before the schema is checked lets
such schemas load unchanged; the result is an equivalent schema without references.

Limits, each a SchemaError naming the JSON path: only references inside the document (`#/...`);
no recursive reference (a record cannot contain itself); at most MAX_DEPTH nested objects or
arrays; at most MAX_NODES schema nodes after expansion (a few definitions used many times over
could otherwise expand exponentially); raw JSON nested at most MAX_JSON_DEPTH containers deep.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from synth_gradio.errors import SchemaError

MAX_DEPTH = 32
MAX_NODES = 5000
MAX_JSON_DEPTH = 500
_DEFS = ("$defs", "definitions")
_UNIONS = ("anyOf",)  # oneOf stays unsupported: folding it into a type list could accept values it refuses
_NULL = {"type": "null"}
_SCHEMA_KEYS = {"type", "properties", "$ref", "allOf", "anyOf", "items"}


def check_json_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than `limit` containers, before anything recurses into it."""
    stack: list[tuple[Any, str, int]] = [(value, "$", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > limit:
            raise SchemaError(f"the JSON is nested more than {limit} levels deep; flatten it", short_path(path))
        if isinstance(node, dict):
            stack.extend((child, f"{path}.{key}", depth + 1) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(node))


def resolve_refs(raw: dict[str, Any]) -> dict[str, Any]:
    """A copy of `raw` with local references inlined and Optional unions folded into type lists."""
    check_json_depth(raw)
    resolver = _Resolver(raw)
    if not _SCHEMA_KEYS & set(raw):  # the {"name": {"type": ...}} shorthand: every key is a field
        return {name: resolver.node(node, f"$.properties.{name}", ("#",), 1) for name, node in raw.items()}
    return resolver.node({k: v for k, v in raw.items() if k not in _DEFS}, "$", ("#",), 0)


class _Resolver:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.count = 0

    def node(self, node: Any, path: str, refs: tuple[str, ...], depth: int) -> Any:
        if not isinstance(node, dict):
            return node  # not a schema object: the checker reports it with its path
        self.count += 1
        if self.count > MAX_NODES:
            raise SchemaError(
                f"the schema expands to more than {MAX_NODES} fields and items once its references are "
                "inlined; reuse fewer definitions or split the record",
                short_path(path),
            )
        if "$ref" in node:
            return self._ref(node, path, refs, depth)
        if "allOf" in node:
            return self._all_of(node, path, refs, depth)
        if any(key in node for key in _UNIONS):
            return self._union(node, path, refs, depth)
        out = {k: v for k, v in node.items() if k not in _DEFS}
        if isinstance(node.get("properties"), dict):
            if depth >= MAX_DEPTH:
                raise SchemaError(_too_deep(), short_path(path))
            out["properties"] = {
                name: self.node(child, f"{path}.properties.{name}", refs, depth + 1)
                for name, child in node["properties"].items()
            }
        if isinstance(node.get("items"), dict):
            if depth >= MAX_DEPTH:
                raise SchemaError(_too_deep(), short_path(path))
            out["items"] = self.node(node["items"], f"{path}.items", refs, depth + 1)
        return out

    def _ref(self, node: dict[str, Any], path: str, refs: tuple[str, ...], depth: int) -> dict[str, Any]:
        ref = node["$ref"]
        where = f"{path}.$ref"
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise SchemaError(
                f"only references inside the schema (such as '#/$defs/Name') are supported, got {ref!r}", where
            )
        if ref in refs:
            raise SchemaError(
                f"recursive reference {ref!r}: a record cannot contain itself; cut the cycle, for example "
                "with a list of ids instead of nested records",
                where,
            )
        target = self._pointer(ref, where)
        resolved = self.node(target, path, (*refs, ref), depth)
        siblings = self.node({k: v for k, v in node.items() if k != "$ref"}, path, refs, depth)
        self.count -= 1  # the siblings are not a node of their own
        if not isinstance(resolved, dict):
            raise SchemaError(f"reference {ref!r} does not point at a schema object", where)
        return {**resolved, **siblings}

    def _pointer(self, ref: str, where: str) -> Any:
        target: Any = self.root
        for raw_part in unquote(ref[1:]).split("/")[1:]:
            part = raw_part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                raise SchemaError(f"reference {ref!r} points at nothing in this schema", where)
        return target

    def _all_of(self, node: dict[str, Any], path: str, refs: tuple[str, ...], depth: int) -> dict[str, Any]:
        parts = node["allOf"]
        if not isinstance(parts, list) or len(parts) != 1:
            raise SchemaError("'allOf' is supported with exactly one schema (a described reference)", f"{path}.allOf")
        inner = self.node(parts[0], f"{path}.allOf[0]", refs, depth)
        rest = self.node({k: v for k, v in node.items() if k != "allOf"}, path, refs, depth)
        return {**inner, **rest} if isinstance(inner, dict) else inner

    def _union(self, node: dict[str, Any], path: str, refs: tuple[str, ...], depth: int) -> dict[str, Any]:
        key = next(k for k in _UNIONS if k in node)
        options = node[key]
        where = f"{path}.{key}"
        if not isinstance(options, list) or not options:
            raise SchemaError(f"'{key}' must be a non-empty list of schemas", where)
        resolved = [self.node(o, f"{where}[{i}]", refs, depth) for i, o in enumerate(options)]
        rest = self.node({k: v for k, v in node.items() if k != key}, path, refs, depth)
        self.count -= 1
        nullable = any(o == _NULL for o in resolved)
        kept = [o for o in resolved if o != _NULL]
        if len(kept) == 1 and isinstance(kept[0], dict):
            merged = {**kept[0], **rest}
        elif kept and all(isinstance(o, dict) and set(o) == {"type"} and isinstance(o["type"], str) for o in kept):
            merged = {**rest, "type": [o["type"] for o in kept]}  # anyOf of bare types: a type list
        else:
            raise SchemaError(
                f"'{key}' is supported for one schema or null (Optional[...]) and for a choice of bare types; "
                "describe the field with one schema",
                where,
            )
        return _with_null(merged) if nullable else merged


def _with_null(node: dict[str, Any]) -> dict[str, Any]:
    """The node that also accepts null: 'null' added to its type, enum and const."""
    out = dict(node)
    t = out.get("type")
    if isinstance(t, str) and t != "null":
        out["type"] = [t, "null"]
    elif isinstance(t, list) and "null" not in t:
        out["type"] = [*t, "null"]
    if "const" in out:
        out["enum"] = [out.pop("const"), None]
    elif isinstance(out.get("enum"), list) and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out


def _too_deep() -> str:
    return f"the schema nests objects and arrays more than {MAX_DEPTH} levels deep; flatten it"


def short_path(path: str, keep: int = 48) -> str:
    """A JSON path short enough for one sentence: its start and its end."""
    return path if len(path) <= 2 * keep + 5 else f"{path[:keep]} ... {path[-keep:]}"
