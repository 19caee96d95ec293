"""Does a text agree with its record, speak in the described voice, and read clean? Cheap checks.

This is the deterministic tier of judging text (the LLM judge is the other): no second model pass,
microseconds per record, so the engine runs it on every candidate and the quality score on every run.
- sentiment: VADER (vaderSentiment, MIT: a rule-based valence lexicon of 7,500 words with negation,
  intensifiers and "but" handling, built for short social-media and review text) against a rating
  or a polar label: a low rating or a negative label must not read positive, and the reverse;
- urgency: urgency and severity cues ("urgent", "outage", "can't log in", "severe") against calm
  ones ("no rush", "quick question", "mild"), against a priority or severity label;
- outcome (quality/textoutcome.py): a decision the text states ("I approve", "the claim was denied")
  against a status that holds another one, or none yet;
- voice: third-person talk about "the customer" or an agent's stock phrases in a customer's message,
  a customer's first-person complaint in an agent's note, a patient's first person in a clinical note,
  a greeting to the writer's own name (quality/texttopics.py);
- topic: a text that names another product, device or city than its record's (quality/texttopics.py);
- junk (quality/textjunk.py): unbalanced brackets or quotes, braces, runs of 7+ digits, a text ending
  on a function word, punctuation fragments ("!}", "Acme,"), and a subject of one generic word ("ticket").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from synth_gradio.quality.textecho import Echo, schema_guide, schema_labels
from synth_gradio.quality.textgender import gender_problem, is_person_text
from synth_gradio.quality.textjunk import MIN_TEXT, junk_problem
from synth_gradio.quality.textoutcome import OUTCOME, outcome_problem
from synth_gradio.quality.textroles import (
    CLINICIAN,
    CUSTOMER,
    SENTIMENT,
    STAFF,
    URGENCY,
    Anchor,
    TextRole,
    is_sentence,
    sentence_roles,
    text_roles,
)
from synth_gradio.quality.texttopics import addressed_writer, signed_by_other, topic_problem

POLAR = 0.35  # |VADER compound| from which a text clearly reads positive or negative
LEAN = 0.05  # a text for a strong anchor must lean its way at least this much (VADER's own neutral band)
POLAR_SHORT = 0.5  # the same for a subject or title (one strong word tips a short text)
NEUTRAL_MAX = 0.7  # |VADER compound| from which a text beside a neutral label reads too strongly
STRONG_ANCHOR = 0.5  # a label or rating at least this far from neutral must not be contradicted

_URGENT = re.compile(
    r"\b(?:urgent(?:ly)?|asap|immediately|emergency|critical(?:ly)?|outage|right away|right now|as soon as possible"
    r"|severe(?:ly)?|acute|unbearable|excruciating|life[- ]threatening|production (?:is )?down|is down|went down"
    r"|completely (?:broken|down|unusable)|data loss|losing (?:money|data|customers|sales)|security breach|hacked"
    r"|deadline|escalat\w+)\b|!!",
    re.IGNORECASE,
)
_PRESSING = re.compile(
    r"\b(?:can ?not|can't|cant|unable|not working|doesn't work|does not work|won't|broken|crash(?:es|ed|ing)?"
    r"|blocked|stuck|fail(?:s|ed|ing)?|error|intense|sharp|worsening|significant|charged twice|locked out)\b",
    re.IGNORECASE,
)
_CALM = re.compile(
    r"\b(?:no rush|not urgent|whenever|when you (?:get|have) a (?:chance|moment)|just (?:wondering|curious|a question)"
    r"|quick question|curious|minor|small (?:issue|thing|question|suggestion)|fyi|would be nice|suggestion"
    r"|feature request|low priority|mild(?:ly)?|slight(?:ly)?|occasional(?:ly)?|stable|improving|routine"
    r"|follow[- ]up|check[- ]?up)\b",
    re.IGNORECASE,
)
_THIRD_PERSON_CUSTOMER = re.compile(
    r"\b(?:the|this|that|our|a|each|every) (?:customer|client|user|buyer|shopper|patient)s?\b"
    r"(?! (?:service|support|care|portal|account|number|id|experience|success|base|satisfaction|reviews?|feedback))"
    r"|\b(?:customer|client|user)'s\b|\bour customers\b",
    re.IGNORECASE,
)
_AGENT_PHRASES = re.compile(
    r"\b(?:thank(?:s| you) for (?:contacting|reaching out|calling us(?! back)|choosing us|shopping with us|your (?:patience|feedback|message|inquiry|report|order"
    r"|purchase|business))|your (?:order|account|purchase|package|refund|subscription|support ticket|request|case)"
    r" (?:has been|have been|was|will be|number)"
    r"|we(?: apologi[sz]e| regret|(?:'re| are|'d be| would be) (?:so |very |truly )?sorry)"
    r"|sorry for (?:the|any) inconveniences?"
    r"|(?:contact|reach|call|email) us\b|our team (?:will|is)"
    r"|we(?: will|'ll| are|'re) (?:look(?:ing)? into|investigat\w+|escalat\w+|get back to you|be in touch)"
    r"|please contact (?:our |your )?(?:customer )?(?:support|service)|dear (?:customer|valued|user|sir|madam)"
    r"|please review (?:our|your|the)|your (?:support )?ticket|we have (?:escalated|received|resolved)"
    r"|how (?:can|may) (?:i|we) help|is there anything else)\b",
    re.IGNORECASE,
)
_CUSTOMER_FIRST_PERSON = re.compile(
    r"\b(?:my (?:order|account|card|package|refund|subscription|payment|bill|password|phone|car|device|money)"
    r"|i (?:was|got|have been) (?:charged|billed)|i (?:ordered|bought|purchased|paid)|i want (?:to cancel|a refund)"
    r"|i can(?:'t|not) (?:log ?in|access|sign in))\b",
    re.IGNORECASE,
)
_PATIENT_FIRST_PERSON = re.compile(
    r"\b(?:i (?:have|had|feel|felt|am|was|'ve|'m)|i've|i'm|my (?:pain|head|chest|back|stomach|doctor|symptoms"
    r"|medication|leg|arm|throat))\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()  # read-only lexicon, loaded once per process


def vader_lexicon() -> dict[str, float]:
    """VADER's word valences (-4 to 4)."""
    return dict(_vader().lexicon)


def sentiment(text: str) -> float:
    """VADER's compound valence in [-1, 1]."""
    return float(_vader().polarity_scores(text)["compound"])


def urgency(text: str) -> float:
    """How pressing a text sounds, in [0, 1]: an urgency cue counts 1, a pressing one 0.5, a calm one -0.5."""
    raw = len(_URGENT.findall(text)) + 0.5 * len(_PRESSING.findall(text)) - 0.5 * len(_CALM.findall(text))
    return max(0.0, min(1.0, raw))


def calm(text: str) -> bool:
    return bool(_CALM.search(text)) and not _URGENT.search(text)


@dataclass(frozen=True)
class Problem:
    """One reason a text does not pass: `kind` is disagrees, off-voice or junk."""

    field: str
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.reason} at $.{self.field}"


def anchor_problem(text: str, anchor: Anchor, value: Any, short: bool = False) -> str | None:
    """Why `text` contradicts `anchor`'s value, or None."""
    pos = anchor.position(value)
    if pos is None or len(text) < MIN_TEXT:
        return None
    if anchor.scale == SENTIMENT:
        c, polar = sentiment(text), POLAR_SHORT if short else POLAR
        if pos <= -STRONG_ANCHOR and c >= (polar if short else -LEAN):
            return f"the text does not read negative (valence {c:+.2f}) but {anchor.name} is {value!r}"
        if pos >= STRONG_ANCHOR and c <= (-polar if short else LEAN):
            return f"the text does not read positive (valence {c:+.2f}) but {anchor.name} is {value!r}"
        if anchor.kind == "label" and abs(pos) < 0.25 and abs(c) >= NEUTRAL_MAX and not short:
            return f"the text reads strongly {'positive' if c > 0 else 'negative'} but {anchor.name} is {value!r}"
        return None
    if anchor.scale == OUTCOME:
        found = outcome_problem(text, anchor.name, value, pos)
        return found[0] if found else None
    if anchor.scale == URGENCY and not short:
        u = urgency(text)
        if _urgent_beside_calm(text, pos):
            return _SOUNDS_URGENT.format(anchor.name, value)
        if pos >= 0.95 and u < 0.5:
            return f"the text does not sound urgent but {anchor.name} is {value!r}"
        if pos >= 0.6 and calm(text):
            return f"the text sounds calm but {anchor.name} is {value!r}"
    return None


_SOUNDS_URGENT = "the text sounds urgent but {} is {!r}"
CALM_LABEL = 0.1  # an urgency label at or below this position (low, minor) must not sound urgent


def _urgent_beside_calm(text: str, pos: float | None) -> re.Match | None:
    """The urgency cue of a text whose label is calm, or None."""
    return _URGENT.search(text) if pos is not None and pos <= CALM_LABEL else None


def role_voice(role: TextRole, record: dict[str, Any]) -> str | None:
    """Who writes the role's text: its declared voice, or the one its record's speaker field names."""
    return role.voice or role.voice_values.get(str(record.get(role.voice_field)))


def lasting_problem(text: str, role: TextRole, record: dict[str, Any]) -> tuple[Problem, int] | None:
    """A problem of a partly written text that writing more cannot take away, and where it starts: the
    voice goes wrong, the text sounds urgent beside a calm label, or it states a decision its status
    contradicts. The engine keeps the sentences
    before it when they are enough (a backend closes the text as soon as one appears)."""
    if role.short:
        return None
    off = _off_voice(text, role, record, finished=False)
    if off is not None:
        return Problem(role.name, "off-voice", off[0]), off[1]
    for anchor in role.anchors:
        pos = anchor.position(record.get(anchor.name)) if anchor.scale in (URGENCY, OUTCOME) else None
        if anchor.scale == OUTCOME:
            found = outcome_problem(text, anchor.name, record[anchor.name], pos, False) if pos is not None else None
            if found is not None:  # a decision once written stays written
                return Problem(role.name, "disagrees", found[0]), found[1]
            continue
        urgent = _urgent_beside_calm(text, pos)
        if urgent is not None:
            why = _SOUNDS_URGENT.format(anchor.name, record[anchor.name])
            return Problem(role.name, "disagrees", why), urgent.start()
    return None


def _off_voice(text: str, role: TextRole, record: dict[str, Any], finished: bool = True) -> tuple[str, int] | None:
    """Why the text is not in its role's voice, and where that starts: a phrase of the other side, a
    greeting to its own writer, or (`finished` texts only: a text being written ends anywhere) a
    signature of another's name (texttopics.py); None when it is in voice."""
    voice = role_voice(role, record)
    hit = _voice_hit(text, voice)
    if hit is not None:
        return _VOICE_TEXT[voice].format(hit.group(0)), hit.start()
    greeting = addressed_writer(text, record, role.writers)
    if greeting is not None:
        return _ADDRESSED.format(greeting.group(0)), greeting.start()
    other = signed_by_other(text, record, role.writers) if finished else None
    return (_SIGNED.format(other), text.rindex(other)) if other is not None else None


_ADDRESSED = "the text speaks to its own writer ({!r})"
_SIGNED = "the text is signed by someone other than its writer ({!r})"
_VOICE_TEXT = {
    CUSTOMER: "a customer's text written as staff ({!r})",
    STAFF: "a staff text written as the customer ({!r})",
    CLINICIAN: "a clinician's note written as the patient ({!r})",
}


def _voice_hit(text: str, voice: str | None) -> re.Match | None:
    """The first phrase of `text` that is not in `voice` (None: none, or no voice known)."""
    if voice == CUSTOMER:
        return _THIRD_PERSON_CUSTOMER.search(text) or _AGENT_PHRASES.search(text)
    if voice == STAFF:
        return _CUSTOMER_FIRST_PERSON.search(text)
    if voice == CLINICIAN:
        return _PATIENT_FIRST_PERSON.search(text)
    return None


def voice_problem(text: str, voice: str | None) -> str | None:
    """Why `text` is not in `voice`, or None."""
    hit = _voice_hit(text, voice)
    return _VOICE_TEXT[voice].format(hit.group(0)) if hit is not None else None


def record_problems(record: dict[str, Any], roles: list[TextRole], allowed: str = "") -> list[Problem]:
    """Every problem of the record's texts: junk first, then voice, then disagreement with anchors."""
    out: list[Problem] = []
    for role in roles:
        text = record.get(role.name)
        if not isinstance(text, str) or not text.strip() or (role.drawn and not is_sentence(text)):
            continue
        junk = junk_problem(text, role.short, allowed, role.headline) if not role.drawn else None
        if junk:
            out.append(Problem(role.name, "junk", junk))
        off = _off_voice(text, role, record) if not (role.short or role.drawn) else None
        if off is not None:
            out.append(Problem(role.name, "off-voice", off[0]))
        for anchor in role.anchors:
            if anchor.name in record:
                why = anchor_problem(text, anchor, record[anchor.name], role.short)
                if why:
                    out.append(Problem(role.name, "disagrees", why))
        for topic in role.topics:
            why = topic_problem(text, topic, record.get(topic.name))
            if why:
                out.append(Problem(role.name, "disagrees", why))
        why = gender_problem(text, record) if is_person_text(role.name) and not role.drawn else None
        if why:
            out.append(Problem(role.name, "disagrees", why))
    return out


def schema_wording(json_schema: dict[str, Any]) -> str:
    """The schema's own text (descriptions, enum values, examples): what it uses is never junk. A
    pattern or format is regex syntax, not wording: "{1,2}" there does not make a brace in text fine."""
    return " ".join(
        str(v)
        for node in (json_schema.get("properties") or {}).values()
        for k, v in node.items()
        if k not in ("type", "pattern", "format")
    ) + " ".join(str(e) for e in json_schema.get("examples") or [])


def text_agreement(columns: dict[str, list[Any]], json_schema: dict[str, Any], limit: int = 20_000) -> dict[str, Any]:
    """Run-level shares of records whose texts agree, speak in voice and are clean, with sentences.

    `columns` are record-aligned values per field (quality.metrics.RunAccumulator.columns). At most
    `limit` records are read (evenly spaced) so a large run stays quick.
    """
    roles = text_roles(json_schema, [n for n in columns if _mostly_text(columns[n])])
    roles += sentence_roles(json_schema, [r.name for r in roles])  # stock sentences drawn as values
    n = max((len(v) for v in columns.values()), default=0)
    if not roles or not n:
        return {"checked": 0, "score": None, "sentences": []}
    step = max(1, n // limit)
    allowed = schema_wording(json_schema)
    given = json.dumps(json_schema.get("examples") or [], ensure_ascii=False)
    free = [r.name for r in text_roles(json_schema, list(columns))]  # short names and titles too
    echo = Echo(schema_guide(json_schema), free, schema_labels(json_schema), given)
    kinds: Counter = Counter()
    examples: dict[str, str] = {}
    checked = 0
    anchored = any(r.anchors or r.topics for r in roles)
    voiced = any(r.voice or r.voice_field or r.writers for r in roles)
    for i in range(0, n, step):
        record = {name: col[i] for name, col in columns.items() if i < len(col)}
        checked += 1
        problems = record_problems(record, roles, allowed)
        echoed = echo.find(record) if not any(p.kind == "junk" for p in problems) else None
        if echoed:  # the prompt's wording or another field's value written as this one
            problems.append(Problem(echoed[0], "junk", echoed[1]))
        for kind in {p.kind: p for p in problems}.values():
            kinds[kind.kind] += 1
            examples.setdefault(kind.kind, str(kind))
    rates = {
        "agreement": 1 - kinds["disagrees"] / checked if anchored else None,
        "voice": 1 - kinds["off-voice"] / checked if voiced else None,
        "clean": 1 - kinds["junk"] / checked,
    }
    present = [v for v in rates.values() if v is not None]
    score = min(present)  # one failing aspect is what a reader notices
    sentences = []
    words = {"agreement": "disagrees with its record", "voice": "is not in the described voice", "clean": "has junk"}
    kind_of = {"agreement": "disagrees", "voice": "off-voice", "clean": "junk"}
    for name, rate in rates.items():
        if rate is not None and rate < 0.995:
            example = examples.get(kind_of[name], "")
            sentences.append(f"{1 - rate:.1%} of records have text that {words[name]} (e.g. {example}).")
    return {
        "checked": checked,
        "score": round(score, 4),
        "rates": {k: (round(v, 4) if v is not None else None) for k, v in rates.items()},
        "counts": dict(kinds),
        "fields": [r.name for r in roles],
        "sentences": sentences,
    }


def _mostly_text(values: list[Any]) -> bool:
    texts = [v for v in values[:500] if isinstance(v, str)]
    return bool(texts) and len(texts) * 2 >= len(values[:500]) and sum(map(len, texts)) / len(texts) >= 15
