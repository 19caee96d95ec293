"""Orders a field's description states: "filed after the incident", "at most the claimed amount".

A plain JSON schema says in words what its author would never write as a rule, and every reader
checks it: a claim filed before its incident, or approved for more than was claimed, gives the
table away. A description naming another field of the record right after an order phrase becomes
an implied rule:
- two dates of one format: "after" / "before" a compare rule (code-drawn values are swapped,
  model-written ones that break it rejected), or a gap of days to weeks (at most a year) where the
  later date is named for a step of handling (filed, shipped, paid, resolved: not a hire or an
  expiry); "30 days after the order date" a gap of exactly that;
  "within 30 days of the incident" a gap of 0 to 30 days after it, where the incident is listed
  first (else the direction is not said, and nothing is implied);
- two numbers of one type whose bounds allow it: "at most the claimed amount", "never more than
  the price" a compare rule.
Time words are read only between dates and amount words only between numbers ("the price before
tax" orders nothing); a negation up to three words before the phrase turns it round ("cannot be
more than": at most), or drops a "within". Declared rules on either field win, and a rule whose
parameters would be refused is dropped: a description never stops a schema from loading.
"""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.schema.gaps import UNITS, gap_problem
from synth_gradio.schema.pairs import _words, ordered_pairs

# phrase -> whether the described field comes after (or above) the named one
_TIME = {
    **dict.fromkeys(("after", "later than", "on or after", "following", "no earlier than", "not before"), True),
    **dict.fromkeys(("before", "earlier than", "prior to", "on or before", "no later than", "not after"), False),
    "preceding": False,
}
_AMOUNT = {
    **dict.fromkeys(("at least", "no less than", "not less than", "greater than or equal to", "more than"), True),
    **dict.fromkeys(("greater than", "higher than", "larger than", "above", "exceeds", "exceeding"), True),
    **dict.fromkeys(("at most", "no more than", "not more than", "less than or equal to", "up to"), False),
    **dict.fromkeys(("lower than", "less than", "smaller than", "below", "not exceeding", "never exceeds"), False),
    **dict.fromkeys(("cannot exceed", "does not exceed", "must not exceed"), False),
}
_WITHIN = "within"
_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, [*_TIME, *_AMOUNT, _WITHIN]), key=len, reverse=True)) + r")\b", re.I
)
_SKIP = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "record's", "same", "corresponding", "of"}
_GENERIC = {"date", "at", "on", "time", "timestamp", "datetime", "dt", "amount", "value", "day"}
_NOT = {"not", "never", "no", "nor", "cannot", "cant"}
# A later date named for a step of handling something (filed, shipped, paid, resolved) follows the
# earlier within days or weeks; unnamed, two dates drawn on their own lay years apart (a claim filed
# nine years after its incident). Other later dates (a hire, an expiry, an end) are only ordered.
_STEPS = ("filed", "submitted", "reported", "shipped", "dispatched", "delivered", "paid", "resolved", "closed",
          "responded", "response", "processed", "approved", "completed", "refunded", "settled", "received",
          "acknowledged", "confirmed", "answered", "handled", "replied", "decision", "decided", "ship", "shipping",
          "shipment", "delivery", "resolution", "payment", "approval", "settlement", "submission", "refund",
          "dispatch", "filing")  # fmt: skip
_DAYS = {"unit": "days", "min": 0, "max": 365, "median": 7}
_HOURS = {"unit": "hours", "min": 0, "max": 8760, "median": 48}
_BOUNDING = {"least", "most", "than", "to", "up", "under", "over", "about", "around", "roughly", "within", "and",
             "or", "of", "max", "maximum", "min", "minimum", "approximately", "between"}  # fmt: skip
_LOOK = 5  # words after a phrase searched for a field's name
_BACK = 3  # words before a phrase searched for a negation
_DATES = ("date", "date-time")


def _stem(word: str) -> str:
    """A word without a plural or past ending: claimed and claims meet claim."""
    for end in ("ing", "ed", "es", "s", "d"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


_PROCESS = {_stem(w) for w in _STEPS}
# The end of a stay (a discharge, a check-out, a rental's return) follows its start by days.
_STAY = {_stem(w) for w in ("discharged", "discharge", "checkout")}
_STAY_DAYS = {"unit": "days", "min": 0, "max": 90, "median": 3}
_STAY_HOURS = {"unit": "hours", "min": 1, "max": 2160, "median": 72}


def _types(node: dict[str, Any]) -> list[str]:
    types = node.get("type")
    return [t for t in ([types] if isinstance(types, str) else list(types or [])) if t != "null"]


def _kind(node: dict[str, Any]) -> str | None:
    """ "date" (a date or date-time string), "number", or None for anything that is not ordered."""
    if node.get("format") in _DATES and _types(node) == ["string"]:
        return "date"
    if _types(node) in (["integer"], ["number"]) and "enum" not in node:
        return "number"
    return None


def _alike(left: dict[str, Any], right: dict[str, Any]) -> bool:
    """Whether swapping the two values keeps each valid: one format or type, and bounds that allow
    left <= right (a swap moves values between the fields)."""
    if left.get("format") != right.get("format") or _types(left) != _types(right):
        return False
    inf = float("inf")
    low = (left.get("minimum", -inf), right.get("minimum", -inf))
    high = (left.get("maximum", inf), right.get("maximum", inf))
    return all(isinstance(v, int | float) for v in (*low, *high)) and low[0] <= low[1] and high[0] <= high[1]


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


def _span(words: list[str]) -> tuple[float, str] | None:
    """(N, unit) from "30 days" or "2 weeks" (the first two words), else None."""
    if len(words) < 2 or not re.fullmatch(r"\d+(\.\d+)?", words[0]) or float(words[0]) <= 0:
        return None
    unit = words[1] if words[1].endswith("s") else words[1] + "s"
    return (float(words[0]), unit) if unit in UNITS else None


def _before(text: str, at: int) -> list[str]:
    """The words just before a phrase, "n't" split off ("doesn't" -> "does", "not")."""
    spoken = re.sub(r"n't\b", " not", text[:at].lower())
    return re.findall(r"[a-z0-9]+", spoken)[-_BACK:]


def _rule(phrase: str, name: str, other: str, props: dict[str, Any], text: str, at: int) -> dict[str, Any] | None:
    """The rule one phrase implies between the described field and the one it names, or None."""
    kind, order = _kind(props[name]), list(props)
    before = _before(text, at)
    negated = bool(_NOT & set(before))
    if kind == "date" and phrase == _WITHIN:
        span = _span(re.findall(r"[a-z0-9.]+", text[at:].lower())[1:3])
        if negated or span is None or order.index(other) > order.index(name):
            return None
        spec = {"kind": "gap", "from": other, "to": name, "min": 0, "max": span[0], "unit": span[1]}
        return spec if _alike(props[other], props[name]) and gap_problem(spec) is None else None
    phrases = _TIME if kind == "date" else _AMOUNT
    if phrase not in phrases:
        return None  # "the price before tax": a time word between numbers orders nothing
    later = phrases[phrase] != negated
    left, right = (other, name) if later else (name, other)
    if not _alike(props[left], props[right]):
        return None
    plain = len(before) < 3 or not (before[-3].isdigit() or before[-3] in _BOUNDING)  # not "at least 30 days"
    exact = _span(before[-2:]) if kind == "date" and not negated and plain else None  # "30 days after the order"
    if exact:
        spec = {"kind": "gap", "from": left, "to": right, "min": exact[0], "max": exact[0], "unit": exact[1]}
        return spec if gap_problem(spec) is None else None
    if kind == "date" and _PROCESS & {_stem(w) for w in _words(right)}:  # a claim filed after its incident
        timed = props[right].get("format") == "date-time"
        return {"kind": "gap", "from": left, "to": right, **(_HOURS if timed else _DAYS)}
    return {"kind": "compare", "left": left, "op": "<=", "right": right}


def described_rules(json_schema: dict[str, Any], taken: set[str]) -> list[dict[str, Any]]:
    """Implied compare and gap rules from the top-level fields' descriptions (fields in `taken`,
    which declared rules tie, are left alone)."""
    props = {n: p for n, p in (json_schema.get("properties") or {}).items() if isinstance(p, dict)}
    names = _names(props)
    out: list[dict[str, Any]] = []
    seen: set[frozenset[str]] = set()
    spoken: set[str] = set()
    for name, node in props.items():
        text = str(node.get("description") or "")
        if _kind(node) is None or name in taken or not text:
            continue
        for match in _PATTERN.finditer(text):
            phrase = match.group(1).lower()
            after = re.findall(r"[a-z0-9']+", text[match.end() :].lower())
            if phrase == _WITHIN:  # "within 30 days of the incident"
                after = after[after.index("of") + 1 :] if "of" in after[:4] else []
            other = _named(after, names, name)
            if other is None or other in taken or _kind(props[other]) != _kind(node):
                continue
            if frozenset((name, other)) in seen:
                continue
            rule = _rule(phrase, name, other, props, text, match.start())
            spoken |= {name, other}  # what a description says of a pair, names do not overrule
            if rule is None:
                continue
            seen.add(frozenset((name, other)))
            out.append({**rule, "implied": True, "name": f"{name} as its description says ({phrase} {other})"})
    return out + _event_gaps(json_schema, props, taken | spoken)


def _event_gaps(json_schema: dict[str, Any], props: dict[str, Any], taken: set[str]) -> list[dict[str, Any]]:
    """Gaps between dates named as events in order (pairs.py: ordered, shipped, delivered) where the
    later is a step of handling (days to weeks) or the end of a stay (a discharge, a check-out: days):
    each from the latest stage before it (a delivery after the shipment, not after the order), rather
    than years apart."""
    pairs = [(a, b) for a, b in ordered_pairs(json_schema) if _kind(props[a]) == _kind(props[b]) == "date"]
    out = []
    for high in dict.fromkeys(b for _, b in pairs):
        lows = [a for a, b in pairs if b == high and _alike(props[a], props[high])]
        said = {_stem(w) for w in _words(high)}
        stay = bool(_STAY & said) or "check_out" in "_".join(_words(high))
        if not lows or high in taken or not (_PROCESS & said or stay):
            continue
        low = max(lows, key=lambda a: sum(b == a for _, b in pairs))  # the latest stage before it
        if low in taken:
            continue
        timed = props[high].get("format") == "date-time"
        span = (_STAY_HOURS if timed else _STAY_DAYS) if stay else _HOURS if timed else _DAYS
        gap = {"kind": "gap", "from": low, "to": high, **span}
        out.append({**gap, "implied": True, "name": f"{high} follows {low} (their names)"})
    return out
