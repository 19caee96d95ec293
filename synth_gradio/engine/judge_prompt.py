"""The judge's rubric and prompt: what it rates, a few judged examples, and the verdict's grammar.

The prompt is a few-shot transcript that suits a small base model (the bundled Gemma 3 270M) and
reads as plain instructions to a chat model: the criteria, three judged records (one consistent,
one 1-star review that raves, one message in the wrong voice), then the dataset's title, description
and field descriptions. The shared prefix stays the same for a whole run, so a local backend prefills
it once; each record's suffix is only `Record: {...}` and `Verdict: `.

A rubric is text that replaces the default criteria text (the ratings stay consistency and realism),
or a JSON object {"criteria": {"name": "what it checks", ...}} whose names become the ratings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from synth_gradio.engine.prompts import one_line
from synth_gradio.errors import InputError
from synth_gradio.quality.judging import HIGH, LOW
from synth_gradio.schema.model import Schema

MAX_RUBRIC = 4000  # characters
MAX_CRITERIA = 6
MAX_VALUE = 800  # characters of one text value shown to the judge
REASON_CHARS = 120
DEFAULT_CRITERIA = {
    "consistency": "every text agrees with the labels, ratings, entities, amounts and dates of its own record, "
    "and is written in the voice its description implies (who writes it, to whom)",
    "realism": "the record could be real: plausible names, values and wording for this kind of data, "
    "with no placeholders or gibberish",
}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
_REVIEWS = "Data: Product reviews. Fields: product (the product reviewed); rating (stars, 1 to 5); review (the customer's own review)."
EXAMPLES = [
    (
        _REVIEWS,
        {"product": "Bosch cordless drill", "rating": 4, "review": "Solid drill, the battery lasts a whole afternoon. A bit heavy for overhead work."},
        "A 4-star review that praises the drill with one fair complaint.",
        {"consistency": 5, "realism": 5},
    ),
    (
        _REVIEWS,
        {"product": "Philips air fryer", "rating": 1, "review": "Absolutely love it! Crispy fries every time, best purchase this year."},
        "A 1-star rating with a review that raves.",
        {"consistency": 1, "realism": 3},
    ),
    (
        "Data: Support tickets. Fields: customer (who wrote the ticket); subject (the ticket's subject); "
        "message (the customer's own words about the problem).",
        {"customer": "Dana Whitfield", "subject": "Refund not received", "message": "Thank you for contacting Acme support. We have processed your refund and it will arrive within 5 days."},
        "The message speaks as the support agent, not as the customer.",
        {"consistency": 2, "realism": 3},
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Rubric:
    """What the judge rates: criterion name -> what it checks, and the user's rubric text (if any)."""

    criteria: dict[str, str]
    text: str | None = None  # a user's plain-text rubric, shown instead of the criteria's descriptions
    source: str | None = None  # what the user gave, as given (stored with the run)

    @property
    def is_default(self) -> bool:
        return self.source is None

    @property
    def names(self) -> list[str]:
        return list(self.criteria)


def parse_rubric(rubric: Any) -> Rubric:
    """None: the default rubric. Text replaces the default criteria text; a JSON object names its criteria."""
    if rubric is None:
        return Rubric(dict(DEFAULT_CRITERIA))
    if not isinstance(rubric, str):
        raise InputError(f"the judge rubric must be text, got {type(rubric).__name__}")
    text = rubric.strip()
    if not text:
        raise InputError(
            "the judge rubric is empty; write what the judge should check, or leave it out for the default"
        )
    if len(text) > MAX_RUBRIC:
        raise InputError(f"the judge rubric has {len(text)} characters; keep it under {MAX_RUBRIC}")
    if not text.startswith("{"):
        return Rubric(dict(DEFAULT_CRITERIA), text=text, source=text)
    return Rubric(_json_criteria(text), source=text)


def _json_criteria(text: str) -> dict[str, str]:
    shape = 'a JSON rubric needs "criteria": an object mapping each criterion\'s name to what it checks'
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the judge rubric is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    criteria = data.get("criteria") if isinstance(data, dict) else None
    if not isinstance(criteria, dict) or not criteria:
        raise InputError(shape)
    if len(criteria) > MAX_CRITERIA:
        raise InputError(f"the judge rubric has {len(criteria)} criteria; use at most {MAX_CRITERIA}")
    out: dict[str, str] = {}
    for name, what in criteria.items():
        if not _NAME.match(name) or name == "reason":
            raise InputError(f"judge criterion {name!r} needs a name of letters, digits and underscores (not 'reason')")
        if not isinstance(what, str) or not what.strip():
            raise InputError(f"judge criterion {name!r} needs a description of what it checks")
        out[name] = one_line(what, 400)
    return out


def verdict_schema(rubric: Rubric) -> dict[str, Any]:
    """The verdict's grammar: a short reason first (the judge explains, then rates), then a rating per criterion."""
    props: dict[str, Any] = {"reason": {"type": "string", "minLength": 3, "maxLength": REASON_CHARS}}
    for name in rubric.names:
        props[name] = {"type": "integer", "enum": list(range(LOW, HIGH + 1))}
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


def max_tokens(rubric: Rubric) -> int:
    """Enough tokens for a full verdict: the reason, the keys and one digit per rating."""
    return 24 + REASON_CHARS // 2 + 8 * len(rubric.names)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _verdict_text(reason: str, ratings: dict[str, int]) -> str:
    return _dumps({"reason": reason, **ratings})


def data_line(schema: Schema) -> str:
    """The dataset's title, description and field descriptions, on one line."""
    head = one_line(schema.title or "Records", 120).rstrip(".")
    desc = one_line(schema.description, 300).rstrip(".") if schema.description else ""
    fields = []
    for f in schema.fields:
        about = one_line(f.schema.get("description", ""), 100).rstrip(".")
        fields.append(f"{one_line(f.name, 60)} ({about})" if about else one_line(f.name, 60))
    parts = [f"Data: {head}."] + ([f"{desc}."] if desc else []) + [f"Fields: {'; '.join(fields)}."]
    return " ".join(parts)


def build_prefix(rubric: Rubric, schema: Schema) -> str:
    """Instructions, judged examples (for the default ratings) and the dataset's line."""
    scale = f"from {LOW} (bad) to {HIGH} (good)"
    if rubric.text is not None:
        lines = ["A careful reviewer checks synthetic data records, one at a time, against this rubric:"]
        lines += [line.rstrip() for line in rubric.text.splitlines() if line.strip()]
        lines.append(f"Under the rubric the reviewer rates each record {scale} on {' and '.join(rubric.names)}.")
    else:
        lines = [f"A careful reviewer checks synthetic data records, one at a time, and rates each {scale} on:"]
        lines += [f"- {name}: {what}" for name, what in rubric.criteria.items()]
    lines.append(
        "The verdict is a JSON object: a reason (one short sentence on the record's main problem, "
        "or on why it is convincing) and the ratings."
    )
    lines.append("")
    if rubric.names == list(DEFAULT_CRITERIA):
        for data, record, reason, ratings in EXAMPLES:
            lines += [data, f"Record: {_dumps(record)}", f"Verdict: {_verdict_text(reason, ratings)}", ""]
    lines.append(data_line(schema))
    return "\n".join(lines) + "\n"


def shown_record(record: dict[str, Any]) -> str:
    """The record as one line of JSON; very long texts are cut (the judge reads, it need not copy)."""
    return _dumps({k: _cut(v) for k, v in record.items()})


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return value[: MAX_VALUE - 3] + "..."
    if isinstance(value, dict):
        return {k: _cut(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut(v) for v in value[:20]]
    return value


def build_suffix(record: dict[str, Any]) -> str:
    return f"Record: {shown_record(record)}\nVerdict: "
