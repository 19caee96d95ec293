"""Independent checks of model-written text against its record (the bench's oracle, not the product's code).

Nothing here imports synth_gradio: the point is to judge the product's text with rules it never saw.
Every check returns True (agrees), False (disagrees) or None (does not apply to this record), or a
list of problem names (empty: none found). `self_check()` runs the examples below as assertions.

Sentiment (TextBlob's pattern lexicon, polarity in [-1, 1]):
  positive text: polarity > +0.1; negative text: polarity < -0.1 (POLAR); strong: |polarity| >= 0.5.
  rating on a 1-5 scale: 1-2 (low) must not be positive; 4-5 (high) must not be negative; 3: no check.
  sentiment label: negative must not be positive; positive must not be negative; neutral must not be
  strongly polar.
Urgency (word lists below; a calm phrase such as "not urgent" is removed before urgent words are counted):
  sounds urgent: one strong marker (urgent, asap, immediately, emergency, outage, ...) or two weak ones
  (cannot, down, blocked, crash, error, ...); sounds calm: a calm marker (no rush, minor, whenever, ...)
  and no urgent word, strong or weak, outside the calm phrases.
  low priority / mild severity must not sound urgent; high or urgent priority / severe must not sound
  calm; normal / moderate: no check.
Voice: see VOICE_PATTERNS (customer, agent, clinician, employer).
Junk: unbalanced brackets or double quotes, a run of 7+ digits, a last word that is a function word
  (unless the text ends with "?"), JSON fragments (braces, `":`, a lone "/ 123"), and a subject or title
  that is one generic word ("ticket", "problem", ...).
Diversity over the texts of one field: distinct word 3-grams / all word 3-grams; near-duplicate share:
  the share of texts whose word 3-gram set has Jaccard >= 0.7 with some other text of the field
  (a text of under 3 words counts as one "gram": its whole word sequence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

POLAR = 0.1
STRONG = 0.5
NEAR_DUP_JACCARD = 0.7
LONG_DIGITS = 7

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# ----- sentiment ------------------------------------------------------------------------------------
def polarity(text: str) -> float:
    from textblob import TextBlob  # the independent oracle (MIT; its pattern lexicon ships with it)

    return float(TextBlob(text).sentiment.polarity)


def tone(text: str) -> str:
    p = polarity(text)
    return "positive" if p > POLAR else "negative" if p < -POLAR else "neutral"


def rating_agrees(rating: Any, text: str, low: int = 2, high: int = 4) -> bool | None:
    """A 1-5 rating: <= low must not read positive, >= high must not read negative; between: no check."""
    if not isinstance(rating, (int, float)) or isinstance(rating, bool):
        return None
    if rating <= low:
        return tone(text) != "positive"
    if rating >= high:
        return tone(text) != "negative"
    return None


def label_tone(label: Any) -> str | None:
    """negative / neutral / positive for a sentiment-style label (None: not one)."""
    value = str(label).lower()
    if any(w in value for w in ("neg", "angry", "frustrat", "unhappy", "dissatisf", "bad")):
        return "negative"
    if any(w in value for w in ("pos", "happy", "satisf", "good", "pleased")):
        return "positive"
    if any(w in value for w in ("neutral", "mixed", "calm")):
        return "neutral"
    return None


def sentiment_agrees(label: Any, text: str) -> bool | None:
    want = label_tone(label)
    if want is None:
        return None
    p = polarity(text)
    if want == "negative":
        return p <= POLAR
    if want == "positive":
        return p >= -POLAR
    return abs(p) < STRONG


# ----- urgency --------------------------------------------------------------------------------------
STRONG_URGENT = (
    r"urgent(ly)?|asap|as soon as possible|immediately|right away|right now|emergency|critical(ly)?|outage"
    r"|(is|are|went|goes|been) down|production|life[- ]threatening|unresponsive|unstable|acute distress"
    r"|resuscitat\w*|intubat\w*|stat"
)
WEAK_URGENT = (
    r"cannot|can't|can not|unable|blocked|down|crash(es|ed|ing)?|broken|fail(s|ed|ing|ure)?|not working"
    r"|doesn't work|error|lost|losing|deadline|severe(ly)?|(chest|severe) pain|bleeding|short(ness)? of breath"
    r"|admitted|escalat\w*"
)
CALM = (
    r"no rush|no hurry|not urgent|non[- ]urgent|when(ever)? you (have|get) (a )?(chance|time|a moment)|whenever"
    r"|at your convenience|just (wondering|curious|a question|a heads up|checking)|quick question|minor"
    r"|small (issue|question|thing)|low priority|would be nice|feature request|suggestion|not a big deal|cosmetic"
    r"|routine|mild(ly)?|no acute distress|well[- ]appearing|benign|self[- ]limiting|reassur\w*"
)


def _pattern(parts: str | Iterable[str]) -> re.Pattern[str]:
    alternatives = parts if isinstance(parts, str) else "|".join(parts)
    return re.compile(r"\b(?:" + alternatives + r")\b", re.IGNORECASE)


_STRONG, _WEAK, _CALM = _pattern(STRONG_URGENT), _pattern(WEAK_URGENT), _pattern(CALM)


def urgency(text: str) -> str:
    """The text's register: urgent, calm or plain (calm only when no urgent word at all is left)."""
    calm = len(_CALM.findall(text))
    rest = _CALM.sub(" ", text)  # "not urgent" is calm, not urgent
    strong, weak = len(_STRONG.findall(rest)), len(_WEAK.findall(rest))
    if strong >= 1 or weak >= 2:
        return "urgent"
    return "calm" if calm and not weak else "plain"


LOW_LABELS = ("low", "mild", "minor", "trivial")
HIGH_LABELS = ("high", "urgent", "critical", "severe", "emergency", "blocker")


def priority_agrees(label: Any, text: str) -> bool | None:
    """low / mild must not sound urgent; high, urgent / severe must not sound calm; others: no check."""
    value = str(label).lower()
    if value in LOW_LABELS:
        return urgency(text) != "urgent"
    if value in HIGH_LABELS:
        return urgency(text) != "calm"
    return None


# ----- topic ----------------------------------------------------------------------------------------
def topic_agrees(value: Any, text: str, values: Sequence[str]) -> bool | None:
    """A text about a record's device (or product) names it, or names none of the others. None: no
    other value is named and its own is not either (nothing to judge)."""
    low = text.lower()
    named = {v for v in values if re.search(r"\b" + re.escape(v.lower()) + r"s?\b", low)}
    if str(value) in named:
        return True
    return False if named else None


def greets(name: Any, text: str) -> bool:
    """Whether `text` greets the person `name` (first or full name): "Dear Ann", "Hi @Ann Lee"."""
    if not isinstance(name, str) or not name.strip():
        return False
    first = re.escape(name.split()[0].lower())
    return bool(
        re.search(
            r"\b(dear|hi|hello|hey|good (morning|afternoon|evening))\W+(mr\.? |ms\.? |mrs\.? )?"
            + first
            + r"\b|@ ?"
            + first
            + r"\b",
            text.lower(),
        )
    )


# ----- voice ----------------------------------------------------------------------------------------
AGENT_REPLY = (
    r"thank(s| you) for (contacting|reaching out|your (patience|feedback|review|purchase|message|inquiry))",
    r"we apologi[sz]e",
    r"we('re| are) (so |very |truly )?sorry",
    r"sorry for the inconvenience",
    r"our team will",
    r"our (support )?team is (looking|working)",
    r"we will (look into|investigate|get back)",
    r"we('re| are) (looking into|investigating)",
    r"please contact (our |customer )?(customer )?(support|service)",
    r"(how|what) (can|may) (i|we) (help|assist)",
    r"rest assured",
    r"we appreciate your",
    r"(has|have) been escalated to",
)
CUSTOMER_THIRD_PERSON = (
    r"(the|this|our|a|each|every) (customer|buyer|reviewer|user)('s|s)?",
    r"customers'",
)
CUSTOMER_FIRST_PERSON = (
    r"i (can't|cannot|am unable to|have been trying|bought|ordered|purchased|paid|was charged|want a refund)",
    r"my (order|package|parcel|account|card|subscription|refund|payment|password|delivery|money)",
    r"help me",
    r"please help",
    r"where is my",
)
PATIENT_FIRST_PERSON = (
    r"my (pain|head|chest|stomach|back|throat|knee|leg|arm|symptoms|doctor|medication|cough|fever|heart)",
    r"i (feel|felt|hurt|can't sleep|cannot sleep|can't breathe)",
    r"i(?:'ve| have) been (feeling|having|suffering|coughing|vomiting)",
    r"i have (a |had )?(pain|fever|cough|headache|rash)",
    r"i(?:'m| am) (in pain|feeling|worried|scared|dizzy)",
)
APPLICANT_FIRST_PERSON = (
    r"i(?:'m| am) (looking for|seeking|applying|interested in)",
    r"my (experience|resume|cv|skills|background|qualifications)",
    r"i have \d+ years",
    r"hire me",
)
VOICE_PATTERNS: dict[str, dict[str, tuple[str, ...]]] = {
    # the customer, a buyer or an app user writing: no third person about them, no reply from the business
    "customer": {"third_person": CUSTOMER_THIRD_PERSON, "agent_reply": AGENT_REPLY},
    # a support agent writing: not the customer's first person
    "agent": {"customer_first_person": CUSTOMER_FIRST_PERSON},
    # a clinician writing the note: not the patient's first person
    "clinician": {"patient_first_person": PATIENT_FIRST_PERSON},
    # the employer writing the ad: not an applicant's first person
    "employer": {"applicant_first_person": APPLICANT_FIRST_PERSON},
}
_VOICE = {voice: {k: _pattern(v) for k, v in kinds.items()} for voice, kinds in VOICE_PATTERNS.items()}


def voice_problems(text: str, voice: str) -> list[str]:
    """What in `text` is out of `voice` (customer, agent, clinician, employer); empty: in voice."""
    return [kind for kind, pattern in _VOICE[voice].items() if pattern.search(text)]


# ----- junk -----------------------------------------------------------------------------------------
FUNCTION_WORDS = frozenset(
    [
        "and",
        "or",
        "but",
        "nor",
        "the",
        "a",
        "an",
        "to",
        "of",
        "with",
        "for",
        "by",
        "from",
        "as",
        "than",
        "if",
        "because",
        "into",
        "about",
        "my",
        "your",
        "our",
        "their",
        "its",
    ]
)
GENERIC_TITLES = frozenset(
    [
        "ticket",
        "problem",
        "problems",
        "issue",
        "issues",
        "review",
        "reviews",
        "question",
        "help",
        "request",
        "subject",
        "title",
        "comment",
        "feedback",
        "message",
        "bug",
        "error",
        "support",
        "complaint",
        "product",
        "app",
        "update",
        "note",
        "notes",
        "test",
        "none",
    ]
)
_FRAGMENT = re.compile(r"[{}\\]|\"\s*:|(?:^|\s)/\s*\d+")
_DIGITS = re.compile(r"\d{" + str(LONG_DIGITS) + ",}")


def unbalanced(text: str) -> bool:
    for open_, close in ("()", "[]", "{}"):
        depth = 0
        for ch in text:
            depth += (ch == open_) - (ch == close)
            if depth < 0:
                return True
        if depth:
            return True
    return text.count('"') % 2 == 1 or text.count("\u201c") != text.count("\u201d")


def junk_problems(text: str, *, title: bool = False, allow_digits: bool = False) -> list[str]:
    """Junk marks of one model-written string; title=True also flags a single generic word."""
    out = []
    if unbalanced(text):
        out.append("unbalanced")
    if not allow_digits and _DIGITS.search(text):
        out.append("long_digits")
    tokens = words(text)
    if len(tokens) >= 2 and tokens[-1] in FUNCTION_WORDS and not text.rstrip().endswith("?"):
        out.append("dangling_function_word")
    if _FRAGMENT.search(text):
        out.append("fragment")
    if title and len(tokens) == 1 and tokens[0] in GENERIC_TITLES:
        out.append("generic_title")
    return out


# ----- diversity ------------------------------------------------------------------------------------
def trigrams(text: str) -> list[tuple[str, ...]]:
    tokens = words(text)
    if len(tokens) < 3:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]


def distinct_3gram_share(texts: Sequence[str]) -> float | None:
    grams = [g for t in texts for g in trigrams(t)]
    return len(set(grams)) / len(grams) if grams else None


def near_duplicate_share(texts: Sequence[str], threshold: float = NEAR_DUP_JACCARD) -> float | None:
    """Share of texts with word 3-gram Jaccard >= threshold to at least one other text."""
    sets = [frozenset(trigrams(t)) for t in texts]
    if len(sets) < 2:
        return None
    flagged = [False] * len(sets)
    for i in range(len(sets)):
        a = sets[i]
        for j in range(i + 1, len(sets)):
            b = sets[j]
            if not a or not b or min(len(a), len(b)) < threshold * max(len(a), len(b)):
                continue  # Jaccard <= min/max: cannot reach the threshold
            if len(a & b) / len(a | b) >= threshold:
                flagged[i] = flagged[j] = True
    return sum(flagged) / len(sets)


# ----- self-check -----------------------------------------------------------------------------------
def self_check() -> None:
    """The rules above on hand-written cases (raises AssertionError on the first that fails)."""
    assert rating_agrees(1, "Absolutely love it, the best purchase I made this year!") is False
    assert rating_agrees(1, "Terrible. It broke after a day and support was awful.") is True
    assert rating_agrees(5, "Terrible. It broke after a day and support was awful.") is False
    assert rating_agrees(3, "Terrible.") is None
    assert sentiment_agrees("positive", "Great quality and fast shipping, very happy.") is True
    assert sentiment_agrees("negative", "Great quality and fast shipping, very happy.") is False
    assert sentiment_agrees("neutral", "Perfect, excellent, the best!") is False
    assert sentiment_agrees("neutral", "It arrived on Tuesday in a box.") is True
    assert urgency("Our site is down and customers cannot check out, please fix ASAP") == "urgent"
    assert urgency("Not urgent, but the export button label has a typo.") == "calm"
    assert urgency("How do I change my invoice address?") == "plain"
    assert priority_agrees("low", "Production outage, everything is down!") is False
    assert priority_agrees("urgent", "No rush, just a small question about themes.") is False
    assert priority_agrees("urgent", "Payments fail with error 500 for all users.") is True
    assert priority_agrees("normal", "No rush.") is None
    assert priority_agrees("mild", "Patient in acute distress, transferred to emergency care.") is False
    assert priority_agrees("severe", "Mild rash, reassured and sent home.") is False
    assert priority_agrees("severe", "Severe headache with mild nausea.") is True
    assert voice_problems("The customer reports the app crashes on login.", "customer") == ["third_person"]
    assert voice_problems("Thank you for contacting us, our team will look into it.", "customer") == ["agent_reply"]
    assert voice_problems("The app crashes every time I open the camera.", "customer") == []
    assert voice_problems("I can't log in to my account, please help.", "agent") == ["customer_first_person"]
    assert voice_problems("I've checked your order; it ships tomorrow.", "agent") == []
    assert voice_problems("I have been having chest pain since Monday.", "clinician") == ["patient_first_person"]
    assert voice_problems("Pt reports chest pain since Monday; ECG normal.", "clinician") == []
    assert voice_problems("I am looking for a junior role, hire me.", "employer") == ["applicant_first_person"]
    assert junk_problems("Works (mostly as expected") == ["unbalanced"]
    assert junk_problems('He said "great') == ["unbalanced"]
    assert junk_problems("Call 5551234567 now") == ["long_digits"]
    assert junk_problems("Great value for the") == ["dangling_function_word"]
    assert junk_problems("What is this for?") == []
    assert junk_problems("Love it!}") == ["unbalanced", "fragment"]
    assert junk_problems("Battery died / 1368") == ["fragment"]
    assert junk_problems("Ticket", title=True) == ["generic_title"]
    assert junk_problems("Login loop on Android", title=True) == []
    assert topic_agrees("phone", "My phone drops calls.", ["phone", "laptop"]) is True
    assert topic_agrees("phone", "My laptop will not boot.", ["phone", "laptop"]) is False
    assert topic_agrees("phone", "It will not boot.", ["phone", "laptop"]) is None
    assert greets("Ann Lee", "Hi Ann, your order shipped.") and greets("Ann Lee", "Hello @Ann Lee")
    assert not greets("Ann Lee", "My order never came. Thanks, Ann")
    assert distinct_3gram_share(["a b c d", "a b c d"]) == 0.5
    assert near_duplicate_share(["the app crashes on start", "the app crashes on start today", "love it"]) == 2 / 3
    assert near_duplicate_share(["one two three four", "five six seven eight"]) == 0.0


if __name__ == "__main__":
    self_check()
    print("text_checks: self-check passed")
