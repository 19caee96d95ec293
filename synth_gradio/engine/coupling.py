"""Text written after, and conditioned on, the values it must agree with; labels decided from text.

A record's free text has to agree with its labels, ratings and entities (quality/textroles.py finds
them from names, descriptions and enum values). The engine makes that so in three steps:
1. before writing: a polar label drawn by plain sampling (nothing declared) beside a rating is set
   from the rating, so "rating 1, sentiment positive" is never planned. A label the model would
   choose is left out of the prompt and decided from the text after it is written (step 3). Other
   labels, ratings and entities are drawn first and the text is conditioned on them;
2. while writing: each record gets a brief, a phrase in its prompt naming the writer (voice), the
   tone its anchors call for (or one drawn from a realistic mix), an expertise, and a length band
   (many short texts, a long tail, up to the schema's maxLength). The examples in the prompt carry
   briefs read off their own text, so a small base model sees what each brief means. A backend that
   can steer its sampling (llama.cpp) also gets per-record words to avoid or favour: a text that
   must read negative avoids strongly positive words, a customer's message avoids staff words, a
   clinician's note avoids the first person ("I", "my") of the patient it is about;
3. after writing: labels left for the text are set from it (VADER valence, urgency cues), and the
   deterministic checks (quality/textcheck.py) reject text that still disagrees, speaks in the wrong
   voice or carries junk. Declared labels and ratings are never changed, only checked.
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

import numpy as np

from synth_gradio.engine.prose import SENTENCE_END
from synth_gradio.quality.textcheck import (
    POLAR,
    Problem,
    calm,
    lasting_problem,
    record_problems,
    role_voice,
    schema_wording,
    sentiment,
    urgency,
    vader_lexicon,
)
from synth_gradio.quality.textoutcome import OUTCOME, outcome_avoid
from synth_gradio.quality.textroles import CLINICIAN, CUSTOMER, SENTIMENT, STAFF, Anchor, TextRole, text_roles
from synth_gradio.schema.infer import LENGTH_QUANTILES
from synth_gradio.schema.model import Schema

_TONES = {
    SENTIMENT: [(-1.0, ("angry", "disappointed", "frustrated", "annoyed")), (-0.5, ("unhappy", "let down")),
                (0.0, ("matter-of-fact", "mixed", "neutral")), (0.5, ("satisfied", "pleased")),
                (1.0, ("delighted", "enthusiastic", "happy", "impressed"))],
    "urgency": [(0.0, ("relaxed", "curious", "casual")), (0.4, ("practical", "polite")),
                (0.7, ("worried", "pressed")), (1.0, ("urgent", "alarmed"))],
}  # fmt: skip
# How often each urgency tone is drawn when the label is decided from the text (about how often
# real support queues see each priority).
_URGENCY_MIX = [(0.0, 0.2), (0.4, 0.45), (0.7, 0.25), (1.0, 0.1)]
_SENTIMENT_MIX = [(-1.0, 0.2), (-0.5, 0.1), (0.0, 0.15), (0.5, 0.2), (1.0, 0.35)]
_EXPERTISE = ("non-technical", "everyday", "tech-savvy", "expert")
_EXPERTISE_WEIGHTS = (0.35, 0.35, 0.2, 0.1)
_VOICE_WORDS = {CUSTOMER: "customer", STAFF: "staff member", CLINICIAN: "clinician"}
_LENGTHS = (("one line", 0.12), ("short", 0.38), ("medium", 0.32), ("long", 0.18))
Words = tuple[tuple[str, float], ...]  # (word, logits to add: negative avoids it) for a record's text
AVOID, FAVOUR = -6.0, 1.0
NEUTRAL_STRONG = 2.5  # VADER valence from which a neutral text steers away from a word ("great", "bad")
STEER_MIN = 5  # letters a topic value needs before its word is steered
SALVAGE_MIN = 40  # characters a salvaged text keeps at least (a first sentence that stands alone)
CODE_SAMPLED = "sample"  # the strategy of a label drawn uniformly from its enum: nothing declared
MODEL_WRITTEN = "model"


class TextCoupling:
    """The per-run plan for agreement between the model's text and its record (module docstring)."""

    def __init__(self, schema: Schema, strategies: dict[str, str], model_fields: list[str]) -> None:
        self.schema = schema
        self.roles: list[TextRole] = text_roles(schema.json_schema, model_fields)
        self.allowed = schema_wording(schema.json_schema)
        anchors = {a.name: a for r in self.roles for a in r.anchors}
        ratings = [a for a in anchors.values() if a.kind == "rating"]
        self.from_rating: dict[str, Anchor] = {}  # label -> the rating it is set from
        self.from_text: dict[str, Anchor] = {}  # label -> decided from the text after writing
        for name, anchor in anchors.items():
            if (
                anchor.kind != "label"
                or anchor.scale == OUTCOME
                or strategies.get(name) not in (CODE_SAMPLED, MODEL_WRITTEN)
            ):
                continue  # a status is the record's fact: its text follows it, never the reverse
            partner = next((r for r in ratings if r.scale == anchor.scale), None)
            if partner is not None:
                self.from_rating[name] = anchor
            elif strategies.get(name) == MODEL_WRITTEN:
                # A label the model would choose is decided from its text instead, so the two agree.
                self.from_text[name] = anchor
        self.anchors = anchors
        self.bounds = {r.name: _bounds(schema.field(r.name).schema) for r in self.roles if not r.short}
        self.lengths = {n: schema.field(n).schema.get("x-lengths") for n in self.bounds}  # real texts' (infer.py)
        self._partner = {n: next(r for r in ratings if r.scale == a.scale) for n, a in self.from_rating.items()}

    @property
    def active(self) -> bool:
        return bool(self.roles)

    def strategies(self) -> dict[str, str]:
        """How each coupled label is now filled, for the run's stored strategies."""
        return {**{n: "from_rating" for n in self.from_rating}, **{n: "from_text" for n in self.from_text}}

    def before(self, fixed: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str, Words]:
        """The planned values with labels aligned (or left for the text), the record's brief, and the
        words its text should favour or avoid (a backend that can steer its sampling uses them)."""
        out = {k: v for k, v in fixed.items() if k not in self.from_text}
        for name, anchor in self.from_rating.items():
            pos = self._partner[name].position(out.get(self._partner[name].name))
            if pos is not None and name in out:
                out[name] = rng.choice(anchor.values_near(_nearest_step(pos)))
        targets = self._targets(out, rng)
        steer = steer_words(tuple(sorted(targets.items())), self._voice(out), *self._topic_words(out))
        return out, self.brief(out, rng, targets), steer

    def _topic_words(self, values: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The one-word values of the main text's topic fields that the record does not have (its text
        should not name them: a phone's ticket about "my laptop"), and those it has."""
        main, others, own = self.main, set(), set()
        for topic in main.topics if main is not None and not main.short else ():
            value = values.get(topic.name)
            if value not in topic.values:
                continue
            for v in topic.values:
                if " " not in v and len(v) >= STEER_MIN:  # a short one ("app", "red") starts other words
                    (own if v == value else others).add(v.lower())
        others = {w for w in others - own if not any(o.startswith(w) for o in own)}  # "pixel" in "pixelbook"
        return tuple(sorted(others)), tuple(sorted(own))

    def _targets(self, values: dict[str, Any], rng: random.Random, text: str | None = None) -> dict[str, float]:
        """Where the record's text should sit on each scale: from its anchors' values, read off the text
        itself (an example), or drawn from a realistic mix (a label decided from the text)."""
        out: dict[str, float] = {}
        for anchor in self.anchors.values():
            if anchor.scale in out:
                continue
            if anchor.scale == OUTCOME:  # a status is what happened, not a tone read off a text
                pos = anchor.position(values.get(anchor.name))
                if pos is not None:
                    out[OUTCOME] = pos
            elif text is not None:
                out[anchor.scale] = self._read(anchor, text)
            elif anchor.name in self.from_text:
                mix = _SENTIMENT_MIX if anchor.scale == SENTIMENT else _URGENCY_MIX
                out[anchor.scale] = rng.choices([p for p, _ in mix], [w for _, w in mix])[0]
            else:
                pos = anchor.position(values.get(anchor.name))
                if pos is not None:
                    out[anchor.scale] = pos
        return out

    def _voice(self, values: dict[str, Any]) -> str | None:
        main = self.main
        if main is None:
            return None
        return role_voice(main, values)

    @property
    def main(self) -> TextRole | None:
        return next((r for r in self.roles if not r.short), self.roles[0] if self.roles else None)

    def brief(
        self,
        values: dict[str, Any],
        rng: random.Random,
        targets: dict[str, float] | None = None,
        texts: dict[str, str] | None = None,
    ) -> str:
        """One line on who writes, in what tone, and how long. With `texts` (an example record) the tone
        and length are read off the text itself; otherwise they follow `targets` and a drawn length."""
        main = self.main
        if main is None:
            return ""
        voice = self._voice(values)
        if texts is not None:
            targets = self._targets(values, rng, " ".join(texts.values()))
        # One natural phrase ("a worried, non-technical customer; short"): a small model copies list-like
        # briefs ("tech-savvy", "in their 40s") into the text itself.
        adjectives = [_tone_word(scale, pos, rng) for scale, pos in (targets or {}).items() if scale != OUTCOME]
        if voice == CUSTOMER:
            adjectives.append(rng.choices(_EXPERTISE, _EXPERTISE_WEIGHTS)[0])
        who = ", ".join([*adjectives, _VOICE_WORDS.get(voice or "", "writer")])
        phrase = ("an " if who[:1] in "aeiou" else "a ") + who
        if main.name in self.bounds:
            phrase += "; " + self._length(main.name, rng, (texts or {}).get(main.name))
        return phrase

    def _length(self, name: str, rng: random.Random, text: str | None) -> str:
        """The length band of an example's text, or one drawn for a record: from the real texts'
        lengths where the schema has them (a learned table's reviews all ran 90 to 110 characters,
        the drawn mix asked half of them for a line or a short one), else from a mix of many short
        texts and a long tail."""
        known = self.lengths.get(name)
        if text is not None:
            length = len(text)
        elif isinstance(known, list) and len(known) == len(LENGTH_QUANTILES):
            length = int(np.interp(rng.random(), LENGTH_QUANTILES, known))
        else:
            return rng.choices([n for n, _ in _LENGTHS], [w for _, w in _LENGTHS])[0]
        low, high = self.bounds[name]
        share = (length - low) / max(1, high - low)
        return "one line" if length < 60 else "short" if share < 0.25 else "medium" if share < 0.55 else "long"

    def after(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record with labels left for the text decided from it."""
        if not self.from_text:
            return record
        out = dict(record)
        for name, anchor in self.from_text.items():
            # read from the texts it anchors: a seller's glowing copy says nothing of a review's tone
            text = " ".join(
                str(record[r.name])
                for r in self.roles
                if isinstance(record.get(r.name), str) and any(a.name == name for a in r.anchors)
            )
            out[name] = anchor.values_near(self._read(anchor, text))[0]
        return {f.name: out[f.name] for f in self.schema.fields if f.name in out}

    @staticmethod
    def _read(anchor: Anchor, text: str) -> float:
        """Where a text sits on an anchor's scale, in the steps the checks use."""
        if anchor.scale == SENTIMENT:
            return _nearest_step(sentiment(text))
        if calm(text):
            return 0.0
        u = urgency(text)
        return 1.0 if u >= 1 else 0.7 if u >= 0.5 else 0.4

    def lost(self, values: dict[str, Any], field: str, text: str) -> bool:
        """Whether a text being written already says what `salvage` cuts or the checks reject."""
        role = self._prose_role(field)
        return role is not None and lasting_problem(text, role, values) is not None

    def salvage(self, values: dict[str, Any], field: str, text: str, min_length: int) -> str:
        """A prose text whose voice or tone goes wrong only after good sentences keeps those sentences
        ("My export fails every night. Thank you for contacting us." keeps its first sentence) when
        they are long enough; otherwise the text is returned as it is, for the checks to reject."""
        role = self._prose_role(field)
        for _ in range(3):  # the kept part may hold another, earlier problem of a different kind
            found = lasting_problem(text, role, values) if role is not None else None
            if found is None:
                return text
            ends = [m.end() for m in SENTENCE_END.finditer(text[: found[1]])]
            kept = text[: ends[-1]] if ends else ""
            if len(kept) < max(min_length, SALVAGE_MIN):
                return text
            text = kept
        return text

    def _prose_role(self, field: str) -> TextRole | None:
        return next((r for r in self.roles if r.name == field and not r.short), None)

    def problem(self, record: dict[str, Any]) -> Problem | None:
        found = record_problems(record, self.roles, self.allowed)
        return found[0] if found else None

    def hidden(self, example: dict[str, Any]) -> dict[str, Any]:
        """An example as the prompt shows it: labels decided from the text are not given."""
        return {k: v for k, v in example.items() if k not in self.from_text}


def _nearest_step(value: float) -> float:
    """A valence or position snapped to the label steps: -1, 0 or 1 (the checks' own thresholds)."""
    return -1.0 if value <= -POLAR else 1.0 if value >= POLAR else 0.0


def _tone_word(scale: str, pos: float, rng: random.Random) -> str:
    steps = _TONES[SENTIMENT if scale == SENTIMENT else "urgency"]
    words = min(steps, key=lambda s: abs(s[0] - pos))[1]
    return rng.choice(words)


def _bounds(node: dict[str, Any]) -> tuple[int, int]:
    low = int(node.get("minLength", 0))
    high = node.get("maxLength")
    return low, int(high) if isinstance(high, int) else max(low + 400, 400)


_URGENT_WORDS = ("urgent", "urgently", "asap", "immediately", "emergency", "critical", "outage", "ASAP")
_CALM_WORDS = ("minor", "curious", "wondering", "whenever", "suggestion", "small")
_STAFF_WORDS = (
    "customer",
    "customers",
    "client",
    "clients",
    "user",
    "users",
    "apologize",
    "apologise",
    "apologies",
    "inconvenience",
    "valued",
)


_FIRST_PERSON = ("I", "I'm", "I've", "me", "my")


@lru_cache(maxsize=256)
def steer_words(
    targets: tuple[tuple[str, float], ...], voice: str | None, others: tuple[str, ...] = (), own: tuple[str, ...] = ()
) -> Words:
    """Words a record's text should avoid or favour, for its tone targets, voice and topic (`others`:
    the things it is not about; `own`: those it is). Cached: a run has only a few distinct
    combinations, and backends cache their token lists per tuple."""
    target = dict(targets)
    out: dict[str, float] = dict.fromkeys(own, FAVOUR)
    out.update(dict.fromkeys(others, AVOID))
    s = target.get(SENTIMENT)
    if s is not None and abs(s) >= 0.5:
        out.update(dict.fromkeys(polar_words(positive=s < 0), AVOID))
        out.update(dict.fromkeys(polar_words(positive=s > 0)[:200], FAVOUR))
    elif s is not None and abs(s) < 0.25:  # neutral: the strongest words of either side read too strongly
        out.update(dict.fromkeys(polar_words(positive=True, least=NEUTRAL_STRONG), AVOID / 2))
        out.update(dict.fromkeys(polar_words(positive=False, least=NEUTRAL_STRONG), AVOID / 2))
    u = target.get("urgency")
    if u is not None and u <= 0.1:
        out.update(dict.fromkeys(_URGENT_WORDS, AVOID))
        out.update(dict.fromkeys(_CALM_WORDS, FAVOUR))
    elif u is not None and u >= 0.95:
        out.update(dict.fromkeys(_URGENT_WORDS, 2 * FAVOUR))
    elif u is not None and u >= 0.6:
        out.update(dict.fromkeys(_CALM_WORDS, AVOID))
    decided = target.get(OUTCOME)
    if decided is not None:  # an approval beside "rejected", a refusal beside "approved", either while pending
        out.update(dict.fromkeys(outcome_avoid(decided), AVOID))
    if voice == CUSTOMER:
        out.update(dict.fromkeys(_STAFF_WORDS, AVOID))
    elif voice == CLINICIAN:  # a clinician's note is about the patient, not in the patient's first person
        out.update(dict.fromkeys(_FIRST_PERSON, AVOID))
    return tuple(sorted(out.items()))


@lru_cache(maxsize=4)
def polar_words(positive: bool, least: float = 1.5) -> tuple[str, ...]:
    """Strongly positive (or negative) single words of the VADER lexicon, strongest first."""
    sign = 1 if positive else -1
    picked = [(abs(v), w) for w, v in vader_lexicon().items() if sign * v >= least and w.isalpha() and len(w) >= 3]
    return tuple(w for _, w in sorted(picked, reverse=True))
