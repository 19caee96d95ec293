"""A description in words becomes a draft schema: "500 customer complaints for a telecom company".

Offline and instant, from our own library (field_kits, entity_fields): the kind of record a
description names gives the fields such a record usually holds; the industry it names gives the
value lists a reader expects there; fields it lists ("with name, email and signup date") replace
the usual ones; a count in it becomes the number of records. Free text is described with its writer
("the customer's complaint to a telecom company"), so the model writes it in that voice and the
engine checks it agrees with the record. A capable model can refine the draft (studio.describe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.schema.describe_input import EXAMPLE, check_description
from synth_gradio.schema.domains import DOMAINS
from synth_gradio.schema.entity_fields import MAKERS, RULES, field_node
from synth_gradio.schema.field_kits import ENTITIES, ENTITY_WORDS, FIELDS

MAX_RECORDS = 100_000
_WORD = re.compile(r"[a-z][a-z'-]*")
_COUNT = re.compile(r"\b(\d{1,3}(?:[,_ ]\d{3})+|\d+(?:\.\d+)?\s*[kK]\b|\d+)\b")
_LIST_START = re.compile(
    r"\b(?:with|include|including|includes|containing|having|fields?|columns?|showing|listing)\b[:\s]|:\s",
    re.IGNORECASE,
)
_SPLIT = re.compile(r",|;|\band\b|\bplus\b|/|\n", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:their|its|his|her|the|a|an|each|every|one|some|also|with|including|and|of|for|plus|its own)\s+",
    re.IGNORECASE,
)
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "for",
    "to",
    "in",
    "on",
    "at",
    "by",
    "and",
    "or",
    "with",
    "from",
    "per",
    "each",
    "whether",
    "they",
    "it",
    "were",
    "was",
    "is",
    "are",
    "has",
    "have",
    "their",
    "its",
    "if",
    "not",
}
_UNNAMED = {"the", "a", "an", "whether", "they", "it", "were", "was", "their", "its", "if", "he", "she", "his", "her"}
_NOT_DATA = re.compile(
    r"\b(?:poem|story|essay|joke|song|recipe|translate|summari[sz]e|explain|write me|tell me)\b", re.IGNORECASE
)


@dataclass
class Draft:
    """A draft schema, the record count the description asked for, and what was assumed."""

    schema: dict[str, Any]
    n: int | None = None
    notes: list[str] = field(default_factory=list)


def _plural_to_singular(word: str) -> str:
    for end, repl in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("s", "")):
        if word.endswith(end) and len(word) > len(end) + 2:
            return word[: -len(end)] + repl
    return word


def _norm(text: str) -> str:
    return " ".join(_plural_to_singular(w) for w in _WORD.findall(text.lower()))


def _count(text: str) -> int | None:
    match = _COUNT.search(text)
    if match is None:
        return None
    raw = match.group(1).replace(",", "").replace("_", "").replace(" ", "")
    value = float(raw[:-1]) * 1000 if raw[-1] in "kK" else float(raw)
    return max(1, min(MAX_RECORDS, int(value))) if value >= 1 else None


def _phrase_hits(norm: str, phrases: tuple[str, ...]) -> list[int]:
    """Positions (in the normalised text) where any phrase occurs as whole words."""
    out = []
    for phrase in phrases:
        for m in re.finditer(rf"\b{re.escape(_norm(phrase))}\b", norm):
            out.append(m.start())
    return out


def _entity(norm: str) -> str | None:
    """The kind of record: the head of the first run of record words ("customer complaint" -> complaint)."""
    hits = sorted((pos, kind) for kind, words in ENTITY_WORDS.items() for pos in _phrase_hits(norm, words))
    if not hits:
        return None
    head, end = None, hits[0][0]
    for pos, kind in hits:
        # only an adjacent record word extends the run ("customer complaint")
        if head is not None and (pos < end or norm[end:pos].split()):
            break
        head, end = kind, pos + len(norm[pos:].split(" ", 1)[0]) + 1
    return head


def _domain(text: str) -> tuple[str | None, dict[str, Any]]:
    low = " " + text.lower() + " "
    for name, spec in DOMAINS.items():
        if any(re.search(rf"\b{re.escape(w)}s?\b", low) for w in spec["words"]):
            return name, spec
    return None, {}


def _listed(text: str) -> list[str]:
    """Field phrases the description lists after "with", "including", "fields:" ..."""
    match = _LIST_START.search(text)
    if match is None:
        return []
    tail = re.split(r"[.!?](?:\s|$)", text[match.end() :], maxsplit=1)[0]
    out = []
    for part in _SPLIT.split(tail):
        phrase = part.strip(" .:-'\"()")
        while _FILLER.match(phrase):
            phrase = _FILLER.sub("", phrase, count=1)
        if phrase and len(phrase.split()) <= 7:
            out.append(phrase)
    return out


def _library_field(phrase: str) -> str | None:
    """Our field a phrase asks for ("e-mail address" -> email), or None: a phrase with words beyond a
    field's own ("next appointment date") is a field of its own."""
    norm = _norm(phrase)
    snake = "_".join(w for w in _WORD.findall(phrase.lower()) if w not in _STOP)
    if snake in MAKERS or snake in FIELDS:
        return snake
    content = {w for w in norm.split() if w not in _STOP}
    best: tuple[int, str] | None = None
    for name, (_, words) in FIELDS.items():
        for word in (*words, name.replace("_", " ")):
            w = _norm(word)
            if set(w.split()) == content and (best is None or len(w) > best[0]):
                best = (len(w), name)
    return best[1] if best else None


def _new_field(phrase: str) -> tuple[str, dict[str, Any]]:
    """A field we have no pattern for, typed from its words."""
    words = [w for w in _WORD.findall(phrase.lower()) if w not in _UNNAMED]
    name = "_".join(words)[:40].strip("_") or "field"
    low = phrase.lower()
    if re.search(r"\b(?:date|day|deadline|birthday)\b", low):
        return name, {"type": "string", "format": "date", "description": phrase}
    if re.search(r"\b(?:time|timestamp|datetime)\b", low):
        return name, {"type": "string", "format": "date-time", "description": phrase}
    if re.search(r"\b(?:number of|count|how many|num)\b", low):
        return name, {"type": "integer", "minimum": 0, "description": phrase}
    if re.search(r"\b(?:is|has|whether|flag|yes/no)\b", low) or low.startswith(("is ", "has ")):
        return name, {"type": "boolean", "description": phrase}
    if re.search(r"\b(?:percent|percentage|rate|ratio)\b", low):
        return name, {"type": "number", "minimum": 0, "maximum": 100, "description": f"{phrase} in percent"}
    if re.search(r"\b(?:amount|price|cost|fee|revenue|balance|spend|budget)\b", low):
        return name, {"type": "number", "minimum": 0, "description": f"{phrase} in USD"}
    return name, {"type": "string", "minLength": 2, "maxLength": 80, "description": phrase}


def _mentioned(norm: str, exclude: set[str]) -> list[str]:
    """Library fields a description names as a record's own ("... and their age")."""
    out = []
    for name, (_, words) in FIELDS.items():
        if name in exclude:
            continue
        owned = (rf"\b(?:their|its|his|her|whose)\s+{re.escape(_norm(w))}\b" for w in words)
        if any(re.search(pattern, norm) for pattern in owned):
            out.append(name)
    return out


def _drop_missing_by(props: dict[str, Any]) -> None:
    """A drafted shape conditioned on a field the draft does not have falls back to its overall shape."""
    for node in props.values():
        spec = node.get("x-distribution")
        if isinstance(spec, dict) and spec.get("by") and spec["by"] not in props:
            spec.pop("by")
            spec.pop("cases", None)


def draft_schema(text: str) -> Draft:
    """The draft for a description, or an InputError saying what to write instead."""
    text = check_description(text)
    norm = _norm(text)
    kind = _entity(norm)
    domain_name, domain = _domain(text)
    listed = _listed(text)
    if _NOT_DATA.search(text) and kind is None:
        raise InputError(
            f"This does not describe records. Say what one record is and, if you like, its fields: {EXAMPLE!r}."
        )
    noun = _record_noun(text)
    if kind is None and not listed and noun is None:
        raise InputError(
            "No kind of record was recognised (a customer, an order, a review, a ticket ...). Name one, or list the "
            f"fields after 'with': {EXAMPLE!r}."
        )
    notes: list[str] = []
    entity = ENTITIES.get(kind or "") or _generic(noun or "record")
    if kind is None and not listed:
        notes.append(
            f"'{noun}' is not a kind of record the drafter knows, so it drafted general fields; list the fields "
            "after 'with' for a closer draft."
        )
    props: dict[str, Any] = {}
    prefix = entity["id"]
    props[f"{(kind or entity.get('noun', 'record').split()[-1])}_id"] = {
        "type": "string",
        "pattern": f"^{prefix}-[0-9]{{6}}$",
        "unique": True,
        "description": f"{entity['title'].lower()} number",
    }
    names: list[tuple[str, dict[str, Any]]] = []
    for phrase in listed:
        ours = _library_field(phrase)
        if ours is None:
            names.append(_new_field(phrase))
            continue
        # "name" of a complaint is its customer's name: the kind's own field of that sort, if it has one.
        own = next((f for f in entity["fields"] if ours == "full_name" and f.endswith("_name")), ours)
        names.append((own, field_node(own, domain) or {}))
    if listed and len(names) >= 2:
        person = next((f for f in entity["fields"] if f == "full_name" or f.endswith("_name")), None)
        if person and not any(n == person or n.endswith("name") for n, _ in names):
            names.insert(0, (person, field_node(person, domain) or {}))
        notes.append(f"Fields as listed ({len(names)}), plus an id.")
    else:
        # A lone phrase after "with" ("filed with a car insurer") is a field only if it is one of ours.
        extras = [(n, node) for n, node in names if n in FIELDS or n in MAKERS]
        names = [(n, field_node(n, domain) or {}) for n in entity["fields"]] + extras
        for extra in _mentioned(norm, {n for n, _ in names}):
            names.append((extra, field_node(extra, domain) or {}))
    for name, node in names:
        if node and name not in props:
            props[name] = node
    _drop_missing_by(props)
    if len(props) < 2:
        raise InputError(f"The description names no fields the drafter knows; list them after 'with': {EXAMPLE!r}.")
    business = domain.get("business")
    title = entity["title"]
    schema: dict[str, Any] = {
        "title": title,
        "description": f"{title} records" + (f" of {business}" if business else "") + f" ({text[:160]})",
        "type": "object",
        "properties": props,
        "required": list(props),
    }
    rules = [r for r in RULES if all(f in props for f in _rule_fields(r))]
    if rules:
        schema["x-rules"] = rules
    if domain_name is None:
        notes.append("No industry was recognised, so value lists are generic; name one (telecom, bank, hotel ...).")
    return Draft(schema=schema, n=_count(text), notes=notes)


def _record_noun(text: str) -> str | None:
    """The plural noun a data request is about ("300 gym memberships" -> "gym membership"), or None."""
    match = re.search(
        r"(?:\d[\d,.]*\s*[kK]?\s+|^(?:some |a list of |list of |the )?)((?:[a-z]+\s+){0,2}[a-z]+s)\b", text.lower()
    )
    return _norm(match.group(1)) if match else None


def _generic(noun: str) -> dict[str, Any]:
    """A general record about `noun`: a name, a category, a date, an amount and a description."""
    words = noun.split()
    title = " ".join(words).capitalize()
    letters = "".join(w[0] for w in words).upper()
    return {
        "title": title,
        "id": (letters + "REC")[:3] if len(letters) < 3 else letters[:4],
        "fields": ["title", "category", "created_at", "amount", "notes"],
        "noun": noun,
    }


def _rule_fields(rule: dict[str, Any]) -> list[str]:
    out = [rule.get(k) for k in ("target", "left", "right", "from", "to")]
    out += [rule.get(k, {}).get("field") for k in ("if", "then")]
    out += re.findall(r"[a-z_]+", rule.get("expr", ""))
    return [f for f in out if f]
