"""Does a model-written string read like debris rather than writing? Cheap checks, no model.

Prose and short entity values (a product, an app, a company, a city) fail in different ways:
- any text: brackets closed out of order or left open, straight or curly double quotes left open,
  braces and other JSON debris, 7+ digits in a row, the prompt's numeric guide ("20-400 chars"), a
  type word in brackets ("(String)"), a text that ends on a word no sentence ends on ("... for the");
- prose (not a short value): words joined by underscores ("error_reporting_note"), an identifier, a
  chain of six hyphenated pieces with three words, fewer than 25% letters among its visible characters;
- a short value: a punctuation fragment at either end (", Inc", "Apple Store -", "Acme,"), a
  "#2"-style number fragment, a last word that leaves it cut ("Bank of"), one generic word where a
  subject is wanted ("ticket").
`closing_junk` asks the cheap part of the same question while a value is still being written, so a
backend can keep the model from ending a string where the engine would reject it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

MIN_TEXT = 12  # shorter texts carry too little to judge
_BRACKETS = (("(", ")"), ("[", "]"))
_DIGIT_RUN = re.compile(r"\d{7,}")  # people write long numbers with separators (555-0199, 4412 3301)
_SCAFFOLD = re.compile(r"\b\d+\s*-\s*\d+\s*(?:chars?|characters)\b|(?:/\w){5,}", re.IGNORECASE)
_FRAGMENT = re.compile(r"[!?.,;:]\s*[}\])]|[{}<>|\\]|,,|;;|(?:^|\s)/\s*\d+|\"\s*:")
# A JSON type name in brackets: the prompt's field guide ("name (string)") written back as a value.
_TYPE_WORD = re.compile(
    r"[(\[<]\s*(?:string|integer|int|number|float|boolean|bool|null|array|object|str)s?\s*[)\]>]", re.IGNORECASE
)
# A short value does not start on a closing or joining mark (", Inc", ") Store", "- Apple") ...
_LEADING = re.compile(r"^(?:[,;:!?)\]}/|&=~*_\\]|\+(?!\d)|[-\u2013\u2014.](?=\s|$))")  # +44 20...: a number
# ... nor end on an opening or joining one ("Acme,", "Store (", "Smith &", "Apple -").
_TRAILING = re.compile(r"(?:[,;:(\[{/|&=~*_@\\-]|\s\+|\s[\u2013\u2014])$")  # C++ and 18+ are words
# Words joined by underscores ("error_reporting_note"): an identifier or a field name, not prose.
_IDENTIFIER = re.compile(r"\b[^\W\d_]+(?:_[^\W_]+){2,}\b")
# Six or more pieces joined by hyphens, three of them words ("Support-ticket-message-2-1824-01-22"):
# a slug, not prose ("state-of-the-art" has four pieces; a MAC address or a tracking number has no words).
_HYPHEN_CHAIN = re.compile(r"\b\w+(?:-\w+){5,}\b")
_WORD_PIECE = re.compile(r"^[^\W\d_]{3,}$")
LETTER_SHARE = 0.25  # prose with fewer letters among its visible characters is numbers and symbols
_INCH = re.compile(r'(?<=\d)"(?=[\s\-,.;:)]|$)')  # 5" screen, 27" monitor: a unit, not a quote
_NUMBER_FRAGMENT = re.compile(r"(?:^|\s)#\s*\d")  # "The Apple Store at #2"
_GENERIC = {
    "ticket", "problem", "issue", "question", "help", "review", "message", "comment", "feedback", "subject",
    "title", "request", "complaint", "bug", "error", "support", "inquiry", "enquiry", "note", "post", "order",
    "account", "product", "service", "report", "update", "hello", "hi", "urgent", "text", "body", "summary",
}  # fmt: skip
# Words a sentence does not end on: a text (or a clause cut) ending on one reads cut.
DANGLING = frozenset(
    ("a", "an", "the", "and", "or", "but", "so", "then", "to", "of", "for", "with", "in", "on", "at", "by", "from",
     "as", "that", "which", "who", "we", "i", "you", "it", "is", "are", "was", "were", "be", "been", "will", "would",
     "can", "could", "should", "please", "my", "our", "your", "their", "this", "these", "very")
)  # fmt: skip
# The words a finished sentence never ends on (a clause may be cut after the others, but "please fix
# it" and "thank you" are whole).
CUT_AFTER = frozenset(
    ("a", "an", "the", "and", "or", "but", "to", "of", "for", "with", "in", "on", "at", "by", "from", "as", "my",
     "our", "your", "their", "its", "very", "is", "are", "was", "were", "will", "would", "can", "could", "should",
     "nor", "than", "if", "because", "into", "about")
)  # fmt: skip


_STUTTER = re.compile(r"\b(\w+)(?:[\s,;.!-]+\1\b){3,}", re.IGNORECASE)  # four times or more


def junk_problem(text: str, short: bool = False, allowed: str = "", headline: bool = False) -> str | None:
    """Why `text` reads like debris rather than writing, or None. `allowed`: the schema's own wording,
    whose characters and digit runs are the user's, not junk; `short`: a one-line value (a name, a
    title, a place); a `headline` (a message's subject or a review's title) is a phrase, never one word."""
    stripped = text.strip()
    if (short and stripped.lower().strip(".!?:") in _GENERIC) or (headline and len(stripped.split()) == 1):
        return f"a one-word text ({stripped!r})"
    scaffold = _SCAFFOLD.search(stripped) or _TYPE_WORD.search(stripped)
    if scaffold:
        return f"the prompt's field guide copied into the text ({scaffold.group(0)!r})"
    unbalanced = unbalanced_marks(stripped)
    if unbalanced:
        return unbalanced
    fragment = _FRAGMENT.search(stripped)
    if fragment and fragment.group(0).strip() not in allowed:
        return f"a stray fragment ({fragment.group(0)!r})"
    digits = _DIGIT_RUN.search(stripped)
    if digits and not _DIGIT_RUN.search(allowed):
        return f"a run of {len(digits.group(0))} digits"
    stutter = _STUTTER.search(stripped)
    if stutter:  # "critical critical critical": a small model stuck on one word
        return f"a word repeated ({stutter.group(1)!r} {len(stutter.group(0).split())} times in a row)"
    if short:
        edge = _short_problem(stripped, allowed)
        if edge:
            return edge
    else:
        ident = _IDENTIFIER.search(stripped) or _slug(stripped)
        if ident and ident.group(0) not in allowed and not ("_" in allowed and "_" in ident.group(0)):
            return f"an identifier in the text ({ident.group(0)!r})"
        visible = [c for c in stripped if not c.isspace()]
        if len(visible) >= 30 and sum(c.isalpha() for c in visible) < LETTER_SHARE * len(visible):
            return "it is mostly numbers and symbols, not words"
    if ends_cut(stripped) and len(stripped) >= MIN_TEXT:
        return f"it ends mid-phrase ({stripped.split()[-1]!r})"
    return None


def _slug(text: str) -> re.Match | None:
    """The first hyphen chain of six pieces or more with three words among them, or None."""
    for chain in _HYPHEN_CHAIN.finditer(text):
        if sum(bool(_WORD_PIECE.match(piece)) for piece in chain.group(0).split("-")) >= 3:
            return chain
    return None


def item_problem(text: str, allowed: str = "") -> str | None:
    """Why one item of a list of short labels (a tag) reads cut or broken ("full version of",
    "premium (4"), or None. One word, however generic, is a fine label."""
    stripped = text.strip()
    digits = _DIGIT_RUN.search(stripped)
    if digits and not _DIGIT_RUN.search(allowed):
        return f"a run of {len(digits.group(0))} digits"
    return unbalanced_marks(stripped) or _short_problem(stripped, allowed) or _repeated_word(stripped)


_SMALL_WORDS = {"the", "and", "for", "with", "from", "of", "in", "on", "to", "a", "an", "or", "by", "at", "its"}


def _repeated_word(text: str) -> str | None:
    """A word of three letters or more (not "the", "and" ...) said three times in one short label
    ("(3 Pack) (2 Pack) (1 Pack")."""
    seen = Counter(w.lower() for w in re.findall(r"[^\W\d_]{3,}", text) if w.lower() not in _SMALL_WORDS)
    word, count = seen.most_common(1)[0] if seen else ("", 0)
    return f"a word repeated ({word!r} {count} times)" if count >= 3 else None


def _short_problem(text: str, allowed: str) -> str | None:
    """A fragment at the edge of a short value, a "#2" fragment or a cut last word."""
    for pattern, where in ((_LEADING, "starts"), (_TRAILING, "ends")):
        hit = pattern.search(text)
        if hit and not _edge_allowed(text, hit.group(0).strip(), where, allowed):
            return f"it {where} on a punctuation fragment ({text!r})"
    if _NUMBER_FRAGMENT.search(text) and "#" not in allowed:
        return f"a number fragment ({text!r})"
    words = text.split()
    last = words[-1].strip(".,;:!?\"'()[]") if len(words) >= 2 else ""
    if last and last.islower() and last in CUT_AFTER:  # "Bank of"; "Plan A" and "Vitamin A" are names
        return f"it ends mid-phrase ({last!r})"
    return None


def _edge_allowed(text: str, mark: str, where: str, allowed: str) -> bool:
    """A mark the schema's own values start or end on ("-" in a pattern, "&" in an example) is theirs."""
    if not mark or not allowed:
        return False
    pattern = rf"(?:^|\s|\"){re.escape(mark)}\w" if where == "starts" else rf"\w{re.escape(mark)}(?:$|\s|\")"
    return bool(re.search(pattern, allowed))


def unbalanced_marks(text: str) -> str | None:
    """Brackets or double quotes (straight or curly) left open or closed out of order."""
    for left, right in _BRACKETS:
        if not _balanced(text, left, right):
            return f"unbalanced {left}{right}"
    if _quotes(text) % 2 or not _balanced(text, "\u201c", "\u201d"):
        return "an unbalanced quote"
    if text.count("\u2018") > text.count("\u2019"):  # a lone closing one is an apostrophe (O\u2019Brien)
        return "an unbalanced quote"
    return None


def _quotes(text: str) -> int:
    """Straight double quotes, inch marks aside."""
    n = text.count('"')
    return n - len(_INCH.findall(text)) if n % 2 else n


def _balanced(text: str, left: str, right: str) -> bool:
    """Every bracket closes one opened before it, and all are closed ("1) ..." is not)."""
    depth = 0
    for ch in text:
        depth += (ch == left) - (ch == right)
        if depth < 0:
            return False
    return depth == 0


def ends_cut(text: str) -> bool:
    """Whether a text (so far) ends on a word no finished sentence ends on ("... for the")."""
    words = text.split()
    last = words[-1].strip(".,;:!-\"'()[]").lower() if words else ""
    return bool(last) and not text.rstrip().endswith("?") and last in CUT_AFTER


def closing_junk(text: str, short: bool = False) -> bool:
    """Whether ending a string value now would leave it unbalanced or on a joining mark (the cheap,
    fixable part of `junk_problem`: writing on can close a bracket or finish a phrase). `text` is the
    value as written inside JSON quotes, escapes included."""
    if "\\" in text:
        text = text.replace('\\"', '"').replace("\\\\", "\\")
    opened = (
        text.count("(") > text.count(")")
        or text.count("[") > text.count("]")
        or text.count("{") > text.count("}")
        or text.count("\u201c") > text.count("\u201d")
        or _quotes(text) % 2 == 1
    )
    if opened:
        return True
    tail = text.rstrip()
    return bool(tail) and (tail[-1] in ",;:(&/" or (short and tail[-1] in "-+=|@#"))


_LINE_KEYS = {"product", "name", "title", "item", "label"}
_LABEL_ROOM = 80  # a label (a product, a name) runs to this many characters at most


def label_like(key: str, node: dict[str, Any]) -> bool:
    """A short free-text string of a list: a tag (no key), or a name, product or title in a list's
    objects; not one with a pattern, a format or an enum, which the schema judges, nor prose."""
    if {"enum", "const", "pattern", "format"} & set(node) or node.get("type", "string") not in ("string", ["string"]):
        return False
    if isinstance(node.get("maxLength"), int) and node["maxLength"] > _LABEL_ROOM:
        return False
    return not key or bool(set(re.findall(r"[a-z]+", key.lower())) & _LINE_KEYS)


def listed_twice(items: list[Any]) -> str | None:
    """The same line twice in a list of objects that names things (an order listing "Black Coffee
    Tea" three times rather than a quantity of three), or None. Lines count as the same when every
    value but the numbers agrees: a shirt in M and in L are two lines."""
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        named = [
            v for k, v in item.items() if isinstance(v, str) and set(re.findall(r"[a-z]+", k.lower())) & _LINE_KEYS
        ]
        if not named:
            continue
        line = repr(sorted((k, str(v).strip().lower()) for k, v in item.items() if not isinstance(v, int | float)))
        if line in seen:
            return f"{named[0].strip()!r} listed twice"
        seen.add(line)
    return None
