"""What a field means to the text beside it, read from names, descriptions and enum values.

A model-written text has to agree with the values of its record. This module finds, from the schema
alone (no declarations needed), which fields a text must agree with and on what scale:
- `sentiment`: ratings and stars (a number with small bounds) and labels whose values are polar
  ("negative", "neutral", "positive", "dissatisfied", "happy");
- `urgency`: priority, severity and urgency labels ("low" ... "urgent", "mild" ... "severe", "P1");
- `outcome`: a status whose values name a decision ("approved", "rejected", "under review"), which
  the text must not contradict (textoutcome.py);
- voice: who writes the text ("the customer's message", "a note written by a support agent", "a
  product review"), or a field of the record that says so per record ("speaker": customer/agent).
Each label value is placed on its scale as a number in [-1, 1] (sentiment) or [0, 1] (urgency), so
one mechanism serves reviews, tickets, chats, clinical notes and schemas nobody has seen yet.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.quality.textoutcome import NAMES as _OUTCOME_NAMES
from synth_gradio.quality.textoutcome import OUTCOME, outcome_position
from synth_gradio.quality.texttopics import topic_fields, writer_name_fields
from synth_gradio.quality.textvoice import (  # noqa: F401  (CLINICIAN and STAFF: re-exported)
    CLINICIAN,
    CUSTOMER,
    STAFF,
    STAFF_WORDS,
    voice_of_words,
    words,
)

SENTIMENT, URGENCY = "sentiment", "urgency"

_SENTIMENT_NAMES = {"sentiment", "polarity", "mood", "tone", "feeling", "emotion", "satisfaction", "attitude"}
_URGENCY_NAMES = {"priority", "severity", "urgency", "impact", "importance", "criticality", "triage", "acuity"}
_RATING_NAMES = {"rating", "ratings", "stars", "star", "score", "csat", "nps", "satisfaction", "grade"}
# A rating that sums up many people ("average customer rating") is no single writer's opinion.
_AGGREGATE = {"average", "avg", "mean", "median", "aggregate", "aggregated"}
_AGGREGATE_TEXT = re.compile(r"\b(?:average|avg|mean|median|aggregated?)\s+(?:\w+\s+)?(?:rating|score|stars?)\b", re.I)
# A seller's copy praises whatever the rating says: such a text is tied to no rating (a label beside
# it, "the ad's tone", still describes the copy itself). Named by its field, or by these phrases.
_SELLER_COPY = {"marketing", "promotional", "promo", "advert", "advertising", "blurb", "pitch", "copy", "ad"}
_SELLER_TEXT = re.compile(
    r"\b(?:marketing|promotional|advertising|sales|ad|product(?: page)?) (?:copy|text|blurb|description|pitch)\b"
    r"|\bmarketing\b",
    re.I,
)
_SENTIMENT_VALUES = {
    -1.0: {"negative", "neg", "bad", "poor", "terrible", "awful", "dissatisfied", "unhappy", "angry", "frustrated",
           "upset", "complaint", "negatively", "very_negative", "detractor", "unsatisfied", "disappointed"},
    -0.5: {"somewhat_negative", "mostly_negative", "slightly_negative"},
    0.0: {"neutral", "mixed", "ok", "okay", "average", "meh", "passive", "indifferent", "neither"},
    0.5: {"somewhat_positive", "mostly_positive", "slightly_positive"},
    1.0: {"positive", "pos", "good", "great", "excellent", "satisfied", "happy", "delighted", "praise",
          "promoter", "very_positive", "pleased", "love"},
}  # fmt: skip
_URGENCY_VALUES = {
    0.0: {"low", "lowest", "minor", "trivial", "p4", "p5", "mild", "routine", "none", "cosmetic", "info", "sev4"},
    0.4: {"normal", "medium", "moderate", "p3", "standard", "sev3", "average"},
    0.7: {"high", "major", "p2", "important", "serious", "sev2", "elevated"},
    1.0: {"urgent", "critical", "severe", "blocker", "emergency", "p1", "p0", "highest", "sev1", "immediate",
          "life_threatening", "acute"},
}  # fmt: skip
_BY = re.compile(
    r"\b(?:written|sent|posted|left|given|typed|submitted|authored|filed|raised|entered|said|spoken|note[ds]?)"
    r"\s+(?:by|from)\s+(?:the\s+|a\s+|an\s+|our\s+|their\s+)?((?:[\w-]+\s+){0,2}[\w-]+)",
    re.IGNORECASE,
)
_OWNER = re.compile(
    r"\b(?:the\s+|a\s+|an\s+)?([\w-]+)(?:'s|s')\s+(?:(own|internal|written|short|brief|personal|first-hand|"
    r"official)\s+)?([\w-]+)",
    re.IGNORECASE,
)
# What a party writes: "the policyholder's own account", or a name such as customer_statement, adjuster_note
WRITINGS = ("message", "review", "comment", "words", "complaint", "question", "request", "feedback", "note", "notes",
            "reply", "answer", "post", "story", "description", "explanation", "report",
            "summary", "response", "email", "letter", "testimony", "remarks", "reason")  # fmt: skip
OWN_WORDS = ("account", "statement")  # only as "the policyholder's own account": a customer's account is a ledger
# ... and in a name, only what its party writes (customer_notes are staff's notes on a customer; an
# employee_review is a manager's; a support_request is a customer's)
_AUTHORED = ("statement", "message", "comment", "complaint", "question", "request", "feedback", "reply", "answer",
             "testimony", "letter", "email", "response", "remarks", "post", "story", "explanation")  # fmt: skip
_REVIEWED = ("review", "testimonial")
_NOTED = ("note", "notes", "report", "summary", "assessment", "decision", "comments")
_NOT_PARTIES = {"support", "company", "team", "hiring", "bot", "assistant", "patient"}
_TRACKS = {"payment", "shipping", "delivery", "card", "transaction", "charge", "billing", "shipment"}  # not decisions
_MAIN_DECISION = {"status", "decision", "outcome"}
_SPEAKER_NAMES = {"speaker", "role", "sender", "author_type", "author_role", "from", "sender_role", "side", "party"}


def _key(value: Any) -> str:
    return "_".join(words(value))


def _position(value: Any, table: dict[float, set[str]]) -> float | None:
    key = _key(value)
    for pos, names in table.items():
        if key in names:
            return pos
    parts = set(key.split("_"))
    hits = [pos for pos, names in table.items() if parts & names]
    return sum(hits) / len(hits) if hits else None


@dataclass(frozen=True)
class Anchor:
    """A field a text must agree with: its scale and where each of its values sits on it."""

    name: str
    scale: str  # SENTIMENT, URGENCY or OUTCOME (textoutcome.py: a status's decision)
    kind: str  # "label" (enum) or "rating" (bounded number)
    positions: dict[str, float] = field(default_factory=dict)  # label value (as str) -> position
    low: float = 0.0  # a rating's bounds
    high: float = 0.0

    def position(self, value: Any) -> float | None:
        """Where a value of this field sits on its scale, or None (a null, a value we cannot place)."""
        if value is None or isinstance(value, bool):
            return None
        if self.kind == "rating":
            if not isinstance(value, int | float) or self.high <= self.low:
                return None
            share = (float(value) - self.low) / (self.high - self.low)
            return max(-1.0, min(1.0, 2 * share - 1)) if self.scale == SENTIMENT else max(0.0, min(1.0, share))
        return self.positions.get(str(value))

    def values_near(self, target: float) -> list[str]:
        """The label values whose position is closest to `target`."""
        best = min(abs(p - target) for p in self.positions.values())
        return [v for v, p in self.positions.items() if abs(p - target) == best]


@dataclass(frozen=True)
class TextRole:
    """One free-text field with the anchors it must agree with and the voice it is written in."""

    name: str
    anchors: tuple[Anchor, ...]
    voice: str | None  # CUSTOMER, STAFF, CLINICIAN, or None when nothing says
    voice_field: str | None = None  # a record field naming the speaker per record
    voice_values: dict[str, str] = field(default_factory=dict)  # that field's value -> voice
    short: bool = False  # a subject or title: one line, not prose
    room: int = 0  # its maxLength (0: none declared)
    headline: bool = False  # the subject or title of a message or review: a phrase, never one word
    topics: tuple[Any, ...] = ()  # texttopics.Topic: category fields of things the text may name
    writers: tuple[str, ...] = ()  # fields holding the writer's own name (a text never greets them)
    drawn: bool = False  # a set of real sentences drawn as a category: checked against anchors only


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def anchor_for(name: str, node: dict[str, Any]) -> Anchor | None:
    """The anchor a field makes, if any: a polar or urgency label, or a rating with small bounds."""
    name_words = set(words(name))
    desc_words = set(words(node.get("description", "")))
    values = node.get("enum")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        for scale, names, table in (
            (URGENCY, _URGENCY_NAMES, _URGENCY_VALUES),
            (SENTIMENT, _SENTIMENT_NAMES, _SENTIMENT_VALUES),
        ):
            placed = {v: _position(v, table) for v in values}
            known = {v: p for v, p in placed.items() if p is not None}
            named = bool(name_words & names)
            # A named label needs two placed values; an unnamed one must be placed whole and polar.
            if (named and len(set(known.values())) >= 2) or (
                len(known) == len(values) >= 2 and max(known.values()) - min(known.values()) >= 1
            ):
                return Anchor(name=name, scale=scale, kind="label", positions=known)
        decisions = {v: outcome_position(v) for v in values}
        placed = {v: p for v, p in decisions.items() if p is not None}
        if name_words & _OUTCOME_NAMES and not name_words & _TRACKS and {1.0, -1.0} <= set(placed.values()):
            return Anchor(name=name, scale=OUTCOME, kind="label", positions=placed)
        return None
    types = _types(node)
    if (
        ("integer" in types or "number" in types)
        and name_words & _RATING_NAMES
        and not (name_words & _AGGREGATE or _AGGREGATE_TEXT.search(str(node.get("description", ""))))
    ):
        low, high = node.get("minimum"), node.get("maximum")
        if isinstance(low, int | float) and isinstance(high, int | float) and 0 < high - low <= 10:
            scale = URGENCY if name_words & _URGENCY_NAMES else SENTIMENT
            return Anchor(name=name, scale=scale, kind="rating", low=float(low), high=float(high))
        if "nps" in name_words or ({"score"} & name_words and desc_words & {"satisfaction", "rating"}):
            return Anchor(name=name, scale=SENTIMENT, kind="rating", low=0.0, high=10.0)
    return None


def voice_from_text(text: str) -> str | None:
    """Who writes a text, from its description: "written by a support agent", "the customer's message"."""
    for match in _BY.finditer(text):
        voice = voice_of_words(words(match.group(1)))
        if voice:
            return voice
    for match in _OWNER.finditer(text):
        noun = match.group(3).lower()
        if noun in WRITINGS or (noun in OWN_WORDS and match.group(2)):
            voice = voice_of_words([match.group(1).lower()])
            if voice:
                return voice
    low = set(words(text))
    if low & {"review", "reviews", "testimonial", "complaint", "complaints"} and not low & set(STAFF_WORDS[:6]):
        return CUSTOMER
    return None


def voice_from_name(name: str) -> str | None:
    """Who writes a text, from its field's name alone: a party and what it writes (customer_statement,
    adjuster_note). Not from a description, where "reply to the customer message" is staff's."""
    said = words(name)
    for party, writing in itertools.pairwise(said):
        voice = voice_of_words([party]) if party not in _NOT_PARTIES else None
        if voice and writing in _AUTHORED + (_REVIEWED if voice == CUSTOMER else _NOTED):
            return voice
    return None


def _speaker_field(props: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    for name, node in props.items():
        values = node.get("enum")
        if not (set(words(name)) & _SPEAKER_NAMES or _key(name) in _SPEAKER_NAMES) or not isinstance(values, list):
            continue
        voices = {str(v): voice_of_words(words(v)) for v in values}
        placed = {v: voice for v, voice in voices.items() if voice}
        if len(set(placed.values())) >= 2:
            return name, placed
    return None, {}


def is_free_text(name: str, node: dict[str, Any]) -> bool:
    """A string the model writes in words: no enum, const, format or pattern, and room for a phrase."""
    if "string" not in _types(node) or {"enum", "const", "format", "pattern"} & set(node):
        return False
    if node.get("x-strategy") not in (None, "auto", "model"):
        return False
    return not isinstance(node.get("maxLength"), int) or node["maxLength"] >= 20


_HEADLINE = {"subject", "title", "headline", "summary", "heading", "caption", "topic", "tagline"}
# A title of one of these may well be one word ("Accountant", "Dune").
_NAMED_THINGS = {"job", "position", "role", "book", "song", "movie", "film", "album", "product", "app", "game", "show"}
_SHORT = {"subject", "title", "headline", "summary", "name", "heading", "caption", "tagline", "label", "topic",
          "address", "street", "email", "url", "website", "phone", "city", "company", "location"}  # fmt: skip
# (an address or a company is a value, not prose: beside a one-star rating it need not read negative)


SENTENCE_WORDS = 4  # mean words per value from which a category's values are sentences
SENTENCE_VALUES = 3


def _anchors(props: dict[str, Any]) -> tuple[Anchor, ...]:
    """Every field a text must agree with (anchor_for), in the schema's order; of several decisions
    (a manager's and finance's), only the record's own: the one named status, decision or outcome
    (plainly first)."""
    found = [a for a in (anchor_for(n, node) for n, node in props.items()) if a is not None]
    decisions = [a for a in found if a.scale == OUTCOME]
    plain = [a for a in decisions if _key(a.name) in _MAIN_DECISION] + [
        a for a in decisions if set(words(a.name)) & _MAIN_DECISION
    ]
    main = (plain or decisions or [None])[0]
    return tuple(a for a in found if a.scale != OUTCOME or a is main)


def _sentences(node: dict[str, Any]) -> bool:
    values = node.get("enum")
    texts = [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
    return len(texts) >= SENTENCE_VALUES and sum(len(v.split()) for v in texts) >= SENTENCE_WORDS * len(texts)


def is_sentence(text: str) -> bool:
    """Words that end like a sentence: SENTENCE_WORDS or more, closed by a full stop, ! or ?."""
    stripped = text.strip()
    return len(stripped.split()) >= SENTENCE_WORDS and stripped[-1:] in ".!?"


def sentence_roles(json_schema: dict[str, Any], skip: list[str] | tuple[str, ...] = ()) -> list[TextRole]:
    """Texts the model does not write (`skip`: those it does) for the quality report: a learned
    table's few dozen stock reviews or replies, drawn as values, or a category whose values are
    sentences. One must still agree with its record's rating, label and thing: a one-star row that
    carries "really good, would buy again" is counted. Only sentences are judged (`is_sentence`):
    an address or a company name beside a rating says nothing of it."""
    props = json_schema.get("properties", {}) or {}
    anchors = _anchors(props)
    topics = topic_fields(props)
    out = []
    for name, node in props.items():
        if name in skip or not isinstance(node, dict) or not (is_free_text(name, node) or _sentences(node)):
            continue
        mine = tuple(a for a in anchors if a.name != name)
        if mine or topics:
            out.append(TextRole(name=name, anchors=mine, voice=None, topics=topics, drawn=True))
    return out


def text_roles(json_schema: dict[str, Any], fields: list[str] | None = None) -> list[TextRole]:
    """The free-text fields of a record (top level; `fields` limits them, e.g. to what the model
    writes), each with the anchors it must agree with and the voice it is written in."""
    props = json_schema.get("properties", {}) or {}
    anchors = _anchors(props)
    speaker, speaker_voices = _speaker_field(props)
    context = " ".join(str(json_schema.get(k) or "") for k in ("title", "description"))
    topics = topic_fields(props)
    out = []
    for name, node in props.items():
        if (fields is not None and name not in fields) or not is_free_text(name, node):
            continue
        own = " ".join([name.replace("_", " "), str(node.get("description", ""))])
        voice = voice_from_text(own) or voice_from_name(name) or (None if speaker else voice_from_text(context))
        short = bool(set(words(name)) & _SHORT) or (isinstance(node.get("maxLength"), int) and node["maxLength"] <= 80)
        copy = voice != CUSTOMER and bool(set(words(name)) & _SELLER_COPY or _SELLER_TEXT.search(own))
        mine = tuple(a for a in anchors if a.kind != "rating") if copy else anchors
        if voice == CUSTOMER:  # a customer's account tells of other refusals (the other driver's, a card's)
            mine = tuple(a for a in mine if a.scale != OUTCOME)
        out.append(
            TextRole(
                name=name,
                anchors=mine,
                voice=voice,
                voice_field=speaker if speaker and not voice_from_text(own) else None,
                voice_values=speaker_voices if speaker else {},
                short=short,
                room=node["maxLength"] if isinstance(node.get("maxLength"), int) else 0,
                headline=bool(set(words(name)) & _HEADLINE) and not set(words(own)) & _NAMED_THINGS,
                topics=topics,
                writers=writer_name_fields(props, voice) if not short else (),
            )
        )
    return out
