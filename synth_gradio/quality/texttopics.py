"""What a text is about and whom it speaks to, against its record: two checks no tone lexicon makes.

- Topic: a record's product is "phone" and its message complains about "my laptop". Where a category
  field names a thing a text talks about (a product, a device, a city, a cuisine: `THINGS`), a text
  that names another of the field's values and not its own is about something else. Naming its own
  value beside another ("I moved from a laptop to this phone") is fine.
- Signature: a message signed "Best regards, John" or "Thanks,\n John" where the writer is Mary Lee
  is written in someone else's name (a given name: "Best, Team" is left alone; "Thanks, John" on
  one line may thank John).
- Addressee: a customer's message that opens "Dear David," or "Hi @David" where David is the
  customer is written to the customer, not by them: a small model copies the record's name into a
  greeting. The writer's own name fields come from the schema (a customer, reviewer or patient name
  for a customer's text, an agent's name for an agent's).
Both read the schema alone, so they serve schemas nobody has seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from synth_gradio.quality.textvoice import CUSTOMER, STAFF, voice_of_words, words

# Field-name words of a category whose values are things a text names (device_type, product_line, city).
THINGS = {
    "product", "products", "item", "device", "brand", "make", "model", "vehicle", "car", "city", "country",
    "region", "cuisine", "genre", "platform", "os", "browser", "app", "airline", "destination", "sport", "course",
    "drug", "medication", "medicine", "breed", "species", "animal", "pet", "dish", "food", "flavor", "flavour",
    "color", "colour", "language", "instrument", "fabric", "material", "hotel", "restaurant", "store", "team",
}  # fmt: skip
_VAGUE = {"other", "others", "none", "unknown", "misc", "various", "n/a", "na", "all", "any", "general"}
_VALUE = re.compile(r"^[A-Za-z][A-Za-z&'.\- ]{1,40}$")
_NAME_PARTS = {"name", "full", "first", "display", "given"}
_GREETING = r"(?i:dear|hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening|day))"
_TITLE = r"(?:(?i:mr|mrs|ms|miss|dr)\.?\s+)?"


@dataclass(frozen=True)
class Topic:
    """A category field whose values are things the text may name."""

    name: str
    values: tuple[str, ...]


def topic_fields(props: dict[str, Any]) -> tuple[Topic, ...]:
    """Category fields of things (`THINGS`) with at least two nameable values."""
    out = []
    for name, node in props.items():
        values = node.get("enum") if isinstance(node, dict) else None
        if not isinstance(values, list) or not set(words(name)) & THINGS:
            continue
        kept = tuple(v for v in values if isinstance(v, str) and _VALUE.match(v) and v.lower() not in _VAGUE)
        if len(kept) >= 2:
            out.append(Topic(name, kept))
    return tuple(out)


@lru_cache(maxsize=512)
def _mention(value: str) -> re.Pattern:
    """A whole-word mention of a value, plurals included, in any case; a short or capitalised code
    ("UK", "US", "en", "IN") only as written ("let us know" names no country)."""
    flags = 0 if len(value) <= 3 or value.isupper() else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(value) + r"(?:s|es)?(?![\w-])", flags)


def topic_problem(text: str, topic: Topic, value: Any) -> str | None:
    """Why `text` is about another of the topic's values than the record's, or None."""
    if not isinstance(value, str) or value not in topic.values or _mention(value).search(text):
        return None
    other = next((v for v in topic.values if v != value and _mention(v).search(text)), None)
    if other is None:
        return None
    return f"the text is about {other!r} but {topic.name} is {value!r}"


def writer_name_fields(props: dict[str, Any], voice: str | None) -> tuple[str, ...]:
    """The fields that hold the name of whoever writes a text in `voice`: a customer's, reviewer's or
    patient's name (and a plain "name" or "full_name") for a customer's text, a staff name for staff."""
    out = []
    for name, node in props.items():
        parts = set(words(name))
        if "name" not in parts or not isinstance(node, dict) or "string" not in str(node.get("type", "string")):
            continue
        rest = sorted(parts - _NAME_PARTS)
        if (voice in (CUSTOMER, STAFF) and voice_of_words(rest) == voice) or (voice == CUSTOMER and not rest):
            out.append(name)
    return tuple(out)


@lru_cache(maxsize=4096)
def _addressing(name: str) -> re.Pattern | None:
    """A greeting or an @ to a person's full or first name, or the name opening the text with a comma."""
    full = name.strip()
    if len(full) < 2 or not full[:1].isupper():
        return None
    names = "|".join(re.escape(n) for n in dict.fromkeys((full, full.split()[0])) if len(n) >= 2)
    names = rf"(?:{names})\b(?!(?:\s+[A-Z][\w'.-]*)*,?\s+(?:here|speaking|from|I|i)\b)"  # "Hi, David (Moore) here"
    return re.compile(rf"\b{_GREETING}[\s,!]*{_TITLE}{names}|@\s?{names}|^\W*{_TITLE}{names}\s*,")


def addressed_writer(text: str, record: dict[str, Any], fields: tuple[str, ...]) -> re.Match | None:
    """The phrase of `text` that speaks to its own writer by name ("Dear David"), or None."""
    for name in fields:
        value = record.get(name)
        if not isinstance(value, str) or not value.strip() or value.split()[0] not in text:
            continue  # most texts never name their writer: no pattern is built for them
        pattern = _addressing(value)
        hit = pattern.search(text) if pattern is not None else None
        if hit is not None:
            return hit
    return None


_SIGN_OFF = re.compile(
    r"(?:^|\n|[.!?]\s+)\s*(?:(?i:(?:best |kind |warm )?regards|best(?: wishes)?|sincerely|yours(?: truly)?|warmly|respectfully)\s*[,\n]\s*|"
    r"(?i:thanks(?: again)?|thank you|cheers)[ \t,.!]*\n\s*)"  # "Thanks, John" on one line may thank John
    r"(?P<name>[A-Z][a-z'-]+)(?:\s+[A-Z][A-Za-z'-]+)?[\s.!]*$"
    r"|\n\s*-{1,2}\s*(?P<dash>[A-Z][a-z'-]+)(?:\s+[A-Z][A-Za-z'-]+)?[\s.!]*$"  # "\n- John Smith"
)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """Given names a signature may hold (Faker's, already a dependency): "Thanks, Team" is no one's."""
    from faker.providers.person.en_US import Provider

    names = {*Provider.first_names, *Provider.first_names_female, *Provider.first_names_male}
    return frozenset(n.lower() for n in names)


def _same_person(signed: str, own: set[str]) -> bool:
    """Whether a signed given name is one of the writer's own, in any case or short form (Dave, Chris)."""
    name = signed.lower()
    return any(name == part or (min(len(name), len(part)) >= 3 and (part.startswith(name) or name.startswith(part)))
               or name[:3] == part[:3] for part in own)  # fmt: skip


def signed_by_other(text: str, record: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    """The name a finished text is signed with where it is not its writer's ("Best regards, John"
    from Mary Lee). Only where the writer's name is a person's (a given name), so a product's or a
    user's handle in a `name` field signs nothing."""
    values = [v for v in (record.get(f) for f in fields) if isinstance(v, str) and v.strip()]
    if not any(v.split()[0].lower() in _first_names() for v in values):
        return None
    hit = _SIGN_OFF.search(text.rstrip())
    name = hit.group("name") or hit.group("dash") if hit is not None else None
    if name is None or name.lower() not in _first_names():
        return None
    if hit.group("dash") and re.search(r"\n\s*-", text[: hit.start("dash")].rstrip()[:-1]):
        return None  # a list of bullets, not a signature
    own = {part.lower() for v in values for part in re.findall(r"[^\W\d_]+", v)}
    return None if _same_person(name, own) else name
