"""Orders a field's description states: "filed after the incident", "at most the claimed amount".

A plain JSON schema says in words what its author would never write as a rule, and every reader
checks it: a claim filed before its incident, or approved for more than was claimed, gives the
table away. A description naming another field of the record after an order phrase becomes an
implied rule: two numbers a `compare` rule (code-drawn values are swapped, model-written ones that
break it rejected), two dates a `gap` rule, as far apart as the words say ("within 30 days of the
order") or as one event usually follows another (days to weeks, at most a year). Only fields of the
same kind are paired, the named field must open the words right after the phrase, and declared
rules on either field win.
"""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.schema.gaps import UNITS
from synth_gradio.schema.pairs import _words

# phrase -> whether the described field comes after (or above) the named one
_PHRASES = {
    **dict.fromkeys(("after", "later than", "on or after", "following", "no earlier than", "not before"), True),
    **dict.fromkeys(("at least", "no less than", "not less than", "greater than or equal to", "more than"), True),
    **dict.fromkeys(("greater than", "higher than", "larger than", "above", "exceeds", "exceeding"), True),
    **dict.fromkeys(("before", "earlier than", "prior to", "on or before", "no later than", "not after"), False),
    **dict.fromkeys(("preceding", "at most", "no more than", "not more than", "less than or equal to"), False),
    **dict.fromkeys(("up to", "lower than", "less than", "smaller than", "below", "not exceeding"), False),
    **dict.fromkeys(("never exceeds", "cannot exceed", "does not exceed", "must not exceed"), False),
    "within": True,
}
_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _PHRASES), key=len, reverse=True)) + r")\b", re.I)
_SKIP = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "record's", "same", "corresponding", "of"}
_GENERIC = {"date", "at", "on", "time", "timestamp", "datetime", "dt", "amount", "value", "day"}
_NOT = {"not", "never", "no", "nor"}
# One event after another, with no span said: a filing, a shipment, a reply or a payment follows
# within days or weeks (two dates drawn on their own lay three years apart on average).
_DAYS = {"unit": "days", "min": 0, "max": 365, "median": 7}
_HOURS = {"unit": "hours", "min": 0, "max": 8760, "median": 72}
_LOOK = 5  # words after a phrase searched for a field's name
_DATES = ("date", "date-time")


def _stem(word: str) -> str:
    """A word without a plural or past ending: claimed and claims meet claim."""
    for end in ("ing", "ed", "es", "s", "d"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def _kind(node: dict[str, Any]) -> str | None:
    types = node.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if node.get("format") in _DATES and "string" in types:
        return "date"
    if {"integer", "number"} & set(types) and "enum" not in node:
        return "number"
    return None


def _names(props: dict[str, dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Each field's name words (stemmed) without the generic ones, or all of them if none are left."""
    out = {}
    for name in props:
        words = _words(name)
        core = [w for w in words if w not in _GENERIC] or words
        out[name] = tuple(_stem(w) for w in core)
    return out


def _named(after: list[str], names: dict[str, tuple[str, ...]], own: str) -> str | None:
    """The field whose name words open the words after a phrase (articles skipped); the longest wins."""
    words = [_stem(w) for w in after if w not in _SKIP][:_LOOK]
    found = [n for n, key in names.items() if n != own and key and tuple(words[: len(key)]) == key]
    if not found:
        return None
    longest = max(len(names[n]) for n in found)
    best = [n for n in found if len(names[n]) == longest]
    return best[0] if len(best) == 1 else None


def _span(words: list[str]) -> dict[str, Any] | None:
    """{"max": N, "unit": U} from "30 days ..." or "2 weeks ...", else None."""
    if len(words) < 2 or not re.fullmatch(r"\d+(\.\d+)?", words[0]):
        return None
    unit = words[1] if words[1].endswith("s") else words[1] + "s"
    return {"min": 0, "max": float(words[0]), "unit": unit} if unit in UNITS and float(words[0]) > 0 else None


def _word_before(text: str, at: int) -> str:
    words = re.findall(r"[a-z']+", text[:at].lower())
    return words[-1] if words else ""


def described_rules(json_schema: dict[str, Any], taken: set[str]) -> list[dict[str, Any]]:
    """Implied compare rules from the top-level fields' descriptions (fields in `taken` left alone)."""
    props = {n: p for n, p in (json_schema.get("properties") or {}).items() if isinstance(p, dict)}
    names = _names(props)
    out: list[dict[str, Any]] = []
    seen: set[frozenset[str]] = set()
    for name, node in props.items():
        kind = _kind(node)
        text = str(node.get("description") or "")
        if kind is None or name in taken or not text:
            continue
        for match in _PATTERN.finditer(text):
            phrase = match.group(1).lower()
            after = re.findall(r"[a-z0-9.']+", text[match.end() :].lower())
            span = _span(after) if phrase == "within" and kind == "date" else None
            if phrase == "within":  # "within 30 days of the incident": that far after it, if dates
                after = after[after.index("of") + 1 :] if span and "of" in after[:4] else []
            other = _named(after, names, name)
            if other is None or other in taken or _kind(props[other]) != kind or frozenset((name, other)) in seen:
                continue
            later = _PHRASES[phrase] != (_word_before(text, match.start()) in _NOT)  # "never more than"
            seen.add(frozenset((name, other)))
            left, right = (other, name) if later else (name, other)
            words = ("after", "before") if kind == "date" else ("at least", "at most")
            why = f"{name} is {words[0] if later else words[1]} {other} (its description)"
            if kind == "date":  # how far: as said, or a process's usual days (not years, as two free dates)
                timed = "date-time" in (props[left].get("format"), props[right].get("format"))
                rule = {"kind": "gap", "from": left, "to": right, **(span or (_HOURS if timed else _DAYS))}
            else:
                rule = {"kind": "compare", "left": left, "op": "<=", "right": right}
            out.append({**rule, "implied": True, "name": why})
    return out
