"""The form of a reference code a schema shows by example or names: "like CLM-000123", invoice_number.

A string field with no pattern, format or enum was left to the language model, which wrote ": 159309,
?name" for a claim reference described as "like CLM-000123". A code is not language: its form is in
the example (a field's `examples`, or "like", "e.g.", "such as" in its description) or, failing
that, in its name (claim_id, invoice_number, booking_ref). Such a field gets a pattern drawn in code:
the example's leading letters kept as its prefix, every other letter and digit drawn anew in the
same case and length, separators kept; from a name, the stem's abbreviation and seven digits
(CLM-0412337). The user's schema is not changed: the pattern only decides how the value is drawn.
"""

from __future__ import annotations

import random
import re
from typing import Any

from synth_gradio.schema.jsontypes import type_list
from synth_gradio.schema.pairs import _words
from synth_gradio.schema.patterns import fits_length, sample_pattern

_SAID = re.compile(
    r"(?:\blike|\be\.?g\.?|\bsuch as|\bfor example|\bfor instance|\bformat(?:ted)?(?: as)?|\bas in)[:,]?\s+"
    r"[\"'`\u201c]?([A-Za-z0-9][A-Za-z0-9_\-/.#]*[A-Za-z0-9])",
    re.I,
)
_ENDS = {"id", "ref", "reference", "no"}  # a name ending so is a code whatever it refers to
_DOCUMENTS = {  # ... and a *_number of one of these
    "invoice", "order", "claim", "ticket", "case", "policy", "booking", "reservation", "confirmation",
    "tracking", "receipt", "shipment", "member", "membership", "application", "request", "contract", "quote",
}  # fmt: skip
_DIGITS = 7
_VOWELS = set("aeiou")


def _example(node: dict[str, Any]) -> str | None:
    """The first code-like example: no spaces, a digit, at least four characters."""
    listed = [e for e in node.get("examples") or [] if isinstance(e, str)]
    said = [m.group(1) for m in _SAID.finditer(str(node.get("description") or ""))]
    for text in listed + said:
        if re.fullmatch(r"[A-Za-z0-9_\-/.#]{4,40}", text) and re.search(r"\d", text):
            return text
    return None


def from_example(example: str) -> str:
    """A pattern of the example's form: its leading letters literal, other runs as classes."""
    parts = []
    for i, run in enumerate(re.findall(r"[A-Z]+|[a-z]+|[0-9]+|[^A-Za-z0-9]", example)):
        if run.isdigit():
            parts.append(f"[0-9]{{{len(run)}}}")
        elif run.isalpha() and i > 0:
            parts.append(f"[{'A-Z' if run.isupper() else 'a-z'}]{{{len(run)}}}")
        else:
            parts.append(re.escape(run))
    return "^" + "".join(parts) + "$"


def _abbreviation(word: str) -> str:
    """claim -> CLM, order -> ORD, invoice -> INV: the first letter and the next consonants."""
    letters = [word[0]] + [c for c in word[1:] if c not in _VOWELS and c.isalpha()]
    return "".join(letters[:3]).upper() if len(letters) >= 2 else word[:3].upper()


def from_name(name: str, longest: int = 64) -> str | None:
    """A code pattern a name implies (claim_id -> CLM- and digits, fewer to fit `longest`), else None."""
    words = _words(name)
    if len(words) < 2 or words[-2] in ("is", "has"):
        return None
    stem, end = words[-2], words[-1]
    digits = min(_DIGITS, longest - 4)
    coded = end in _ENDS or (end == "number" and stem in _DOCUMENTS)
    if coded and stem.isalpha() and len(stem) >= 3 and digits >= 3:
        return f"^{_abbreviation(stem)}-[0-9]{{{digits}}}$"
    return None


def code_pattern(name: str, node: dict[str, Any]) -> str | None:
    """The pattern a string field's code is drawn by, where its schema gives none and an example or
    its name implies one that fits its length limits."""
    if any(key in node for key in ("pattern", "format", "enum", "const")):
        return None
    if [t for t in type_list(node) if t != "null"] != ["string"]:
        return None
    example = _example(node)
    pattern = from_example(example) if example else from_name(name, int(node.get("maxLength", 64)))
    if pattern is None:
        return None
    drawn = sample_pattern(pattern, node, random.Random(0))
    return pattern if drawn is not None and fits_length(drawn, node) else None
