"""The form of a reference code a schema shows by example or names: "like CLM-000123", invoice_number.

A string field with no pattern, format or enum was left to the language model, which wrote ": 159309,
?name" for a claim reference described as "like CLM-000123". A code is not language. Where a field's
name says it is a code (its last word id, code, number, no, ref, reference, sku, key or serial), its
form is taken from an example (its `examples`, or "like", "e.g.", "such as" in its description) or,
for the number of a business document or party (claim_id, invoice_number, customer_id), from its
name; any other thing's id (subscription_id, visit_id) likewise, and a platform's id (video_id,
session_id) as an opaque key of twelve letters and digits. It is
drawn in code by a pattern: the example's letters kept as written (a prefix, a unit), its digits
drawn anew, separators kept; from a name, the stem's abbreviation and seven digits (CLM-0412337).
An example that reads as a date or time, a description that speaks of another form (a UUID, a
handle, an email, a phone, a URL), and schemas inferred from a table (whose rows show the form) are
left as they were. The user's schema is not changed: the pattern only decides how values are drawn.
"""

from __future__ import annotations

import random
import re
from typing import Any

from synth_gradio.schema.jsontypes import value_types
from synth_gradio.schema.pairs import _words
from synth_gradio.schema.patterns import fits_length, sample_pattern

_SAID = re.compile(
    r"(?:\blike|\be\.?g\.?|\bsuch as|\bfor example|\bfor instance|\bformat(?:ted)?(?: as)?|\bas in)[:,]?\s+"
    r"[\"'`\u201c]?([A-Za-z0-9][A-Za-z0-9_\-/.#]*[A-Za-z0-9])",
    re.I,
)
_CODED = {
    "id",
    "code",
    "number",
    "no",
    "ref",
    "reference",
    "sku",
    "key",
    "serial",
    "identifier",
}  # a code's name ends so
_ENDS = {"id", "no", "ref", "reference", "number"}  # ... and a document's code is drawn from its name alone
_DOCUMENTS = {
    "invoice", "order", "claim", "ticket", "case", "policy", "booking", "reservation", "confirmation",
    "tracking", "receipt", "shipment", "membership", "application", "request", "contract", "quote", "transaction",
    "payment", "refund", "return", "incident", "complaint", "purchase", "loan", "account", "customer", "client",
    "user", "employee", "patient", "member", "product", "item", "device", "vendor", "supplier", "store", "student",
    "agent", "seller", "merchant", "driver", "vehicle", "asset", "project", "task", "lead", "opportunity",
}  # fmt: skip
_OTHER_FORMS = re.compile(r"\b(uuid|guid|handle|e-?mail|phone|url|link|hash|token|isbn|iban|vin)\b|@", re.I)
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}")
_DIGITS = 7
_PEOPLE = {"employee", "user", "customer", "member", "client", "patient", "student", "agent", "staff", "person"}
_TOKEN = 12
# Any other thing's id is a reference too (subscription_id, visit_id), but a platform's is an opaque
# key, and these name another form (an email's, a phone's) or a government's number.
_PLATFORM = {"video", "channel", "playlist", "track", "post", "tweet", "comment", "message", "thread", "session",
             "trace", "span", "commit", "build", "image", "photo", "file", "upload", "story", "stream", "song",
             "album", "artist", "page", "click", "event", "device", "app", "api", "request", "correlation", "job",
             "run", "task", "node", "container", "instance", "cluster", "object", "blob", "hash", "token", "cookie",
             "visitor", "anonymous", "tracking", "twitter", "instagram", "facebook", "github", "linkedin", "slack",
             "discord", "telegram", "youtube", "tiktok", "spotify", "google", "apple", "stripe", "paypal"}  # fmt: skip
_NOT_OWN = {"email", "mail", "mobile", "phone", "tax", "vat", "national", "passport", "social", "license", "licence",
            "ssn", "government", "state", "federal", "parent", "foreign", "external", "source", "target", "currency",
            "country", "language", "locale", "timezone", "isbn", "gtin", "ean", "upc", "region", "city", "zip",
            "postal"}  # fmt: skip
# A person's role is a person of the record's own kind: manager_id beside employee_id is an employee's.
_ROLES = {"manager", "supervisor", "approver", "reviewer", "assignee", "owner", "author", "referrer", "reporter",
          "creator", "sender", "recipient", "reports", "lead", "mentor", "coach", "agent", "rep"}  # fmt: skip
_VOWELS = set("aeiou")


def _example(node: dict[str, Any]) -> str | None:
    """The first code-like example: no spaces, a digit, four to forty characters, not a date or time."""
    listed = [e for e in node.get("examples") or [] if isinstance(e, str)]
    said = [m.group(1) for m in _SAID.finditer(str(node.get("description") or ""))]
    for text in listed + said:
        if re.fullmatch(r"[A-Za-z0-9_\-/.#]{4,40}", text) and re.search(r"\d", text) and not _DATE_LIKE.search(text):
            return text
    return None


def from_example(example: str) -> str:
    """A pattern of the example's form: its letters literal, its digits drawn, separators kept."""
    parts = []
    for run in re.findall(r"[A-Za-z]+|[0-9]+|[^A-Za-z0-9]", example):
        parts.append(f"[0-9]{{{len(run)}}}" if run.isdigit() else re.escape(run))
    return "^" + "".join(parts) + "$"


def _abbreviation(word: str) -> str:
    """claim -> CLM, order -> ORD, invoice -> INV: the first letter and the next consonants."""
    letters = [word[0]] + [c for c in word[1:] if c not in _VOWELS and c.isalpha()]
    return "".join(letters[:3]).upper() if len(letters) >= 2 else word[:3].upper()


def from_name(name: str, longest: int = 64) -> str | None:
    """A document's code pattern its name implies (claim_id -> CLM- and digits, fewer to fit
    `longest`), else None."""
    words = _words(name)
    if len(words) < 2:
        return None
    stem, end = words[-2], words[-1]
    digits = min(_DIGITS, longest - 4)
    if end in _ENDS and stem in _DOCUMENTS and digits >= 3:
        return f"^{_abbreviation(stem)}-[0-9]{{{digits}}}$"
    if end != "id" or stem in _NOT_OWN or len(stem) < 3 or not stem.isalpha():
        return None
    if stem in _ROLES:
        return None  # a role's id follows the record's own people (role_pattern), or is left as it was
    if stem in _PLATFORM:  # a platform's opaque key (a video's, a session's), not a business reference
        return f"^[A-Za-z0-9]{{{min(_TOKEN, longest)}}}$" if longest >= 8 else None
    return f"^{_abbreviation(stem)}-[0-9]{{{digits}}}$" if digits >= 3 else None  # subscription_id: SBS-0412337


def role_pattern(name: str, names: list[str], longest: int = 64) -> str | None:
    """A role's id drawn as the record's person ids are (manager_id as employee_id: EMP-), or None."""
    words = _words(name)
    if len(words) < 2 or words[-1] != "id" or words[-2] not in _ROLES:
        return None
    people = [n for n in names if n != name and _words(n)[-2:-1] and _words(n)[-2] in _PEOPLE and _words(n)[-1] == "id"]
    return from_name(people[0], longest) if people else None


def code_pattern(name: str, node: dict[str, Any], names: list[str] | tuple[str, ...] = ()) -> str | None:
    """The pattern a string code is drawn by, where its schema gives none and an example or its
    name implies one that fits its length limits (None for anything else); `names`: the record's
    fields, whose person ids a role's id follows (manager_id beside employee_id)."""
    if any(key in node for key in ("pattern", "format", "enum", "const")):
        return None
    if value_types(node) != ["string"]:
        return None
    words = _words(name)
    if not words or words[-1] not in _CODED or _OTHER_FORMS.search(str(node.get("description") or "")):
        return None
    example = _example(node)
    longest = int(node.get("maxLength", 64))
    pattern = from_example(example) if example else from_name(name, longest) or role_pattern(name, list(names), longest)
    if pattern is None:
        return None
    drawn = sample_pattern(pattern, node, random.Random(0))
    return pattern if drawn is not None and fits_length(drawn, node) else None
