"""Model-written prose that could not pass for real: tidied where that is safe, rejected otherwise.

A small base model writing free text has tics that the schema cannot see:
- it runs into the grammar's length cap mid-phrase ("we can then ");
- it trails off into emoji or a stray brace ("...phone number)} 🚀🤝");
- it talks about the data instead of writing it ("this is a fake issue ticket");
- it leaks JSON into the text ('..."}, {"subject": ').
The first two are tidied: a text cut at its cap is taken back to its last sentence or clause (never
below the field's minLength), trailing symbol junk is dropped. The last two are rejected, unless the
schema itself uses those words or characters (a QA schema may well ask for "test" tickets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from synth_gradio.quality.textjunk import DANGLING
from synth_gradio.schema.model import Schema, type_list
from synth_gradio.symbols import EMOJI

CUT_SLACK = 2  # a text this close to its cap was stopped by the grammar, not by the model
KEEP_SHARE = 0.5  # a sentence boundary is used only when it keeps this share of the text
_JUNK = r"\-\s{}\[\]<>|\\/*#~^=_`@"
_TRAILING_JUNK = re.compile("[" + _JUNK + "]+$")
_TRAILING_JUNK_OR_EMOJI = re.compile("[" + _JUNK + EMOJI.pattern[1:-1] + "]+$")
SENTENCE_END = re.compile(r"[.!?\u2026][\"')\]]*(?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:\u2013\u2014](?=\s)")
_META = re.compile(
    r"\b(?:this is an? (?:fake|dummy|sample|test|example|generated|synthetic)\b"
    r"|(?:fake|dummy|sample|example|synthetic|generated|placeholder) (?:ticket|record|review|data|entry|text|"
    r"message|issue|email|customer|user|row|json|value|field)s?\b"
    r"|lorem ipsum|json (?:record|object|format)|as an ai\b)",
    re.IGNORECASE,
)
_JSON_LEAK = re.compile(r'"\s*[,}]\s*\{?\s*"\w+"\s*:|\{\s*"\w+"\s*:|"\w+"\s*:\s*"')


@dataclass(frozen=True)
class ProseField:
    """What one free-text field allows: its cap, its minimum and the register its schema sets."""

    name: str
    cap: int | None  # the grammar's maxLength
    min_length: int
    emoji_ok: bool  # the schema's own text or examples use emoji
    schema_text: str  # lower-cased schema wording: meta phrases found here are the user's own


_COUNT = r"(\d+|one|two|three|four|five|six|a single|a)"
_SENTENCES = re.compile(
    rf"\b(?:(\d+|one|two|three|four)\s*(?:-|\u2013|to|or)\s*)?{_COUNT}\s+(?:short\s+|full\s+)?sentences?"
    r"(?:\s+or\s+(two|three|four))?\b",
    re.I,
)
_WORDS = re.compile(r"\b(?:(\d+)\s*(?:-|\u2013|to)\s*)?(\d+)\s+words\b", re.I)
_NUMBERS = {"a": 1, "a single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_LEAST = re.compile(
    r"\b(?:at least|minimum(?: of)?|min|over|more than|no fewer than|no less than|with|open with)\s*$", re.I
)
_WHOLE = re.compile(r"(?:^|\b(?:in|as|of|just|only|one|is|be|:|,|-)\s*)$", re.I)  # "in a sentence", "1-3 sentences"
SENTENCE_CHARS = 160  # a sentence of a record's text at most, in characters
WORD_CHARS = 7  # a word and its space


def stated_cap(description: str) -> int | None:
    """The characters a description's own length allows ("1-3 sentences", "up to 50 words"), or None.

    Its author said how long the text is: the prompt keeps those words rather than adding ours, and
    the grammar stops there (an unbounded field asked for "a paragraph or more" rambled on for 500
    characters where "1-3 sentences" was meant). A count that is a minimum ("at least 3 sentences")
    caps nothing, nor does "a sentence" inside other words ("open with a sentence on the complaint")."""
    for found in _SENTENCES.finditer(description):
        before = description[: found.start()]
        if _LEAST.search(before) or (
            found.group(2).lower() == "a" and not found.group(3) and not _WHOLE.search(before)
        ):
            continue
        count = (found.group(3) or found.group(2)).lower()  # "a sentence or two": two
        return SENTENCE_CHARS * (int(count) if count.isdigit() else _NUMBERS[count])
    for found in _WORDS.finditer(description):
        if not _LEAST.search(description[: found.start()]):
            return WORD_CHARS * int(found.group(2)) + 20
    return None


def is_prose(node: dict[str, Any]) -> bool:
    """A string the model writes in words: no pattern, format, enum or const."""
    return "string" in type_list(node) and not {"pattern", "format", "enum", "const"} & set(node)


def prose_fields(schema: Schema, fields: list[str]) -> list[str]:
    """Free-text fields: strings the model writes without a pattern, format or enum."""
    return [name for name in fields if is_prose(schema.field(name).schema)]


def prose_rules(schema: Schema, fields: list[str], grammar: dict[str, Any] | None) -> list[ProseField]:
    props = (grammar or {}).get("properties", {})
    wording = " ".join(
        [schema.title or "", schema.description or ""]
        + [str(ex.get(f, "")) for ex in schema.examples for f in fields if isinstance(ex, dict)]
    )
    out = []
    for name in fields:
        node = schema.field(name).schema
        text = " ".join([wording, str(node.get("description", "")), " ".join(map(str, node.get("examples", [])))])
        cap = props.get(name, {}).get("maxLength", node.get("maxLength"))
        out.append(
            ProseField(
                name=name,
                cap=cap if isinstance(cap, int) else None,
                min_length=int(node.get("minLength", 0)),
                emoji_ok=bool(EMOJI.search(text)),
                schema_text=text.lower(),
            )
        )
    return out


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never typed in a text; Excel refuses a cell with one


def printable(value: Any) -> Any:
    """A written string without control characters (an escape a small model emitted); others as they are."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


def tidy(text: str, rule: ProseField) -> str:
    """Drop trailing symbol junk; take a text stopped at its cap back to a natural end."""
    out = (_TRAILING_JUNK if rule.emoji_ok else _TRAILING_JUNK_OR_EMOJI).sub("", text)
    if rule.cap is not None and len(text) >= rule.cap - CUT_SLACK and not SENTENCE_END.search(out[-3:] + " "):
        out = _natural_end(out)
    return out if len(out) >= max(rule.min_length, 1) else text


def _natural_end(text: str) -> str:
    """The text up to its last sentence end (keeping at least half), else its last clause or word
    boundary, before a bracket it never closes, without a dangling last word ("... and", "... the")."""
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    if ends and ends[-1] >= KEEP_SHARE * len(text):
        return text[: ends[-1]]
    clauses = [m.start() for m in _CLAUSE_END.finditer(text)]
    cut = clauses[-1] if clauses and clauses[-1] >= KEEP_SHARE * len(text) else text.rfind(" ")
    if cut <= 0:
        return text
    opened = _last_unclosed(text[:cut])
    if opened >= KEEP_SHARE * len(text):  # "... failure (may be due to": the aside goes, not the text
        cut = opened
    words = text[:cut].rstrip(" ,;:-").split(" ")
    while len(words) > 1 and words[-1].lower().strip(".,;:!?\"'") in DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;:-")


def _last_unclosed(text: str) -> int:
    """Where the last bracket that is never closed opens (-1: none)."""
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in "([":
            stack.append(i)
        elif ch in ")]" and stack:
            stack.pop()
    return stack[-1] if stack else -1


def reject_reason(text: str, rule: ProseField) -> str | None:
    """Why this text would not pass for real, or None."""
    path = f"$.{rule.name}"
    meta = _META.search(text)
    if meta and meta.group(0).lower() not in rule.schema_text:
        return f"off-register: the text talks about itself ({meta.group(0)!r}) at {path}"
    if _JSON_LEAK.search(text) and '":' not in rule.schema_text:
        return f"off-register: JSON inside the text at {path}"
    if not rule.emoji_ok and len(EMOJI.findall(text)) >= 2:
        return f"off-register: emoji in text whose schema has none at {path}"
    return None
