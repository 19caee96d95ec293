"""Describe in words with a capable model: the field library drafts, the model adds what the library missed.

The library's draft (schema/describe.py) carries the shapes code knows best: skewed money, pay by
level, rules between fields, industry value lists. A capable backend (a remote endpoint, a GPU model,
a downloaded GGUF) is asked, under a JSON schema, for the fields a reader of the description would
expect; each proposed field the draft lacks is checked on its own (a valid name, type and bounds)
and added. A model that answers badly, or not at all, leaves the library draft as it was, with a
note saying so: the user always gets a usable draft.
"""

from __future__ import annotations

import json
import re
from typing import Any

from synth_gradio.backends.base import Backend, CompletionRequest, GenerationParams
from synth_gradio.engine.parse import parse_object
from synth_gradio.errors import SynthError
from synth_gradio.schema.describe import Draft
from synth_gradio.schema.model import load_schema

MAX_ADDED = 12
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
# Words of the request itself: a small model echoes them ("snake_case_name", "type", "value") as fields.
_ECHO = {"snake", "case", "name", "type", "types", "description", "value", "values", "field", "fields", "string"}
_ECHO |= {"integer", "number", "boolean", "date", "category", "bound", "bounds", "minimum", "maximum", "length"}
_TYPES = ("string", "integer", "number", "boolean", "date", "category")
PROPOSAL = {
    "type": "object",
    "properties": {
        "fields": {
            "type": "array",
            "minItems": 3,
            "maxItems": 20,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,40}$"},
                    "type": {"enum": list(_TYPES)},
                    "description": {"type": "string", "maxLength": 120},
                    "values": {"type": "array", "items": {"type": "string", "maxLength": 40}, "maxItems": 12},
                    "minimum": {"type": "number"},
                    "maximum": {"type": "number"},
                },
                "required": ["name", "type", "description"],
            },
        }
    },
    "required": ["fields"],
}


def with_model(text: str, draft: Draft, backend: Backend) -> Draft:
    """`draft` plus the fields `backend` proposes for `text` that it lacks (the draft alone on failure)."""
    prompt = (
        "You design datasets. For the description below, list the fields one record should have: a snake_case "
        "name, a type (string, integer, number, boolean, date or category), a short description, the values "
        "of a category, and bounds of numbers.\n"
        f"Description: {text.strip()}\nAnswer with JSON only.\n"
    )
    request = CompletionRequest(prompt, [""], PROPOSAL, GenerationParams(temperature=0.2, max_tokens=1024, seed=0))
    model = getattr(backend, "model", "") or backend.kind
    try:
        (completion,) = backend.complete(request)
        if completion.error is not None:
            raise completion.error
    except SynthError as exc:
        return _noted(draft, f"{model} did not draft fields ({exc}); the draft comes from the field library")
    proposal, _ = parse_object(completion.text)
    added = _added(draft.schema, (proposal or {}).get("fields"))
    if not added:
        return _noted(draft, f"{model} proposed no field the library draft lacks")
    schema = json.loads(json.dumps(draft.schema))
    schema["properties"].update(added)
    schema["required"] = [*schema.get("required", []), *added]
    return Draft(schema, draft.n, [*draft.notes, f"{model} added: {', '.join(added)}"])


def _added(schema: dict[str, Any], fields: Any) -> dict[str, dict[str, Any]]:
    """The proposed fields, as JSON schema nodes, that are new to `schema` and valid on their own."""
    have = {_key(name) for name in schema["properties"]}
    out: dict[str, dict[str, Any]] = {}
    for item in fields if isinstance(fields, list) else []:
        if not isinstance(item, dict) or not _plausible(str(item.get("name", ""))):
            continue
        name = str(item["name"])
        node = _node(item)
        if node is None or _key(name) in have or len(out) >= MAX_ADDED:
            continue
        try:
            load_schema({"title": "check", "type": "object", "properties": {name: node}, "required": [name]})
        except SynthError:
            continue
        have.add(_key(name))
        out[name] = node
    return out


def _node(item: dict[str, Any]) -> dict[str, Any] | None:
    kind, description = item.get("type"), str(item.get("description") or "")[:120]
    values = [str(v) for v in item.get("values") or [] if str(v).strip()]
    if kind == "category" or (kind == "string" and len(set(values)) >= 2):
        distinct = list(dict.fromkeys(values))
        return {"enum": distinct, "description": description} if len(distinct) >= 2 else None
    if kind == "date":
        return {"type": "string", "format": "date", "description": description}
    if kind in ("integer", "number"):
        node: dict[str, Any] = {"type": kind, "description": description}
        low, high = item.get("minimum"), item.get("maximum")
        if isinstance(low, int | float) and isinstance(high, int | float) and low < high:
            node.update(minimum=low, maximum=high)
        return node
    if kind in ("string", "boolean"):
        return {"type": kind, "description": description}
    return None


def _plausible(name: str) -> bool:
    """A field name a person would write: snake_case, no word twice, not only words of the request."""
    words = name.split("_")
    return bool(_NAME.match(name)) and len(set(words)) == len(words) and not set(words) <= _ECHO


def _key(name: str) -> str:
    """What makes two names the same field: case, underscores and plural endings aside (seat = seats)."""
    return "".join(_singular(word) for word in name.lower().split("_"))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "uses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _noted(draft: Draft, note: str) -> Draft:
    return Draft(draft.schema, draft.n, [*draft.notes, note])
